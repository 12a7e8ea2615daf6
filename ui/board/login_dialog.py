"""Sign in, and unlock a locked workstation, with a user name and password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bedside.accounts import Accounts
from bedside.demo_mark import demo_title
from bedside.errors import AuthenticationFailed, BedsideError, PasswordChangeRequired
from bedside.people import User
from ui.dialogs.password import PasswordDialog

DEMO_HINT = (
    "Demo clinic: sign in as <b>dana</b> (nurse), <b>drlee</b> (clinician) or "
    "<b>admin</b>, password <b>bedside-demo</b>."
)
"""Shown under the form on a demo database (its accounts' password is public)."""


class LoginDialog(QDialog):
    """User name + password. Wrong passwords are reported in the dialog, not in a pop-up."""

    def __init__(
        self,
        accounts: Accounts,
        *,
        parent: QWidget | None = None,
        username: str = "",
        locked_by: str | None = None,
        clinic_name: str = "Bedside",
    ) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.user: User | None = None
        # A demo database says so before anyone signs in: its accounts have a public password.
        demo = accounts.store.is_demo()
        title = "Workstation locked" if locked_by else f"Sign in — {clinic_name}"
        self.setWindowTitle(demo_title(title, demo))
        self.setModal(True)
        layout = QVBoxLayout(self)
        heading = QLabel(
            f"<b>Locked</b> — {locked_by} was signed in. Nothing was closed or lost."
            if locked_by
            else f"<b>{clinic_name}</b>"
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.username.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("User name", self.username)
        form.addRow("Password", self.password)
        layout.addLayout(form)
        self.message = QLabel(DEMO_HINT if demo and not locked_by else "")
        self.message.setObjectName("loginMessage")
        self.message.setProperty("role", "muted")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in = buttons.addButton(
            "Unlock" if locked_by else "Sign in", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Enter tries the password, also after a wrong one: set once the button is in the dialog
        # (set before, the dialog made Cancel its default on showing), Cancel never the default.
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.sign_in.setDefault(True)
        # The user name first, the remembered one selected: whoever signs in types their own name
        # over it (the same nurse presses Tab). With the cursor in Password, the next person's
        # "name, Tab, password" went into the wrong boxes and counted as a wrong password against
        # the last user's account, towards locking it.
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)
        self.username.selectAll()
        self.setMinimumWidth(420)

    def _try(self) -> None:
        try:
            self.user = self.accounts.authenticate(self.username.text(), self.password.text())
        except PasswordChangeRequired as required:
            self.user = self._choose_new_password(required)
            if self.user is None:
                return
        except AuthenticationFailed as exc:
            self.message.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()

    def _choose_new_password(self, required: PasswordChangeRequired) -> User | None:
        """After an administrator's reset: the user chooses their own password now (the one
        just typed is the current one); cancelling leaves them signed out."""
        current = self.password.text()
        problem = ""
        while True:
            choice = PasswordDialog.ask(
                "Choose your password",
                f"{required}. Only you will know it.",
                username=required.username,
                ask_current=False,
                problem=problem,
                parent=self,
            )
            if choice is None:
                self.message.setText("Not signed in: a new password is needed first")
                self.password.clear()
                return None
            try:
                return self.accounts.change_own_password(required.username, current, choice.new)
            except BedsideError as exc:
                problem = str(exc)

    @classmethod
    def ask(
        cls,
        accounts: Accounts,
        *,
        parent: QWidget | None = None,
        username: str = "",
        locked_by: str | None = None,
        clinic_name: str = "Bedside",
    ) -> User | None:
        """The signed-in user, or ``None`` if cancelled."""
        dialog = cls(
            accounts,
            parent=parent,
            username=username,
            locked_by=locked_by,
            clinic_name=clinic_name,
        )
        return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
