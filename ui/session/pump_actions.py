"""The session window's pump actions: start, pause or resume, rate change, stop, and
acknowledging an alert (pausing the pump with it when the nurse chooses to).

Each action reads the session as the window shows it (``view.ctx``), asks its dialog for plain
values, and hands them to the core with that context; the window redraws from what the core
returns. Nothing here decides: the core refuses in words.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from bedside.context import SessionChange
from bedside.errors import BedsideError, OperationRefused
from bedside.events import BaselineVitals, DosePlanned, Phase
from bedside.people import User
from bedside.protocol import AlertLevel
from bedside.rules import baseline_age, pump, resume
from bedside.timeutil import local_text
from charting.schedule import DueCheck, missed_checks
from ui.common import guard_view, operations
from ui.dialogs.alert import AlertAction, AlertDialog
from ui.dialogs.entry_dialog import until_saved
from ui.dialogs.pump import RateDialog, StartChoice, StartRefusedDialog, StopDialog
from ui.dialogs.text import TextDialog
from ui.dialogs.vitals import VitalsDialog

if TYPE_CHECKING:
    from ui.session.window import SessionView


def start_infusion(view: SessionView) -> None:
    """Start the pump at the planned rate after a confirmation; the core runs the guard. A
    refusal the nurse can act on (a baseline too old or in the caution band) offers the ways
    forward: chart a fresh baseline set, or a clinician confirms the start."""
    ctx, user = view.ctx, view.user
    plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
    if user is None or plan is None:
        return
    question = (
        f"Start the pump at {plan.rate_ml_h:g} mL/h, volume to be infused "
        f"{plan.final_volume_ml:g} mL ({plan.dose_mg:g} mg over {plan.duration_min} min)?"
    )
    if not operations.confirm(view, "Start infusion", question):
        return
    try:
        change = view.service.start_infusion(user, ctx)
    except OperationRefused as refused:
        _start_refused(view, user, refused)
        return
    except BedsideError as exc:
        operations.show_error(view, exc)
        return
    view.apply(change)


def _start_refused(view: SessionView, user: User, refused: OperationRefused) -> None:
    """The refused start in words with the ways forward its findings allow."""
    ctx, report = view.ctx, refused.report
    fresh = any(f.code.startswith("start.baseline") for f in report.errors)
    if not (fresh or report.overridable):
        operations.show_error(view, refused)
        return
    choice = StartRefusedDialog.ask(report, _latest_baseline(view), fresh=fresh, parent=view)
    if choice is StartChoice.FRESH_BASELINE:
        change = VitalsDialog.ask(view.service, ctx, user, view.theme, view, baseline=True)
        if change is not None:
            view.apply(change)
            start_infusion(view)  # judged again on the fresh set
    elif choice is StartChoice.CLINICIAN:
        entry = guard_view.ask_override(report, "Start infusion", view)
        if entry is None:
            return

        def confirmed() -> SessionChange:
            clinician = view.service.accounts.authenticate(entry.username, entry.password)
            return view.service.start_infusion(
                user,
                ctx,
                override_by=clinician,
                override_password=entry.password,
                override_reason=entry.reason,
            )

        view.run(confirmed)


def _latest_baseline(view: SessionView) -> str:
    """The latest baseline blood pressure, when it was taken and how long ago."""
    state, now = view.ctx.state, view.clock.now()
    event = baseline_age.latest_bp_set(state)
    if event is None:
        return ""
    bp = cast(BaselineVitals, event.payload)
    taken = local_text(event.clinical_time, view.service.timezone, "%H:%M")
    return (
        f"Latest baseline blood pressure {bp.systolic}/{bp.diastolic} mmHg, taken at {taken} "
        f"({baseline_age.baseline_age_min(state, now)} min ago)."
    )


def pause_or_resume(view: SessionView) -> None:
    """Pause with a reason, or resume at the last rate after saying why it was paused."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    if ctx.state.phase is Phase.PAUSED:
        if operations.confirm(view, "Resume infusion", _resume_question(view)):
            _resume(view, user)
        return
    reason = TextDialog.ask("Pause infusion", "Why is the infusion paused?", "Pause", parent=view)
    if reason is not None:
        view.run(lambda: view.service.pause_infusion(user, ctx, reason))


def _resume_question(view: SessionView) -> str:
    """The rate, why it was paused, the latest blood pressure and how old it is, and whether the
    core will ask for a fresh reading or a clinician (:mod:`bedside.rules.resume`)."""
    ctx = view.ctx
    infusion = ctx.state.infusion
    rate = infusion.segments[-1].rate_ml_h if infusion.segments else 0.0
    paused_for = infusion.pauses[-1][2] if infusion.pauses else ""
    bp = resume.latest_bp(ctx.state, view.clock.now())
    lines = [f"Resume the pump at {rate:g} mL/h?"]
    if paused_for:
        lines.append(f"It was paused for: {paused_for}")
    lines.append(bp.words(view.service.timezone) if bp else "No blood pressure charted yet.")
    overrun = pump.pump_overrun(ctx.state, ctx.protocol, view.clock.now())
    if overrun is not None:
        lines.append(overrun.words())
    report = resume.resume_report(ctx.state, ctx.protocol)
    if report.errors:
        lines += [f.message for f in report.errors]
        if all(f.overridable for f in report.errors):
            lines.append(
                "Yes: a clinician overrides with their password and a reason. "
                "No: chart a fresh reading first."
            )
    return "\n\n".join(lines)


def _resume(view: SessionView, user: User) -> None:
    """Resume; after a pause-level alert without a fresh reading, a clinician may override."""
    ctx = view.ctx

    def attempt(by: User | None, password: str | None, why: str | None) -> SessionChange:
        return view.service.resume_infusion(
            user, ctx, override_by=by, override_password=password, override_reason=why
        )

    change = guard_view.with_override(view, view.service, "Resume the infusion", attempt)
    if change is not None:
        view.apply(change)


def change_rate(view: SessionView) -> None:
    """Slow the pump with a reason (a faster rate than planned is refused by the core); a
    refused rate reopens the dialog as it was typed."""
    ctx, user = view.ctx, view.user
    plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
    segments = ctx.state.infusion.segments
    if user is None or plan is None or not segments:
        return
    answer = RateDialog.ask(segments[-1].rate_ml_h, plan.rate_ml_h, view)
    while answer is not None:
        rate, reason = answer
        if view.run(partial(view.service.change_rate, user, ctx, rate, reason)):
            return
        answer = RateDialog.ask(
            segments[-1].rate_ml_h, plan.rate_ml_h, view, previous=(rate, reason)
        )


def stop_infusion(view: SessionView) -> None:
    """Stop with the volume the pump reports (typed, never pre-filled); the charted rates'
    volume is shown beside it as a cross-check. A refused stop reopens as typed."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
    now = view.clock.now()
    expected = ctx.state.infusion.expected_volume_ml(now)
    missed = _missed_words(view, missed_checks(ctx.state, ctx.protocol, now))

    def ask(previous: tuple[float, bool, str] | None) -> tuple[float, bool, str] | None:
        bag = plan.final_volume_ml if plan else 0.0
        return StopDialog.ask(bag, expected, view, previous, missed)

    def save(answer: tuple[float, bool, str]) -> SessionChange | None:
        volume, completed, reason = answer
        return view.run(
            lambda: view.service.stop_infusion(
                user, ctx, volume_infused_ml=volume, completed=completed, reason=reason
            )
        )

    until_saved(ask, save)


def _missed_words(view: SessionView, missed: list[DueCheck]) -> str:
    """ "Missed during the infusion: vitals 14:30, 14:40, mandatory BP 14:50. A check falls
    due at the stop: take the vitals now." ("" when none was missed)."""
    if not missed:
        return ""
    tz = view.service.timezone
    times = ", ".join(
        f"{'mandatory BP' if c.mandatory else 'vitals'} {local_text(c.due_at, tz, '%H:%M')}"
        for c in missed
    )
    return (
        f"Missed during the infusion: {times}. They stay missed on the record. A check falls "
        "due at the stop: take the vitals now."
    )


def acknowledge_alert(view: SessionView) -> None:
    """The oldest open alert, with the action taken; a pause-level alert on a running pump is
    acknowledged by pausing it unless the nurse unticks that (one transaction in the core)."""
    ctx, user = view.ctx, view.user
    open_alerts = ctx.state.open_alerts()
    if user is None or not open_alerts:
        return
    alert = open_alerts[0]
    payload = alert.payload
    running = ctx.state.phase is Phase.INFUSING
    offer_pause = running and payload.level in (AlertLevel.PAUSE, AlertLevel.DO_NOT_START)

    def ask(previous: AlertAction | None) -> AlertAction | None:
        return AlertDialog.ask(payload.message, view, offer_pause=offer_pause, previous=previous)

    def save(answer: AlertAction) -> SessionChange | None:
        return view.run(
            lambda: view.service.acknowledge_alert(
                user,
                ctx,
                alert.raised.id,
                action_taken=answer.action_taken,
                clinician_notified=answer.clinician_notified,
                pause_pump=answer.pause_pump,
            )
        )

    until_saved(ask, save)
