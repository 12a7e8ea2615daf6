"""The vitals keypad: a full set in a dozen keystrokes, refusals in words, nothing half-saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from ui.dialogs.vitals import VitalsDialog
from ui.session.window import SessionView


def infusing(service: ChartService) -> SessionId:
    return service.busy_chairs(service.clock.now())[2]


def type_keys(qtbot: QtBot, keys: str) -> int:
    """Type into whatever has focus, as a person would; returns the number of keystrokes."""
    count = 0
    for ch in keys:
        target = QApplication.focusWidget()
        assert target is not None
        if ch == "\t":
            qtbot.keyClick(target, Qt.Key.Key_Tab)
        elif ch == "\n":
            qtbot.keyClick(target, Qt.Key.Key_Return)
        else:
            qtbot.keyClicks(target, ch)
        count += 1
    return count


def test_full_set_in_a_dozen_keystrokes(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = infusing(ui_service)
    dialog = VitalsDialog(ui_service, sid, nurse)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.fields["systolic"].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.fields["systolic"])
    # prefilled with the last set (142/88, 84, 97, 15): every field selected on focus
    assert dialog.fields["systolic"].text() == "142"
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        keys = type_keys(qtbot, "13690839616\n")  # 136/90, 83, 96, 16 then Enter
    assert keys <= 12
    reading = dialog.saved[0].payload
    assert (
        reading.systolic,
        reading.diastolic,
        reading.heart_rate,
        reading.spo2,
        reading.resp_rate,
    ) == (136, 90, 83, 96, 16)  # type: ignore[union-attr]


def test_impossible_value_is_refused_with_the_range_and_nothing_saved(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = infusing(ui_service)
    before = len(ui_service.state(sid).events)
    dialog = VitalsDialog(ui_service, sid, nurse)
    qtbot.addWidget(dialog)
    dialog.fields["spo2"].setText("101")
    dialog._save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "SpO2 101 % is not possible (allowed 50–100 %)" in dialog.message.text()
    dialog.fields["spo2"].setText("97")
    dialog.fields["systolic"].setText("80")
    dialog.fields["diastolic"].setText("90")
    dialog._save()
    assert "must be higher than diastolic" in dialog.message.text()
    assert len(ui_service.state(sid).events) == before


def test_abnormal_values_are_coloured_while_typing_and_saved_with_their_alert(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = infusing(ui_service)
    dialog = VitalsDialog(ui_service, sid, nurse)
    qtbot.addWidget(dialog)
    dialog.fields["systolic"].setText("186")
    dialog.fields["diastolic"].setText("104")
    assert dialog.fields["systolic"].property("level") == "pause"
    assert dialog.fields["heart_rate"].property("level") == ""
    dialog._save()
    kinds = [e.kind for e in dialog.saved]
    assert kinds == ["vitals_recorded", "alert_raised"]


def test_v_in_the_session_window_records_and_the_flowsheet_grows(
    qtbot: QtBot, ui_service: ChartService, nurse: User, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    sid = infusing(ui_service)
    view = SessionView(ui_service, sid, ui_service.clock, "dim", None, nurse)
    qtbot.addWidget(view)
    rows = view.model.rowCount()

    def fake_ask(service, session_id, user, theme="dim", parent=None):  # type: ignore[no-untyped-def]
        return service.record_vitals(
            user, session_id, systolic=130, diastolic=80, heart_rate=80, spo2=98, resp_rate=14
        )

    monkeypatch.setattr("ui.dialogs.vitals.VitalsDialog.ask", fake_ask)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    with qtbot.waitSignal(view.model.rowsInserted, timeout=2000):
        qtbot.keyClick(view, Qt.Key.Key_V)
    assert view.model.rowCount() == rows + 1


def test_baseline_decimals_move_on_after_one_decimal_and_never_run_together(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = ui_service.busy_chairs(ui_service.clock.now())[4]
    dialog = VitalsDialog(ui_service, sid, nurse, baseline=True)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    temperature = dialog.decimals["temperature_c"]
    temperature.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is temperature)
    type_keys(qtbot, "36.872")  # temperature, then the weight: no Tab needed after a decimal
    values = dialog.values()
    assert values["temperature_c"] == 36.8
    assert values["weight_kg"] == 72.0
    weight = dialog.decimals["weight_kg"]
    weight.setText("")
    weight.setFocus()
    type_keys(qtbot, "72.55")  # one decimal, then the next key goes to the next field
    assert weight.text() == "72.5"
