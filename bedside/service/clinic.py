"""The clinic: its settings, protocol versions, patients and the clinicians' course orders."""

from __future__ import annotations

from typing import Any

from bedside.allergies import AllergyAnswer, AllergyStatus
from bedside.course import (
    PROBE_SIGNATURE,
    CourseOrder,
    check_order_against_protocol,
    live_order,
    order_chain,
    order_content_hash,
)
from bedside.errors import InputRejected, OperationRefused
from bedside.ids import CourseId, PatientId, ProtocolId, UserId, new_id
from bedside.people import Patient, Permission, User
from bedside.protocol import Protocol, WeightBasis, default_protocol
from bedside.protocol_settings import apply_changes
from bedside.service.base import ServiceBase
from bedside.signatures import Meaning
from bedside.validation import parse

CLINIC_SETTINGS = ("clinic_name", "clinic_address", "paper_size")
"""Settings an admin edits on screen (the time zone is chosen when the clinic is set up:
changing it later would move every session's clinic-local date)."""


class ClinicOperations(ServiceBase):
    """Settings, protocol versions, patients and course orders."""

    CLINIC_SETTINGS = CLINIC_SETTINGS

    def clinic_settings(self) -> dict[str, str]:
        """Name and address printed on every summary, and the paper size."""
        return {
            "clinic_name": self.store.get_setting("clinic_name", ""),
            "clinic_address": self.store.get_setting("clinic_address", ""),
            "paper_size": self.store.get_setting("paper_size", "A4"),
        }

    def update_clinic_settings(self, actor: User, **values: str) -> None:
        """An admin changes the clinic's name, address or paper size (audited)."""
        self.accounts.require(actor, Permission.MANAGE_CLINIC, "change the clinic settings")
        unknown = set(values) - set(CLINIC_SETTINGS)
        if unknown:
            raise InputRejected(f"Unknown clinic setting(s): {', '.join(sorted(unknown))}")
        clean = {
            k: " ".join(str(v).split()) if k != "clinic_address" else str(v).strip()
            for k, v in values.items()
        }
        if "clinic_name" in clean and not 2 <= len(clean["clinic_name"]) <= 120:
            raise InputRejected("Clinic name must have 2–120 characters")
        if "clinic_address" in clean and len(clean["clinic_address"]) > 300:
            raise InputRejected("Clinic address must have at most 300 characters")
        if "paper_size" in clean and clean["paper_size"] not in ("A4", "Letter"):
            raise InputRejected("Paper size must be A4 or Letter")
        self.store.set_settings(clean, actor=actor.id, at=self.clock.now())

    def staff(self) -> dict[UserId, User]:
        """Every account, by id (the record names authors and signers from it)."""
        return {u.id: u for u in self.store.users()}

    def ensure_protocol(self, actor: User | None = None) -> tuple[ProtocolId, Protocol]:
        """The current protocol, installing the shipped default on a new database."""
        current = self.store.current_protocol()
        if current is not None:
            return current
        protocol = default_protocol()
        pid = self.store.add_protocol(
            protocol, actor=actor.id if actor else None, at=self.clock.now()
        )
        return pid, protocol

    def new_protocol_version(self, actor: User, changes: dict[str, Any]) -> ProtocolId:
        """Admin edit: a new version with ``changes`` (dotted keys) applied to the current one.

        Values may be typed or the text an admin typed; a bad value is refused with the
        setting's name and allowed range, and nothing is stored.
        """
        self.accounts.require(actor, Permission.MANAGE_PROTOCOL, "change the protocol")
        _, current = self.ensure_protocol(actor)
        new = apply_changes(current, changes)
        return self.store.add_protocol(new, actor=actor.id, at=self.clock.now())

    def register_patient(self, actor: User, *, allergies: Any = None, **fields: Any) -> Patient:
        """Register a patient (MRN unique). ``allergies`` must say what was answered:
        ``{"state": "unknown"}``, ``{"state": "nkda"}`` or ``{"state": "listed", "allergies":
        ["penicillin (rash)", ...]}``; there is no default, and an NKDA or a list is recorded
        as stated by ``actor`` now."""
        self.accounts.require(actor, Permission.REGISTER_PATIENT, "register patients")
        if not isinstance(allergies, dict | AllergyAnswer):
            raise InputRejected(
                "Allergies: choose unknown, no known drug allergies, or list the allergies"
            )
        answer = parse(AllergyAnswer, allergies)
        now = self.clock.now()
        status = AllergyStatus.stated(answer, by=actor.id, name=actor.display_name, at=now)
        patient = parse(Patient, {"id": new_id(), **fields, "allergies": status})
        self.store.add_patient(patient, actor=actor.id, at=now)
        return patient

    def order_course(
        self,
        clinician: User,
        password: str,
        *,
        patient_id: PatientId,
        indication: str,
        planned_infusions: int,
        mg_per_kg: float,
        duration_min: int,
        max_dose_mg: float,
        weight_basis: WeightBasis = WeightBasis.ACTUAL,
        frequency: str = "2 per week",
        supersedes: CourseId | None = None,
    ) -> CourseOrder:
        """The clinician's signed order for a course of infusions (password re-entered)."""
        self.accounts.require(clinician, Permission.ORDER_COURSE, "order a course of treatment")
        self.store.patient(patient_id)
        _, protocol = self.ensure_protocol()
        report = check_order_against_protocol(
            mg_per_kg=mg_per_kg,
            duration_min=duration_min,
            max_dose_mg=max_dose_mg,
            protocol=protocol,
        )
        if not report.is_valid:
            raise OperationRefused("The order breaks the protocol's hard limits.", report)
        fields = {
            "id": new_id(),
            "patient_id": patient_id,
            "indication": indication,
            "planned_infusions": planned_infusions,
            "frequency": frequency,
            "mg_per_kg": mg_per_kg,
            "duration_min": duration_min,
            "weight_basis": weight_basis,
            "max_dose_mg": max_dose_mg,
            "supersedes": supersedes,
            "created_at": self.clock.now(),
        }
        # Validate before asking for the signature, so a typo is reported as such.
        probe = parse(CourseOrder, {**fields, "signature": PROBE_SIGNATURE})
        signature = self.accounts.sign(
            clinician, password, Meaning.ORDER_SIGNED, order_content_hash(probe)
        )
        order = probe.model_copy(update={"signature": signature})
        self.store.add_course(order, at=self.clock.now())
        return order

    def active_course(self, patient_id: PatientId) -> CourseOrder | None:
        """The patient's latest course order not superseded by another."""
        return live_order(self.store.courses_for(patient_id))

    def sessions_given(self, order: CourseOrder) -> int:
        """Sessions already opened in this course, counting those under the orders it replaced
        (a dose change is the same course: the next session is not number 1 again)."""
        chain = order_chain(self.store.courses_for(order.patient_id), order)
        return sum(self.store.sessions_in_course(o.id) for o in chain)
