"""Voiding an entry asks why and whether it was charted on the wrong patient's record: a box
the nurse ticks herself (never ticked for her), kept when the core refuses and asks again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal, session_window

from bedside.people import User
from bedside.service import ChartService
from ui.dialogs.void import WRONG_PATIENT_LABEL, VoidDialog, VoidEntry
from ui.session.record_model import ENTRY


def test_the_box_starts_unticked_and_the_answer_is_a_plain_value(qtbot: QtBot) -> None:
    dialog = VoidDialog("Void: Note · Wants tea")
    qtbot.addWidget(dialog)
    assert dialog.wrong_patient.text() == WRONG_PATIENT_LABEL
    assert "withheld from printouts" in WRONG_PATIENT_LABEL
    assert not dialog.wrong_patient.isChecked()
    assert dialog.entry() == VoidEntry("", wrong_patient=False)
    qtbot.keyClicks(dialog.reason, "  charted on the wrong chair ")
    dialog.wrong_patient.click()
    assert dialog.entry() == VoidEntry("charted on the wrong chair", wrong_patient=True)
    # Asked again after a refusal: what she typed and ticked, not a default.
    again = VoidDialog("Void", dialog.entry())
    qtbot.addWidget(again)
    assert again.reason.text() == "charted on the wrong chair"
    assert again.wrong_patient.isChecked()


def test_a_wrong_patient_void_from_the_record_keeps_the_box_through_a_refusal(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    note = ui_service.add_note(nurse, sid, "Chair 3 patient asking for water").events[0]
    view = session_window(qtbot, ui_service, sid, nurse)
    seen: list[VoidEntry] = []

    def too_short(dialog: VoidDialog) -> None:
        seen.append(dialog.entry())
        qtbot.keyClicks(dialog.reason, "no")
        dialog.wrong_patient.click()
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # Enter is "Void"

    def explained(dialog: VoidDialog) -> None:
        seen.append(dialog.entry())
        dialog.reason.setText("charted on the wrong chair")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    answer_modal(VoidDialog, too_short)
    answer_modal(VoidDialog, explained)
    model = view.record.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).event_id == note.id)  # type: ignore[union-attr]
    view.record.table.setFocus()
    view.record.table.selectRow(row)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.record.table, Qt.Key.Key_Delete)
    assert "reason" in shown_errors[-1].lower()
    assert seen == [VoidEntry(""), VoidEntry("no", wrong_patient=True)]
    gone = ui_service.state(sid).superseded[note.id]
    assert gone.voided
    assert gone.wrong_patient
    # Staff still read the words, struck, with the category beside the reason.
    row = next(r for r in range(model.rowCount()) if model.row_at(r).event_id == note.id)  # type: ignore[union-attr]
    text = model.index(row, ENTRY).data()
    assert text.startswith("Chair 3 patient asking for water")
    assert "charted on the wrong chair (wrong patient)" in text
