"""The full integrity check runs after the board shows, on its own thread and connection, and
a failure puts a red banner above the board and in the log (issue 13 item 5)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from tests.store.index_damage import damage_an_index
from ui.board.integrity_watch import watch_integrity
from ui.board.main_window import MainWindow

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def _service(demo_template: Path, path: Path, *, damaged: bool) -> ChartService:
    with Store(demo_template) as store:
        store.backup(path)
    if damaged:
        damage_an_index(path)
    return ChartService(Store(path, quick_check=True), FixedClock(NOW))


@pytest.fixture
def window_on(
    qtbot: QtBot, demo_template: Path, tmp_path: Path, qsettings: QSettings
) -> Iterator[object]:
    opened: list[ChartService] = []

    def make(*, damaged: bool) -> MainWindow:
        service = _service(demo_template, tmp_path / "bedside.db", damaged=damaged)
        opened.append(service)
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        window = MainWindow(service, nurse, service.clock, qsettings)
        window.ticker.stop()
        qtbot.addWidget(window)
        window.show()
        return window

    yield make
    for service in opened:
        service.store.close()


def test_a_failed_full_check_shows_a_red_banner_and_is_logged(
    qtbot: QtBot, window_on, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bedside-backup-20261124T080000Z.db").write_bytes(b"")
    window = window_on(damaged=True)
    assert window.board.isVisible()  # the app opened it: the quick check passed
    with caplog.at_level(logging.INFO, logger="bedside.integrity"):
        watch = watch_integrity(window, tmp_path / "bedside.db")
        with qtbot.waitSignal(watch.finished, timeout=30_000) as done:
            pass
    assert done.args[0]
    assert "missing from index" in done.args[0][0]
    banner = watch.banner
    assert banner is not None
    assert banner.isVisible()
    assert banner.objectName() == "verificationBanner"
    text = banner.text()
    assert text.startswith("The database failed its full integrity check: ")
    assert "Stop charting on this workstation and call IT" in text
    assert "bedside-backup-20261124T080000Z.db (made 2026-11-24 08:00 UTC)" in text
    assert window.board.isVisible()  # still there, under the banner
    assert any(r.levelno == logging.ERROR and "FAILED" in r.message for r in caplog.records)


def test_a_sound_database_shows_no_banner(qtbot: QtBot, window_on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_on(damaged=False)
    watch = watch_integrity(window, tmp_path / "bedside.db")
    with qtbot.waitSignal(watch.finished, timeout=30_000) as done:
        pass
    assert done.args == [[]]
    assert watch.banner is None


def test_stopping_a_running_check_ends_its_thread(qtbot: QtBot, window_on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_on(damaged=True)
    watch = watch_integrity(window, tmp_path / "bedside.db")
    watch.stop()  # what quitting does: it returns only once the thread has ended
    assert watch.check.isFinished()


def test_the_banner_names_the_last_good_scheduled_backup(
    demo_template: Path, tmp_path: Path
) -> None:
    from bedside.backups import BackupPolicy, make_backup
    from ui.board.integrity_watch import banner_text

    db = tmp_path / "bedside.db"
    with Store(demo_template) as store:
        store.backup(db)
    with Store(db) as store:
        policy = BackupPolicy(tmp_path / "backups")
        note = make_backup(store, policy, NOW, "scheduled")
    text = banner_text(db, ["row 3 missing from index"], policy.folder)
    assert f"the last good backup is {note.path} (made 2026-11-24 15:00 UTC, verified" in text
    assert "an admin restores it from Admin ▸ Backups" in text
    assert banner_text(db, ["x"], tmp_path / "nothing-here").endswith(f"Database: {db}.")
