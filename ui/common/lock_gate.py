"""The workstation lock as an open dialog lives through it: nothing typed is lost.

When the workstation locks, every open dialog that survives the lock (the charting forms do:
:class:`SurvivesLock`) is closed with the result :data:`PARKED` and keeps what was typed. Its
``exec`` then waits for the lock to end:

* the same person unlocks: the dialog opens again exactly as it was;
* another person unlocks: the dialog waits, hidden, for the one who typed it (it is theirs to
  save or cancel; the other person charts under their own name meanwhile) and opens again when
  they next sign in. If it stands in the way of the person signing in (a form of theirs waits
  behind it), its typing is kept as a draft on the board for its author to read or discard.

Nothing in a parked dialog was saved; nothing in it is thrown away without its author seeing it.
Passwords are never kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QEventLoop, QObject, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from bedside.ids import UserId

PARKED = 2
"""The result of a dialog closed by the lock (neither accepted nor rejected)."""


@dataclass(frozen=True)
class Draft:
    """Typing kept for its author when their form could not wait for them."""

    owner: UserId
    title: str
    text: str
    kept_at: datetime


@dataclass
class _Waiting:
    owner: UserId | None
    dialog: QDialog
    loop: QEventLoop = field(default_factory=QEventLoop)
    outcome: str = ""  # "resume" or "draft"


class LockGate(QObject):
    """Who is signed in, whether the workstation is locked, and the dialogs waiting on it."""

    changed = Signal()
    """Locked, unlocked, or a draft kept."""

    def __init__(self) -> None:
        super().__init__()
        self.locked = False
        self.user_id: UserId | None = None
        self.drafts: list[Draft] = []
        self._waiting: list[_Waiting] = []

    def sign_in(self, user_id: UserId) -> None:
        """The person now at the workstation (at start and after a switch of user)."""
        self.user_id = user_id

    def lock(self) -> None:
        """Close every dialog that survives the lock, innermost first, keeping its typing."""
        self.locked = True
        for dialog in reversed(_open_dialogs()):
            if isinstance(dialog, SurvivesLock):
                for field_ in dialog.findChildren(QLineEdit):
                    if not _shown(field_):
                        field_.clear()  # a signature is given afresh after the lock
                dialog.done(PARKED)
        self.changed.emit()

    def unlock(self, user_id: UserId, now: datetime) -> None:
        """``user_id`` unlocked: their waiting dialogs open again; any other person's that
        stand in front of theirs give way, their typing kept as a draft."""
        self.locked = False
        self.user_id = user_id
        theirs = [i for i, w in enumerate(self._waiting) if w.owner == user_id]
        outermost = theirs[0] if theirs else len(self._waiting)
        for waiting in self._waiting:
            if waiting.owner == user_id:
                waiting.outcome = "resume"
            elif self._waiting.index(waiting) > outermost:
                waiting.outcome = "draft"
                self.drafts.append(_draft(waiting, now))
            else:
                continue
            waiting.loop.exit()
        self.changed.emit()

    def wait(self, owner: UserId | None, dialog: QDialog) -> bool:
        """Wait, without blocking the application, until ``dialog``'s author can take it back.

        Returns
        -------
        bool
            True to open it again as it was; False when it gave way (its typing is a draft).
        """
        if not self.locked and self.user_id == owner:
            return True  # unlocked by its author before this dialog got here
        waiting = _Waiting(owner, dialog)
        self._waiting.append(waiting)
        try:
            waiting.loop.exec()
        finally:
            self._waiting.remove(waiting)
        return waiting.outcome == "resume"

    def drafts_of(self, user_id: UserId) -> list[Draft]:
        """Drafts kept for one person."""
        return [d for d in self.drafts if d.owner == user_id]

    def discard(self, draft: Draft) -> None:
        """Its author read it and let it go."""
        self.drafts.remove(draft)
        self.changed.emit()


GATE = LockGate()
"""The application's one lock (the main window drives it; dialogs wait on it)."""


class SurvivesLock(QDialog):
    """A dialog that lives through the lock with what was typed (see the module)."""

    def exec(self) -> int:
        owner = GATE.user_id
        while True:
            result = super().exec()
            if result != PARKED:
                return result
            if not GATE.wait(owner, self):
                return int(QDialog.DialogCode.Rejected)


def _open_dialogs() -> list[QDialog]:
    """Visible dialogs, outermost first (a dialog opened from another comes after it)."""
    dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
    ]
    return sorted(dialogs, key=_depth)


def _depth(widget: QWidget) -> int:
    depth = 0
    parent = widget.parentWidget()
    while parent is not None:
        depth += 1
        parent = parent.parentWidget()
    return depth


def _draft(waiting: _Waiting, now: datetime) -> Draft:
    """What was typed in a dialog, in words (passwords left out)."""
    dialog = waiting.dialog
    lines: list[str] = []
    for child in dialog.findChildren(QWidget):
        text = ""
        inner = isinstance(child.parentWidget(), (QAbstractSpinBox, QComboBox))
        if isinstance(child, QLineEdit) and not inner and _shown(child):
            text = child.text().strip()
        elif isinstance(child, QPlainTextEdit):
            text = child.toPlainText().strip()
        elif isinstance(child, QAbstractSpinBox) and child.specialValueText() != child.text():
            text = child.text().strip()
        elif isinstance(child, QComboBox) and child.currentIndex() >= 0:
            text = child.currentText().strip()
        if text:
            lines.append(f"{_label_of(child)}{text}")
    return Draft(waiting.owner or UserId(""), dialog.windowTitle(), "\n".join(lines), now)


def _shown(field_: QLineEdit) -> bool:
    """A field whose text may be kept (never a password)."""
    return field_.echoMode() == QLineEdit.EchoMode.Normal


def _label_of(widget: QWidget) -> str:
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if isinstance(layout, QFormLayout):
        label = layout.labelForField(widget)
        if isinstance(label, QLabel) and label.text():
            return f"{label.text()}: "
    return ""
