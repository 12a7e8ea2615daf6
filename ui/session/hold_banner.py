"""The banner over a session another workstation of the clinic charts (issue 14): who holds
it, since when, that it is read-only here, and the one way to chart it here — take it over
(online only; the core refuses otherwise, in words). The nurse at the workstation it was
taken from sees the same banner, naming who took it."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from bedside.context import SessionContext
from bedside.ids import UserId
from bedside.people import Permission
from bedside.sessions import HeldElsewhere
from bedside.store.holds_here import SessionHeldElsewhere, held_elsewhere_words
from bedside.store.server import SERVER_URL_SETTING
from bedside.timeutil import local_text
from ui.common import operations
from ui.session.action_banner import ActionBanner

if TYPE_CHECKING:
    from ui.session.window import SessionView


def hold_words(hold: HeldElsewhere, name: str, timezone: str) -> str:
    """ "Charted at workstation ws_chair_2 — taken over by Sam Nurse at 14:02. Read-only here." """
    at = local_text(hold.taken_at, timezone, "%H:%M")
    how = (
        f"taken over by {name} at {at}"
        if hold.epoch > 1
        else f"opened there by {name}, held there since {at}"
    )
    return (
        f"<b>Charted at workstation {escape(hold.workstation)}</b> — {escape(how)}. "
        "Read-only here: take it over to chart or sign it at this workstation."
    )


class HoldBanner(ActionBanner):
    """Hidden while this workstation holds the session."""

    def __init__(self, take_over: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(
            "holdBanner",
            "takeOver",
            "Take over here (H)",
            "Chart this session at this workstation from now on — key H",
            take_over,
            parent,
        )

    def show_hold(self, hold: HeldElsewhere | None, name: str, timezone: str, can: bool) -> None:
        """Show who holds the session (hide for None); ``can``: someone who may chart is
        signed in here."""
        self.setVisible(hold is not None)
        if hold is not None:
            self.words.setText(hold_words(hold, name, timezone))
            self.button.setVisible(can)


def show_hold(view: SessionView, ctx: SessionContext) -> None:
    """Draw ``view``'s banner for the session as ``ctx`` holds it."""
    hold = ctx.held_elsewhere
    name = _holder(view, hold) if hold else ""
    can = view.user is not None and view.user.can(Permission.CHART)
    view.hold_banner.show_hold(hold, name, view.service.timezone, can)


def take_over(view: SessionView) -> None:
    """Take the session over at this workstation for whoever is signed in, then redraw (a
    refusal — offline, entries not yet received, someone else took it first — is shown in the
    core's words, and the window stays read-only)."""
    hold, user = view.ctx.held_elsewhere, view.user
    if user is None or hold is None:
        return
    name = _holder(view, hold)
    at = local_text(hold.taken_at, view.service.timezone, "%H:%M")
    if not confirm(
        view,
        f"Take chair {view.ctx.header.chair} over at this workstation?\n\nIt is charted at "
        f"workstation {hold.workstation} ({name}, since {at}). That window turns read-only as "
        "soon as its workstation hears of it. If that workstation is cut off from the clinic "
        "server, anything charted there meanwhile comes back as a conflict a clinician must "
        "resolve.",
    ):
        return
    url = view.service.store.get_setting(SERVER_URL_SETTING, "")

    def operation() -> bool:
        from bedside.store.server.takeover import take_over_at  # psycopg: only when joined

        take_over_at(view.service.store, url, user, view.session_id, now=view.clock.now())
        return True

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # up to the connect timeout
    try:
        taken = operations.run(view, operation)
    finally:
        QApplication.restoreOverrideCursor()
    board = view.parentWidget()
    if taken and isinstance(board, QMainWindow):
        board.statusBar().clearMessage()  # "Chair 2 was taken over…" is no longer true
    view.refresh()


def confirm(view: SessionView, words: str) -> bool:
    """Ask before taking a session over (No is the default: a stray H takes nothing)."""
    answer = QMessageBox.question(
        view,
        "Take this session over?",
        words,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def refused_here(view: SessionView) -> bool:
    """A correction or void asked for on a session charted elsewhere: said at once, in the
    core's words, before any form is filled in (True: refused)."""
    hold = view.ctx.held_elsewhere
    if hold is None:
        return False
    name = _holder(view, hold)
    operations.show_error(view, SessionHeldElsewhere(held_elsewhere_words(hold, name)))
    return True


def _holder(view: SessionView, hold: HeldElsewhere) -> str:
    """Who holds the session there, by name (the id when the account is not known here)."""
    return view.names.get(UserId(hold.taken_by), hold.taken_by)
