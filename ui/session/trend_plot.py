"""The trend plot: BP, HR and SpO₂ against minutes from the infusion start.

Drawn with QPainter from ``charting.build_series`` (the same series the PDF draws), with the
infusion start and stop, pauses (shaded), alerts (triangles along the top) and PRN medicines
(diamonds along the bottom). Fixed value axes keep sessions comparable; off-scale values are
drawn hollow at the edge.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from bedside.protocol import AlertLevel
from charting.series import AxisRange, SessionSeries, VitalPoint
from ui.common.theme import PALETTES

# (parameter, label, palette colour, marker) — BP as ▼/▲ as on paper sedation records.
_TRACES = (
    ("systolic", "SBP", "danger", "v"),
    ("diastolic", "DBP", "danger", "^"),
    ("heart_rate", "HR", "accent", "o"),
)


class TrendPlot(QWidget):
    """A compact two-band plot: BP/HR (40–220) above, SpO₂ (80–100 %) below."""

    def __init__(self, theme: str = "dim", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.series: SessionSeries | None = None
        self.setObjectName("trendPlot")
        self.setMinimumSize(420, 200)
        # Grows with the window (a 1080-pixel screen gets a readable plot), never below 200 px.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Trend of blood pressure, heart rate and SpO2")

    def set_series(self, series: SessionSeries) -> None:
        """Show a session's series."""
        self.series = series
        self.update()

    # --- geometry ---------------------------------------------------------------------------

    def _x(self, minutes: float, area: QRectF, axis: AxisRange) -> float:
        span = max(axis.high - axis.low, 1.0)
        return area.left() + (minutes - axis.low) / span * area.width()

    @staticmethod
    def _y(value: float, area: QRectF, axis: AxisRange) -> tuple[float, bool]:
        clamped = axis.clamp(value)
        y = area.bottom() - (clamped - axis.low) / (axis.high - axis.low) * area.height()
        return y, clamped != value

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        p = PALETTES[self.theme]
        painter.fillRect(self.rect(), QColor(p["panel"]))
        if self.series is None:
            return
        s = self.series
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))
        painter.setFont(font)
        left, right, top = 44.0, 10.0, 32.0
        width = self.width() - left - right
        main = QRectF(left, top, width, (self.height() - top - 34) * 0.68)
        low = QRectF(left, main.bottom() + 8, width, (self.height() - top - 34) * 0.32 - 8)
        time_axis = s.time_axis
        bp_axis = s.value_axis("systolic").range
        spo2_axis = s.value_axis("spo2").range
        grid = QPen(QColor(p["border"]), 1, Qt.PenStyle.DotLine)
        text = QColor(p["muted"])
        # pauses shaded, start/stop lines
        for pause in s.marks.pauses:
            end = pause.end_minutes if pause.end_minutes is not None else time_axis.high
            x0, x1 = self._x(pause.start_minutes, main, time_axis), self._x(end, main, time_axis)
            painter.fillRect(
                QRectF(x0, main.top(), x1 - x0, low.bottom() - main.top()), QColor(p["warning_bg"])
            )
        for mark, label in ((s.marks.infusion_start, "start"), (s.marks.infusion_stop, "stop")):
            if mark is not None:
                x = self._x(mark.minutes, main, time_axis)
                painter.setPen(QPen(QColor(p["ok"]), 1.5, Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(x, main.top()), QPointF(x, low.bottom()))
                painter.setPen(QColor(p["ok"]))
                painter.drawText(QPointF(x + 3, main.top() + 10), label)
        # grids and axis labels
        painter.setPen(grid)
        for value in (60, 100, 140, 180, 220):
            y, _ = self._y(value, main, bp_axis)
            painter.drawLine(QPointF(main.left(), y), QPointF(main.right(), y))
        for value in (90, 100):
            y, _ = self._y(value, low, spo2_axis)
            painter.drawLine(QPointF(low.left(), y), QPointF(low.right(), y))
        painter.setPen(text)
        for value in (60, 100, 140, 180, 220):
            y, _ = self._y(value, main, bp_axis)
            painter.drawText(
                QRectF(0, y - 8, left - 6, 16),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                str(value),
            )
        for value in (90, 100):
            y, _ = self._y(value, low, spo2_axis)
            painter.drawText(
                QRectF(0, y - 8, left - 6, 16),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"{value}%",
            )
        step = 10 if time_axis.high - time_axis.low <= 120 else 30
        minute = (int(time_axis.low) // step) * step
        while minute <= time_axis.high:
            x = self._x(minute, main, time_axis)
            if main.left() <= x <= main.right() - 14:  # the last label would be clipped
                painter.drawText(
                    QRectF(x - 20, low.bottom() + 2, 40, 14),
                    int(Qt.AlignmentFlag.AlignHCenter),
                    f"{minute:+d}′" if minute else "0′",
                )
            minute += step
        painter.setPen(QPen(QColor(p["border"]), 1))
        painter.drawRect(main)
        painter.drawRect(low)
        # traces
        for key, _label, colour_name, marker in _TRACES:
            self._trace(
                painter,
                s.vitals.points(key),
                main,
                time_axis,
                bp_axis,
                QColor(p[colour_name]),
                marker,
            )
        self._trace(
            painter, s.vitals.points("spo2"), low, time_axis, spo2_axis, QColor(p["ok"]), "o"
        )
        # alerts along the top, PRN along the bottom
        for alert in s.marks.alerts:
            x = self._x(alert.minutes, main, time_axis)
            colour = QColor(p["warning" if alert.level is AlertLevel.NOTIFY else "danger"])
            tri = QPainterPath()
            tri.moveTo(x, main.top() - 2)
            tri.lineTo(x - 6, main.top() - 12)
            tri.lineTo(x + 6, main.top() - 12)
            tri.closeSubpath()
            painter.fillPath(tri, QBrush(colour))
        for prn in s.marks.prns:
            x = self._x(prn.minutes, low, time_axis)
            painter.setPen(QColor(p["accent"]))
            painter.drawText(
                QRectF(x - 6, low.bottom() - 14, 12, 12), int(Qt.AlignmentFlag.AlignCenter), "◆"
            )
        # legend
        painter.setPen(text)
        painter.drawText(
            QPointF(main.left(), 12),
            "▼ SBP  ▲ DBP  ● HR   (lower band: SpO₂)   ▲ alert  ◆ PRN",
        )

    def _trace(
        self,
        painter: QPainter,
        points: tuple[VitalPoint, ...],
        area: QRectF,
        time_axis: AxisRange,
        value_axis: AxisRange,
        colour: QColor,
        marker: str,
    ) -> None:
        if not points:
            return
        painter.setPen(QPen(colour, 1.6))
        previous: QPointF | None = None
        for point in points:
            x = self._x(point.minutes, area, time_axis)
            y, off_scale = self._y(point.value, area, value_axis)
            here = QPointF(x, y)
            if previous is not None:
                painter.drawLine(previous, here)
            previous = here
            painter.setBrush(Qt.BrushStyle.NoBrush if off_scale or point.late else QBrush(colour))
            if marker == "o":
                painter.drawEllipse(here, 3.2, 3.2)
            else:
                sign = 1 if marker == "v" else -1
                tri = QPainterPath()
                tri.moveTo(x, y + 4 * sign)
                tri.lineTo(x - 4, y - 4 * sign)
                tri.lineTo(x + 4, y - 4 * sign)
                tri.closeSubpath()
                painter.drawPath(tri)
