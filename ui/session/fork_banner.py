"""The banner over a session charted at two workstations while they were cut off (issue 14):
what was merged, which judged steps wait for a clinician, and "Resolve… (J)". Hidden for a
session charted on one line, or once resolved."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from bedside.accounts import check_permission
from bedside.context import SessionChange
from bedside.errors import PermissionDenied
from bedside.events import ChartEvent
from bedside.ids import UserId
from bedside.people import Permission
from bedside.service.forks import StepsFrom
from bedside.state_parts import ForkView
from bedside.timeutil import local_text
from charting.record import WHAT
from charting.record_text import Wording, entry_words
from ui.common import operations
from ui.dialogs.entry_dialog import until_saved
from ui.dialogs.fork import ForkChoice, ForkDialog
from ui.session.action_banner import ActionBanner

if TYPE_CHECKING:
    from ui.session.window import SessionView


def steps_words(steps: Sequence[ChartEvent], names: Mapping[UserId, str], timezone: str) -> str:
    """ "Infusion stopped 14:07 (Dana Reyes)", joined; "no steps" when there are none."""
    if not steps:
        return "no steps"
    return "; ".join(
        f"{WHAT[e.kind]} {local_text(e.clinical_time, timezone, '%H:%M')} "
        f"({names.get(e.author, e.author)})"
        for e in steps
    )


def fork_words(fork: ForkView, names: Mapping[UserId, str], timezone: str) -> str:
    """The banner's words for a fork that waits."""
    origins = ", ".join(sorted(set(fork.origins.values()))) or "another workstation"
    merged = (
        f"{_entries(len(fork.merged))} from there merged in time order."
        if fork.merged
        else "nothing else came from there."
    )
    text = (
        f"<b>Charted at two workstations while they were cut off</b> ({escape(origins)}): {merged}"
    )
    if fork.waiting_steps:
        text += (
            " Waiting for a clinician — from there: "
            f"{escape(steps_words(fork.waiting_steps, names, timezone))}; charted here: "
            f"{escape(steps_words(fork.competing_steps, names, timezone))}."
        )
    return text + " The session cannot be closed until a clinician resolves it."


class ForkBanner(ActionBanner):
    """Hidden unless branches wait."""

    def __init__(self, resolve: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(
            "forkBanner",
            "resolveFork",
            "Resolve… (J)",
            "A clinician chooses whose steps stand — key J",
            resolve,
            parent,
        )


def show_fork(view: SessionView) -> None:
    """Draw ``view``'s fork banner for the session it shows."""
    fork = view.ctx.state.fork
    banner = view.fork_banner
    banner.setVisible(fork is not None and fork.pending)
    if fork is not None and fork.pending:
        banner.words.setText(fork_words(fork, view.names, view.service.timezone))
        banner.button.setVisible(view.user is not None and view.ctx.held_elsewhere is None)


def resolve(view: SessionView) -> None:
    """Ask the clinician whose steps stand and why; the core refuses another role in words."""
    fork, user = view.ctx.state.fork, view.user
    if fork is None or not fork.pending or user is None:
        return
    try:  # said before the dialog is filled in, not after
        check_permission(user, Permission.OVERRIDE, "resolve entries charted at two workstations")
    except PermissionDenied as exc:
        operations.show_error(view, exc)
        return
    tz, names = view.service.timezone, view.names
    summary = fork_words(fork, names, tz).replace("<b>", "").replace("</b>", "")
    # The choice shows what each step charted, not only its name (a clinician decides on it).
    wording = Wording(view.ctx.state, names, tz)
    here = "Keep the steps charted here: " + _in_full(fork.competing_steps, wording, names, tz)
    other = "Keep the steps charted there: " + _in_full(fork.waiting_steps, wording, names, tz)

    def save(choice: ForkChoice) -> SessionChange | None:
        side: StepsFrom = "here" if choice.steps_from == "here" else "other"
        return view.run(
            lambda: view.service.resolve_fork(user, view.ctx, steps_from=side, reason=choice.reason)
        )

    until_saved(lambda previous: ForkDialog.ask(summary, here, other, previous, view), save)


def _in_full(
    steps: Sequence[ChartEvent], wording: Wording, names: Mapping[UserId, str], timezone: str
) -> str:
    """Each step with what it charted: "Pump stop 14:07 (Dana Reyes): Pump stopped, 10 mL
    infused (stopped early: pump alarm)"; "no steps" when there are none."""
    return (
        "; ".join(f"{steps_words([e], names, timezone)}: {entry_words(e, wording)}" for e in steps)
        or "no steps"
    )


def _entries(n: int) -> str:
    return "1 entry" if n == 1 else f"{n} entries"
