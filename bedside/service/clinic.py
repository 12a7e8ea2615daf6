"""The clinic: its settings, protocol versions, patients and the clinicians' course orders."""

from __future__ import annotations

import logging
from typing import Any

from bedside.allergies import AllergyAnswer, AllergyStatus
from bedside.backups import SETTINGS as BACKUP_SETTINGS
from bedside.backups import backup_setting_values
from bedside.canonical import stored_body_hash
from bedside.course import (
    PROBE_SIGNATURE,
    CourseOrder,
    check_order_against_protocol,
    live_order,
    order_chain,
    order_content_hash,
)
from bedside.errors import InputRejected, OperationRefused, PermissionDenied
from bedside.ids import CourseId, PatientId, ProtocolId, UserId, new_id
from bedside.people import Patient, Permission, Role, User
from bedside.protocol import Protocol, WeightBasis, default_protocol
from bedside.protocol_approval import (
    MAX_REASON,
    MIN_REASON,
    EffectBasis,
    ProtocolApproval,
    VersionStatus,
    clinical_changes,
)
from bedside.protocol_settings import apply_changes
from bedside.service.base import ServiceBase
from bedside.signatures import Meaning
from bedside.timeutil import timezone_problem
from bedside.validation import parse

CLINIC_SETTINGS = ("clinic_name", "clinic_address", "paper_size", "timezone", *BACKUP_SETTINGS)
"""Settings an admin edits on screen. The time zone is chosen when the clinic is set up; a
change applies to sessions opened after it (each session keeps the zone it was opened under)."""

NO_TIMEZONE = (
    "The clinic's time zone is not set, so no session can be opened (its times and dates would "
    "be wrong). An administrator sets it in Admin ▸ Clinic settings, or with "
    "'bedside clinic set --timezone Area/City --as ADMIN'."
)


def clinic_values(values: dict[str, str]) -> dict[str, str]:
    """Clinic settings as they are stored (spaces tidied), or refused naming the setting and
    what it allows; nothing is stored by this check."""
    unknown = set(values) - set(CLINIC_SETTINGS)
    if unknown:
        raise InputRejected(f"Unknown clinic setting(s): {', '.join(sorted(unknown))}")
    clean = {
        k: " ".join(str(v).split()) if k != "clinic_address" else str(v).strip()
        for k, v in values.items()
        if k not in BACKUP_SETTINGS
    }
    clean.update(backup_setting_values({k: v for k, v in values.items() if k in BACKUP_SETTINGS}))
    if "clinic_name" in clean and not 2 <= len(clean["clinic_name"]) <= 120:
        raise InputRejected("Clinic name must have 2–120 characters")
    if "clinic_address" in clean and len(clean["clinic_address"]) > 300:
        raise InputRejected("Clinic address must have at most 300 characters")
    if "paper_size" in clean and clean["paper_size"] not in ("A4", "Letter"):
        raise InputRejected("Paper size must be A4 or Letter")
    problem = timezone_problem(clean["timezone"]) if "timezone" in clean else None
    if problem:
        raise InputRejected(problem)
    return clean


def _log(message: str, *args: object) -> None:
    logging.getLogger(__name__).info(message, *args)


class ClinicOperations(ServiceBase):
    """Settings, protocol versions, patients and course orders."""

    CLINIC_SETTINGS = CLINIC_SETTINGS

    def clinic_settings(self) -> dict[str, str]:
        """Name and address printed on every summary, the paper size and the time zone (empty
        when it was never set)."""
        return {
            "clinic_name": self.store.get_setting("clinic_name", ""),
            "clinic_address": self.store.get_setting("clinic_address", ""),
            "paper_size": self.store.get_setting("paper_size", "A4"),
            "timezone": self.store.get_setting("timezone", ""),
            **{
                key: self.store.get_setting(key, default)
                for key, default in BACKUP_SETTINGS.items()
            },
        }

    def is_demo(self) -> bool:
        """Whether this database holds the demo clinic (:mod:`bedside.demo_mark`)."""
        return self.store.is_demo()

    def update_clinic_settings(self, actor: User, **values: str) -> dict[str, tuple[str, str]]:
        """An admin changes the clinic's name, address, paper size or time zone (audited, with
        the values before and after). Returns what changed: ``{setting: (before, after)}``.

        A new time zone applies to sessions opened from then on; each session keeps the zone it
        was opened under, so its times and dates do not move.
        """
        self.accounts.require(actor, Permission.MANAGE_CLINIC, "change the clinic settings")
        clean = clinic_values(values)
        before = self.clinic_settings()
        changed = {k: (before[k], v) for k, v in clean.items() if before[k] != v}
        if changed:
            audited = {k: v for k, (_, v) in changed.items()}
            audited.update({f"{k}_before": old for k, (old, _) in changed.items()})
            self.store.set_settings(
                {k: v for k, (_, v) in changed.items()},
                actor=actor.id,
                at=self.clock.now(),
                audit=audited,
            )
        return changed

    def set_up_clinic(
        self,
        *,
        clinic_name: str,
        timezone: str,
        admin_username: str,
        admin_full_name: str,
        admin_password: str,
        clinic_address: str = "",
        paper_size: str = "A4",
    ) -> User:
        """A new clinic in an empty database: its settings (the time zone is required), its first
        administrator and the shipped protocol in effect. Every value is checked before anything
        is written; refused when the database already has accounts."""
        if self.store.has_users():
            raise OperationRefused("This database already has a clinic: nothing was changed")
        clean = clinic_values(
            {
                "clinic_name": clinic_name,
                "clinic_address": clinic_address,
                "paper_size": paper_size,
                "timezone": timezone,
            }
        )
        admin = self.accounts.create_user(
            None,
            username=admin_username,
            full_name=admin_full_name,
            role=Role.ADMIN,
            password=admin_password,
        )
        self.store.set_settings(clean, actor=admin.id, at=self.clock.now())
        self.ensure_protocol(admin)
        return admin

    def require_timezone(self) -> str:
        """The clinic's time zone; refused, saying how to set it, when it was never set."""
        zone = self.store.get_setting("timezone", "")
        if not zone:
            raise OperationRefused(NO_TIMEZONE)
        return zone

    def staff(self) -> dict[UserId, User]:
        """Every account, by id (the record names authors and signers from it)."""
        return {u.id: u for u in self.store.users()}

    def ensure_protocol(self, actor: User | None = None) -> tuple[ProtocolId, Protocol]:
        """The protocol in effect (sessions open under it), installing the shipped default on a
        new database. A version waiting for a clinician's approval is never returned."""
        current = self.store.current_protocol()
        if current is not None:
            return current
        protocol = default_protocol()
        latest = self.store.latest_protocol()
        if latest is not None and latest[1].version >= protocol.version:
            # Only versions that came with imported session logs are stored, none in effect
            # here: the shipped default follows them rather than taking their number.
            protocol = protocol.model_copy(update={"version": latest[1].version + 1})
        pid = self.store.add_protocol(
            protocol,
            actor=actor.id if actor else None,
            at=self.clock.now(),
            takes_effect=EffectBasis.SHIPPED_DEFAULT,
        )
        return pid, protocol

    def _next_protocol(
        self, actor: User | None, changes: dict[str, Any]
    ) -> tuple[Protocol, list[str]]:
        """The version ``changes`` make from the newest stored one, and the clinical settings
        it changes from the version in effect (empty: it may take effect at once)."""
        _, in_effect = self.ensure_protocol(actor)
        latest = self.store.latest_protocol()
        new = apply_changes(latest[1] if latest else in_effect, changes)
        return new, clinical_changes(in_effect, new)

    def protocol_changes_needing_approval(self, changes: dict[str, Any]) -> list[str]:
        """The clinical settings (dotted keys) a new version with ``changes`` would change from
        the version in effect: non-empty means it would wait for a clinician's approval. Refuses
        bad values exactly as :meth:`new_protocol_version` does; stores no version."""
        return self._next_protocol(None, changes)[1]

    def new_protocol_version(self, actor: User, changes: dict[str, Any]) -> ProtocolId:
        """Admin edit: a new version with ``changes`` (dotted keys) applied to the newest one.

        Values may be typed or the text an admin typed; a bad value is refused with the
        setting's name and allowed range, and nothing is stored. A version that changes a
        clinical setting from the version in effect is stored *pending*: sessions keep opening
        under the version in effect until a clinician approves it
        (:meth:`approve_protocol_version`). One that changes only administrative settings
        (``monitoring.idle_lock_min``, ``monitoring.chairs``) takes effect at once.
        """
        self.accounts.require(actor, Permission.MANAGE_PROTOCOL, "change the protocol")
        new, clinical = self._next_protocol(actor, changes)
        basis = None if clinical else EffectBasis.NO_CLINICAL_CHANGE
        pid = self.store.add_protocol(new, actor=actor.id, at=self.clock.now(), takes_effect=basis)
        _log("protocol version saved protocol=%s user=%s pending=%s", pid, actor.id, bool(clinical))
        return pid

    def approve_protocol_version(
        self, clinician: User, password: str, protocol_id: ProtocolId, reason: str
    ) -> ProtocolApproval:
        """A clinician puts a pending version into effect: their password and a reason, signed
        "Clinical protocol change approved" over the hash of the version's stored body.

        Refused, with nothing changed: someone without the clinician's permission, the person
        who prepared the version (a second person approves), a version not pending (in effect
        already, or replaced by a later one), a reason under five characters, a wrong password.
        """
        checked = self.accounts.require(
            clinician, Permission.APPROVE_PROTOCOL, "approve a clinical protocol change"
        )
        versions = self.store.protocol_versions()
        version = next((v for v in versions if v.id == protocol_id), None)
        if version is None:
            raise InputRejected(f"There is no protocol version with id {protocol_id}")
        number = version.protocol.version
        if version.status is not VersionStatus.PENDING:
            raise OperationRefused(
                f"Protocol version {number} is not waiting for approval "
                f"({version.approval_text(self.timezone)})"
            )
        # Everything this version would put into effect was prepared by someone else: the
        # pending versions up to it carry the changes it contains.
        preparers = {
            v.created_by
            for v in versions
            if v.status is VersionStatus.PENDING and v.protocol.version <= number
        }
        if checked.id in preparers:
            raise PermissionDenied(
                f"You prepared changes in protocol version {number}: another clinician must "
                "approve it"
            )
        if not MIN_REASON <= len(reason.strip()) <= MAX_REASON:
            raise InputRejected(
                f"Approving protocol version {number} needs a reason "
                f"(at least {MIN_REASON} characters, at most {MAX_REASON})"
            )
        body_hash = stored_body_hash(self.store.protocol_body(protocol_id))
        signature = self.accounts.sign(
            checked, password, Meaning.PROTOCOL_APPROVED, body_hash, Permission.APPROVE_PROTOCOL
        )
        approval = ProtocolApproval(
            protocol_id=protocol_id,
            basis=EffectBasis.APPROVED,
            effective_at=signature.signed_at,
            effective_by=signature.signer_id,
            reason=reason.strip(),
            signature=signature,
        )
        self.store.add_protocol_approval(approval)
        return approval

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
        _log("patient registered patient=%s user=%s", patient.id, actor.id)
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
        _log("ordered course=%s patient=%s user=%s", order.id, order.patient_id, clinician.id)
        return order

    def active_course(self, patient_id: PatientId) -> CourseOrder | None:
        """The patient's latest course order not superseded by another."""
        return live_order(self.store.courses_for(patient_id))

    def sessions_opened(self, order: CourseOrder) -> int:
        """Sessions already opened in this course, counting those under the orders it replaced
        (a dose change is the same course: the next session is not number 1 again)."""
        chain = order_chain(self.store.courses_for(order.patient_id), order)
        return sum(self.store.sessions_in_course(o.id) for o in chain)

    def sessions_given(self, order: CourseOrder) -> int:
        """Sessions that count towards the course's planned infusions: those opened, less those
        ended before their pump started (no infusion was given in them)."""
        chain = order_chain(self.store.courses_for(order.patient_id), order)
        return self.sessions_opened(order) - sum(
            self.store.sessions_ended_before_the_pump(o.id) for o in chain
        )
