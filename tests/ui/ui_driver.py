"""Drive modal dialogs in tests as a person would: wait for the dialog to open, act on it.

``answer_modal(SomeDialog, act)`` arranges for ``act(dialog)`` to run on the next modal dialog of
that type once its event loop is running (``exec``), so code under test opens its real dialogs.
If ``act`` raises, the dialog is rejected first, so a failing test fails instead of hanging; a
dialog that ``act`` leaves open (its save refused without closing it, say) is rejected after a
while of event-loop turns and reported by :func:`left_open`, for the same reason.

Any other real modal is refused by the ``modal_guard`` fixture (tests/ui/conftest.py): while an
answer is pending, :func:`expecting` tells the guard which dialogs it may let open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QDialog,
    QFileDialog,
    QFontDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from ui.session.window import SessionView

D = TypeVar("D", bound=QWidget)

MODAL_MESSAGE = "a real modal dialog was opened: use the dialog's ask() or ui_driver.answer_modal"

# The static functions that build a modal dialog and run its event loop inside Qt.
STATIC_MODALS: dict[type[QWidget], tuple[str, ...]] = {
    QMessageBox: ("question", "warning", "information", "critical", "about", "aboutQt"),
    QFileDialog: (
        "getOpenFileName",
        "getOpenFileNames",
        "getSaveFileName",
        "getExistingDirectory",
        "getOpenFileUrl",
        "getOpenFileUrls",
        "getSaveFileUrl",
        "getExistingDirectoryUrl",
    ),
    QInputDialog: ("getText", "getMultiLineText", "getInt", "getDouble", "getItem"),
    QColorDialog: ("getColor",),
    QFontDialog: ("getFont",),
}


class RealModalOpened(AssertionError):
    """A test let production code open a real modal dialog nobody would answer."""


@dataclass
class ModalGuard:
    """What the guard refused during one test (the test fails at teardown if any)."""

    refused: list[str] = field(default_factory=list)

    def refuse(self, what: str) -> RealModalOpened:
        self.refused.append(what)
        return RealModalOpened(f"{MODAL_MESSAGE} ({what})")

    def forgive(self) -> list[str]:
        """Take the refusals (for a test that opens a modal on purpose to prove the guard)."""
        taken, self.refused = self.refused, []
        return taken


@dataclass
class _Pending:
    """One ``answer_modal`` call whose dialog has not been answered yet."""

    kind: type[QWidget]
    active: bool = True


_pending: list[_Pending] = []
_left_open: list[str] = []


def expecting(kind: type[QWidget]) -> bool:
    """True when a pending ``answer_modal`` would answer a modal dialog of class ``kind``."""
    return any(p.active and issubclass(kind, p.kind) for p in _pending)


def unanswered() -> list[str]:
    """The dialog classes still awaited by ``answer_modal`` (their dialog never opened)."""
    return [p.kind.__name__ for p in _pending if p.active]


def left_open() -> list[str]:
    """The dialogs an answer left open (rejected so the test could go on), once each."""
    taken = list(_left_open)
    _left_open.clear()
    return taken


def stop_answering() -> None:
    """Forget every pending answer (end of a test), so none can act on a later test's dialog."""
    for p in _pending:
        p.active = False
    _pending.clear()


def _close_if_left_open(dialog: QDialog, left: int) -> None:
    """Reject ``dialog`` if it is still open after ``left`` more turns of the event loop."""
    if not dialog.isVisible():
        return
    if left:
        QTimer.singleShot(5, lambda: _close_if_left_open(dialog, left - 1))
        return
    _left_open.append(type(dialog).__name__)
    dialog.reject()


def answer_modal(kind: type[D], act: Callable[[D], None], *, attempts: int = 300) -> None:
    """Run ``act`` on the next modal ``kind`` to open (polled on the event loop, no sleeping)."""
    pending = _Pending(kind)
    _pending.append(pending)

    def settle() -> None:
        pending.active = False
        if pending in _pending:
            _pending.remove(pending)

    def attempt(left: int) -> None:
        if not pending.active:
            return  # the test that asked has ended
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            settle()
            try:
                act(widget)
            except BaseException:
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()
                raise
            if isinstance(widget, QDialog):
                _close_if_left_open(widget, attempts)
            return
        if left:
            QTimer.singleShot(5, lambda: attempt(left - 1))
        else:
            settle()
            raise AssertionError(f"no {kind.__name__} opened")

    QTimer.singleShot(0, lambda: attempt(attempts))


def session_window(qtbot: QtBot, service: ChartService, sid: SessionId, user: User) -> SessionView:
    """A chair's session window in the dim theme, shown and active (keys reach it)."""
    view = SessionView(service, sid, service.clock, "dim", None, user)
    qtbot.addWidget(view)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    return view
