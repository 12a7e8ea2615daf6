"""The session window of a session charted at two workstations while cut off (issue 14): the
banner says what was merged and which steps wait; the clinician resolves it there (the dialog
makes no choice for them), and the banner goes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from server_helpers import LATER, sync_at

from bedside.events import Phase
from bedside.ids import SessionId
from bedside.service import ChartService
from bedside.store.server.background import SyncStatus
from bedside.store.server.setup import connect
from bedside.store.server.sync import sync
from ui.board import sync_watch
from ui.board.main_window import MainWindow
from ui.dialogs.fork import ForkChoice, ForkDialog
from ui.session.window import SessionView


def test_the_banner_says_what_waits_and_the_clinician_resolves_it_there(
    qtbot: QtBot,
    forked_at: tuple[ChartService, ChartService, SessionId],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    errors: list[str] = []
    monkeypatch.setattr("ui.common.operations.show_error", lambda parent, e: errors.append(str(e)))
    _, at_b, session = forked_at
    drlee = at_b.accounts.authenticate("drlee", "bedside-demo")
    view = SessionView(at_b, session, at_b.clock, "dim", None, drlee)
    qtbot.addWidget(view)
    view.show()
    words = view.fork_banner.words.text()
    assert view.fork_banner.isVisible()
    assert "Charted at two workstations while they were cut off" in words
    assert "Waiting for a clinician — from there: Pump stop" in words
    assert "charted here: Rate change" in words
    assert "cannot be closed until a clinician resolves it" in words
    asked: list[tuple[str, str, str]] = []

    def answer(summary: str, here: str, other: str, *_: object) -> ForkChoice:
        asked.append((summary, here, other))
        return ForkChoice("other", "The pump was stopped at the chair")

    monkeypatch.setattr(ForkDialog, "ask", staticmethod(answer))
    qtbot.mouseClick(view.fork_banner.button, Qt.MouseButton.LeftButton)
    assert errors == []
    assert asked
    assert asked[0][2].startswith("Keep the steps charted there: Pump stop ")
    assert "Pump stopped, 10 mL infused (stopped early: pump alarm" in asked[0][2]
    assert "Rate changed to " in asked[0][1]  # what each side charted, not only its name
    assert not view.fork_banner.isVisible()
    assert view.ctx.state.fork is not None
    assert view.ctx.state.fork.set_aside  # the slowed rate, kept in the record, set aside


def test_the_dialog_chooses_no_side_for_the_clinician(qtbot: QtBot) -> None:
    dialog = ForkDialog("summary", "Keep here", "Keep there")
    qtbot.addWidget(dialog)
    assert not dialog.here.isChecked()
    assert not dialog.other.isChecked()
    assert not dialog.resolve.isEnabled()
    dialog.other.setChecked(True)
    dialog.reason.setText("  typed as is  ")
    assert dialog.resolve.isEnabled()
    assert dialog.choice() == ForkChoice("other", "  typed as is  ")


def test_a_nurse_is_told_before_the_dialog_that_a_clinician_resolves_it(
    qtbot: QtBot,
    forked_at: tuple[ChartService, ChartService, SessionId],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    errors: list[str] = []
    monkeypatch.setattr("ui.common.operations.show_error", lambda parent, e: errors.append(str(e)))
    monkeypatch.setattr(ForkDialog, "ask", staticmethod(lambda *_: pytest.fail("dialog opened")))
    _, at_b, session = forked_at
    sam = at_b.accounts.authenticate("sam", "bedside-demo")
    view = SessionView(at_b, session, at_b.clock, "dim", None, sam)
    qtbot.addWidget(view)
    view.show()
    qtbot.mouseClick(view.fork_banner.button, Qt.MouseButton.LeftButton)
    assert errors == [
        "Sam Okafor, RN (nurse) is not allowed to resolve entries charted at two workstations"
    ]


def test_an_open_window_and_the_board_follow_a_resolution_made_at_another_workstation(
    qtbot: QtBot,
    tmp_path: Path,
    forked_at: tuple[ChartService, ChartService, SessionId],
    workstation_urls: tuple[str, str],
) -> None:
    """The resolution reaches A as an entry of another branch (it does not move A's own line):
    A's open window and board read again at once, not when the window is reopened."""
    at_a, at_b, session = forked_at
    dana = at_a.accounts.authenticate("dana", "bedside-demo")
    settings = QSettings(str(tmp_path / "a.ini"), QSettings.Format.IniFormat)
    window = MainWindow(at_a, dana, at_a.clock, settings)
    window.ticker.stop()
    qtbot.addWidget(window)
    view = window.open_session(session)
    assert view.fork_banner.isVisible()
    drlee = at_b.accounts.authenticate("drlee", "bedside-demo")
    at_b.resolve_fork(drlee, session, steps_from="other", reason="The pump was stopped at A")
    sync_at(at_b.store, workstation_urls[1])
    with connect(workstation_urls[0]) as server:
        report = sync(at_a.store.conn, server, now=LATER + timedelta(minutes=20))
    assert report.forks  # arrived as another branch's entry
    watch = sync_watch.SyncWatch(window, at_a, workstation_urls[0], at_a.clock, QLabel())
    watch.show(SyncStatus(True, 0, last=report))
    assert not view.fork_banner.isVisible()
    assert view.ctx.state.phase is Phase.OBSERVING
    tile = window.board.tiles[view.ctx.header.chair - 1]
    assert "Two workstations" not in tile.drug.text()
