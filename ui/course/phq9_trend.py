"""The PHQ-9 trend across a course: the score before each session, with the response and
remission thresholds drawn as lines.

Drawn with QPainter from ``charting.course`` (the PDF draws the same points). The x axis has a
slot for every planned session, so the remaining sessions show as empty slots; the y axis is
the whole PHQ-9 range (0–27) with the severity cut-points 5/10/15/20 as faint grid lines, so
courses look alike. A point whose item 9 (self-harm thoughts) was above 0 is ringed.
"""

from __future__ import annotations

import math
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from bedside.scales import phq9
from charting.course import CourseSummary
from ui.common.theme import PALETTES

PHQ9_MAX = phq9.PHQ9_MAX
_GRID = phq9.CUT_POINTS
_LEFT, _RIGHT = 40.0, 16.0  # the score labels sit in the left margin


class Phq9TrendPlot(QWidget):
    """PHQ-9 before each session of a course, with response and remission lines."""

    def __init__(self, theme: str = "dim", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.summary: CourseSummary | None = None
        self.setObjectName("phq9Trend")
        self.setMinimumSize(420, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("PHQ-9 trend across the course")

    def set_summary(self, summary: CourseSummary) -> None:
        """Show a course's PHQ-9 points."""
        self.summary = summary
        points = ", ".join(f"session {p.number}: {p.total}" for p in summary.phq9)
        self.setAccessibleDescription(f"PHQ-9 before each session: {points or 'none yet'}")
        self.update()

    # --- geometry ---------------------------------------------------------------------------

    @staticmethod
    def _x(number: int, slots: int, area: QRectF) -> float:
        return area.left() + (number - 0.5) / slots * area.width()

    @staticmethod
    def _y(total: float, area: QRectF) -> float:
        return area.bottom() - max(0.0, min(total, PHQ9_MAX)) / PHQ9_MAX * area.height()

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(PALETTES[self.theme]["panel"]))
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))
        painter.setFont(font)
        area = self._plot_area(painter.fontMetrics().height())
        self._draw_title(painter)
        self._draw_score_axis(painter, area)
        s = self.summary
        if s is None or not s.phq9:
            painter.setPen(QColor(PALETTES[self.theme]["muted"]))
            painter.drawText(
                area, int(Qt.AlignmentFlag.AlignCenter), "No PHQ-9 scored in this course yet"
            )
            return
        slots = max(s.planned_infusions, s.sessions[-1].number if s.sessions else 0, 1)
        self._thresholds(painter, s, area)
        self._draw_session_slots(painter, s, slots, area)
        self._draw_scores(painter, s, slots, area)

    def _plot_area(self, line_h: float) -> QRectF:
        """The score area: score labels on the left, the title above, session slots below."""
        top, bottom = 12.0 + line_h * 1.6, 10.0 + line_h * 2.2
        return QRectF(_LEFT, top, self.width() - _LEFT - _RIGHT, self.height() - top - bottom)

    def _draw_title(self, painter: QPainter) -> None:
        """The plot's title, top left, saying which way is better."""
        painter.setPen(QColor(PALETTES[self.theme]["muted"]))
        painter.drawText(
            QPointF(_LEFT, 8 + painter.fontMetrics().ascent()),
            "PHQ-9 before each session  (0–27, lower is better)",
        )

    def _draw_score_axis(self, painter: QPainter, area: QRectF) -> None:
        """Severity cut-points as faint grid lines, the scores labelled on the left, a frame."""
        p = PALETTES[self.theme]
        line_h = painter.fontMetrics().height()
        painter.setPen(QPen(QColor(p["border"]), 1, Qt.PenStyle.DotLine))
        for value in _GRID:
            y = self._y(value, area)
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        painter.setPen(QColor(p["muted"]))
        for value in (0, *_GRID, PHQ9_MAX):
            y = self._y(value, area)
            painter.drawText(
                QRectF(0, y - line_h / 2, _LEFT - 8, line_h),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                str(value),
            )
        painter.setPen(QPen(QColor(p["border"]), 1))
        painter.drawRect(area)

    def _draw_session_slots(
        self, painter: QPainter, s: CourseSummary, slots: int, area: QRectF
    ) -> None:
        """Session slots along the bottom: the number, and the date of sessions held."""
        p = PALETTES[self.theme]
        metrics = painter.fontMetrics()
        line_h = metrics.height()
        dates = {r.number: r.date for r in s.sessions}
        # A long course labels every 2nd, 3rd… slot so the labels never run into each other.
        slot_w = area.width() / slots
        every = max(1, math.ceil((metrics.horizontalAdvance("00 Mmm") + 12) / slot_w))
        for number in range(1, slots + 1):
            if (number - 1) % every:
                continue
            x = self._x(number, slots, area)
            held = number in dates
            painter.setPen(QColor(p["text"] if held else p["muted"]))
            painter.drawText(
                QRectF(x - 40, area.bottom() + 4, 80, line_h),
                int(Qt.AlignmentFlag.AlignHCenter),
                f"#{number}",
            )
            if held:
                painter.setPen(QColor(p["muted"]))
                painter.drawText(
                    QRectF(x - 50, area.bottom() + 4 + line_h, 100, line_h),
                    int(Qt.AlignmentFlag.AlignHCenter),
                    dates[number].strftime("%d %b"),
                )

    def _draw_scores(self, painter: QPainter, s: CourseSummary, slots: int, area: QRectF) -> None:
        """The trend itself: the scores joined, each a dot labelled in bold, item 9 ringed."""
        p = PALETTES[self.theme]
        font = painter.font()
        line_h = painter.fontMetrics().height()
        accent = QColor(p["accent"])
        painter.setPen(QPen(accent, 2.2))
        points = [
            QPointF(self._x(pt.number, slots, area), self._y(pt.total, area)) for pt in s.phq9
        ]
        for a, b in pairwise(points):
            painter.drawLine(a, b)
        bold = QFont(font)
        bold.setBold(True)
        for pt, here in zip(s.phq9, points, strict=True):
            painter.setPen(QPen(accent, 2))
            painter.setBrush(QBrush(accent))
            painter.drawEllipse(here, 4.5, 4.5)
            if pt.item9_positive:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(QColor(p["warning"]), 2))
                painter.drawEllipse(here, 9.0, 9.0)
            painter.setFont(bold)
            painter.setPen(QColor(p["text"]))
            # Above the point, unless that would run into the top edge (scores near 27).
            above = here.y() - 12 - line_h >= area.top()
            label_top = here.y() - 12 - line_h if above else here.y() + 12
            painter.drawText(
                QRectF(here.x() - 30, label_top, 60, line_h),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
                str(pt.total),
            )
            painter.setFont(font)

    def _thresholds(self, painter: QPainter, s: CourseSummary, area: QRectF) -> None:
        """Response (half the first score) and remission (below 5) as dashed lines, labelled
        at the right end: remission under its line, response above its own, so the two labels
        stay apart when the lines are close."""
        p = PALETTES[self.theme]
        line_h = painter.fontMetrics().height()
        right = QRectF(area.left(), 0, area.width() - 6, line_h)
        remission = s.outcomes.remission_below
        y = self._y(remission, area)
        ok = QColor(p["ok"])
        painter.setPen(QPen(ok, 1.4, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        painter.setPen(ok)
        painter.drawText(
            right.translated(0, y + 2),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
            f"remission  < {remission}",
        )
        threshold = s.response_threshold
        if threshold is None or s.first_phq9 is None or s.first_phq9.total == 0:
            return
        drop = s.outcomes.response_drop_fraction * 100
        y = self._y(threshold, area)
        accent = QColor(p["accent"])
        painter.setPen(QPen(accent, 1.4, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        painter.setPen(accent)
        painter.drawText(
            right.translated(0, y - 2 - line_h),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
            f"response  ≤ {threshold:g}  ({drop:.0f} % below the first, {s.first_phq9.total})",
        )
