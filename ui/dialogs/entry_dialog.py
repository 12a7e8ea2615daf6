"""What every charting dialog shares: its form, when the entry was taken, and — when it corrects
an earlier entry — what is corrected and why; a message line that names what is missing; and
Save with Enter (Ctrl+Enter where a field takes several lines); Escape, Cancel or closing a form
with something typed in it asks before throwing it away (:func:`may_discard`).

A dialog closes only when its own checks pass (a time of day, a reason, a choice made); the core
judges the values afterwards, and a refusal reopens the dialog as it was typed (see
:func:`until_saved`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from bedside.clock import Clock
from bedside.context import SessionChange
from bedside.errors import InputRejected
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.taken_at import TakenAtField
from ui.dialogs.text import ok_cancel

T = TypeVar("T")

MIN_REASON = 3
"""The shortest correction reason the core takes (``bedside.events.record``)."""

FormState = tuple[tuple[str, object], ...]


def form_state(dialog: QWidget) -> FormState:
    """Everything a nurse can type, tick or choose in a form, to tell whether anything was."""
    state: list[tuple[str, object]] = []
    for child in dialog.findChildren(QWidget):
        if isinstance(child, QLineEdit | QAbstractSpinBox):
            state.append((child.objectName(), child.text()))
        elif isinstance(child, QPlainTextEdit):
            state.append((child.objectName(), child.toPlainText()))
        elif isinstance(child, QComboBox):
            state.append((child.objectName(), child.currentIndex()))
        elif isinstance(child, QAbstractButton) and child.isCheckable():
            state.append((child.objectName(), child.isChecked()))
    return tuple(state)


def may_discard(dialog: QDialog, typed: bool, question: str) -> bool:
    """Escape, Cancel or closing: an untouched form goes at once; one with something typed only
    when the nurse answers Yes (the default is No: keep editing)."""
    return not typed or operations.confirm(dialog, dialog.windowTitle(), question)


class EntryDialog(SurvivesLock):
    """A form with "Taken at", a correction's reason when correcting, and Save / Cancel.

    Subclasses add their rows to :attr:`form`, then call :meth:`finish`; they may refuse to
    close with :meth:`problem`.
    """

    def __init__(
        self,
        title: str,
        clock: Clock,
        tz: str,
        parent: QWidget | None = None,
        *,
        correcting: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Correct: {title}" if correcting else title)
        self.correcting = correcting
        self.layout_ = QVBoxLayout(self)
        if correcting is not None:
            original = QLabel(f"Correcting: <i>{correcting}</i><br>The original stays, struck.")
            original.setObjectName("correcting")
            original.setWordWrap(True)
            original.setProperty("role", "muted")
            self.layout_.addWidget(original)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.taken_at = TakenAtField(clock, tz)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("why the entry is corrected (kept with the original)")
        self.message = QLabel("")
        self.message.setObjectName("entryMessage")
        self.message.setWordWrap(True)
        self.taken: datetime | None = None
        """The time typed in "Taken at", once the dialog is accepted (None: now)."""
        self._blank: FormState = ()
        self._opened: FormState | None = None

    def finish(self, ok_text: str = "Save", *, multiline: bool = False) -> None:
        """Add "Taken at", the reason (when correcting), the message and the buttons."""
        self.form.addRow("Taken at", self.taken_at)
        if self.correcting is not None:
            self.form.addRow("Reason for correction", self.reason)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(ok_cancel(self, f"{ok_text} (Ctrl+Enter)" if multiline else ok_text))
        if multiline:  # Enter makes a new line in a paragraph: Ctrl+Enter saves
            for key in ("Ctrl+Return", "Ctrl+Enter"):
                QShortcut(QKeySequence(key), self).activated.connect(self.accept)
        self._blank = form_state(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._opened is None:  # the first time: filled by now if it is a correction
            self._opened = form_state(self)

    def typed(self) -> bool:
        """Whether a new entry holds anything, or a correction was changed from how it opened
        (a form reopened after a refusal holds what the nurse typed)."""
        if self.correcting is not None and self._opened is not None:
            return form_state(self) != self._opened or bool(self.reason.text().strip())
        return form_state(self) != self._blank

    def reject(self) -> None:
        """Escape, Cancel or closing: typing is thrown away only after asking."""
        if may_discard(self, self.typed(), "Discard what you typed?"):
            super().reject()

    def problem(self) -> str | None:
        """What keeps the form from being saved, naming the field (None when complete)."""
        return None

    def accept(self) -> None:
        """Close only with a readable time, a reason when correcting, and a complete form."""
        try:
            taken = self.taken_at.value()
        except InputRejected as exc:
            self.refuse(str(exc))
            return
        if self.correcting is not None and len(self.reason.text().strip()) < MIN_REASON:
            self.refuse("Reason for correction: say why the entry is corrected")
            self.reason.setFocus()
            return
        problem = self.problem()
        if problem is not None:
            self.refuse(problem)
            return
        self.taken = taken
        super().accept()

    def refuse(self, text: str) -> None:
        """Say, in the dialog, why it did not close (what was typed stays)."""
        self.message.setText(f"Not saved: {text}")
        self.message.setProperty("role", "danger")
        self.message.style().polish(self.message)


def until_saved(
    ask: Callable[[T | None], T | None],
    save: Callable[[T], SessionChange | None],
) -> SessionChange | None:
    """Ask, save, and while the core refuses (it says why), ask again with what was typed.

    Parameters
    ----------
    ask : callable
        Opens the dialog, filled with the previous answer when there is one; None = cancelled.
    save : callable
        Hands an answer to the core; None when it was refused (the refusal already shown).

    Returns
    -------
    SessionChange or None
        What the saved entry changed, or None if the nurse cancelled.
    """
    answer = ask(None)
    while answer is not None:
        change = save(answer)
        if change is not None:
            return change
        answer = ask(answer)
    return None
