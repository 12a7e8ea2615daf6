"""The app's first window: on the screen within a moment of the start, where the board will be,
saying what is happening, while the record's models, the database and the board load behind
it (issue 13 item 5: a nurse sees the app answer at once, not a blank pause of half a second).

It holds nothing a nurse can act on and asks nothing: the sign-in (or the first run) opens
over it, then the board takes its place and it closes. Qt only, so it can be shown before the
domain is imported."""

from __future__ import annotations

import time

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.common import screen_fit, settings

OPENING = "Opening the clinic's record…"
OPENING_DEMO = "Opening the DEMO clinic (made-up patients, not for patient care)…"


class StartFrame(QWidget):
    """``Bedside — opening…`` with one line of words, at the board's remembered place.

    ``on_screen`` is emitted once, at the loop's turn after the first paint: what loads next
    blocks the loop, so it waits until the window is drawn. A window that is never painted
    (minimised, no compositor) emits it ``WAIT_FOR_PAINT_MS`` after it was shown all the same:
    the start never hangs on a paint. The wait counts from the show, not from the window's
    making, so a slow machine (a busy X server, a cold disk) is not cut short of its paint."""

    on_screen = Signal()
    WAIT_FOR_PAINT_MS = 1000

    def __init__(self, qsettings: QSettings, *, demo: bool = False) -> None:
        super().__init__()
        self.setObjectName("startFrame")
        self.setWindowTitle("Bedside DEMO — opening…" if demo else "Bedside — opening…")
        self.first_painted_ns: int | None = None  # time.monotonic_ns() of the first paint
        self.words = QLabel(OPENING_DEMO if demo else OPENING)
        self.words.setObjectName("startWords")
        # Centred by stretches, not by an alignment flag: the first use of PySide6's ``Qt``
        # namespace builds its few hundred enums (~25 ms), a cost the board pays anyway.
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.words)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addLayout(row)
        layout.addStretch()
        geometry = settings.MAIN_GEOMETRY.get(qsettings)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            screen_fit.fill_screen(self)
        self._told = False
        self._waiting = False

    def showEvent(self, event: QShowEvent) -> None:
        """Shown: from now on, the paint has ``WAIT_FOR_PAINT_MS`` to come."""
        super().showEvent(event)
        if not self._waiting:
            self._waiting = True
            QTimer.singleShot(self.WAIT_FOR_PAINT_MS, self, self._tell)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint, and note when the first paint was done (the start's first visible moment)."""
        super().paintEvent(event)
        if self.first_painted_ns is None:
            self.first_painted_ns = time.monotonic_ns()
            QTimer.singleShot(0, self, self._tell)

    def _tell(self) -> None:
        if not self._told:
            self._told = True
            self.on_screen.emit()
