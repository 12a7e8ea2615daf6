"""The clinic: its settings, protocol versions, patients and the clinicians' course orders."""

from __future__ import annotations

import logging
from typing import Any

from bedside.allergies import AllergyAnswer, AllergyStatus
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
from bedside.protocol_settings import apply_changes, parse_text
from bedside.service.clinic_settings import (
    CLINIC_SETTINGS,
    NO_TIMEZONE,
    ClinicSettingsOperations,
    ProtocolSaved,
    SettingsSaved,
    clinic_values,
    workstation_key,
    workstation_name_value,
)
from bedside.signatures import Meaning
from bedside.validation import parse

__all__ = ["CLINIC_SETTINGS", "NO_TIMEZONE", "ClinicOperations", "clinic_values"]
# The settings' rules live in clinic_settings; these names stay importable from here.


def _log(message: str, *args: object) -> None:
    logging.getLogger(__name__).info(message, *args)


def _dotted(protocol: Protocol, key: str) -> Any:
    """The value of a dotted setting key (``monitoring.chairs``) in ``protocol``."""
    value: Any = protocol
    for part in key.split("."):
        value = getattr(value, part)
    return value


class ClinicOperations(ClinicSettingsOperations):
    """Settings, protocol versions, patients and course orders."""

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

    def save_clinic_settings(
        self,
        actor: User,
        *,
        clinic: dict[str, str],
        workstation: str = "",
        workstation_name: str | None = None,
        protocol: dict[str, Any] | None = None,
    ) -> SettingsSaved:
        """An admin saves Admin ▸ Clinic settings at once: clinic settings (as
        :meth:`update_clinic_settings`), ``workstation``'s name (as :meth:`name_workstation`;
        ``None`` leaves it) and workstation settings kept in the protocol (``protocol``: dotted
        key → value, e.g. ``monitoring.idle_lock_min``), saved as a new protocol version by
        :meth:`new_protocol_version`, so its limits and approval rule are the protocol's.

        Every value and the role are judged before anything is stored: a refusal names the
        setting and its allowed range, and leaves everything as it was. Returns what changed.
        """
        self.accounts.require(actor, Permission.MANAGE_CLINIC, "change the clinic settings")
        if protocol:
            self.accounts.require(actor, Permission.MANAGE_PROTOCOL, "change the protocol")
        before = self.clinic_settings()
        proposed = {k: (before[k], v) for k, v in clinic_values(clinic).items()}
        if workstation_name is not None:
            key = workstation_key(workstation)
            named = workstation_name_value(workstation_name)
            proposed[key] = (self.store.get_setting(key, ""), named)
        protocol_changes = self._protocol_changes(actor, protocol or {})
        changed = self._save_settings(actor, proposed)
        if not protocol_changes:
            return SettingsSaved(changed)
        # Only the values that differ are sent, so the new version changes nothing else.
        typed = {k: new for k, (_, new) in protocol_changes.items()}
        clinical = self.protocol_changes_needing_approval(typed)
        pid = self.new_protocol_version(actor, typed)
        version = next(v for v in self.store.protocol_versions() if v.id == pid).protocol.version
        return SettingsSaved(
            changed, ProtocolSaved(pid, version, protocol_changes, tuple(clinical))
        )

    def _protocol_changes(
        self, actor: User, protocol: dict[str, Any]
    ) -> dict[str, tuple[Any, Any]]:
        """The values of ``protocol`` that differ from the newest version (key → before,
        after), judged as :meth:`new_protocol_version` judges them; stores nothing. A value
        typed as it already is changes nothing (a new version needs a change)."""
        base = self.store.latest_protocol() or self.ensure_protocol(actor)
        wanted = {
            key: value
            for key, value in protocol.items()
            if (parse_text(key, value) if isinstance(value, str) else value)
            != _dotted(base[1], key)
        }
        if not wanted:
            return {}
        new, _ = self._next_protocol(actor, wanted)  # refuses a bad value, naming its range
        return {key: (_dotted(base[1], key), _dotted(new, key)) for key in wanted}

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
