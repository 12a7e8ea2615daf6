"""Single-letter shortcuts that never fire from where letters are typed.

A window's one-key actions (V vitals, N note …) are live while the focus is on a button, a
record table or nothing in particular. While it is in a text field, a number field, a
drop-down or a list of choices, the letters are the nurse's typing (typing "neg" into the
pregnancy-test list must choose "negative", not open a note), so the shortcuts are switched
off until the focus leaves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

ACTION_TABLE = "lettersAreActions"
"""Property set on a table whose letters are the window's actions (the flowsheet, the record),
not a search in the list."""


def takes_typing(widget: QWidget | None) -> bool:
    """Whether a letter typed into ``widget`` is the user's input."""
    if widget is None:
        return False
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox | QComboBox):
        return True
    return isinstance(widget, QAbstractItemView) and not widget.property(ACTION_TABLE)


class LetterKeys(QObject):
    """The one-key shortcuts of ``window``, switched off while the focus takes typing."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.shortcuts: list[QShortcut] = []
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def add(self, key: str, handler: Callable[[], object]) -> QShortcut:
        """A shortcut on ``key`` that runs ``handler`` (a single key: guarded; any other
        sequence, e.g. Ctrl+U, is never typing and stays live)."""
        shortcut = QShortcut(QKeySequence(key), self.window)
        shortcut.activated.connect(handler)
        if len(key) == 1 or key in ("Delete",):
            self.shortcuts.append(shortcut)
        return shortcut

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is not self.window:
            return  # another window's focus: its own keys apply there
        live = not takes_typing(new)
        for shortcut in self.shortcuts:
            shortcut.setEnabled(live)
