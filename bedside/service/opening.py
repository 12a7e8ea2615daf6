"""Sessions on the chairs: who may start one, opening it, the open sessions, moving a session
on a step, and ending it early."""

from __future__ import annotations

from datetime import datetime, timedelta

from bedside.context import SessionChange, SessionContext
from bedside.errors import InputRejected, OperationRefused, SessionLocked
from bedside.events import DrugPrepared, EventDraft, Phase, PhaseAdvanced, SessionEndedEarly
from bedside.events import SessionOpened as Opened
from bedside.ids import PatientId, SessionId, new_id
from bedside.people import Permission, User
from bedside.protocol import protocol_hash
from bedside.report import RuleReport
from bedside.rules import controlled, phases
from bedside.rules.eligibility import PatientToday, eligibility
from bedside.service.base import SessionRef
from bedside.service.clinic import ClinicOperations
from bedside.sessions import SessionHeader
from bedside.state import fold
from bedside.timeutil import local_date


class OpeningOperations(ClinicOperations):
    """Opening, the chairs, steps and ending early."""

    # --- who may start ----------------------------------------------------------------------------

    def patient_today(
        self, patient_id: PatientId, *, seated: dict[PatientId, int] | None = None
    ) -> PatientToday:
        """The facts :func:`~bedside.rules.eligibility.eligibility` judges, read now (``seated``:
        who is in which chair, when the caller already has it for many patients)."""
        order = self.active_course(patient_id)
        now = self.clock.now()
        today = local_date(now, self.timezone)
        infused = None
        for header in self.store.sessions_for_patient(patient_id):
            if header.local_date != today:
                continue
            started = self.store.infusion_started_at(header.id)
            if started is not None:
                infused = (header.number_in_course, started)
                break
        chairs = seated if seated is not None else self.seated(now)
        return PatientToday(
            order=order,
            sessions_given=self.sessions_given(order) if order is not None else 0,
            sessions_opened=self.sessions_opened(order) if order is not None else 0,
            seated_on_chair=chairs.get(patient_id),
            infused_today=infused,
        )

    def eligibility(
        self, patient_id: PatientId, *, seated: dict[PatientId, int] | None = None
    ) -> RuleReport:
        """Why the patient may not start a session now (empty when they may)."""
        return eligibility(self.patient_today(patient_id, seated=seated), self.timezone)

    # --- the chairs -------------------------------------------------------------------------------

    def _open_headers(self, now: datetime) -> dict[int, SessionHeader]:
        """Chair → the session on it that is neither signed nor ended early (opened today or
        yesterday, so a session running past midnight still holds its chair)."""
        today = local_date(now, self.timezone)
        return {h.chair: h for h in self.store.open_headers([today - timedelta(days=1), today])}

    def open_sessions(self, now: datetime) -> dict[int, SessionContext]:
        """Chair → the open session on it, read and folded."""
        return {chair: self.context(h.id) for chair, h in self._open_headers(now).items()}

    def busy_chairs(self, now: datetime) -> dict[int, SessionId]:
        """Chair → id of the open session on it (nothing folded)."""
        return {chair: header.id for chair, header in self._open_headers(now).items()}

    def seated(self, now: datetime) -> dict[PatientId, int]:
        """Patient → the chair of their open session."""
        return {h.patient_id: chair for chair, h in self._open_headers(now).items()}

    # --- opening ----------------------------------------------------------------------------------

    def open_session(self, actor: User, *, patient_id: PatientId, chair: int) -> SessionChange:
        """Open a session on a chair for a patient the eligibility rule allows."""
        self.accounts.require(actor, Permission.CHART, "open a session")
        zone = self.require_timezone()
        now = self.clock.now()
        facts = self.patient_today(patient_id)
        report = eligibility(facts, self.timezone)
        if facts.order is None:
            raise OperationRefused(report.errors[0].message)
        pid, protocol = self.ensure_protocol()
        if not 1 <= chair <= protocol.monitoring.chairs:
            raise InputRejected(
                f"Chair {chair} does not exist (allowed 1–{protocol.monitoring.chairs})"
            )
        if chair in self._open_headers(now):
            raise OperationRefused(f"Chair {chair} already has an open session")
        if not report.is_valid:
            raise OperationRefused(report.errors[0].message)
        header = SessionHeader(
            id=SessionId(new_id()),
            patient_id=patient_id,
            course_id=facts.order.id,
            number_in_course=facts.next_number,
            chair=chair,
            protocol_id=pid,
            opened_at=now,
            local_date=local_date(now, zone),
            opened_by=actor.id,
        )
        opened = Opened(
            patient_id=patient_id,
            course_id=facts.order.id,
            number_in_course=facts.next_number,
            chair=chair,
            protocol_id=pid,
            protocol_version=protocol.version,
            protocol_hash=protocol_hash(protocol),
            clinic_timezone=zone,
        )
        first = self.store.create_session(
            header, EventDraft(payload=opened, clinical_time=now), at=now
        )
        ctx = SessionContext(
            header, self.store.patient(patient_id), facts.order, protocol, fold([first])
        )
        return SessionChange(header.id, (first,), ctx)

    # --- steps ------------------------------------------------------------------------------------

    def guard(self, session: SessionRef, to: Phase) -> RuleReport:
        """The guard report for moving a session to ``to`` now (what the UI shows)."""
        ctx = self.context(session)
        return phases.advance_report(
            ctx.state,
            to,
            protocol=ctx.protocol,
            template=self.consent_template,
            at=self.clock.now(),
        )

    def advance(
        self,
        actor: User,
        session: SessionRef,
        to: Phase,
        *,
        override_by: User | None = None,
        override_password: str | None = None,
        override_reason: str | None = None,
    ) -> SessionChange:
        """Complete a step. Refused with the guard report unless clean or overridden."""
        ctx = self.context(session)
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
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=now)])

    def end_early(self, actor: User, session: SessionRef, reason: str) -> SessionChange:
        """End a session before completion (any open phase), with a reason.

        The pump must be stopped with its volume charted first, and any drug drawn up must be
        accounted for (infused + witnessed waste), so the controlled-substance record is never
        left open by ending a session.
        """
        ctx = self.context(session)
        infusion = ctx.state.infusion
        if infusion.started_at is not None and infusion.stopped_at is None:
            raise OperationRefused(
                "Stop the infusion first and chart the volume the pump infused; then end the "
                "session."
            )
        prep = ctx.state.typed(ctx.state.preparation, DrugPrepared)
        if prep is not None:
            record = controlled.reconcile(ctx.state, ctx.protocol)
            if infusion.started_at is None:
                # Nothing infused: everything drawn must be wasted with a witness.
                if abs(prep.drawn_mg - record.wasted_mg) > controlled.TOLERANCE_MG:
                    raise OperationRefused(
                        f"{prep.drawn_mg - record.wasted_mg:g} mg drawn up is not accounted for: "
                        "record its waste with a witness before ending the session."
                    )
            elif not record.reconciled:
                raise OperationRefused(
                    "The controlled-substance record is not reconciled.", record.report
                )
        return self._record(SessionEndedEarly, actor, ctx, {"reason": reason})
