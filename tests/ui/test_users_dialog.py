"""Admin users screen: the model passes Qt's tester; changes go through the domain's role check."""

from __future__ import annotations

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from bedside.people import Role, User
from bedside.service import ChartService
from ui.admin.users import NewUser, UsersDialog, UsersTableModel


def test_users_model_passes_the_model_tester(
    qtmodeltester: ModelTester, ui_service: ChartService
) -> None:
    model = UsersTableModel()
    model.set_users(ui_service.store.users())
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.index(0, 0).data() == "admin"


def test_admin_adds_and_deactivates_a_user(
    qtbot: QtBot,
    ui_service: ChartService,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    admin = ui_service.accounts.authenticate("admin", "bedside-demo")
    dialog = UsersDialog(ui_service.accounts, admin)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(
        "ui.admin.users.NewUserDialog.ask",
        lambda parent=None: NewUser("kim", "Kim Lo", Role.NURSE, "RN", "long-enough-pw"),
    )
    dialog.add_user()
    names = [dialog.model.user_at(r).username for r in range(dialog.model.rowCount())]
    assert "kim" in names
    dialog.table.selectRow(names.index("kim"))
    dialog.toggle_active()
    kim = next(u for u in ui_service.store.users() if u.username == "kim")
    assert not kim.active
    assert shown_errors == []


def test_a_nurse_is_refused_in_words(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    dialog = UsersDialog(ui_service.accounts, nurse)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(
        "ui.admin.users.NewUserDialog.ask",
        lambda parent=None: NewUser("eve", "Eve", Role.ADMIN, "", "long-enough-pw"),
    )
    dialog.add_user()
    assert "not allowed to manage user accounts" in shown_errors[-1]
    assert "eve" not in [u.username for u in ui_service.store.users()]
