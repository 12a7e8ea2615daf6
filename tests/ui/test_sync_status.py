"""The clinic server in the status bar: online, or offline since when with how many entries
wait, and the entries from other workstations waiting for a clinician."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from bedside.people import User
from bedside.service import ChartService
from bedside.store.server.background import SyncStatus
from ui.board import sync_watch
from ui.board.main_window import MainWindow


def test_the_words_say_what_a_nurse_needs() -> None:
    at = datetime(2026, 11, 24, 19, 2, tzinfo=UTC)
    assert sync_watch.status_words(SyncStatus(True, 0), "UTC") == "Clinic server: online"
    offline = sync_watch.status_words(SyncStatus(False, 12, at), "America/New_York")
    assert offline == (
        "Clinic server: OFFLINE since 14:02 · 12 entries wait to be sent (charting goes on here)"
    )
    forks = sync_watch.status_words(SyncStatus(True, 0, forks_waiting=2), "UTC")
    assert forks.endswith("2 entries from other workstations wait for a clinician")


def test_a_workstation_on_its_own_starts_no_sync(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = MainWindow(ui_service, nurse, ui_service.clock, qsettings)
    window.ticker.stop()
    qtbot.addWidget(window)
    assert sync_watch.install(window, ui_service, ui_service.clock) is None
