"""Admin: user accounts — add, deactivate or reactivate, reset a password, unlock.

Every change goes through ``bedside.accounts``, which checks the signed-in user's role against
the stored account: a nurse who opens this window is refused in words, whatever it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bedside.accounts import Accounts
from bedside.people import Role, User
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.common.table_model import Index, RowTableModel
from ui.dialogs.password import PasswordDialog
from ui.dialogs.text import ok_cancel

_COLUMNS = ("User name", "Name", "Role", "Status")


class UsersTableModel(RowTableModel[User]):
    """One row per account; the status says deactivated, locked, or a new password due."""

    headers = _COLUMNS

    def __init__(self) -> None:
        super().__init__()
        self._status: dict[str, str] = {}

    def set_users(self, users: list[User], status: dict[str, str] | None = None) -> None:
        """Replace the rows (``status``: sign-in words by user id, e.g. "locked")."""
        self._status = dict(status or {})
        self._set_rows(list(users))

    def user_at(self, row: int) -> User:
        """The account behind a row."""
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        u = self._row_of(index)
        if u is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                u.username,
                u.display_name,
                u.role.value,
                ", ".join(
                    ["active" if u.active else "deactivated"]
                    + ([self._status[u.id]] if self._status.get(u.id) else [])
                ),
            )[index.column()]
        return None


@dataclass(frozen=True)
class NewUser:
    """What the add-user form returns."""

    username: str
    full_name: str
    role: Role
    credentials: str
    password: str


class NewUserDialog(SurvivesLock):
    """User name, full name (printed on signatures), role, credentials, password twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add user")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.value, role)
        self.credentials = QLineEdit()
        self.credentials.setPlaceholderText("e.g. RN, MD")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        for label, widget in (
            ("User name", self.username),
            ("Full name", self.full_name),
            ("Role", self.role),
            ("Credentials", self.credentials),
            ("Password", self.password),
            ("Repeat password", self.confirm),
        ):
            form.addRow(label, widget)
        layout.addLayout(form)
        self.message = QLabel("")
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, "Add user"))

    def accept(self) -> None:  # keep the form open when the passwords differ
        if self.password.text() != self.confirm.text():
            self.message.setText("The two passwords differ")
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> NewUser | None:
        """The new account's details, or None."""
        d = cls(parent)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return NewUser(
            d.username.text(),
            d.full_name.text(),
            Role(d.role.currentData()),
            d.credentials.text(),
            d.password.text(),
        )


class UsersDialog(QDialog):
    """The accounts of this clinic."""

    def __init__(self, accounts: Accounts, actor: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.actor = actor
        self.setWindowTitle("Users")
        layout = QVBoxLayout(self)
        self.model = UsersTableModel()
        self.table = QTableView()
        self.table.setObjectName("users")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add user…")
        self.add_button.clicked.connect(self.add_user)
        self.toggle_button = QPushButton("Deactivate / reactivate")
        self.toggle_button.clicked.connect(self.toggle_active)
        self.reset_button = QPushButton("Reset password…")
        self.reset_button.clicked.connect(self.reset_password)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setObjectName("unlockAccount")
        self.unlock_button.clicked.connect(self.unlock)
        for b in (self.add_button, self.toggle_button, self.reset_button, self.unlock_button):
            row.addWidget(b)
        layout.addLayout(row)
        self.resize(720, 420)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the accounts and their sign-in state."""
        users = self.accounts.store.users()
        self.model.set_users(users, {u.id: _sign_in_words(self.accounts, u) for u in users})

    def _selected(self) -> User | None:
        index = self.table.currentIndex()
        return self.model.user_at(index.row()) if index.isValid() else None

    def add_user(self) -> None:
        """Add an account (admins only; the core checks)."""
        entry = NewUserDialog.ask(self)
        if entry is None:
            return
        done = operations.run(
            self,
            lambda: self.accounts.create_user(
                self.actor,
                username=entry.username,
                full_name=entry.full_name,
                role=entry.role,
                password=entry.password,
                credentials=entry.credentials,
            ),
        )
        if done is not None:
            self.refresh()

    def toggle_active(self) -> None:
        """Deactivate an active account or reactivate a deactivated one."""
        user = self._selected()
        if user is None:
            return

        def toggle() -> bool:
            self.accounts.set_active(self.actor, user.id, not user.active)
            return True

        operations.run(self, toggle)
        self.refresh()

    def reset_password(self) -> None:
        """Set a new password for the selected account; its user chooses their own at the next
        sign-in. One's own password is changed from the User menu, with the current one."""
        user = self._selected()
        if user is None:
            return
        choice = PasswordDialog.ask(
            "Reset password",
            f"A new password for {user.display_name} ({user.username}). Tell it to them in "
            "person: they will be asked to choose their own when they next sign in.",
            username=user.username,
            ask_current=False,
            parent=self,
        )
        if choice is None:
            return

        def reset() -> bool:
            self.accounts.reset_password(self.actor, user.id, choice.new)
            return True

        operations.run(self, reset)
        self.refresh()

    def unlock(self) -> None:
        """Unlock the selected account after too many wrong passwords (audited)."""
        user = self._selected()
        if user is None:
            return

        def unlock() -> bool:
            self.accounts.unlock(self.actor, user.id)
            return True

        operations.run(self, unlock)
        self.refresh()


def _sign_in_words(accounts: Accounts, user: User) -> str:
    """ "locked", "new password due" or nothing, from the account's sign-in guard."""
    guard = accounts.guard(user.id)
    words = []
    if guard.locked_at is not None:
        words.append(f"locked after {guard.failures} wrong passwords")
    if guard.must_change:
        words.append("new password due")
    return ", ".join(words)
