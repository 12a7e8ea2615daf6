"""Admin ▸ Backups (issue 13 item 4): the backups listed with their status, the last good one
with its ledger head and the next due, a backup made by hand, and the restore command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from bedside.backups import BackupPolicy, make_backup
from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from ui.admin.backups import BackupsDialog, bedside_command
from ui.demo import build_demo

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


@pytest.fixture
def service(tmp_path: Path) -> ChartService:
    store = Store(tmp_path / "clinic.db")
    build_demo(store, NOW)
    return ChartService(store, FixedClock(NOW))


def test_the_backups_are_listed_with_the_last_good_and_the_next(
    qtbot: QtBot, qtmodeltester: ModelTester, service: ChartService
) -> None:
    policy = BackupPolicy.from_settings(service.store.get_setting, service.store.path)
    make_backup(service.store, policy, NOW - timedelta(days=1), "scheduled")
    last = make_backup(service.store, policy, NOW - timedelta(hours=1), "after a sign-off")
    admin = service.accounts.authenticate("admin", "bedside-demo")
    dialog = BackupsDialog(service, admin, service.clock)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 2
    first_row = [dialog.model.index(0, c).data() for c in range(5)]
    assert first_row[1:4] == ["after a sign-off", "verified", last.ledger_head.split(":")[0]]
    summary = dialog.summary.text()
    assert "Last good backup: <b>2026-11-24 12:00</b>" in summary
    assert f"ledger head {last.ledger_head}" in summary
    assert "Next scheduled: 2026-11-24 16:00, and after each sign-off" in summary
    assert f"{bedside_command()} restore '{last.path}' --db '{service.store.path}'" in (
        dialog.restore_help.text()
    )
    dialog.copy_restore_command()
    assert QGuiApplication.clipboard().text() == dialog.restore_command()


def test_back_up_now_is_noted_with_who_asked(qtbot: QtBot, service: ChartService) -> None:
    admin = service.accounts.authenticate("admin", "bedside-demo")
    dialog = BackupsDialog(service, admin, service.clock)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    assert "No good backup yet" in dialog.summary.text()
    dialog.back_up_now()
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 1).data() == f"by hand, {admin.display_name}"
    assert dialog.model.index(0, 2).data() == "verified"


def test_the_restore_command_runs_as_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    # A newcomer walk: "bedside restore ..." copied from the screen failed where bedside was not
    # on PATH (a developer's clone); the command names the program that is really there.
    monkeypatch.setattr("ui.admin.backups.shutil.which", lambda name: None)
    command = bedside_command()
    assert command.endswith("/bedside'")
    monkeypatch.setattr("ui.admin.backups.shutil.which", lambda name: "/usr/bin/bedside")
    assert bedside_command() == "bedside"


def test_backups_left_in_the_folder_before_it_was_changed_are_still_listed(
    qtbot: QtBot, service: ChartService, tmp_path: Path
) -> None:
    # A newcomer walk set a backup folder: the backup made minutes before vanished from view.
    admin = service.accounts.authenticate("admin", "bedside-demo")
    before = BackupPolicy.for_store(service.store)
    first = make_backup(service.store, before, NOW - timedelta(hours=2), "by hand")
    service.save_clinic_settings(admin, clinic={"backup_folder": str(tmp_path / "second-disk")})
    after = BackupPolicy.for_store(service.store)
    assert after.folder != before.folder
    second = make_backup(service.store, after, NOW - timedelta(hours=1), "scheduled")
    dialog = BackupsDialog(service, admin, service.clock)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    assert dialog.model.note_at(0) == second
    assert dialog.model.note_at(1) == first
    assert f"1 earlier backup(s) in {before.folder}" in dialog.summary.text()
