"""The clinic server in the status bar: online, or offline since when with how many entries
wait, and the sessions charted at two workstations that wait for a clinician."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from bedside.people import User
from bedside.service import ChartService
from bedside.store.db import write_transaction
from bedside.store.holds_here import record_hold
from bedside.store.server.background import SyncStatus
from bedside.store.server.holds import Hold
from bedside.store.server.sync import SyncReport
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
    assert forks.endswith("2 session(s) charted at two workstations wait for a clinician")


def test_a_workstation_on_its_own_starts_no_sync(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = MainWindow(ui_service, nurse, ui_service.clock, qsettings)
    window.ticker.stop()
    qtbot.addWidget(window)
    assert sync_watch.install(window, ui_service, ui_service.clock) is None


def test_the_nurse_at_the_workstation_a_session_was_taken_from_is_told(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = MainWindow(ui_service, nurse, ui_service.clock, qsettings)
    window.ticker.stop()
    qtbot.addWidget(window)
    session = next(
        h.id for h in ui_service.store.all_sessions() if not ui_service.state(h.id).closed
    )
    view = window.open_session(session)
    assert not view.hold_banner.isVisible()
    sam = ui_service.accounts.authenticate("sam", "bedside-demo")
    taken_at = datetime(2026, 11, 24, 19, 2, tzinfo=UTC)
    hold = Hold(session, 2, "ws_office", sam.id, taken_at)
    with write_transaction(ui_service.store.conn):  # what the sync's pull of the holds keeps
        record_hold(ui_service.store.conn, session, 2, "ws_office", sam.id, taken_at)
    watch = sync_watch.SyncWatch(window, ui_service, "postgresql://x@127.0.0.1:1/none",
                                 ui_service.clock, QLabel())  # fmt: skip
    report = SyncReport(0, 0, 0, 0, 0, 0, (), (), 0, 0, holds_received=1,
                        taken_from_here=((session, hold),))  # fmt: skip
    watch.show(SyncStatus(True, 0, last=report))
    header = ui_service.store.session(session)
    assert window.statusBar().currentMessage() == (
        f"Chair {header.chair} was taken over at 14:02 by {sam.display_name} at workstation "
        "ws_office: it is read-only here now."
    )
    assert view.hold_banner.isVisible()  # the open window redrew read-only at once
    tile = window.board.tiles[header.chair - 1]
    assert tile.detail.text().endswith("· charted at ws_office")  # and the board says where
    assert "taken over by" in view.hold_banner.words.text()
    assert not [n for n, b in view.buttons.items() if b.isVisible()]
