"""The session window's pump actions: start, pause or resume, rate change, stop, and
acknowledging an alert (pausing the pump with it when the nurse chooses to).

Each action reads the session as the window shows it (``view.ctx``), asks its dialog for plain
values, and hands them to the core with that context; the window redraws from what the core
returns. Nothing here decides: the core refuses in words.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from bedside.context import SessionChange
from bedside.events import DosePlanned, Phase
from bedside.protocol import AlertLevel
from ui.common import operations
from ui.dialogs.alert import AlertAction, AlertDialog
from ui.dialogs.entry_dialog import until_saved
from ui.dialogs.pump import RateDialog, StopDialog
from ui.dialogs.text import TextDialog

if TYPE_CHECKING:
    from ui.session.window import SessionView


def start_infusion(view: SessionView) -> None:
    """Start the pump at the planned rate after a confirmation; the core runs the guard."""
    ctx, user = view.ctx, view.user
    plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
    if user is None or plan is None:
        return
    question = (
        f"Start the pump at {plan.rate_ml_h:g} mL/h, volume to be infused "
        f"{plan.final_volume_ml:g} mL ({plan.dose_mg:g} mg over {plan.duration_min} min)?"
    )
    if operations.confirm(view, "Start infusion", question):
        view.run(lambda: view.service.start_infusion(user, ctx))


def pause_or_resume(view: SessionView) -> None:
    """Pause with a reason, or resume at the last rate after saying why it was paused."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    infusion = ctx.state.infusion
    if ctx.state.phase is Phase.PAUSED:
        rate = infusion.segments[-1].rate_ml_h if infusion.segments else 0.0
        paused_for = infusion.pauses[-1][2] if infusion.pauses else ""
        question = f"Resume the pump at {rate:g} mL/h?" + (
            f"\n\nIt was paused for: {paused_for}" if paused_for else ""
        )
        if operations.confirm(view, "Resume infusion", question):
            view.run(lambda: view.service.resume_infusion(user, ctx))
        return
    reason = TextDialog.ask("Pause infusion", "Why is the infusion paused?", "Pause", parent=view)
    if reason is not None:
        view.run(lambda: view.service.pause_infusion(user, ctx, reason))


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
    expected = ctx.state.infusion.expected_volume_ml(view.clock.now())

    def ask(previous: tuple[float, bool, str] | None) -> tuple[float, bool, str] | None:
        bag = plan.final_volume_ml if plan else 0.0
        return StopDialog.ask(bag, expected, view, previous)

    def save(answer: tuple[float, bool, str]) -> SessionChange | None:
        volume, completed, reason = answer
        return view.run(
            lambda: view.service.stop_infusion(
                user, ctx, volume_infused_ml=volume, completed=completed, reason=reason
            )
        )

    until_saved(ask, save)


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
