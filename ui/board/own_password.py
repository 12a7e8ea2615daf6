"""User ▸ Change my password: the current password, then the new one twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bedside.errors import BedsideError
from ui.dialogs.password import PasswordDialog

if TYPE_CHECKING:
    from ui.board.main_window import MainWindow


def change_own_password(window: MainWindow) -> None:
    """The signed-in user changes their password; the domain checks the current one (a wrong
    one counts towards the account's lock) and the policy."""
    if window.locked:  # nothing behind the lock, whatever the route
        return
    user = window.user
    problem = ""
    while True:
        choice = PasswordDialog.ask(
            "Change my password",
            f"Change the password of {user.display_name} ({user.username}).",
            username=user.username,
            ask_current=True,
            problem=problem,
            parent=window,
        )
        if choice is None:
            return
        try:
            window.service.accounts.change_own_password(user.username, choice.current, choice.new)
        except BedsideError as exc:
            problem = str(exc)  # shown in the form, which opens again
            continue
        window.statusBar().showMessage("Your password is changed.", 10_000)
        return
