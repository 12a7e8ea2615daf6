"""Issue 11, item 8 on screen: after an admin's reset the sign-in asks for the user's own
password; Admin ▸ Users shows locked accounts and unlocks them; the reset and the change of
one's own password use masked fields, the latter with the current password."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from bedside.errors import AuthenticationFailed
from bedside.people import User
from bedside.service import ChartService
from ui.admin.users import UsersDialog
from ui.board import login_dialog
from ui.board.login_dialog import LoginDialog
from ui.dialogs.password import PasswordChoice, PasswordDialog

DEMO = "bedside-demo"


def admin(service: ChartService) -> User:
    return service.accounts.authenticate("admin", DEMO)


def test_after_a_reset_the_sign_in_asks_for_a_new_password(
    qtbot: QtBot, ui_service: ChartService, monkeypatch: pytest.MonkeyPatch
) -> None:
    drlee = next(u for u in ui_service.store.users() if u.username == "drlee")
    ui_service.accounts.reset_password(admin(ui_service), drlee.id, "told-in-person-1")
    asked: list[str] = []

    def choose(cls: type[PasswordDialog], title: str, intro: str, **kw: object) -> PasswordChoice:
        asked.append(intro)
        return PasswordChoice("", "only-jordan-knows")

    monkeypatch.setattr(login_dialog.PasswordDialog, "ask", classmethod(choose))
    dialog = LoginDialog(ui_service.accounts, username="drlee")
    qtbot.addWidget(dialog)
    dialog.password.setText("told-in-person-1")
    dialog.sign_in.click()
    assert dialog.user is not None
    assert dialog.user.username == "drlee"
    assert "An administrator reset the password of drlee" in asked[0]
    assert ui_service.accounts.authenticate("drlee", "only-jordan-knows").username == "drlee"


def test_cancelling_the_new_password_leaves_the_user_signed_out(
    qtbot: QtBot, ui_service: ChartService, monkeypatch: pytest.MonkeyPatch
) -> None:
    dana = next(u for u in ui_service.store.users() if u.username == "dana")
    ui_service.accounts.reset_password(admin(ui_service), dana.id, "told-in-person-1")
    monkeypatch.setattr(login_dialog.PasswordDialog, "ask", classmethod(lambda cls, *a, **kw: None))
    dialog = LoginDialog(ui_service.accounts, username="dana")
    qtbot.addWidget(dialog)
    dialog.password.setText("told-in-person-1")
    dialog.sign_in.click()
    assert dialog.user is None
    assert "a new password is needed first" in dialog.message.text()


def test_the_password_form_refuses_a_common_or_unrepeated_password_in_words(
    qtbot: QtBot,
) -> None:
    form = PasswordDialog("Reset password", "", username="kim", ask_current=True)
    qtbot.addWidget(form)
    form.show()
    assert form.current.echoMode() == form.new.echoMode() == form.current.EchoMode.Password
    form.new.setText("12345678")
    form.repeat.setText("12345678")
    form.accept()
    assert "most common" in form.message.text()
    assert form.isVisible()
    form.new.setText("a-long-passphrase")
    form.repeat.setText("a-long-passphrase!")
    form.accept()
    assert form.message.text() == "The two new passwords differ"
    form.repeat.setText("a-long-passphrase")
    form.accept()
    assert not form.isVisible()


def test_users_screen_shows_a_locked_account_and_unlocks_it(
    qtbot: QtBot, ui_service: ChartService, shown_errors: list[str]
) -> None:
    for _ in range(5):
        ui_service.clock.advance(minutes=1)  # type: ignore[attr-defined]
        with pytest.raises(AuthenticationFailed):
            ui_service.accounts.authenticate("sam", "guessing")
    dialog = UsersDialog(ui_service.accounts, admin(ui_service))
    qtbot.addWidget(dialog)
    rows = {dialog.model.user_at(r).username: r for r in range(dialog.model.rowCount())}
    status = dialog.model.index(rows["sam"], 3).data()
    assert status == "active, locked after 5 wrong passwords"
    dialog.table.selectRow(rows["sam"])
    dialog.unlock_button.click()
    assert shown_errors == []
    assert dialog.model.index(rows["sam"], 3).data() == "active"
    assert ui_service.accounts.authenticate("sam", DEMO).username == "sam"


def test_users_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: object, ui_service: ChartService
) -> None:
    dialog = UsersDialog(ui_service.accounts, admin(ui_service))
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]


def test_change_my_password_needs_the_current_one_and_says_why_it_asks_again(
    qtbot: QtBot, ui_service: ChartService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from PySide6.QtWidgets import QStatusBar

    from ui.board import own_password

    answers = [
        PasswordChoice("not-mine", "a-brand-new-one"),
        PasswordChoice(DEMO, "a-brand-new-one"),
    ]
    problems: list[str] = []

    def ask(
        cls: type[PasswordDialog], *a: object, problem: str = "", **kw: object
    ) -> PasswordChoice:
        problems.append(problem)
        return answers.pop(0)

    monkeypatch.setattr(own_password.PasswordDialog, "ask", classmethod(ask))
    bar = QStatusBar()
    qtbot.addWidget(bar)
    window = SimpleNamespace(
        locked=False,
        user=ui_service.accounts.authenticate("dana", DEMO),
        service=ui_service,
        statusBar=lambda: bar,
    )
    own_password.change_own_password(window)  # type: ignore[arg-type]
    assert problems == ["", "User name or password is wrong"]
    assert bar.currentMessage() == "Your password is changed."
    assert ui_service.accounts.authenticate("dana", "a-brand-new-one").username == "dana"


def test_the_next_person_types_name_tab_password_over_the_remembered_name(
    qtbot: QtBot, ui_service: ChartService
) -> None:
    # A newcomer walk: the cursor sat in Password under "dana", so the next nurse's own name went
    # into the password box and counted as a wrong password against dana's account.
    from PySide6.QtCore import Qt

    from ui.board.login_dialog import LoginDialog

    dialog = LoginDialog(ui_service.accounts, username="dana")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.username
    qtbot.keyClicks(dialog.username, "sam")
    assert dialog.username.text() == "sam"  # typed over the remembered name
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.password
