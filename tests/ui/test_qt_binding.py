"""The Qt binding must not leak references to None (PySide6 6.12.0 did: the app aborted with
"none_dealloc" after about five minutes of chair-board refreshes)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(5000):
        label.setText("x")
        label.setVisible(False)
    # A healthy binding changes None's count by a handful at most, never by thousands down.
    assert sys.getrefcount(None) - before > -100
