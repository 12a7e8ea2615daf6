"""A clinic time-zone chooser: every IANA zone, typed or picked, matching any part of the name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from bedside.timeutil import known_timezones


class TimezoneBox(QComboBox):
    """Editable list of zone names; typing "york" offers America/New_York. The text is what is
    saved, so a name the list does not know is refused by the domain in words, not replaced."""

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(sorted(known_timezones()))
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        self.setCurrentText(current)
        edit = self.lineEdit()
        if edit is not None and not current:
            edit.setPlaceholderText("not set: type or choose the clinic's zone")

    def zone(self) -> str:
        """The zone name as shown (trimmed)."""
        return self.currentText().strip()
