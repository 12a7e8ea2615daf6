"""Correcting any entry from the session record, and the time each entry was taken."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal, session_window

from bedside.events import Kind, NoteAdded, ScaleScored, SideEffectNoted
from bedside.ids import EventId, SessionId
from bedside.people import User
from bedside.scales import ScaleName
from bedside.service import ChartService
from ui.dialogs.entries import SideEffectDialog, TextEntryDialog
from ui.dialogs.scale import ScaleDialog
from ui.dialogs.void import VoidEntry
from ui.session.window import SessionView


def _open(qtbot: QtBot, service: ChartService, nurse: User) -> tuple[SessionView, SessionId]:
    sid = service.busy_chairs(service.clock.now())[2]
    view = session_window(qtbot, service, sid, nurse)
    return view, sid


def _select(view: SessionView, event_id: EventId) -> None:
    model = view.record.model
    rows = [model.row_at(r) for r in range(model.rowCount())]
    row = next(
        r for r, shown in enumerate(rows) if shown is not None and shown.event_id == event_id
    )
    view.record.table.setFocus()
    view.record.table.selectRow(row)


def _press(qtbot: QtBot, view: SessionView, key: Qt.Key) -> None:
    """A key on the record, in the active window (a closing dialog hands activation back)."""
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.record.table, key)


def _local(service: ChartService, minutes: int) -> str:
    when = service.clock.now() - timedelta(minutes=minutes)
    return f"{when.astimezone(ZoneInfo(service.timezone)):%H:%M}"


def test_a_note_is_corrected_from_the_record_in_its_own_form(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    note = ui_service.add_note(nurse, sid, "Patient asleep").events[0]
    view.refresh()
    _select(view, note.id)

    def fix(dialog: TextEntryDialog) -> None:
        assert dialog.text() == "Patient asleep"  # starts from the entry as charted
        assert "Patient asleep" in dialog.findChild(type(dialog.message), "correcting").text()
        dialog.editor.setPlainText("Patient resting, eyes closed")  # type: ignore[union-attr]
        dialog.accept()
        assert dialog.isVisible()  # no reason yet: refused in the dialog
        assert "Reason for correction" in dialog.message.text()
        dialog.reason.setText("not asleep: resting")
        dialog.accept()

    answer_modal(TextEntryDialog, fix)
    _press(qtbot, view, Qt.Key.Key_C)
    state = ui_service.state(sid)
    assert note.id in state.superseded
    fixed = state.notes[-1]
    assert isinstance(fixed.payload, NoteAdded)
    assert fixed.payload.text == "Patient resting, eyes closed"
    assert fixed.reason == "not asleep: resting"
    assert fixed.clinical_time == note.clinical_time  # the time it was taken is kept


def test_a_side_effect_and_a_score_are_corrected_from_the_record(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    effect = ui_service.note_side_effect(nurse, sid, effect="nausea", severity=1).events[0]
    scored = ui_service.score_scale(nurse, sid, ScaleName.MOAAS, {"response": 5}).events[0]
    view.refresh()

    def worse(dialog: SideEffectDialog) -> None:
        assert dialog.effect.currentData() == "nausea"
        assert dialog.severity.checkedId() == 1
        dialog.severity.button(2).setChecked(True)
        dialog.reason.setText("graded too low")
        dialog.accept()

    _select(view, effect.id)
    answer_modal(SideEffectDialog, worse)
    _press(qtbot, view, Qt.Key.Key_C)

    def rescore(dialog: ScaleDialog) -> None:
        combo = dialog.items.combos["response"]
        assert combo.currentData() == 5
        combo.setCurrentIndex(combo.findData(4))
        dialog.reason.setText("scored the wrong line")
        dialog.accept()

    _select(view, scored.id)
    answer_modal(ScaleDialog, rescore)
    _press(qtbot, view, Qt.Key.Key_C)
    state = ui_service.state(sid)
    se = next(iter(state.side_effects.values()))
    assert isinstance(se.noted.payload, SideEffectNoted)
    assert se.noted.payload.severity == 2
    moaas = state.latest_scale(ScaleName.MOAAS)
    assert moaas is not None
    assert isinstance(moaas.payload, ScaleScored)
    assert moaas.payload.total == 4
    assert moaas.reason == "scored the wrong line"


def test_a_kind_never_corrected_says_what_to_do_instead(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    started = next(e for e in ui_service.state(sid).events if e.kind is Kind.INFUSION_STARTED)
    _select(view, started.id)
    _press(qtbot, view, Qt.Key.Key_C)
    assert "pump start entry is not corrected" in shown_errors[-1]
    assert "Chart a note" in shown_errors[-1]


def test_any_correctable_entry_is_voided_from_the_record_with_a_reason(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    effect = ui_service.note_side_effect(nurse, sid, effect="headache", severity=1).events[0]
    view.refresh()
    answers = [VoidEntry("no", wrong_patient=True), VoidEntry("charted for the wrong patient")]
    asked: list[Any] = []

    def reason(prompt: str, previous: VoidEntry | None, **k: Any) -> VoidEntry:
        asked.append(previous)
        return answers.pop(0)

    monkeypatch.setattr("ui.dialogs.void.VoidDialog.ask", reason)
    _select(view, effect.id)
    _press(qtbot, view, Qt.Key.Key_Delete)
    assert "reason" in shown_errors[-1].lower()  # too short: refused by the core ...
    # ... and asked again with what was typed and ticked
    assert asked == [None, VoidEntry("no", wrong_patient=True)]
    gone = ui_service.state(sid).superseded[effect.id]
    assert gone.voided
    assert not gone.wrong_patient  # the second answer unticked it


@pytest.mark.parametrize(
    ("button", "dialog_type"),
    [("note", TextEntryDialog), ("effect", SideEffectDialog), ("sedation", ScaleDialog)],
)
def test_every_entry_carries_the_time_it_was_taken(
    qtbot: QtBot, ui_service: ChartService, nurse: User, button: str, dialog_type: type
) -> None:
    view, sid = _open(qtbot, ui_service, nurse)
    typed = _local(ui_service, 6)

    def fill(dialog: Any) -> None:
        if isinstance(dialog, TextEntryDialog):
            dialog.editor.setPlainText("Calm")  # type: ignore[union-attr]
        elif isinstance(dialog, SideEffectDialog):
            dialog.effect.setCurrentIndex(dialog.effect.findData("dizziness"))
            dialog.severity.button(1).setChecked(True)
        else:
            combo = dialog.items.combos["response"]
            combo.setCurrentIndex(combo.findData(5))
        dialog.taken_at.edit.setText(typed)
        assert "(6 min ago)" in dialog.taken_at.shown.text()
        dialog.accept()

    answer_modal(dialog_type, fill)
    view.buttons[button].click()
    last = ui_service.state(sid).events[-1]
    assert last.clinical_time == ui_service.clock.now() - timedelta(minutes=6)
    assert last.recorded_time == ui_service.clock.now()


def test_the_side_effect_form_chooses_nothing_for_the_nurse(
    qtbot: QtBot, ui_service: ChartService
) -> None:
    dialog = SideEffectDialog(ui_service.clock, ui_service.timezone)
    qtbot.addWidget(dialog)
    assert dialog.effect.currentIndex() == -1
    assert dialog.severity.checkedId() == -1
    dialog.accept()
    assert "Effect: choose one" in dialog.message.text()
    dialog.effect.setCurrentIndex(dialog.effect.findData("nausea"))
    dialog.accept()
    assert "Severity: choose" in dialog.message.text()
    assert dialog.result() != dialog.DialogCode.Accepted


def test_a_note_saves_with_ctrl_enter_and_enter_makes_a_new_line(
    qtbot: QtBot, ui_service: ChartService
) -> None:
    dialog = TextEntryDialog(
        "Note", "Nursing note:", ui_service.clock, ui_service.timezone, multiline=True
    )
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.editor.setFocus()
    qtbot.keyClicks(dialog.editor, "Calm")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.editor, "music on")
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.text() == "Calm\nmusic on"
