"""The session window's charting actions: vitals, sedation and dissociation scores, side effects
and their resolution, notes and deferring a check (rescue medicines: ``prn_actions``;
corrections and voids: ``correction_actions``).

Each action reads the session as the window shows it (``view.ctx``), asks its dialog for plain
values — each with the time it was taken — and hands them to the core with that context; the
window redraws from what the core returns. A refusal is shown in words and the dialog reopens
as it was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bedside.context import SessionChange
from bedside.ids import EventId
from bedside.people import User
from bedside.scales import ScaleName
from bedside.timeutil import local_text
from charting.marks import side_effect_label
from charting.schedule import next_check
from ui.common import guard_view
from ui.dialogs import scale as scale_dialog
from ui.dialogs.entries import (
    ResolveDialog,
    SideEffectDialog,
    SideEffectEntry,
    TextEntry,
    TextEntryDialog,
)
from ui.dialogs.entry_dialog import until_saved
from ui.dialogs.scale import ScaleEntry
from ui.dialogs.vitals import VitalsDialog

if TYPE_CHECKING:
    from ui.session.window import SessionView


def record_vitals(view: SessionView) -> None:
    """Open the keypad; after a save the flowsheet shows the new row at once."""
    if view.user is None:
        return
    change = VitalsDialog.ask(view.service, view.ctx, view.user, view.theme, view)
    if change is not None:
        view.apply(change)
        view.table.scrollToBottom()


def _score(view: SessionView, scale: ScaleName) -> None:
    ctx, user = view.ctx, view.user
    if user is None:
        return
    clock, tz = view.service.clock, view.service.timezone

    def ask(previous: ScaleEntry | None) -> ScaleEntry | None:
        return scale_dialog.ask_scale(scale, clock, tz, view, previous)

    def save(entry: ScaleEntry) -> SessionChange | None:
        return view.run(
            lambda: view.service.score_scale(
                user, ctx, scale, entry.answers, clinical_time=entry.taken_at
            )
        )

    until_saved(ask, save)


def score_sedation(view: SessionView) -> None:
    """The protocol's sedation scale (a score past the pause limit raises an alert)."""
    _score(view, ScaleName(view.ctx.protocol.monitoring.sedation_scale))


def score_dissociation(view: SessionView) -> None:
    """CADSS-6 (due at the end of the infusion and before discharge)."""
    _score(view, ScaleName.CADSS6)


def side_effect(view: SessionView) -> None:
    """A side effect from the checklist, with severity."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    clock, tz = view.service.clock, view.service.timezone

    def ask(previous: SideEffectEntry | None) -> SideEffectEntry | None:
        return SideEffectDialog.ask(clock, tz, view, previous)

    def save(entry: SideEffectEntry) -> SessionChange | None:
        return view.run(
            lambda: view.service.note_side_effect(
                user,
                ctx,
                effect=entry.effect,
                severity=entry.severity,
                action=entry.action,
                note=entry.note,
                clinical_time=entry.taken_at,
            )
        )

    until_saved(ask, save)


def resolve_side_effect(view: SessionView) -> None:
    """Mark an open side effect resolved (discharge waits for it)."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    tz = view.service.timezone
    open_effects = [
        (
            event_id,
            f"{side_effect_label(se.payload.effect, se.payload.severity)} "
            f"(since {local_text(se.noted.clinical_time, tz, '%H:%M')})",
        )
        for event_id, se in ctx.state.side_effects.items()
        if se.resolved is None
    ]
    answer = ResolveDialog.ask(open_effects, view.service.clock, tz, view)
    if answer is not None:
        view.run(
            lambda: view.service.resolve_side_effect(
                user,
                ctx,
                EventId(answer.side_effect_id),
                answer.note,
                clinical_time=answer.taken_at,
            )
        )


def add_note(view: SessionView) -> None:
    """A free-text nursing note (Ctrl+Enter saves; Enter makes a new line)."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    clock, tz = view.service.clock, view.service.timezone

    def ask(previous: TextEntry | None) -> TextEntry | None:
        return TextEntryDialog.ask(
            "Note", "Nursing note:", clock, tz, view, previous, multiline=True
        )

    def save(entry: TextEntry) -> SessionChange | None:
        return view.run(
            lambda: view.service.add_note(user, ctx, entry.text, clinical_time=entry.taken_at)
        )

    until_saved(ask, save)


def defer_check(view: SessionView) -> None:
    """ "Patient resting — check deferred", with a reason the nurse types (never pre-filled), for
    the next due check. A mandatory check is deferred only with a clinician's password and
    reason, or not at all (the core decides; the override dialog shows why)."""
    ctx, user = view.ctx, view.user
    check = next_check(ctx.state, ctx.protocol, view.clock.now())
    if user is None or check is None:
        return
    what = "mandatory BP" if check.mandatory else "vitals check"
    clock, tz = view.service.clock, view.service.timezone
    due = local_text(check.due_at, tz, "%H:%M")
    needs = (
        "\n\nThis check is mandatory: a clinician allows deferring it with their password."
        if check.mandatory
        else ""
    )

    def ask(previous: TextEntry | None) -> TextEntry | None:
        return TextEntryDialog.ask(
            "Defer check",
            f"Defer the {what} due at {due}. Reason (e.g. patient asleep, resting calmly):" + needs,
            clock,
            tz,
            view,
            previous,
            ok_text="Defer check",
        )

    def save(entry: TextEntry) -> SessionChange | None:
        def attempt(by: User | None, password: str | None, why: str | None) -> SessionChange:
            return view.service.defer_check(
                user,
                ctx,
                due_at=check.due_at,
                reason=entry.text,
                clinical_time=entry.taken_at,
                override_by=by,
                override_password=password,
                override_reason=why,
            )

        change = guard_view.with_override(view, view.service, f"Defer the {what}", attempt)
        if change is not None:
            view.apply(change)
        return change

    until_saved(ask, save)
