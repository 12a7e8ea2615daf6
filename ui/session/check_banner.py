"""The session window's check banner: the chair's check level in the board's glyph, word and
colours ("‼ URGENT · Vitals overdue 17:00 — 2 checks missed"), and the pump past its planned
end in words. Hidden while nothing is due, late, missed or overrun."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from bedside.context import SessionContext
from charting.escalation import Escalation, MonitoringStatus, headline, monitoring_status
from ui.common.flash import Flasher, restyle


def banner_tone(status: MonitoringStatus) -> str:
    """The banner's colour: the check level, red at least while the pump is past its end."""
    level = status.level
    if status.overrun is not None:
        level = max(level, Escalation.LATE)
    return level.key


def banner_html(status: MonitoringStatus) -> str:
    """The checks led by their level, then the pump overrun, one line each ("" if neither)."""
    lines = []
    if status.level is not Escalation.NONE or status.missed:
        lines.append(escape(headline(status.level, status.words)))
    if status.overrun is not None:
        lines.append(f"⚠ {escape(status.overrun_text)}")
    return "<br>".join(lines)


class CheckBanner(QLabel):
    """Across the session window, below the alert banner: never clipped, never below the fold.

    Its ``tone`` and ``escalation`` properties carry the level (the style sheet colours them,
    as on the board); an urgent banner flashes with its own timer (``flasher``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkBanner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.flasher = Flasher(self)
        self.status: MonitoringStatus | None = None
        self.hide()

    def show_status(self, ctx: SessionContext, now: datetime) -> None:
        """Draw the session's checks and pump at ``now``."""
        self.status = status = monitoring_status(ctx.state, ctx.protocol, now)
        html = banner_html(status)
        restyle(self, "tone", banner_tone(status))
        restyle(self, "escalation", status.level.key)
        self.setText(html)
        self.setVisible(bool(html))
        self.flasher.watch(self, bool(html) and status.level.flashing)
