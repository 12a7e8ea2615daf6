"""The backup schedule while the app runs (issue 13 item 4): at start, when due, after a sign-off;
the status bar says how backups stand and warns when they fail. Driven tick by tick on an
injected clock (no waiting on timers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from bedside.backups import default_folder, notes_in
from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from ui.board.backup_watch import BackupWatch
from ui.demo import build_demo

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


@pytest.fixture
def watched(qtbot: QtBot, tmp_path: Path) -> tuple[BackupWatch, FixedClock, ChartService]:
    store = Store(tmp_path / "clinic.db")
    build_demo(store, NOW)
    clock = FixedClock(NOW)
    service = ChartService(store, clock)
    label = QLabel()
    qtbot.addWidget(label)
    return BackupWatch(service, clock, label), clock, service


def backups(service: ChartService) -> list[datetime]:
    return [n.made_at for n in notes_in(default_folder(service.store.path))]


def test_a_backup_at_start_then_only_when_due(
    watched: tuple[BackupWatch, FixedClock, ChartService],
) -> None:
    watch, clock, service = watched
    watch.start()
    watch.timer.stop()  # ticks are driven by hand below
    assert backups(service) == [NOW]
    assert watch.label.text() == "Last good backup 13:00 · next 17:00"
    clock.set(NOW + timedelta(hours=3, minutes=59))
    watch.tick()
    assert backups(service) == [NOW]
    clock.set(NOW + timedelta(hours=4))
    watch.tick()
    assert backups(service) == [NOW, NOW + timedelta(hours=4)]


def test_a_sign_off_is_backed_up_at_the_next_tick(
    watched: tuple[BackupWatch, FixedClock, ChartService], monkeypatch: pytest.MonkeyPatch
) -> None:
    watch, clock, service = watched
    watch.start()
    watch.timer.stop()
    signed = service.store.sign_off_count()
    monkeypatch.setattr(service.store, "sign_off_count", lambda: signed + 1)
    clock.set(NOW + timedelta(minutes=1))
    watch.tick()
    assert backups(service) == [NOW, NOW + timedelta(minutes=1)]


def test_a_failed_backup_is_said_in_red_and_the_app_carries_on(
    watched: tuple[BackupWatch, FixedClock, ChartService], tmp_path: Path
) -> None:
    watch, _, service = watched
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    service.store.set_settings({"backup_folder": str(blocker)}, actor=None, at=NOW)
    assert watch.run("scheduled") is None
    assert watch.label.text().startswith("Backup FAILED")
    assert watch.label.property("problem") is True


def test_the_board_warns_when_the_last_good_backup_is_old(
    watched: tuple[BackupWatch, FixedClock, ChartService],
) -> None:
    watch, clock, _ = watched
    watch.start()
    watch.timer.stop()
    clock.set(NOW + timedelta(hours=30))
    watch.show(watch.policy())
    assert watch.label.text().startswith("⚠ The last good backup is 30 hours old")
