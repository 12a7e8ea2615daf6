"""A charted entry costs at most two reads and folds of an event log, however many chairs are
open, and an idle tick reads nothing and builds no flowsheet (issue: one read per change).

The board and four session windows are open, as at a busy clinic; the counts are of calls, so
they do not depend on the machine.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from bedside.clock import FixedClock
from bedside.events import Kind, Phase
from bedside.people import User
from bedside.service import ChartService
from bench.counting import Counts, counting
from ui.board.main_window import MainWindow
from ui.dialogs.entries import TextEntry
from ui.session.window import SessionView


@pytest.fixture
def four_open(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> tuple[MainWindow, dict[Phase, SessionView]]:
    window = MainWindow(ui_service, nurse, ui_service.clock, qsettings)
    window.ticker.stop()
    window.idle.stop()
    qtbot.addWidget(window)
    window.show()
    busy = ui_service.busy_chairs(ui_service.clock.now())
    signed = [h.id for h in ui_service.store.all_sessions() if h.id not in busy.values()]
    views = {}
    for sid in [*busy.values(), signed[-1]][:4]:
        view = window.open_session(sid)
        views[view.ctx.state.phase] = view
    assert len(window.session_windows) == 4
    return window, views


def test_a_note_from_a_window_reads_nothing_and_folds_once(
    four_open: tuple[MainWindow, dict[Phase, SessionView]], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, views = four_open
    view = views[Phase.INFUSING]
    monkeypatch.setattr(
        "ui.dialogs.entries.TextEntryDialog.ask", lambda *a, **k: TextEntry("resting, calm")
    )
    with counting() as counts:
        view.buttons["note"].click()
        window.refresh()  # the next tick: board and all four windows
    assert view.ctx.state.events[-1].kind is Kind.NOTE
    assert counts.reads == 0
    assert counts.folds == 1
    # One flowsheet, built by the window and shared with the board's tile; none for the other
    # windows.
    assert counts.flowsheets == 1


def test_vitals_from_the_keypad_read_nothing_while_typed_or_saved(
    four_open: tuple[MainWindow, dict[Phase, SessionView]], qtbot: QtBot
) -> None:
    _window, views = four_open
    view = views[Phase.INFUSING]
    from ui.dialogs.vitals import VitalsDialog

    with counting() as counts:
        dialog = VitalsDialog(view.service, view.ctx, view.user, view.theme, view)  # type: ignore[arg-type]
        qtbot.addWidget(dialog)
        for field, value in zip(dialog.fields.values(), (132, 84, 80, 97, 14), strict=True):
            field.setText(str(value))  # judged as typed, against the context it was given
        dialog._save()
        assert dialog.change is not None
        view.apply(dialog.change)
    assert (counts.reads, counts.folds) == (0, 1)


def test_an_idle_tick_reads_nothing_and_builds_no_flowsheet(
    four_open: tuple[MainWindow, dict[Phase, SessionView]],
) -> None:
    window, _ = four_open
    clock = window.clock
    assert isinstance(clock, FixedClock)
    with counting() as counts:
        for _ in range(3):
            clock.advance(seconds=1)
            window.refresh()
    assert counts == Counts()


def test_another_workstation_s_entry_rereads_only_its_session(
    four_open: tuple[MainWindow, dict[Phase, SessionView]], ui_service: ChartService, nurse: User
) -> None:
    window, views = four_open
    view = views[Phase.INFUSING]
    from bedside.store import Store

    elsewhere = ChartService(Store(ui_service.store.path), ui_service.clock)
    try:
        elsewhere.add_note(nurse, view.session_id, "charted at the nurse station")
    finally:
        elsewhere.store.close()
    with counting() as counts:
        window.refresh()
    assert view.ctx.state.events[-1].kind is Kind.NOTE  # the window shows it
    # Once for the board's chair, once for its window; the three other windows read nothing.
    assert counts.reads == 2
    assert counts.folds == 2
