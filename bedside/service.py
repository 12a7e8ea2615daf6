"""Chart operations: the only way anything is written to a session's record.

Each operation checks the author's role, validates input (impossible values are refused with the
field and the allowed range; nothing is saved half-way), evaluates the guards, and appends its
events in one durable transaction. Abnormal-but-possible values are saved and flagged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, cast

from bedside.accounts import Accounts
from bedside.clock import Clock
from bedside.consent import ConsentTemplate, default_consent_template
from bedside.course import CourseOrder, check_order_against_protocol, order_content_hash
from bedside.errors import InputRejected, OperationRefused, SessionLocked, StoreError
from bedside.events import (
    AddendumAdded,
    AlertAcknowledged,
    AlertRaised,
    BaselineVitals,
    ChartAttested,
    ChartEvent,
    CheckDeferred,
    ConsentRecorded,
    DischargeAssessed,
    DosePlanned,
    DrugPrepared,
    EntryVoided,
    EventDraft,
    InfusionPaused,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    IntakeScreened,
    NoteAdded,
    Override,
    Payload,
    Phase,
    PhaseAdvanced,
    PrnGiven,
    RateChanged,
    ScaleScored,
    SessionEndedEarly,
    SessionOpened,
    SessionSigned,
    SideEffectNoted,
    SideEffectResolved,
    SignaturePad,
    VitalsRecorded,
    WasteRecorded,
)
from bedside.ids import CourseId, EventId, PatientId, ProtocolId, SessionId, new_id
from bedside.people import Patient, Permission, User
from bedside.protocol import Protocol, WeightBasis, default_protocol, protocol_hash
from bedside.protocol_settings import apply_changes
from bedside.report import RuleReport
from bedside.rules import alerts, append, controlled, dosing, phases
from bedside.rules.side_effects import CHECKLIST
from bedside.scales import ScaleName, score
from bedside.sessions import SessionHeader
from bedside.signatures import Meaning
from bedside.state import SessionState, fold
from bedside.store import Store
from bedside.store.db import write_transaction
from bedside.timeutil import local_date, local_text
from bedside.validation import parse

SIMPLE_KINDS = frozenset(
    {
        "intake_screened",
        "baseline_vitals",
        "infusion_paused",
        "infusion_resumed",
        "rate_changed",
        "infusion_stopped",
        "side_effect_noted",
        "side_effect_resolved",
        "prn_given",
        "note",
        "alert_acknowledged",
        "check_deferred",
        "session_ended_early",
    }
)
"""Kinds :meth:`ChartService._chart` accepts as they are."""

INDEPENDENT_KINDS = frozenset(
    {
        "note",
        "vitals_recorded",
        "scale_scored",
        "side_effect_noted",
        "side_effect_resolved",
        "prn_given",
        "check_deferred",
        "alert_acknowledged",
    }
)
"""Entries whose validity does not depend on other entries charted in the same moment, so two
workstations may chart them on one session at once."""

_PROBE_SIGNATURE = {
    "signer_id": "probe",
    "signer_name": "probe",
    "signer_role": "clinician",
    "meaning": Meaning.ORDER_SIGNED.value,
    "signed_at": "2000-01-01T00:00:00Z",
    "content_hash": "0" * 64,
}


@dataclass(frozen=True)
class SessionContext:
    """Everything a rule needs about one session."""

    header: SessionHeader
    patient: Patient
    order: CourseOrder
    protocol: Protocol
    state: SessionState


class ChartService:
    """Operations on patients, courses and sessions, for one signed-in workstation."""

    def __init__(
        self, store: Store, clock: Clock, *, consent_template: ConsentTemplate | None = None
    ) -> None:
        self.store = store
        self.clock = clock
        self.accounts = Accounts(store, clock)
        self.consent_template = consent_template or default_consent_template()

    # --- clinic set-up ----------------------------------------------------------------------------

    @property
    def timezone(self) -> str:
        """The clinic's IANA time zone (setting ``timezone``, default UTC)."""
        return self.store.get_setting("timezone", "UTC")

    CLINIC_SETTINGS = ("clinic_name", "clinic_address", "paper_size")
    """Settings an admin edits on screen (the time zone is chosen when the clinic is set up:
    changing it later would move every session's clinic-local date)."""

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
        unknown = set(values) - set(self.CLINIC_SETTINGS)
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

    def register_patient(self, actor: User, **fields: Any) -> Patient:
        """Register a patient (MRN unique)."""
        self.accounts.require(actor, Permission.REGISTER_PATIENT, "register patients")
        patient = parse(Patient, {"id": new_id(), **fields})
        self.store.add_patient(patient, actor=actor.id, at=self.clock.now())
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
        probe = parse(CourseOrder, {**fields, "signature": _PROBE_SIGNATURE})
        signature = self.accounts.sign(
            clinician, password, Meaning.ORDER_SIGNED, order_content_hash(probe)
        )
        order = probe.model_copy(update={"signature": signature})
        self.store.add_course(order, at=self.clock.now())
        return order

    def active_course(self, patient_id: PatientId) -> CourseOrder | None:
        """The patient's latest course order not superseded by another."""
        orders = self.store.courses_for(patient_id)
        replaced = {o.supersedes for o in orders if o.supersedes}
        live = [o for o in orders if o.id not in replaced]
        return live[-1] if live else None

    def sessions_given(self, order: CourseOrder) -> int:
        """Sessions already opened in this course, counting those under the orders it replaced
        (a dose change is the same course: the next session is not number 1 again)."""
        by_id = {o.id: o for o in self.store.courses_for(order.patient_id)}
        total, seen = 0, set()
        current: CourseOrder | None = order
        while current is not None and current.id not in seen:
            seen.add(current.id)
            total += self.store.sessions_in_course(current.id)
            current = by_id.get(current.supersedes) if current.supersedes else None
        return total

    # --- sessions ---------------------------------------------------------------------------------

    def open_session(self, actor: User, *, patient_id: PatientId, chair: int) -> SessionId:
        """Open a session on a chair for a patient with an active course order."""
        self.accounts.require(actor, Permission.CHART, "open a session")
        order = self.active_course(patient_id)
        if order is None:
            raise OperationRefused(
                "This patient has no course order: a clinician must order the course first."
            )
        pid, protocol = self.ensure_protocol()
        if not 1 <= chair <= protocol.monitoring.chairs:
            raise InputRejected(
                f"Chair {chair} does not exist (allowed 1–{protocol.monitoring.chairs})"
            )
        busy = self.busy_chairs(self.clock.now())
        if chair in busy:
            raise OperationRefused(f"Chair {chair} already has an open session")
        for other_chair, other in busy.items():
            if self.store.session(other).patient_id == patient_id:
                raise OperationRefused(
                    f"This patient already has an open session on chair {other_chair}"
                )
        self._refuse_second_infusion_today(patient_id)
        number = self.sessions_given(order) + 1
        if number > order.planned_infusions:
            raise OperationRefused(
                f"The course order covers {order.planned_infusions} infusions and all have been "
                "given: a clinician must order a new course"
            )
        now = self.clock.now()
        sid = SessionId(new_id())
        header = SessionHeader(
            id=sid,
            patient_id=patient_id,
            course_id=order.id,
            number_in_course=number,
            chair=chair,
            protocol_id=pid,
            opened_at=now,
            local_date=local_date(now, self.timezone),
            opened_by=actor.id,
        )
        opened = SessionOpened(
            patient_id=patient_id,
            course_id=order.id,
            number_in_course=number,
            chair=chair,
            protocol_id=pid,
            protocol_version=protocol.version,
            protocol_hash=protocol_hash(protocol),
            clinic_timezone=self.timezone,
        )
        self.store.create_session(header, EventDraft(payload=opened, clinical_time=now), at=now)
        return sid

    def _refuse_second_infusion_today(self, patient_id: PatientId) -> None:
        """A course gives at most one infusion a day (CLINICAL.md §1: 2–3 a week): a second
        session the same clinic day, after one whose pump started, is refused. A session ended
        before its pump started (opened for the wrong patient, say) does not count."""
        today = local_date(self.clock.now(), self.timezone)
        for header in self.store.sessions_for_patient(patient_id):
            if header.local_date != today:
                continue
            started = fold(self.store.events(header.id)).infusion.started_at
            if started is not None:
                at = local_text(started, self.timezone, "%H:%M")
                raise OperationRefused(
                    f"This patient already had an infusion today (session "
                    f"{header.number_in_course}, started {at}). A second infusion on the same "
                    "day is not part of a course; open the next session on another day."
                )

    def open_sessions(self, now: datetime) -> dict[int, tuple[SessionHeader, SessionState]]:
        """Chair → the session on it that is neither signed nor ended early, folded (today and
        yesterday, so a session running past midnight still holds its chair)."""
        today = local_date(now, self.timezone)
        out: dict[int, tuple[SessionHeader, SessionState]] = {}
        for day in (today - timedelta(days=1), today):
            for header in self.store.sessions_on(day):
                state = fold(self.store.events(header.id))
                if not state.closed:
                    out[header.chair] = (header, state)
        return out

    def busy_chairs(self, now: datetime) -> dict[int, SessionId]:
        """Chair → id of the open session on it."""
        return {chair: header.id for chair, (header, _) in self.open_sessions(now).items()}

    def context(self, session_id: SessionId) -> SessionContext:
        """Load and fold one session with its patient, order and protocol."""
        header = self.store.session(session_id)
        return SessionContext(
            header=header,
            patient=self.store.patient(header.patient_id),
            order=self.store.course(header.course_id),
            protocol=self.store.protocol(header.protocol_id),
            state=fold(self.store.events(session_id)),
        )

    def state(self, session_id: SessionId) -> SessionState:
        """The folded state of one session."""
        return fold(self.store.events(session_id))

    # --- the one write path -----------------------------------------------------------------------

    def _clinical_time(self, ctx: SessionContext, when: datetime | None) -> datetime:
        now = self.clock.now()
        if when is None:
            return now
        if when.tzinfo is None:
            raise InputRejected("Clinical time must include a time zone")
        if when > now:
            raise InputRejected("Clinical time cannot be in the future")
        if when < ctx.header.opened_at:
            raise InputRejected("Clinical time cannot be before the session was opened")
        return when

    def _append(
        self,
        actor: User,
        ctx: SessionContext,
        drafts: list[EventDraft],
        *,
        supersedes: ChartEvent | None = None,
        follow_up: Callable[[list[ChartEvent]], list[EventDraft]] | None = None,
    ) -> list[ChartEvent]:
        """Check and append ``drafts``; ``follow_up`` may add events that reference them (an
        alert naming its reading) inside the same transaction: both are saved or neither."""
        # The account as stored now, not as it was at login: a deactivated or re-roled user's
        # old session object must not keep charting.
        actor = self.store.user(actor.id)
        for draft in drafts:
            report = append.append_report(
                ctx.state, draft.payload.kind, actor, supersedes=supersedes
            )
            if not report.is_valid:
                if "session.locked" in report.codes():
                    raise SessionLocked("This session is closed.", report)
                raise OperationRefused("Not saved.", report)
        at = self.clock.now()
        with write_transaction(self.store.conn):
            expected = ctx.state.head_hash
            current = self.store.head_hash(ctx.header.id)
            if (
                current != expected
                and supersedes is None
                and all(d.payload.kind in INDEPENDENT_KINDS for d in drafts)
            ):
                # Another workstation charted meanwhile. An entry that does not depend on
                # other entries is re-checked against the record as it is now (the write lock
                # is held) and saved; judged steps are refused by the store below.
                fresh = fold(self.store.events(ctx.header.id))
                for draft in drafts:
                    report = append.append_report(fresh, draft.payload.kind, actor)
                    if not report.is_valid:
                        raise OperationRefused("Not saved.", report)
                expected = current
            saved = self.store.append_in_transaction(
                ctx.header.id, drafts, author=actor.id, at=at, expected_head=expected
            )
            if follow_up is not None:
                extra = follow_up(saved)
                if extra:
                    saved += self.store.append_in_transaction(
                        ctx.header.id, extra, author=actor.id, at=at
                    )
        return saved

    def _record(
        self,
        model: type[Any],
        actor: User,
        session_id: SessionId,
        data: dict[str, Any],
        clinical_time: datetime | None = None,
    ) -> ChartEvent:
        """Validate ``data`` as ``model`` and chart it: the shape of every simple operation."""
        return self._chart(actor, session_id, parse(model, data), clinical_time=clinical_time)[0]

    def _chart(
        self,
        actor: User,
        session_id: SessionId,
        payload: Payload,
        *,
        clinical_time: datetime | None = None,
    ) -> list[ChartEvent]:
        """Append one already-built payload of a kind that needs no computation or signature
        (notes, PRN, side effects, pump pauses ...) after its operation's own checks. Private:
        callers use the named operations, which validate references and reasons."""
        if payload.kind not in SIMPLE_KINDS:
            raise OperationRefused(
                f"{payload.kind.replace('_', ' ')} must be recorded through its own operation"
            )
        ctx = self.context(session_id)
        when = self._clinical_time(ctx, clinical_time)
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])

    # --- intake, baseline, scales -----------------------------------------------------------------

    def record_intake(
        self,
        actor: User,
        session_id: SessionId,
        clinical_time: datetime | None = None,
        **fields: Any,
    ) -> ChartEvent:
        """The intake screen."""
        return self._record(IntakeScreened, actor, session_id, fields, clinical_time)

    def record_baseline(
        self,
        actor: User,
        session_id: SessionId,
        clinical_time: datetime | None = None,
        **values: Any,
    ) -> ChartEvent:
        """A baseline vitals set (may be repeated after rest)."""
        return self._record(BaselineVitals, actor, session_id, values, clinical_time)

    def score_scale(
        self,
        actor: User,
        session_id: SessionId,
        scale: ScaleName,
        answers: dict[str, int],
        *,
        clinical_time: datetime | None = None,
    ) -> list[ChartEvent]:
        """Score an instrument; a sedation score past the pause limit raises an alert too."""
        try:
            result = score(scale, answers)
        except ValueError as exc:
            raise InputRejected(str(exc)) from exc
        payload = ScaleScored(
            scale=scale, answers=answers, total=result.total, band=result.band, flags=result.flags
        )
        ctx = self.context(session_id)
        when = self._clinical_time(ctx, clinical_time)
        follow_up = None
        if scale is ScaleName.MOAAS and ctx.state.infusion.started_at is not None:
            found = alerts.evaluate_in_session(
                alerts.Observed(moaas=result.total), baseline=None, protocol=ctx.protocol
            )
            follow_up = self._alerts_following(found, when)
        return self._append(
            actor, ctx, [EventDraft(payload=payload, clinical_time=when)], follow_up=follow_up
        )

    # --- vitals and alerts ------------------------------------------------------------------------

    def record_vitals(
        self,
        actor: User,
        session_id: SessionId,
        *,
        clinical_time: datetime | None = None,
        **values: Any,
    ) -> list[ChartEvent]:
        """A timed vitals set. Returns the reading and any alert raised with it, saved together."""
        payload = parse(VitalsRecorded, values)
        ctx = self.context(session_id)
        when = self._clinical_time(ctx, clinical_time)
        found = self.alerts_for(ctx, payload)
        return self._append(
            actor,
            ctx,
            [EventDraft(payload=payload, clinical_time=when)],
            follow_up=self._alerts_following(found, when),
        )

    def alerts_for(self, ctx: SessionContext, payload: VitalsRecorded) -> alerts.AlertResult:
        """Alert evaluation of a reading against the session's baseline and protocol."""
        baseline = phases.baseline_observed(ctx.state)
        observed = phases.observed_from(cast(BaselineVitals, payload))
        return alerts.evaluate_in_session(observed, baseline=baseline, protocol=ctx.protocol)

    def _alerts_following(
        self, found: alerts.AlertResult, when: datetime
    ) -> Callable[[list[ChartEvent]], list[EventDraft]]:
        """A follow-up that raises the most urgent alert found, naming the saved reading."""

        def follow_up(saved: list[ChartEvent]) -> list[EventDraft]:
            level = found.level
            if level is None:
                return []
            raised = AlertRaised(
                level=level,
                source_event_id=saved[0].id,
                rule_codes=tuple(b.code for b in found.at_level(level)),
                message=found.message(),
            )
            return [EventDraft(payload=raised, clinical_time=when)]

        return follow_up

    def acknowledge_alert(
        self,
        actor: User,
        session_id: SessionId,
        alert_event_id: EventId,
        *,
        action_taken: str,
        clinician_notified: bool = False,
    ) -> ChartEvent:
        """Acknowledge an alert with the action taken."""
        state = self.state(session_id)
        alert = state.alerts.get(alert_event_id)
        if alert is None:
            raise InputRejected("No such alert in this session")
        if not alert.is_open:
            raise OperationRefused("This alert was already acknowledged")
        return self._record(
            AlertAcknowledged,
            actor,
            session_id,
            {
                "alert_event_id": alert_event_id,
                "action_taken": action_taken,
                "clinician_notified": clinician_notified,
            },
        )

    # --- phases -----------------------------------------------------------------------------------

    def guard(
        self, session_id: SessionId, to: Phase, *, ctx: SessionContext | None = None
    ) -> RuleReport:
        """The guard report for moving a session to ``to`` now (what the UI shows); ``ctx``
        is the session as just read, when the caller has it (saves reading it again)."""
        ctx = ctx or self.context(session_id)
        return phases.advance_report(
            ctx.state,
            to,
            protocol=ctx.protocol,
            template=self.consent_template,
            at=self.clock.now(),
        )

    def _override(
        self,
        report: RuleReport,
        override_by: User | None,
        password: str | None,
        reason: str | None,
        content_hash: str,
    ) -> Override | None:
        if report.is_valid:
            return None
        if override_by is None:
            raise OperationRefused("Not allowed yet.", report)
        self.accounts.require(override_by, Permission.OVERRIDE, "override a safety check")
        if not report.overridable:
            raise OperationRefused("These problems cannot be overridden.", report)
        if not reason or len(reason.strip()) < 5:
            raise InputRejected("An override needs a reason (at least 5 characters)")
        if password is None:
            raise InputRejected("An override needs the clinician's password")
        signature = self.accounts.sign(
            override_by, password, Meaning.OVERRIDE, content_hash, Permission.OVERRIDE
        )
        return Override(
            clinician_id=override_by.id,
            reason=reason.strip(),
            finding_codes=tuple(f.code for f in report.errors),
            signature=signature,
        )

    def advance(
        self,
        actor: User,
        session_id: SessionId,
        to: Phase,
        *,
        override_by: User | None = None,
        override_password: str | None = None,
        override_reason: str | None = None,
    ) -> ChartEvent:
        """Complete a step. Refused with the guard report unless clean or overridden."""
        ctx = self.context(session_id)
        if ctx.state.locked:
            raise SessionLocked("This session is signed and locked: only an addendum can be added.")
        now = self.clock.now()
        report = phases.advance_report(
            ctx.state, to, protocol=ctx.protocol, template=self.consent_template, at=now
        )
        override = self._override(
            report, override_by, override_password, override_reason, ctx.state.head_hash
        )
        payload = PhaseAdvanced(from_phase=ctx.state.phase, to_phase=to, override=override)
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=now)])[0]

    def end_early(self, actor: User, session_id: SessionId, reason: str) -> ChartEvent:
        """End a session before completion (any open phase), with a reason.

        The pump must be stopped with its volume charted first, and any drug drawn up must be
        accounted for (infused + witnessed waste), so the controlled-substance record is never
        left open by ending a session.
        """
        ctx = self.context(session_id)
        infusion = ctx.state.infusion
        if infusion.started_at is not None and infusion.stopped_at is None:
            raise OperationRefused(
                "Stop the infusion first and chart the volume the pump infused; then end the "
                "session."
            )
        if ctx.state.preparation is not None:
            record = controlled.reconcile(ctx.state)
            if infusion.started_at is None:
                # Nothing infused: everything drawn must be wasted with a witness.
                prep = cast(DrugPrepared, ctx.state.preparation.payload)
                if abs(prep.drawn_mg - record.wasted_mg) > controlled.TOLERANCE_MG:
                    raise OperationRefused(
                        f"{prep.drawn_mg - record.wasted_mg:g} mg drawn up is not accounted for: "
                        "record its waste with a witness before ending the session."
                    )
            elif not record.reconciled:
                raise OperationRefused(
                    "The controlled-substance record is not reconciled.", record.report
                )
        return self._record(SessionEndedEarly, actor, session_id, {"reason": reason})

    # --- consent, dose, preparation ---------------------------------------------------------------

    def record_consent(
        self,
        actor: User,
        session_id: SessionId,
        *,
        elements_acknowledged: list[str],
        capacity_confirmed: bool,
        patient_signature: list[list[tuple[float, float]]],
        clinician: User,
        clinician_password: str,
        witness_name: str = "",
        valid_until: date | None = None,
    ) -> ChartEvent:
        """Consent with the patient's pad signature and the clinician's password confirmation."""
        self.accounts.require(clinician, Permission.CONFIRM_CONSENT, "confirm consent")
        ctx = self.context(session_id)
        pad = parse(SignaturePad, {"strokes": patient_signature})
        signature = self.accounts.sign(
            clinician,
            clinician_password,
            Meaning.CONSENT_OBTAINED,
            ctx.state.head_hash,
            Permission.CONFIRM_CONSENT,
        )
        payload = parse(
            ConsentRecorded,
            {
                "template_id": self.consent_template.id,
                "template_version": self.consent_template.version,
                "elements_acknowledged": elements_acknowledged,
                "capacity_confirmed": capacity_confirmed,
                "patient_signature": pad,
                "clinician_signature": signature,
                "witness_name": witness_name,
                "valid_until": valid_until,
            },
        )
        return self._append(
            actor, ctx, [EventDraft(payload=payload, clinical_time=self.clock.now())]
        )[0]

    def preview_dose(
        self,
        session_id: SessionId,
        *,
        vial_concentration_mg_ml: float,
        bag_volume_ml: float | None = None,
        weight_kg: float | None = None,
        weight_measured_on: date | None = None,
        ctx: SessionContext | None = None,
    ) -> tuple[dosing.DosePlan | None, RuleReport]:
        """The dose plan from the course order and the charted weight, without saving (``ctx``:
        the session as just read, if the caller has it)."""
        ctx = ctx or self.context(session_id)
        return self._plan(
            ctx, vial_concentration_mg_ml, bag_volume_ml, weight_kg, weight_measured_on
        )

    def _plan(
        self,
        ctx: SessionContext,
        vial_concentration_mg_ml: float,
        bag_volume_ml: float | None,
        weight_kg: float | None,
        weight_measured_on: date | None,
    ) -> tuple[dosing.DosePlan | None, RuleReport]:
        charted = ctx.state.baseline_value("weight_kg")
        if charted is None:
            raise InputRejected("Record the patient's weight with the baseline vitals first")
        if weight_kg is not None and abs(weight_kg - charted) > 0.05:
            raise InputRejected(
                f"The dose must use the charted weight ({charted:g} kg); to use {weight_kg:g} kg, "
                "correct the baseline weight first"
            )
        weight = charted
        today = local_date(self.clock.now(), self.timezone)
        measured_on = weight_measured_on or today
        inputs = dosing.DoseInputs(
            weight_kg=weight,
            weight_measured_on=measured_on,
            vial_concentration_mg_ml=vial_concentration_mg_ml,
            bag_volume_ml=bag_volume_ml
            if bag_volume_ml is not None
            else ctx.protocol.dosing.default_bag_volume_ml,
            height_cm=ctx.state.baseline_value("height_cm"),
            sex=ctx.patient.sex,
            previous_weight_kg=self._previous_weight(ctx),
        )
        return dosing.plan_dose(inputs, order=ctx.order, protocol=ctx.protocol, today=today)

    def _previous_weight(self, ctx: SessionContext) -> float | None:
        """The weight the patient's previous session was dosed on, if any."""
        for header in reversed(self.store.sessions_for_patient(ctx.patient.id)):
            if header.id == ctx.header.id or header.opened_at >= ctx.header.opened_at:
                continue
            plan = fold(self.store.events(header.id)).dose_plan
            if plan is not None:
                return cast(DosePlanned, plan.payload).weight_kg
        return None

    def plan_dose(
        self,
        actor: User,
        session_id: SessionId,
        *,
        vial_concentration_mg_ml: float,
        bag_volume_ml: float | None = None,
        weight_kg: float | None = None,
        weight_measured_on: date | None = None,
    ) -> ChartEvent:
        """Compute and record the dose plan (hard stops refuse; nothing is capped)."""
        ctx = self.context(session_id)
        plan, report = self._plan(
            ctx, vial_concentration_mg_ml, bag_volume_ml, weight_kg, weight_measured_on
        )
        if plan is None:
            raise OperationRefused("Dose not planned.", report)
        payload = DosePlanned(
            course_id=ctx.order.id,
            mg_per_kg=plan.mg_per_kg,
            weight_kg=plan.weight_kg,
            weight_measured_on=weight_measured_on or local_date(self.clock.now(), self.timezone),
            height_cm=ctx.state.baseline_value("height_cm"),
            weight_basis=plan.weight_basis,
            dosing_weight_kg=plan.dosing_weight_kg,
            dose_mg=plan.dose_mg,
            vial_concentration_mg_ml=plan.vial_concentration_mg_ml,
            drug_volume_ml=plan.drug_volume_ml,
            bag_volume_ml=plan.bag_volume_ml,
            final_volume_ml=plan.final_volume_ml,
            concentration_mg_ml=plan.concentration_mg_ml,
            duration_min=plan.duration_min,
            rate_ml_h=plan.rate_ml_h,
            rate_step_ml_h=plan.rate_step_ml_h,
            formula=plan.formula,
        )
        return self._append(
            actor, ctx, [EventDraft(payload=payload, clinical_time=self.clock.now())]
        )[0]

    def record_preparation(
        self,
        actor: User,
        session_id: SessionId,
        *,
        checker: User,
        checker_password: str,
        **fields: Any,
    ) -> ChartEvent:
        """Vial, lot, expiry and amount drawn, double-checked by a second person's password."""
        if checker.id == actor.id:
            raise InputRejected("The double-check must be done by a second person")
        self.accounts.require(checker, Permission.WITNESS, "double-check a dose")
        ctx = self.context(session_id)
        signature = self.accounts.sign(
            checker,
            checker_password,
            Meaning.DOUBLE_CHECKED_DOSE,
            ctx.state.head_hash,
            Permission.WITNESS,
        )
        if signature.signer_id == actor.id:
            raise InputRejected("The double-check must be done by a second person")
        payload = parse(DrugPrepared, {**fields, "double_check": signature})
        today = local_date(self.clock.now(), ctx.state.opened.clinic_timezone)
        if payload.expiry < today:
            # Refused before anything is drawn into the record: an expired vial never reaches
            # the pump, and the nurse is told now, not at the start.
            raise InputRejected(
                f"Expiry {payload.expiry:%d %b %Y}: vial lot {payload.lot} has expired. Use an "
                "in-date vial."
            )
        return self._append(
            actor, ctx, [EventDraft(payload=payload, clinical_time=self.clock.now())]
        )[0]

    # --- infusion ---------------------------------------------------------------------------------

    def start_infusion(
        self,
        actor: User,
        session_id: SessionId,
        *,
        rate_ml_h: float | None = None,
        clinical_time: datetime | None = None,
    ) -> ChartEvent:
        """Start the pump. Refused unless consent, dose plan, preparation and checks are in place."""
        ctx = self.context(session_id)
        when = self._clinical_time(ctx, clinical_time)
        plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
        rate = rate_ml_h if rate_ml_h is not None else (plan.rate_ml_h if plan else 0.0)
        report = phases.start_report(
            ctx.state, ctx.protocol, ctx.order, self.consent_template, when, rate
        )
        if not report.is_valid:
            raise OperationRefused("The infusion cannot start yet.", report)
        assert plan is not None
        payload = parse(InfusionStarted, {"rate_ml_h": rate, "vtbi_ml": plan.final_volume_ml})
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])[0]

    def pause_infusion(
        self, actor: User, session_id: SessionId, reason: str, clinical_time: datetime | None = None
    ) -> ChartEvent:
        """Pause the pump with a reason."""
        return self._record(InfusionPaused, actor, session_id, {"reason": reason}, clinical_time)

    def resume_infusion(
        self,
        actor: User,
        session_id: SessionId,
        rate_ml_h: float | None = None,
        clinical_time: datetime | None = None,
    ) -> ChartEvent:
        """Resume after a pause (at the last rate unless another is given)."""
        state = self.state(session_id)
        last = state.infusion.segments[-1].rate_ml_h if state.infusion.segments else None
        rate = rate_ml_h if rate_ml_h is not None else last
        if rate is not None:
            self._check_rate_not_above_plan(state, rate)
        return self._record(InfusionResumed, actor, session_id, {"rate_ml_h": rate}, clinical_time)

    def change_rate(
        self,
        actor: User,
        session_id: SessionId,
        rate_ml_h: float,
        reason: str,
        clinical_time: datetime | None = None,
    ) -> ChartEvent:
        """A new pump rate with a reason. Slower is a nursing decision; faster than the planned
        rate would raise the dose rate the order set, so it is refused."""
        self._check_rate_not_above_plan(self.state(session_id), rate_ml_h)
        return self._record(
            RateChanged,
            actor,
            session_id,
            {"rate_ml_h": rate_ml_h, "reason": reason},
            clinical_time,
        )

    def _check_rate_not_above_plan(self, state: SessionState, rate_ml_h: float) -> None:
        plan = state.typed(state.dose_plan, DosePlanned)
        if plan is not None and rate_ml_h > plan.rate_ml_h * 1.05:
            raise OperationRefused(
                f"{rate_ml_h:g} mL/h is faster than the planned {plan.rate_ml_h:g} mL/h: a faster "
                "rate changes the ordered dose rate and needs a new order"
            )

    def stop_infusion(
        self,
        actor: User,
        session_id: SessionId,
        *,
        volume_infused_ml: float,
        completed: bool = True,
        reason: str = "",
        clinical_time: datetime | None = None,
    ) -> ChartEvent:
        """Stop the pump, recording the volume it reports as infused."""
        if not completed and len(reason.strip()) < 3:
            raise InputRejected("Stopping early needs a reason")
        plan = self.state(session_id).typed(self.state(session_id).dose_plan, DosePlanned)
        if plan is not None and volume_infused_ml > plan.final_volume_ml + 0.5:
            raise InputRejected(
                f"Volume infused {volume_infused_ml:g} mL is more than the bag held "
                f"({plan.final_volume_ml:g} mL): check the pump reading"
            )
        return self._record(
            InfusionStopped,
            actor,
            session_id,
            {"volume_infused_ml": volume_infused_ml, "completed": completed, "reason": reason},
            clinical_time,
        )

    # --- effects, PRN, notes, deferrals -----------------------------------------------------------

    def note_side_effect(
        self,
        actor: User,
        session_id: SessionId,
        *,
        effect: str,
        severity: int,
        action: str = "",
        serious: bool = False,
        note: str = "",
        clinical_time: datetime | None = None,
    ) -> ChartEvent:
        """A side effect from the checklist with severity (0–3) and action."""
        if effect not in CHECKLIST and effect != "other":
            raise InputRejected(f"Unknown side effect {effect!r}: choose one from the checklist")
        if effect == "other" and not note.strip():
            raise InputRejected("Describe the side effect in the note when choosing 'other'")
        return self._record(
            SideEffectNoted,
            actor,
            session_id,
            {
                "effect": effect,
                "severity": severity,
                "action": action,
                "serious": serious,
                "note": note,
            },
            clinical_time,
        )

    def resolve_side_effect(
        self,
        actor: User,
        session_id: SessionId,
        side_effect_event_id: EventId,
        note: str = "",
        clinical_time: datetime | None = None,
    ) -> ChartEvent:
        """Mark a side effect resolved."""
        state = self.state(session_id)
        if side_effect_event_id not in state.side_effects:
            raise InputRejected("No such side effect in this session")
        return self._record(
            SideEffectResolved,
            actor,
            session_id,
            {"side_effect_event_id": side_effect_event_id, "note": note},
            clinical_time,
        )

    def give_prn(
        self,
        actor: User,
        session_id: SessionId,
        clinical_time: datetime | None = None,
        **fields: Any,
    ) -> ChartEvent:
        """A rescue (PRN) medicine given, with drug, dose, route, indication and who ordered it."""
        payload = parse(PrnGiven, fields)
        try:
            orderer = self.store.user(payload.ordered_by)
        except StoreError as exc:
            raise InputRejected("The PRN order must name a clinician of this clinic") from exc
        if not orderer.can(Permission.ORDER_COURSE):
            raise InputRejected(
                f"{orderer.display_name} cannot order medicines: a PRN needs an active "
                "clinician's order (standing order or verbal order)"
            )
        return self._chart(actor, session_id, payload, clinical_time=clinical_time)[0]

    def add_note(
        self, actor: User, session_id: SessionId, text: str, clinical_time: datetime | None = None
    ) -> ChartEvent:
        """A free-text nursing note."""
        return self._record(NoteAdded, actor, session_id, {"text": text}, clinical_time)

    def defer_check(
        self, actor: User, session_id: SessionId, *, due_at: datetime, reason: str
    ) -> ChartEvent:
        """ "Patient resting - check deferred" for the check due at ``due_at``."""
        return self._record(CheckDeferred, actor, session_id, {"due_at": due_at, "reason": reason})

    # --- corrections ------------------------------------------------------------------------------

    def correct(
        self,
        actor: User,
        session_id: SessionId,
        event_id: EventId,
        reason: str,
        *,
        clinical_time: datetime | None = None,
        **fields: Any,
    ) -> ChartEvent:
        """A corrected version of an entry; the original stays, struck through, with the reason."""
        ctx = self.context(session_id)
        original = ctx.state.effective.get(event_id)
        if original is None:
            raise InputRejected("That entry does not exist or was already corrected or voided")
        if len(reason.strip()) < 3:
            raise InputRejected("A correction needs a reason")
        data = {**original.payload.model_dump(), **fields}
        if original.kind in ("scale_scored", "discharge_assessed"):
            # Totals are computed from the answers, never typed: rescore before validating.
            try:
                result = score(data["scale"], data["answers"])
            except ValueError as exc:
                raise InputRejected(str(exc)) from exc
            data["total"] = result.total
            if original.kind == "scale_scored":
                data.update(band=result.band, flags=result.flags)
        payload = parse(type(original.payload), data)
        when = self._clinical_time(ctx, clinical_time or original.clinical_time)
        draft = EventDraft(payload=payload, clinical_time=when, supersedes=event_id, reason=reason)
        follow_up = None
        # A corrected reading is judged like a new one: 134 corrected to 186 must alert.
        if isinstance(payload, VitalsRecorded):
            follow_up = self._alerts_following(self.alerts_for(ctx, payload), when)
        elif (
            isinstance(payload, ScaleScored)
            and payload.scale is ScaleName.MOAAS
            and ctx.state.infusion.started_at is not None
        ):
            found = alerts.evaluate_in_session(
                alerts.Observed(moaas=payload.total), baseline=None, protocol=ctx.protocol
            )
            follow_up = self._alerts_following(found, when)
        return self._append(actor, ctx, [draft], supersedes=original, follow_up=follow_up)[0]

    def void(
        self, actor: User, session_id: SessionId, event_id: EventId, reason: str
    ) -> ChartEvent:
        """Mark an entry as entered in error (kept in the record, struck through)."""
        ctx = self.context(session_id)
        original = ctx.state.effective.get(event_id)
        if original is None:
            raise InputRejected("That entry does not exist or was already corrected or voided")
        if len(reason.strip()) < 3:
            raise InputRejected("A void needs a reason")
        draft = EventDraft(
            payload=EntryVoided(),
            clinical_time=self.clock.now(),
            supersedes=event_id,
            reason=reason,
        )
        return self._append(actor, ctx, [draft], supersedes=original)[0]

    # --- discharge, waste, sign-off ---------------------------------------------------------------

    def assess_discharge(
        self,
        actor: User,
        session_id: SessionId,
        *,
        answers: dict[str, int],
        escort_present: bool,
        instructions_given: bool,
        escort_name: str = "",
        iv_removed_site_ok: bool = True,
        clinical_time: datetime | None = None,
    ) -> ChartEvent:
        """A discharge score (Aldrete or PADSS per protocol) with escort and instructions."""
        ctx = self.context(session_id)
        scale = ScaleName(ctx.protocol.monitoring.discharge_scale)
        try:
            result = score(scale, answers)
        except ValueError as exc:
            raise InputRejected(str(exc)) from exc
        payload = parse(
            DischargeAssessed,
            {
                "scale": scale,
                "answers": answers,
                "total": result.total,
                "escort_present": escort_present,
                "escort_name": escort_name,
                "instructions_given": instructions_given,
                "iv_removed_site_ok": iv_removed_site_ok,
            },
        )
        when = self._clinical_time(ctx, clinical_time)
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])[0]

    def record_waste(
        self,
        actor: User,
        session_id: SessionId,
        *,
        wasted_mg: float,
        witness: User,
        witness_password: str,
        method: str = "rendered unrecoverable in waste container",
        source: Literal["vial", "bag"] = "vial",
    ) -> ChartEvent:
        """Controlled-substance waste, witnessed by a second person who enters their password."""
        if witness.id == actor.id:
            raise InputRejected("The waste must be witnessed by a second person")
        self.accounts.require(witness, Permission.WITNESS, "witness controlled-substance waste")
        ctx = self.context(session_id)
        prep = ctx.state.typed(ctx.state.preparation, DrugPrepared)
        if prep is None:
            raise OperationRefused("No drug preparation is recorded for this session")
        # Drug left in the vial or syringe is at vial strength; drug left in the bag after an
        # early stop is diluted to the bag's concentration.
        plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
        if source == "bag" and plan is None:
            raise InputRejected("No bag was made up: waste from the vial instead")
        concentration = (
            plan.concentration_mg_ml if source == "bag" and plan else prep.vial_concentration_mg_ml
        )
        signature = self.accounts.sign(
            witness,
            witness_password,
            Meaning.WITNESSED_WASTE,
            ctx.state.head_hash,
            Permission.WITNESS,
        )
        if signature.signer_id == actor.id:
            raise InputRejected("The waste must be witnessed by a second person")
        payload = parse(
            WasteRecorded,
            {
                "wasted_mg": wasted_mg,
                "wasted_ml": round(wasted_mg / concentration, 3),
                "source": source,
                "method": method,
                "witness": signature,
            },
        )
        return self._append(
            actor, ctx, [EventDraft(payload=payload, clinical_time=self.clock.now())]
        )[0]

    def sign_off(
        self,
        clinician: User,
        session_id: SessionId,
        password: str,
        *,
        override_reason: str | None = None,
    ) -> ChartEvent:
        """Clinician discharge sign-off: binds signer, meaning and the record hash, then locks."""
        self.accounts.require(clinician, Permission.SIGN_DISCHARGE, "sign the discharge")
        ctx = self.context(session_id)
        if ctx.state.locked:
            raise SessionLocked("This session is already signed.")
        now = self.clock.now()
        report = phases.sign_report(ctx.state, ctx.protocol, now)
        override = None
        if not report.is_valid:
            override = self._override(
                report,
                clinician if override_reason else None,
                password,
                override_reason,
                ctx.state.head_hash,
            )
        signature = self.accounts.sign(
            clinician,
            password,
            Meaning.DISCHARGE_APPROVED,
            ctx.state.head_hash,
            Permission.SIGN_DISCHARGE,
        )
        payload = SessionSigned(signature=signature, override=override)
        return self._append(clinician, ctx, [EventDraft(payload=payload, clinical_time=now)])[0]

    def attest_chart(self, actor: User, session_id: SessionId, password: str) -> ChartEvent:
        """The charting nurse signs that the record is complete and accurate (password
        re-entered), in observation or when ready, before the clinician's sign-off."""
        self.accounts.require(actor, Permission.CHART, "sign the charting")
        ctx = self.context(session_id)
        if any(
            cast(ChartAttested, e.payload).signature.signer_id == actor.id
            for e in ctx.state.attestations
        ):
            raise OperationRefused(f"{actor.display_name} has already signed this charting")
        signature = self.accounts.sign(
            actor, password, Meaning.CHARTED_BY, ctx.state.head_hash, Permission.CHART
        )
        payload = ChartAttested(signature=signature)
        return self._append(
            actor, ctx, [EventDraft(payload=payload, clinical_time=self.clock.now())]
        )[0]

    def add_addendum(
        self, actor: User, session_id: SessionId, *, text: str, reason: str, password: str
    ) -> ChartEvent:
        """An addendum to a signed (or ended) session: dated, signed, with a reason."""
        self.accounts.require(actor, Permission.CHART, "add an addendum")
        ctx = self.context(session_id)
        signature = self.accounts.sign(
            actor, password, Meaning.AUTHORED_ADDENDUM, ctx.state.head_hash
        )
        payload = parse(AddendumAdded, {"text": text, "reason": reason, "signature": signature})
        return self._append(
            actor, ctx, [EventDraft(payload=payload, clinical_time=self.clock.now())]
        )[0]
