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
_BP_GRID = (60, 100, 140, 180, 220)  # BP/HR band grid lines and labels
_SPO2_GRID = (90, 100)  # SpO₂ band grid lines and labels (%)
# Margins around the two bands: value labels on the left, the alert marks and legend on top.
_LEFT, _RIGHT, _TOP = 44.0, 10.0, 32.0


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
        painter.fillRect(self.rect(), QColor(PALETTES[self.theme]["panel"]))
        if self.series is None:
            return
        s = self.series
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))
        painter.setFont(font)
        main, low = self._bands()
        self._draw_pauses(painter, s, main, low)
        self._draw_infusion_start_and_stop(painter, s, main, low)
        self._draw_axes(painter, s, main, low)
        self._draw_traces(painter, s, main, low)
        self._draw_alerts(painter, s, main)
        self._draw_prns(painter, s, low)
        self._draw_legend(painter, main)

    def _bands(self) -> tuple[QRectF, QRectF]:
        """The BP/HR band (about two thirds of the height) and the SpO₂ band below it."""
        width = self.width() - _LEFT - _RIGHT
        plot_height = self.height() - _TOP - 34
        main = QRectF(_LEFT, _TOP, width, plot_height * 0.68)
        low = QRectF(_LEFT, main.bottom() + 8, width, plot_height * 0.32 - 8)
        return main, low

    def _draw_pauses(self, painter: QPainter, s: SessionSeries, main: QRectF, low: QRectF) -> None:
        """Infusion pauses shaded across both bands; a pause still running shades to the end."""
        p = PALETTES[self.theme]
        time_axis = s.time_axis
        for pause in s.marks.pauses:
            end = pause.end_minutes if pause.end_minutes is not None else time_axis.high
            x0, x1 = self._x(pause.start_minutes, main, time_axis), self._x(end, main, time_axis)
            painter.fillRect(
                QRectF(x0, main.top(), x1 - x0, low.bottom() - main.top()), QColor(p["warning_bg"])
            )

    def _draw_infusion_start_and_stop(
        self, painter: QPainter, s: SessionSeries, main: QRectF, low: QRectF
    ) -> None:
        """The infusion start and stop as labelled dashed lines across both bands."""
        p = PALETTES[self.theme]
        for mark, label in ((s.marks.infusion_start, "start"), (s.marks.infusion_stop, "stop")):
            if mark is not None:
                x = self._x(mark.minutes, main, s.time_axis)
                painter.setPen(QPen(QColor(p["ok"]), 1.5, Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(x, main.top()), QPointF(x, low.bottom()))
                painter.setPen(QColor(p["ok"]))
                painter.drawText(QPointF(x + 3, main.top() + 10), label)

    def _draw_axes(self, painter: QPainter, s: SessionSeries, main: QRectF, low: QRectF) -> None:
        """Grid lines, value labels on the left, minute labels along the bottom, band frames."""
        p = PALETTES[self.theme]
        bp_axis = s.value_axis("systolic").range
        spo2_axis = s.value_axis("spo2").range
        painter.setPen(QPen(QColor(p["border"]), 1, Qt.PenStyle.DotLine))
        for value in _BP_GRID:
            y, _ = self._y(value, main, bp_axis)
            painter.drawLine(QPointF(main.left(), y), QPointF(main.right(), y))
        for value in _SPO2_GRID:
            y, _ = self._y(value, low, spo2_axis)
            painter.drawLine(QPointF(low.left(), y), QPointF(low.right(), y))
        painter.setPen(QColor(p["muted"]))
        for value in _BP_GRID:
            y, _ = self._y(value, main, bp_axis)
            self._draw_value_label(painter, y, str(value))
        for value in _SPO2_GRID:
            y, _ = self._y(value, low, spo2_axis)
            self._draw_value_label(painter, y, f"{value}%")
        self._draw_minute_labels(painter, s.time_axis, main, low)
        painter.setPen(QPen(QColor(p["border"]), 1))
        painter.drawRect(main)
        painter.drawRect(low)

    @staticmethod
    def _draw_value_label(painter: QPainter, y: float, label: str) -> None:
        """One value-axis label, right-aligned in the left margin at height ``y``."""
        painter.drawText(
            QRectF(0, y - 8, _LEFT - 6, 16),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            label,
        )

    def _draw_minute_labels(
        self, painter: QPainter, time_axis: AxisRange, main: QRectF, low: QRectF
    ) -> None:
        """Minutes from the infusion start under the lower band, every 10′ (30′ past two hours)."""
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

    def _draw_traces(self, painter: QPainter, s: SessionSeries, main: QRectF, low: QRectF) -> None:
        """BP and HR in the upper band, SpO₂ in the lower."""
        p = PALETTES[self.theme]
        bp_axis = s.value_axis("systolic").range
        spo2_axis = s.value_axis("spo2").range
        for key, _label, colour_name, marker in _TRACES:
            self._trace(
                painter,
                s.vitals.points(key),
                main,
                s.time_axis,
                bp_axis,
                QColor(p[colour_name]),
                marker,
            )
        self._trace(
            painter, s.vitals.points("spo2"), low, s.time_axis, spo2_axis, QColor(p["ok"]), "o"
        )

    def _draw_alerts(self, painter: QPainter, s: SessionSeries, main: QRectF) -> None:
        """Alerts as triangles above the upper band: amber to notify, red to pause or not start."""
        p = PALETTES[self.theme]
        for alert in s.marks.alerts:
            x = self._x(alert.minutes, main, s.time_axis)
            colour = QColor(p["warning" if alert.level is AlertLevel.NOTIFY else "danger"])
            tri = QPainterPath()
            tri.moveTo(x, main.top() - 2)
            tri.lineTo(x - 6, main.top() - 12)
            tri.lineTo(x + 6, main.top() - 12)
            tri.closeSubpath()
            painter.fillPath(tri, QBrush(colour))

    def _draw_prns(self, painter: QPainter, s: SessionSeries, low: QRectF) -> None:
        """PRN medicines as diamonds along the bottom of the lower band."""
        p = PALETTES[self.theme]
        for prn in s.marks.prns:
            x = self._x(prn.minutes, low, s.time_axis)
            painter.setPen(QColor(p["accent"]))
            painter.drawText(
                QRectF(x - 6, low.bottom() - 14, 12, 12), int(Qt.AlignmentFlag.AlignCenter), "◆"
            )

    def _draw_legend(self, painter: QPainter, main: QRectF) -> None:
        """The key to the markers, on one line above the plot."""
        painter.setPen(QColor(PALETTES[self.theme]["muted"]))
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
