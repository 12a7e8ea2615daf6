"""The flowsheet table model: Qt's model tester, and what a nurse sees in each cell."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from ui_driver import session_window

from bedside.people import User
from bedside.service import ChartService
from charting.flowsheet import build_flowsheet
from ui.session.flowsheet_model import EventIdRole, FlowsheetTableModel, LevelRole


def signed_session(service: ChartService):  # type: ignore[no-untyped-def]
    """Minh Nguyen's signed session: the reference numbers, with the 186/104 pause reading."""
    patient = service.store.patient_by_mrn("MRN-1002")
    assert patient is not None
    (header,) = service.store.sessions_for_patient(patient.id)
    return service.context(header.id)


def test_model_passes_qt_model_tester_filled_and_after_an_insert(
    qtmodeltester: ModelTester, ui_service: ChartService
) -> None:
    ctx = signed_session(ui_service)
    rows = build_flowsheet(ctx.state, ctx.protocol)
    model = FlowsheetTableModel("America/New_York")
    model.set_rows(rows[:3])
    qtmodeltester.check(model)
    model.set_rows(rows)  # appended rows: beginInsertRows/endInsertRows
    qtmodeltester.check(model)
    model.set_rows(rows[2:])  # anything else: a reset
    qtmodeltester.check(model)


def test_abnormal_values_are_marked_and_coloured(ui_service: ChartService) -> None:
    ctx = signed_session(ui_service)
    model = FlowsheetTableModel("America/New_York")
    model.set_rows(build_flowsheet(ctx.state, ctx.protocol))
    systolic = [model.index(r, 1) for r in range(model.rowCount())]
    peak = max(systolic, key=lambda i: int(str(i.data()).split()[0]))
    assert peak.data().endswith("▲")  # not colour alone
    assert peak.data(LevelRole) == "pause"
    assert peak.data(Qt.ItemDataRole.FontRole).bold()
    assert "above 180" in peak.data(Qt.ItemDataRole.ToolTipRole)
    quiet = model.index(0, 1)
    assert quiet.data(LevelRole) is None
    # Short headers as paper flowsheets have them, the full name on hover.
    assert model.headerData(1, Qt.Orientation.Horizontal) == "SBP\nmmHg"
    tip = model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip == "Systolic (mmHg)"
    assert model.index(0, 0).data(EventIdRole) == model.row_at(0).event_id


def test_corrected_entry_is_struck_with_its_reason_and_late_entries_marked(
    ui_service: ChartService,
) -> None:
    svc = ui_service
    sid = next(h.id for h in svc.store.all_sessions() if svc.state(h.id).phase.value == "infusing")
    nurse = svc.accounts.authenticate("dana", "bedside-demo")
    state = svc.state(sid)
    original = state.vitals[-1]
    svc.correct(nurse, sid, original.id, "transposed digits", systolic=124)
    clock = svc.clock
    late_time = clock.now().replace(second=0) - __import__("datetime").timedelta(minutes=30)
    svc.record_vitals(
        nurse,
        sid,
        clinical_time=late_time,
        systolic=130,
        diastolic=80,
        heart_rate=80,
        spo2=97,
        resp_rate=14,
    )
    ctx = svc.context(sid)
    model = FlowsheetTableModel("America/New_York")
    model.set_rows(build_flowsheet(ctx.state, ctx.protocol))
    rows = [model.row_at(r) for r in range(model.rowCount())]
    struck = next(r for r in range(model.rowCount()) if rows[r].struck)
    font = model.index(struck, 1).data(Qt.ItemDataRole.FontRole)
    assert font.strikeOut()
    assert "Corrected: transposed digits" in model.index(struck, 1).data(
        Qt.ItemDataRole.ToolTipRole
    )
    late = next(r for r in range(model.rowCount()) if rows[r].late)
    assert "LATE" in model.index(late, 0).data()
    assert "Late entry: recorded at" in model.index(late, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_the_window_opens_on_the_newest_reading(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    """The flowsheet showed its first rows, the newest (here abnormal) reading hidden below
    the fold; it opens, and follows another workstation's readings, at the bottom."""

    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    for _ in range(8):
        ui_service.clock.advance(minutes=1)  # type: ignore[attr-defined]
        ui_service.record_vitals(nurse, sid, systolic=130, diastolic=80, heart_rate=80)
    view = session_window(qtbot, ui_service, sid, nurse)
    bar = view.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # more rows than the table shows
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    ui_service.clock.advance(minutes=1)  # type: ignore[attr-defined]
    ui_service.record_vitals(nurse, sid, systolic=186, diastolic=104, heart_rate=96)
    view.refresh()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
