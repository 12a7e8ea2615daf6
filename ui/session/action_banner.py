"""A banner across the session window with one thing to do about it: words on the left, a big
button (with its key) on the right. Hidden until its owner shows it (the hold banner: charted
at another workstation; the fork banner: charted at two)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ActionBanner(QFrame):
    """``words`` and ``button``, styled by ``name`` and ``button_name`` (the style sheet)."""

    def __init__(
        self,
        name: str,
        button_name: str,
        label: str,
        tooltip: str,
        action: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 6, 6)
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.words, 1)
        self.button = QPushButton(label)
        self.button.setObjectName(button_name)
        self.button.setToolTip(tooltip)
        self.button.setMinimumHeight(44)
        self.button.setAutoDefault(False)  # Enter is not "press whatever has focus" here
        self.button.clicked.connect(action)
        row.addWidget(self.button)
        self.hide()
