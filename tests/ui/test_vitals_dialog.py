"""The vitals keypad: a full set from the keyboard, refusals in words, nothing half-saved."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

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


def test_full_set_typed_with_a_space_between_values(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    """A set from the keyboard: five values, Space (or Tab) between them, Enter. No field moves
    on by itself any more: that move is what put a digit too many into the next field."""
    sid = infusing(ui_service)
    dialog = VitalsDialog(ui_service, sid, nurse)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.fields["systolic"].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.fields["systolic"])
    # Empty, never the last set again by accident: the last values are shown beside the fields.
    assert dialog.fields["systolic"].text() == ""
    assert dialog.hints["systolic"].text() == "last 142"
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        keys = type_keys(qtbot, "136 90 83 96 16\n")  # 136/90, 83, 96, 16 then Enter
    assert keys == 16
    reading = dialog.saved[0].payload
    assert (
        reading.systolic,
        reading.diastolic,
        reading.heart_rate,
        reading.spo2,
        reading.resp_rate,
    ) == (136, 90, 83, 96, 16)  # type: ignore[union-attr]


def test_tab_after_each_value_never_skips_a_field(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    """A nurse who presses Tab after every value, as in every other form: each Tab moves one
    field, so 84 lands in the diastolic, not one down."""
    sid = infusing(ui_service)
    dialog = VitalsDialog(ui_service, sid, nurse)
    qtbot.addWidget(dialog, before_close_func=VitalsDialog.hide)  # not a nurse's Escape
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.fields["systolic"].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.fields["systolic"])
    type_keys(qtbot, "132\t84\t80\t98\t14\t")
    typed = {k: dialog.fields[k].text() for k in ("systolic", "diastolic", "heart_rate", "spo2")}
    assert typed == {"systolic": "132", "diastolic": "84", "heart_rate": "80", "spo2": "98"}
    assert dialog.fields["resp_rate"].text() == "14"
    # A Tab on a field the nurse came to herself still moves on (to skip a value not taken).
    dialog.fields["systolic"].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.fields["systolic"])
    type_keys(qtbot, "\t")
    assert QApplication.focusWidget() is dialog.fields["diastolic"]


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


def test_baseline_decimals_never_run_together_nor_into_the_next_field(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    """Decimals are separated like whole numbers. Two values typed without a separator stay in
    the field they were typed in and are refused in words (one decimal at most), never split
    by the dialog into the next field (which once made "72.55" a weight of 72.5 and a 5 in the
    height)."""
    sid = ui_service.busy_chairs(ui_service.clock.now())[4]
    dialog = VitalsDialog(ui_service, sid, nurse, baseline=True)
    qtbot.addWidget(dialog, before_close_func=VitalsDialog.hide)  # not a nurse's Escape
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    temperature = dialog.decimals["temperature_c"]
    weight = dialog.decimals["weight_kg"]
    temperature.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is temperature)
    type_keys(qtbot, "36.8 72 ")  # temperature, Space, the weight, Space
    values = dialog.values()
    assert values["temperature_c"] == 36.8
    assert values["weight_kg"] == 72.0
    assert QApplication.focusWidget() is dialog.decimals["height_cm"]
    weight.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is weight)
    type_keys(qtbot, "72.55")  # a 5 too many: it stays in the weight
    assert weight.text() == "72.55"
    assert dialog.decimals["height_cm"].text() == ""
    dialog._save()
    assert dialog.isVisible()
    assert "Weight 72.55 kg: one decimal at most" in dialog.message.text()


def test_v_then_enter_charts_nothing_and_says_why(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = infusing(ui_service)
    before = len(ui_service.state(sid).events)
    dialog = VitalsDialog(ui_service, sid, nurse)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    qtbot.keyClick(dialog.fields["systolic"], Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "needs at least one value" in dialog.message.text()
    assert len(ui_service.state(sid).events) == before


def test_copying_the_last_set_is_a_key_and_is_saved_as_copied(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = infusing(ui_service)
    last = ui_service.state(sid).vitals[-1]
    dialog = VitalsDialog(ui_service, sid, nurse)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.fields["heart_rate"].setFocus()
    qtbot.keyClicks(dialog.fields["heart_rate"], "91")  # measured now
    # Ctrl+L locks the workstation everywhere else: here it copies nothing.
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert dialog.fields["systolic"].text() == ""
    qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # "ditto"
    assert dialog.fields["systolic"].text() == "142"
    assert dialog.fields["heart_rate"].text() == "91"  # a typed value is never overwritten
    assert dialog.hints["systolic"].text() == "copied from the last set"
    # Typing over a copied value makes it measured again.
    dialog.fields["resp_rate"].setFocus()
    qtbot.keyClicks(dialog.fields["resp_rate"], "18")
    assert dialog.hints["resp_rate"].text() == "last 15"
    dialog._save()
    saved = dialog.saved[0].payload
    assert saved.copied == ("diastolic", "spo2", "systolic")  # type: ignore[union-attr]
    assert saved.copied_from == last.id  # type: ignore[union-attr]
    assert (saved.heart_rate, saved.resp_rate) == (91, 18)  # type: ignore[union-attr]


def test_a_reading_taken_earlier_is_saved_at_that_time(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    sid = infusing(ui_service)
    dialog = VitalsDialog(ui_service, sid, nurse)
    qtbot.addWidget(dialog)
    for key, text in {"systolic": "128", "diastolic": "80", "heart_rate": "76"}.items():
        dialog.fields[key].setText(text)
    now = ui_service.clock.now()
    taken = (now - timedelta(minutes=4)).astimezone(ZoneInfo("America/New_York"))
    qtbot.keyClicks(dialog.taken_at.edit, f"{taken:%H%M}")
    assert "(4 min ago)" in dialog.taken_at.shown.text()
    dialog._save()
    assert dialog.saved[0].clinical_time == taken.replace(second=0, microsecond=0)
    assert dialog.saved[0].recorded_time == now
