"""While the pump runs: start, pause, resume, rate changes and stop; timed vitals and scores with
the alerts they raise; and acknowledging an alert (pausing the pump in the same transaction
when the nurse chose to)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import cast

from bedside.context import SessionChange, SessionContext
from bedside.errors import InputRejected, OperationRefused
from bedside.events import (
    AlertAcknowledged,
    AlertRaised,
    BaselineVitals,
    ChartEvent,
    DosePlanned,
    EventDraft,
    InfusionPaused,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    RateChanged,
    ScaleScored,
    VitalsRecorded,
)
from bedside.ids import EventId
from bedside.people import User
from bedside.rules import alerts, phases, resume
from bedside.scales import ScaleName, score
from bedside.service.base import ServiceBase, SessionRef
from bedside.validation import parse


class InfusionOperations(ServiceBase):
    """The pump, timed observations and alerts."""

    # --- the pump ---------------------------------------------------------------------------------

    def start_infusion(
        self,
        actor: User,
        session: SessionRef,
        *,
        rate_ml_h: float | None = None,
        clinical_time: datetime | None = None,
        override_by: User | None = None,
        override_password: str | None = None,
        override_reason: str | None = None,
    ) -> SessionChange:
        """Start the pump. Refused unless consent, dose plan, preparation and checks are in
        place; what a clinician may decide past (a baseline older than the protocol allows, a
        caution found when the baseline is checked again) starts with ``override_by``'s
        password and reason, recorded with the start."""
        ctx = self.context(session)
        when = self._clinical_time(ctx, clinical_time)
        plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
        rate = rate_ml_h if rate_ml_h is not None else (plan.rate_ml_h if plan else 0.0)
        report = phases.start_report(
            ctx.state, ctx.protocol, ctx.order, self.consent_template, when, rate
        )
        if (not report.is_valid and override_by is None) or plan is None:
            raise OperationRefused("The infusion cannot start yet.", report)
        override = self._override(
            report, override_by, override_password, override_reason, ctx.state.head_hash
        )
        payload = parse(
            InfusionStarted,
            {"rate_ml_h": rate, "vtbi_ml": plan.final_volume_ml, "override": override},
        )
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])

    def pause_infusion(
        self,
        actor: User,
        session: SessionRef,
        reason: str,
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """Pause the pump with a reason."""
        return self._record(InfusionPaused, actor, session, {"reason": reason}, clinical_time)

    def resume_infusion(
        self,
        actor: User,
        session: SessionRef,
        rate_ml_h: float | None = None,
        clinical_time: datetime | None = None,
        *,
        override_by: User | None = None,
        override_password: str | None = None,
        override_reason: str | None = None,
    ) -> SessionChange:
        """Resume after a pause (at the last rate unless another is given). After a
        pause-level alert only on a fresh reading below the pause limit, or with a clinician's
        override (:mod:`bedside.rules.resume`)."""
        ctx = self.context(session)
        segments = ctx.state.infusion.segments
        rate = (
            rate_ml_h if rate_ml_h is not None else (segments[-1].rate_ml_h if segments else None)
        )
        if rate is not None:
            self._check_rate_not_above_plan(ctx, rate)
        report = resume.resume_report(ctx.state, ctx.protocol)
        override = self._override(
            report, override_by, override_password, override_reason, ctx.state.head_hash
        )
        payload = parse(InfusionResumed, {"rate_ml_h": rate, "override": override})
        when = self._clinical_time(ctx, clinical_time)
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])

    def change_rate(
        self,
        actor: User,
        session: SessionRef,
        rate_ml_h: float,
        reason: str,
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """A new pump rate with a reason. Slower is a nursing decision; faster than the planned
        rate would raise the dose rate the order set, so it is refused."""
        ctx = self.context(session)
        # Validated first: a rate that is not a number is refused in words, not compared.
        checked = parse(RateChanged, {"rate_ml_h": rate_ml_h, "reason": reason})
        self._check_rate_not_above_plan(ctx, checked.rate_ml_h)
        return self._record(
            RateChanged, actor, ctx, {"rate_ml_h": rate_ml_h, "reason": reason}, clinical_time
        )

    @staticmethod
    def _check_rate_not_above_plan(ctx: SessionContext, rate_ml_h: float) -> None:
        state = ctx.state
        plan = state.typed(state.dose_plan, DosePlanned)
        margin = 1 + ctx.protocol.dosing.rate_tolerance_fraction
        if plan is not None and rate_ml_h > plan.rate_ml_h * margin:
            raise OperationRefused(
                f"{rate_ml_h:g} mL/h is faster than the planned {plan.rate_ml_h:g} mL/h: a faster "
                "rate changes the ordered dose rate and needs a new order"
            )

    def stop_infusion(
        self,
        actor: User,
        session: SessionRef,
        *,
        volume_infused_ml: float,
        completed: bool = True,
        reason: str = "",
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """Stop the pump, recording the volume it reports as infused."""
        if not completed and len(reason.strip()) < 3:
            raise InputRejected("Stopping early needs a reason")
        ctx = self.context(session)
        plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
        overrun = ctx.protocol.dosing.bag_overrun_ml
        if plan is not None and volume_infused_ml > plan.final_volume_ml + overrun:
            raise InputRejected(
                f"Volume infused {volume_infused_ml:g} mL is more than the bag held "
                f"({plan.final_volume_ml:g} mL): check the pump reading"
            )
        finished_from = 0.0
        if plan is not None:
            # A pump's own accuracy (the protocol's rate tolerance) still counts as the whole bag.
            accuracy = ctx.protocol.dosing.rate_tolerance_fraction
            finished_from = plan.final_volume_ml * (1 - accuracy) - overrun
        if plan is not None and completed and volume_infused_ml < finished_from:
            # A bag stopped part-way is never recorded as finished: the dose given would read
            # as the dose ordered.
            raise InputRejected(
                f"Volume infused {volume_infused_ml:g} mL of the {plan.final_volume_ml:g} mL bag "
                "is not a finished bag: mark it stopped early and give the reason"
            )
        return self._record(
            InfusionStopped,
            actor,
            ctx,
            {"volume_infused_ml": volume_infused_ml, "completed": completed, "reason": reason},
            clinical_time,
        )

    # --- observations and the alerts they raise ---------------------------------------------------

    def record_vitals(
        self,
        actor: User,
        session: SessionRef,
        *,
        clinical_time: datetime | None = None,
        **values: object,
    ) -> SessionChange:
        """A timed vitals set, saved with any alert it raises."""
        payload = parse(VitalsRecorded, values)
        ctx = self.context(session)
        when = self._clinical_time(ctx, clinical_time)
        return self._append(
            actor,
            ctx,
            [EventDraft(payload=payload, clinical_time=when)],
            follow_up=self._alerts_following(self.alerts_for(ctx, payload), when),
        )

    def alerts_for(self, ctx: SessionContext, payload: VitalsRecorded) -> alerts.AlertResult:
        """Alert evaluation of a reading against the session's baseline and protocol."""
        baseline = phases.baseline_observed(ctx.state)
        observed = phases.observed_from(cast(BaselineVitals, payload))
        return alerts.evaluate_in_session(observed, baseline=baseline, protocol=ctx.protocol)

    def sedation_alerts(self, ctx: SessionContext, payload: ScaleScored) -> alerts.AlertResult:
        """Alert evaluation of a sedation score (MOAA/S once the infusion has started)."""
        return alerts.evaluate_sedation(
            payload.scale,
            payload.total,
            infusing_or_after=ctx.state.infusion.started_at is not None,
            protocol=ctx.protocol,
        )

    @staticmethod
    def _alerts_following(
        found: alerts.AlertResult, when: datetime
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

    def score_scale(
        self,
        actor: User,
        session: SessionRef,
        scale: ScaleName,
        answers: dict[str, int],
        *,
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """Score an instrument; a sedation score past the pause limit raises an alert too."""
        try:
            result = score(scale, answers)
        except ValueError as exc:
            raise InputRejected(str(exc)) from exc
        payload = ScaleScored(
            scale=scale, answers=answers, total=result.total, band=result.band, flags=result.flags
        )
        ctx = self.context(session)
        when = self._clinical_time(ctx, clinical_time)
        return self._append(
            actor,
            ctx,
            [EventDraft(payload=payload, clinical_time=when)],
            follow_up=self._alerts_following(self.sedation_alerts(ctx, payload), when),
        )

    def acknowledge_alert(
        self,
        actor: User,
        session: SessionRef,
        alert_event_id: EventId,
        *,
        action_taken: str,
        clinician_notified: bool = False,
        pause_pump: bool = False,
    ) -> SessionChange:
        """Acknowledge an alert with the action taken; with ``pause_pump`` the pump is paused
        ("Alert: …") in the same transaction, before the acknowledgement: both or neither."""
        ctx = self.context(session)
        alert = ctx.state.alerts.get(alert_event_id)
        if alert is None:
            raise InputRejected("No such alert in this session")
        if not alert.is_open:
            raise OperationRefused("This alert was already acknowledged")
        acknowledged = parse(
            AlertAcknowledged,
            {
                "alert_event_id": alert_event_id,
                "action_taken": action_taken,
                "clinician_notified": clinician_notified,
            },
        )
        now = self.clock.now()
        drafts = [EventDraft(payload=acknowledged, clinical_time=now)]
        if pause_pump:
            paused = parse(InfusionPaused, {"reason": f"Alert: {alert.payload.message}"})
            drafts.insert(0, EventDraft(payload=paused, clinical_time=now))
        return self._append(actor, ctx, drafts)
