"""Flashing for the loudest escalation level (charting.escalation: URGENT), driven by one timer.

A flashing widget carries the property ``flash`` = ``"on"`` or ``"off"``, alternated by the
timer; the style sheet draws the two phases (both readable: the words never blink away). The
timer runs only while something flashes, and a test steps it with :meth:`Flasher.step` instead
of waiting.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

FLASH_INTERVAL_MS = 700
"""Each phase lasts 0.7 s: under one flash per second, far below the three per second that
WCAG 2.3.1 sets as the limit for flashing content, and slow enough to read through."""


def restyle(widget: QWidget, name: str, value: str, *, children: bool = False) -> None:
    """Set a property the style sheet selects on, re-applying the style only when it changed
    (re-styling every tile every second repainted the whole board for nothing); ``children``
    re-applies it to the widgets inside too (their rules may select on this property)."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    for each in (widget, *(widget.findChildren(QWidget) if children else ())):
        each.style().unpolish(each)
        each.style().polish(each)


class Flasher(QObject):
    """Alternates ``flash`` between "on" and "off" on the widgets it is told flash."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(FLASH_INTERVAL_MS)
        self.timer.timeout.connect(self.step)
        self.lit = True
        """The current phase: True draws the "on" look."""
        self._widgets: list[QWidget] = []

    @property
    def flashing(self) -> tuple[QWidget, ...]:
        """The widgets flashing now."""
        return tuple(self._widgets)

    def watch(self, widget: QWidget, flashing: bool) -> None:
        """Flash ``widget`` or stop flashing it (its ``flash`` property then reads "off")."""
        if flashing and widget not in self._widgets:
            self._widgets.append(widget)
        elif not flashing and widget in self._widgets:
            self._widgets.remove(widget)
        restyle(widget, "flash", "on" if flashing and self.lit else "off", children=True)
        if self._widgets and not self.timer.isActive():
            self.timer.start()
        elif not self._widgets:
            self.timer.stop()

    def step(self) -> None:
        """One phase on: what the timer does, and what a test calls instead of waiting."""
        self.lit = not self.lit
        for widget in self._widgets:
            restyle(widget, "flash", "on" if self.lit else "off", children=True)
