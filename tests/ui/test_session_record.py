"""The whole session record on the session window: PRNs, notes, side effects, alerts and
corrections are visible where the nurse charts, filterable and keyboard-navigable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from ui_driver import session_window

from bedside.events import Kind
from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from charting.record import EntryGroup, RecordRow
from ui.session.record_model import ENTRY, WHAT, CorrectableRole, SessionRecordModel
from ui.session.window import SessionView


def _chart_the_evening(service: ChartService, nurse: User, sid: SessionId) -> None:
    doctor = service.accounts.authenticate("drlee", "bedside-demo")
    service.give_prn(
        nurse,
        sid,
        drug="ondansetron",
        dose=4,
        unit="mg",
        route="IV",
        indication="nausea",
        ordered_by=doctor.id,
    )
    service.add_note(nurse, sid, "Floating feeling, calm; music on")
    service.note_side_effect(nurse, sid, effect="nausea", severity=1, action="ondansetron")


def _open(qtbot: QtBot, service: ChartService, nurse: User) -> tuple[SessionView, SessionId]:
    sid = service.busy_chairs(service.clock.now())[2]
    view = session_window(qtbot, service, sid, nurse)
    return view, sid


def _rows(model: SessionRecordModel) -> list[RecordRow]:
    rows = [model.row_at(r) for r in range(model.rowCount())]
    return [r for r in rows if r is not None]


def _selected_kind(view: SessionView) -> Kind | None:
    row = view.record.selected()
    return None if row is None else row.kind


def _whats(model: SessionRecordModel) -> list[str]:
    return [model.index(r, WHAT).data() for r in range(model.rowCount())]


def test_prn_notes_and_side_effects_are_listed_where_the_nurse_charts(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    before = view.record.model.rowCount()
    _chart_the_evening(ui_service, nurse, sid)
    view.refresh()
    model = view.record.model
    assert model.rowCount() == before + 3
    entries = [model.index(r, ENTRY).data() for r in range(model.rowCount())]
    assert any(e.startswith("ondansetron 4 mg IV for nausea") for e in entries)
    assert "Floating feeling, calm; music on" in entries
    assert _whats(model)[-3:] == ["PRN", "Note", "Side effect"]


def test_the_record_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, ui_service: ChartService, nurse: User
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    _chart_the_evening(ui_service, nurse, sid)
    note = ui_service.state(sid).notes[-1]
    ui_service.correct(nurse, sid, note.id, "more exact", text="Calm, music on")
    view.refresh()
    qtmodeltester.check(view.record.model)
    view.record.model.set_groups([EntryGroup.MEDICINES])
    qtmodeltester.check(view.record.model)


def test_a_charted_entry_appears_without_a_reset_and_stays_in_view(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    view, _sid = _open(qtbot, ui_service, nurse)
    model = view.record.model
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted):
        view.run(lambda: ui_service.add_note(nurse, view.ctx, "Asleep, easy to rouse"))
    assert model.index(model.rowCount() - 1, ENTRY).data() == "Asleep, easy to rouse"


def test_the_record_is_filtered_by_kind(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    _chart_the_evening(ui_service, nurse, sid)
    view.refresh()
    combo = view.record.filter
    combo.setCurrentIndex(combo.findData(EntryGroup.MEDICINES))
    whats = set(_whats(view.record.model))
    assert "PRN" in whats
    assert whats <= {"PRN", "Dose plan", "Preparation", "Waste"}
    combo.setCurrentIndex(combo.findData(EntryGroup.ALERTS))
    assert {w.split(" ", 1)[0] for w in _whats(view.record.model)} <= {"⚠", "Alert"}
    combo.setCurrentIndex(0)
    assert "Note" in _whats(view.record.model)


def test_the_keyboard_walks_the_record_and_the_entry_is_read_in_full(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    long_note = "Patient describes " + "a calm floating feeling and asks for music; " * 6
    ui_service.add_note(nurse, sid, long_note.strip())
    view.refresh()
    table = view.record.table
    table.setFocus()  # as Tab would: the newest entry is selected on arrival
    assert view.record.selected() is not None
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert _selected_kind(view) is Kind.NOTE
    assert long_note.strip() in view.record.detail.text()
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert _selected_kind(view) is not Kind.NOTE


def test_struck_entries_keep_their_words_and_say_why(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    wrong = ui_service.add_note(nurse, sid, "Meant for chair 3").events[0]
    ui_service.void(nurse, sid, wrong.id, "charted on the wrong chair")
    view.refresh()
    model = view.record.model
    row = next(r for r, shown in enumerate(_rows(model)) if shown.event_id == wrong.id)
    text = model.index(row, ENTRY).data()
    assert text.startswith("Meant for chair 3")
    assert "voided (entered in error)" in text
    assert "charted on the wrong chair" in text
    assert model.index(row, ENTRY).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert model.index(row, ENTRY).data(CorrectableRole) is False


@pytest.mark.parametrize("theme", ["dim", "light"])
def test_alert_rows_are_coloured_and_named(
    qtbot: QtBot, ui_service: ChartService, nurse: User, theme: str
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    ui_service.record_vitals(nurse, sid, systolic=186, diastolic=104, heart_rate=96, spo2=97)
    view.refresh()
    view.set_theme(theme)
    model = view.record.model
    row = next(r for r, shown in enumerate(_rows(model)) if shown.kind is Kind.ALERT_RAISED)
    assert model.index(row, WHAT).data() == "⚠ Pause alert"
    assert model.index(row, ENTRY).data().startswith("Pause infusion: Systolic BP 186")
    assert model.index(row, ENTRY).data(Qt.ItemDataRole.ForegroundRole) is not None
