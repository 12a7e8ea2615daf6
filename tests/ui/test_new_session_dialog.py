"""Finding a patient for a free chair: the list says, by the core's eligibility rule, who may
start a session now and why the others may not, without reading any record per keystroke."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bedside.people import User
from bedside.service import ChartService
from bench.counting import counting
from ui.dialogs.new_session import NewSessionDialog


def _rows(dialog: NewSessionDialog) -> dict[str, tuple[str, bool, str]]:
    out = {}
    for i in range(dialog.results.count()):
        item = dialog.results.item(i)
        mrn = item.text().split()[2]
        enabled = bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)
        out[mrn] = (item.text().split("— ")[-1], enabled, item.toolTip())
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


def test_choosing_a_patient_who_may_not_start_says_why(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    dialog = NewSessionDialog(ui_service, 1, None, nurse)
    qtbot.addWidget(dialog)
    dialog.search.setText("MRN-1002")
    dialog.results.setCurrentRow(0)
    dialog._choose()
    assert dialog.patient_id is None
    assert dialog.hint.text().startswith("This patient already had an infusion today")
