"""The session window's charting actions: vitals, sedation and dissociation scores, side effects
and their resolution, rescue medicines, notes, deferring a check, and correcting or voiding a
flowsheet row.

Each action reads the session as the window shows it (``view.ctx``), asks its dialog for plain
values, and hands them to the core with that context; the window redraws from what the core
returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bedside.errors import InputRejected
from bedside.events import ChartEvent
from bedside.ids import EventId
from bedside.scales import ScaleName
from bedside.timeutil import local_text
from charting.marks import side_effect_label
from charting.schedule import next_check
from ui.common import operations
from ui.dialogs import scale as scale_dialog
from ui.dialogs.entries import ResolveDialog, SideEffectDialog
from ui.dialogs.text import TextDialog
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
    answers = scale_dialog.ask_scale(scale, view)
    if answers is not None:
        view.run(lambda: view.service.score_scale(user, ctx, scale, answers))


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
    entry = SideEffectDialog.ask(view)
    if entry is not None:
        view.run(
            lambda: view.service.note_side_effect(
                user,
                ctx,
                effect=entry.effect,
                severity=entry.severity,
                action=entry.action,
                note=entry.note,
            )
        )


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
    answer = ResolveDialog.ask(open_effects, view)
    if answer is not None:
        event_id, note = answer
        view.run(lambda: view.service.resolve_side_effect(user, ctx, EventId(event_id), note))


def add_note(view: SessionView) -> None:
    """A free-text nursing note."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    text = TextDialog.ask("Note", "Nursing note:", "Save", multiline=True, parent=view)
    if text:
        view.run(lambda: view.service.add_note(user, ctx, text))


def defer_check(view: SessionView) -> None:
    """ "Patient resting — check deferred", with a reason, for the next due check."""
    ctx, user = view.ctx, view.user
    check = next_check(ctx.state, ctx.protocol, view.clock.now())
    if user is None or check is None:
        return
    what = "BP check" if check.mandatory_bp else "vitals check"
    due = local_text(check.due_at, view.service.timezone, "%H:%M")
    reason = TextDialog.ask(
        "Defer check",
        f"Defer the {what} due at {due}. Reason:",
        "Defer check",
        text="Patient resting",
        parent=view,
    )
    if reason:
        view.run(lambda: view.service.defer_check(user, ctx, due_at=check.due_at, reason=reason))


def _selected_entry(view: SessionView) -> ChartEvent | None:
    """The entry selected in the record (or, when the flowsheet has the focus, its row); a
    struck entry is history, and some kinds are never corrected: both are said, not ignored."""
    picked = view.record.selected()
    if view.table.hasFocus() or picked is None:
        index = view.table.currentIndex()
        row = view.model.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        struck, event_id, correctable = row.struck, row.event_id, not row.struck
    else:
        struck, event_id, correctable = picked.struck, picked.event_id, picked.correctable
    if struck:
        operations.show_error(view, InputRejected("That entry was already corrected or voided"))
        return None
    entry = view.ctx.state.effective.get(event_id)
    if entry is None or not correctable:
        what = entry.kind.value.replace("_", " ") if entry is not None else "entry"
        operations.show_error(
            view,
            InputRejected(
                f"A {what} is not corrected or voided: other entries and signatures rest on "
                "it. Chart a note saying what was wrong (after sign-off, an addendum)."
            ),
        )
        return None
    return entry


def correct_selected(view: SessionView) -> None:
    """Correct the selected reading: the original stays, struck through, with the reason."""
    entry = _selected_entry(view)
    if entry is None or view.user is None:
        return
    change = VitalsDialog.ask(view.service, view.ctx, view.user, view.theme, view, correcting=entry)
    if change is not None:
        view.apply(change)


def void_selected(view: SessionView) -> None:
    """Mark the selected reading as entered in error, with the reason."""
    ctx, user = view.ctx, view.user
    entry = _selected_entry(view)
    if entry is None or user is None:
        return
    reason = TextDialog.ask(
        "Void entry",
        "Why was this entry made in error? (It stays visible, struck through.)",
        "Void",
        parent=view,
    )
    if reason is not None:
        view.run(lambda: view.service.void(user, ctx, entry.id, reason))
