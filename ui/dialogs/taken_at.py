"""When an entry was taken: empty means now; a clock time typed (``09:40``) means the latest
such moment, shown back in words before anything is saved. The core refuses a time in the
future or before the session opened; an entry charted long after it happened is marked late."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from bedside.clock import Clock
from bedside.errors import InputRejected
from bedside.timeutil import latest_clock_time, local_text


class TakenAtField(QWidget):
    """A "taken at" time: now unless the nurse types when the reading or dose really was."""

    def __init__(self, clock: Clock, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.tz = tz
        self._preset: tuple[str, datetime] | None = None
        """A moment shown by :meth:`set_value`, returned exactly (seconds included) while its
        text is left as it was."""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setObjectName("takenAt")
        self.edit.setPlaceholderText("now")
        self.edit.setMaximumWidth(90)
        self.edit.setToolTip("Leave empty for now, or type the time it was taken, e.g. 09:40")
        self.shown = QLabel()
        self.shown.setObjectName("takenAtShown")
        self.shown.setProperty("role", "muted")
        self.shown.setWordWrap(True)  # a refusal names the form to type; never clipped
        layout.addWidget(self.edit)
        layout.addWidget(self.shown, 1)
        self.edit.textChanged.connect(self._show_back)
        self._show_back()

    def _show_back(self) -> None:
        """What the typed time means, in words, as it is typed."""
        text = self.edit.text().strip()
        if not text:
            self.shown.setText("now")
            return
        try:
            when = self._moment(text)
        except ValueError as exc:
            self.shown.setText(f"✗ {exc}")
            return
        minutes = int((self.clock.now() - when).total_seconds() // 60)
        ago = "now" if minutes < 1 else f"{minutes} min ago"
        self.shown.setText(f"{local_text(when, self.tz, '%d %b %H:%M')} ({ago})")

    def value(self) -> datetime | None:
        """The moment typed, or None for now.

        Raises
        ------
        InputRejected
            When the text is not a time of day (the message names the field).
        """
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return self._moment(text)
        except ValueError as exc:
            raise InputRejected(f"Taken at: {exc}") from exc

    def _moment(self, text: str) -> datetime:
        if self._preset is not None and text == self._preset[0]:
            return self._preset[1]
        return latest_clock_time(text, self.clock.now(), self.tz)

    def set_value(self, when: datetime | None) -> None:
        """Show a moment (a correction starts from the entry's own time; a dialog reopened
        after a refusal keeps what was typed)."""
        text = "" if when is None else local_text(when, self.tz, "%H:%M")
        self._preset = None if when is None else (text, when)
        self.edit.setText(text)
