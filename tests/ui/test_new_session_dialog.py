"""Finding a patient for a free chair: the list says, by the core's eligibility rule, who may
start a session now and why the others may not, without reading any record per keystroke."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bedside.people import User
from bedside.service import ChartService
from bench.counting import counting
from ui.dialogs.new_session import WHY_NOT_ROLE, NewSessionDialog


def _rows(dialog: NewSessionDialog) -> dict[str, tuple[str, bool, str]]:
    out = {}
    for i in range(dialog.results.count()):
        item = dialog.results.item(i)
        mrn = item.text().split()[2]
        why = item.data(WHY_NOT_ROLE) or ""
        out[mrn] = (item.text().split("— ")[-1], not why, why)
    return out


def test_the_list_names_why_a_patient_may_not_start(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    dialog = NewSessionDialog(ui_service, 1, None, nurse)
    qtbot.addWidget(dialog)
    rows = _rows(dialog)
    assert rows["MRN-1001"] == ("session 5 of 6", True, "")
    assert rows["MRN-1003"][:2] == ("in chair 2 now", False)
    # Minh Nguyen's infusion this morning: the dialog now applies the one-a-day rule too.
    status, enabled, why = rows["MRN-1002"]
    assert (status, enabled) == ("already infused today", False)
    assert why.startswith("This patient already had an infusion today (session 1, started")


def test_typing_a_search_reads_no_record(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    dialog = NewSessionDialog(ui_service, 1, None, nurse)
    qtbot.addWidget(dialog)
    with counting() as counts:
        for text in ("D", "Do", "Doe", "", "MRN-100"):
            dialog.search.setText(text)
    assert (counts.reads, counts.folds) == (0, 0)


def test_clicking_a_patient_who_may_not_start_selects_them_and_says_why(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    """A walk found that a click on a greyed patient left the first patient selected, and
    Start session opened a session for someone the nurse never chose."""
    dialog = NewSessionDialog(ui_service, 1, None, nurse)
    qtbot.addWidget(dialog)
    dialog.show()
    rows = [dialog.results.item(i).text() for i in range(dialog.results.count())]
    assert "MRN-1001" in rows[0]  # Alex Doe may start: highlighted first
    garcia = next(i for i, text in enumerate(rows) if "MRN-1003" in text)
    rect = dialog.results.visualItemRect(dialog.results.item(garcia))
    qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.results.currentRow() == garcia
    assert dialog.hint.text().startswith("This patient already has an open session on chair 2")
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    assert dialog.patient_id is None  # refused: nobody's session opens
    assert dialog.isVisible()
