"""A check box whose words wrap (a QCheckBox's own text never wraps and is clipped at the
dialog's edge): the box, and beside it a wrapped label that ticks it when tapped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget


class ToggleLabel(QLabel):
    """A wrapped label that ticks its check box when tapped."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.box = box
        self.setWordWrap(True)
        self.setBuddy(box)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.box.isEnabled():
            self.box.toggle()


def wrapped_check(box: QCheckBox, text: str) -> QWidget:
    """``box`` (without text of its own; its accessible name is ``text``) with ``text`` wrapped
    beside it."""
    box.setText("")
    box.setAccessibleName(text)
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    line.addWidget(ToggleLabel(text, box), 1)
    return row
