"""A keystroke stays in the field it was typed in, and typing is thrown away only when asked.

A nurse typed "1860" for a systolic of 186: the field had moved on by itself after 186, the 0
became the diastolic and every later value landed one field down. And Escape on a filled form
closed it with no question. Both found on the vitals form; the second fixed for every charting
entry form.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from bedside.ids import SessionId
from bedside.people import User
from bedside.scales import ScaleName
from bedside.service import ChartService
from ui.dialogs.entries import TextEntryDialog
from ui.dialogs.entry_dialog import EntryDialog
from ui.dialogs.scale import ScaleDialog
from ui.dialogs.vitals import VitalsDialog

VALUES = ("systolic", "diastolic", "heart_rate", "spo2", "resp_rate")


def infusing(service: ChartService) -> SessionId:
    return service.busy_chairs(service.clock.now())[2]


class Questions(list[tuple[str, str]]):
    """The yes/no questions asked, as (window title, question), and the answers to give."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool] = []

    def answer(self, *replies: bool) -> None:
        """The next answers, in order (True: Yes, discard)."""
        self.answers.extend(replies)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.append((title, text))
        return self.answers.pop(0)


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    """``operations.confirm`` answered by the test (no real modal)."""
    asked = Questions()
    monkeypatch.setattr("ui.common.operations.confirm", asked.confirm)
    return asked


def shown(qtbot: QtBot, dialog: QDialog, focus: QWidget | None = None) -> None:
    qtbot.addWidget(dialog, before_close_func=QDialog.hide)  # a test's end, not an Escape
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    if focus is not None:
        focus.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is focus)


def type_keys(qtbot: QtBot, keys: str) -> None:
    """Type into whatever has focus, one key at a time, as a nurse would."""
    for ch in keys:
        target = QApplication.focusWidget()
        assert target is not None
        if ch == "\t":
            qtbot.keyClick(target, Qt.Key.Key_Tab)
        elif ch == "\n":
            qtbot.keyClick(target, Qt.Key.Key_Return)
        else:
            qtbot.keyClicks(target, ch)


# --- a digit too many ---------------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\t", " "], ids=["tab", "space"])
def test_a_digit_too_many_stays_in_its_field_and_shifts_no_later_value(
    qtbot: QtBot, ui_service: ChartService, nurse: User, separator: str
) -> None:
    sid = infusing(ui_service)
    before = len(ui_service.state(sid).events)
    dialog = VitalsDialog(ui_service, sid, nurse)
    shown(qtbot, dialog, dialog.fields["systolic"])
    type_keys(qtbot, separator.join(["1860", "90", "83", "96", "16"]) + "\n")
    typed = {key: dialog.fields[key].text() for key in VALUES}
    assert typed == {
        "systolic": "1860",  # the 0 stays where it was typed ...
        "diastolic": "90",  # ... and nothing after it moves one field down
        "heart_rate": "83",
        "spo2": "96",
        "resp_rate": "16",
    }
    # Refused in words naming the field and its range; nothing saved, the form kept as typed.
    assert dialog.isVisible()
    assert "Systolic BP 1860 mmHg is not possible (allowed 40–300 mmHg)" in dialog.message.text()
    assert len(ui_service.state(sid).events) == before


def test_a_full_value_never_moves_the_cursor_by_itself(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    dialog = VitalsDialog(ui_service, infusing(ui_service), nurse)
    shown(qtbot, dialog, dialog.fields["systolic"])
    type_keys(qtbot, "186")
    assert QApplication.focusWidget() is dialog.fields["systolic"]
    type_keys(qtbot, "0")
    assert dialog.fields["systolic"].text() == "1860"
    assert dialog.fields["diastolic"].text() == ""


# --- Escape on a filled form --------------------------------------------------------------------


def test_escape_on_typed_vitals_asks_no_keeps_the_form_yes_discards_it(
    qtbot: QtBot, ui_service: ChartService, nurse: User, questions: Questions
) -> None:
    sid = infusing(ui_service)
    before = len(ui_service.state(sid).events)
    dialog = VitalsDialog(ui_service, sid, nurse)
    shown(qtbot, dialog, dialog.fields["systolic"])
    type_keys(qtbot, "128 84")
    questions.answer(False)
    qtbot.keyClick(dialog.fields["diastolic"], Qt.Key.Key_Escape)
    assert questions == [(dialog.windowTitle(), "Discard the vitals you typed?")]
    assert dialog.isVisible()  # No: keep editing, with everything as typed
    assert (dialog.fields["systolic"].text(), dialog.fields["diastolic"].text()) == ("128", "84")
    # Cancel and closing the window ask the same.
    questions.answer(False, False)
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    dialog.close()
    assert len(questions) == 3
    assert dialog.isVisible()
    questions.answer(True)
    qtbot.keyClick(dialog.fields["diastolic"], Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.change is None
    assert len(ui_service.state(sid).events) == before


def test_escape_on_an_empty_vitals_form_closes_at_once(
    qtbot: QtBot, ui_service: ChartService, nurse: User, questions: Questions
) -> None:
    dialog = VitalsDialog(ui_service, infusing(ui_service), nurse)
    shown(qtbot, dialog, dialog.fields["systolic"])
    qtbot.keyClick(dialog.fields["systolic"], Qt.Key.Key_Escape)
    assert questions == []
    assert not dialog.isVisible()


def test_a_vitals_correction_asks_only_once_something_is_changed(
    qtbot: QtBot, ui_service: ChartService, nurse: User, questions: Questions
) -> None:
    sid = infusing(ui_service)
    entry = ui_service.state(sid).vitals[-1]
    untouched = VitalsDialog(ui_service, sid, nurse, correcting=entry)
    shown(qtbot, untouched)
    untouched.reject()
    assert questions == []
    assert not untouched.isVisible()
    changed = VitalsDialog(ui_service, sid, nurse, correcting=entry)
    shown(qtbot, changed, changed.fields["heart_rate"])
    type_keys(qtbot, "77")
    questions.answer(False)
    changed.reject()
    assert questions == [(changed.windowTitle(), "Discard the vitals you typed?")]
    assert changed.isVisible()


# --- the other charting forms share it ----------------------------------------------------------


def _note(service: ChartService) -> EntryDialog:
    return TextEntryDialog("Nursing note", "Note:", service.clock, service.timezone)


def _scale(service: ChartService) -> EntryDialog:
    return ScaleDialog(ScaleName.MOAAS, service.clock, service.timezone)


def _type_note(qtbot: QtBot, dialog: EntryDialog) -> None:
    assert isinstance(dialog, TextEntryDialog)
    dialog.editor.setFocus()
    qtbot.keyClicks(dialog.editor, "calm")


def _choose_score(qtbot: QtBot, dialog: EntryDialog) -> None:
    assert isinstance(dialog, ScaleDialog)
    combo = next(iter(dialog.items.combos.values()))
    combo.setCurrentIndex(0)


@pytest.mark.parametrize(
    ("make", "fill"), [(_note, _type_note), (_scale, _choose_score)], ids=["note", "scale"]
)
def test_every_entry_form_asks_before_throwing_typing_away(
    qtbot: QtBot,
    ui_service: ChartService,
    questions: Questions,
    make: Callable[[ChartService], EntryDialog],
    fill: Callable[[QtBot, EntryDialog], None],
) -> None:
    empty = make(ui_service)
    shown(qtbot, empty)
    qtbot.keyClick(empty, Qt.Key.Key_Escape)
    assert questions == []
    assert not empty.isVisible()
    dialog = make(ui_service)
    shown(qtbot, dialog)
    fill(qtbot, dialog)
    questions.answer(False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert questions == [(dialog.windowTitle(), "Discard what you typed?")]
    assert dialog.isVisible()
    questions.answer(True)
    dialog.reject()
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
