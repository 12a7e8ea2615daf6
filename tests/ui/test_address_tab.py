"""Tab in the clinic's address moves to the next box (it typed a tab into the address, and the
next field's words after it: a newcomer walk printed "12 Lake Rd, Springfield    America/Chi")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.board.first_run_dialog import FirstRunDialog


def test_tab_leaves_the_address_box(qtbot: QtBot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.clinic_address.setFocus()
    qtbot.keyClicks(dialog.clinic_address, "12 Lake Rd")
    qtbot.keyClick(dialog.clinic_address, Qt.Key.Key_Tab)
    assert dialog.clinic_address.toPlainText() == "12 Lake Rd"
    assert dialog.message.property("role") == "danger"
