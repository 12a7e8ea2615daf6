"""Choosing a password: the new one twice (masked), and the current one when the user changes
their own. Returns plain values; the domain checks the policy and the current password."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from bedside.passwords import password_problem
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.text import ok_cancel


@dataclass(frozen=True)
class PasswordChoice:
    """What was typed: the current password ("" when not asked) and the new one."""

    current: str
    new: str


def _masked(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PasswordDialog(SurvivesLock):
    """New password and its repeat; the current one too when ``ask_current``. The form stays
    open, saying why, while the two differ or the new one breaks the policy."""

    def __init__(
        self,
        title: str,
        intro: str,
        *,
        username: str,
        ask_current: bool,
        problem: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.username = username
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.current = _masked("currentPassword")
        if ask_current:
            form.addRow("Current password", self.current)
        self.new = _masked("newPassword")
        self.repeat = _masked("repeatPassword")
        form.addRow("New password", self.new)
        form.addRow("Repeat new password", self.repeat)
        layout.addLayout(form)
        policy = QLabel(
            "At least 8 characters; not a common password and not the user name. A short "
            "sentence is easier to remember than symbols."
        )
        policy.setWordWrap(True)
        policy.setProperty("role", "muted")
        layout.addWidget(policy)
        self.message = QLabel(problem)
        self.message.setObjectName("passwordMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Set password"))
        (self.current if ask_current else self.new).setFocus()
        self.setMinimumWidth(420)

    def accept(self) -> None:
        """Stay open, saying why, until the new password is acceptable and repeated."""
        problem = password_problem(self.new.text(), self.username)
        if problem is None and self.new.text() != self.repeat.text():
            problem = "The two new passwords differ"
        if problem:
            self.message.setText(problem)
            self.repeat.clear()
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        title: str,
        intro: str,
        *,
        username: str,
        ask_current: bool,
        problem: str = "",
        parent: QWidget | None = None,
    ) -> PasswordChoice | None:
        """The passwords typed, or ``None`` when cancelled (``problem``: why the last try was
        refused, shown under the form)."""
        dialog = cls(
            title,
            intro,
            username=username,
            ask_current=ask_current,
            problem=problem,
            parent=parent,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return PasswordChoice(dialog.current.text(), dialog.new.text())
