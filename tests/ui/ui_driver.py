"""Drive modal dialogs in tests as a person would: wait for the dialog to open, act on it.

``answer_modal(SomeDialog, act)`` arranges for ``act(dialog)`` to run on the next modal dialog of
that type once its event loop is running (``exec``), so code under test opens its real dialogs.
If ``act`` raises, the dialog is rejected first, so a failing test fails instead of hanging.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

D = TypeVar("D", bound=QWidget)


def answer_modal(kind: type[D], act: Callable[[D], None], *, attempts: int = 300) -> None:
    """Run ``act`` on the next modal ``kind`` to open (polled on the event loop, no sleeping)."""

    def attempt(left: int) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            try:
                act(widget)
            except BaseException:
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()
                raise
            return
        if left:
            QTimer.singleShot(5, lambda: attempt(left - 1))
        else:
            raise AssertionError(f"no {kind.__name__} opened")

    QTimer.singleShot(0, lambda: attempt(attempts))
