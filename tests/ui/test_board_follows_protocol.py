"""An admin changes the chairs or the idle lock while the board is open (Admin ▸ Clinic
settings or Admin ▸ Protocol): the board and the lock follow at once, and a chair with an open
session never drops off the board (it did: the tiles were made once, the extra summaries
silently dropped)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from bedside.people import User
from bedside.service import ChartService
from ui.board.idle_lock import IdleLock
from ui.board.main_window import MainWindow


@pytest.fixture
def admin(ui_service: ChartService) -> User:
    return ui_service.accounts.authenticate("admin", "bedside-demo")


def _window(qtbot: QtBot, service: ChartService, user: User, qsettings: QSettings) -> MainWindow:
    window = MainWindow(service, user, service.clock, qsettings)
    window.ticker.stop()
    qtbot.addWidget(window)
    return window


def _open_chairs(service: ChartService) -> set[int]:
    return {h.chair for h in service.store.all_sessions() if not service.state(h.id).closed}


def test_more_chairs_appear_and_fewer_never_hide_an_open_session(
    qtbot: QtBot, ui_service: ChartService, admin: User, qsettings: QSettings
) -> None:
    window = _window(qtbot, ui_service, admin, qsettings)
    assert len(window.board.tiles) == 4
    ui_service.new_protocol_version(admin, {"monitoring.chairs": 6})
    window.refresh()
    assert [t.chair for t in window.board.tiles] == [1, 2, 3, 4, 5, 6]
    occupied = _open_chairs(ui_service)
    assert occupied  # the demo has sessions open
    ui_service.new_protocol_version(admin, {"monitoring.chairs": 1})
    window.refresh()
    shown = [t.chair for t in window.board.tiles]
    assert shown == list(range(1, max(occupied | {1}) + 1))
    assert occupied <= set(shown)


def test_the_idle_lock_follows_the_protocol_without_a_restart(
    qtbot: QtBot, ui_service: ChartService, admin: User, qsettings: QSettings
) -> None:
    window = _window(qtbot, ui_service, admin, qsettings)
    assert isinstance(window.idle, IdleLock)
    assert window.source.idle_lock_seconds() == 5 * 60.0
    ui_service.new_protocol_version(admin, {"monitoring.idle_lock_min": 2})
    assert window.source.idle_lock_seconds() == 2 * 60.0
    clock = [0.0]
    lock = IdleLock(window.source.idle_lock_seconds, monotonic=lambda: clock[0])
    fired: list[bool] = []
    lock.idle.connect(lambda: fired.append(True))
    lock.reset()
    clock[0] = 119.0
    lock.check()
    assert fired == []
    clock[0] = 120.0
    lock.check()
    assert fired == [True]


def test_the_session_menu_follows_the_chairs_and_quits(
    qtbot: QtBot, ui_service: ChartService, admin: User, qsettings: QSettings
) -> None:
    window = _window(qtbot, ui_service, admin, qsettings)
    window.show()
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Session")

    def shown() -> list[str]:
        return [a.text() for a in menu.actions() if a.isVisible() and a.text().startswith("Open")]

    assert shown() == [f"Open chair {n}" for n in range(1, 5)]
    ui_service.new_protocol_version(admin, {"monitoring.chairs": 6})
    window.refresh()
    assert shown() == [f"Open chair {n}" for n in range(1, 7)]
    six = next(a for a in menu.actions() if a.text() == "Open chair 6")
    assert six.shortcut().toString() == "Ctrl+6"
    quit_action = next(a for a in menu.actions() if a.text() == "Quit Bedside")
    assert quit_action.shortcut().toString() == "Ctrl+Q"
    quit_action.trigger()
    assert not window.isVisible()
