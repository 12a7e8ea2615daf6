"""The trend plot: BP and heart rate, and SpO₂, against minutes from the infusion start.

Drawn with QPainter from ``charting.build_series`` (the same series the PDF draws), in the
shapes, hues and words ``charting.plot_key`` gives both: each series its own colour *and*
marker (and line), a legend drawn with the plot's own glyphs, and an event lane above the
values for alerts (a lettered octagon: N notify, P pause, D do not start), PRN medicines (◆)
and side effects (✕), each with a faint guide line down to the values. The pump's start and stop are dashed lines, its pauses shaded. Fixed value axes keep
sessions comparable; late and off-scale values are drawn hollow (off-scale at the band's edge).
Hovering any point or mark names it (time, series and value, or what happened).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from charting.plot_key import MARK_STYLES, PLOT_BANDS, MarkKind, Shape, minute_label
from charting.series import AxisRange, SessionSeries
from ui.common.theme import PALETTES
from ui.session.trend_glyphs import (
    MARK_RADIUS,
    MARKER_RADIUS,
    draw_marker,
    draw_swatch,
    hue_colour,
    line_pen,
)
from ui.session.trend_scene import LEFT, Scene, build_scene, x_of, y_of


class TrendPlot(QWidget):
    """A two-band plot under an event lane and a legend: BP/HR above, SpO₂ below."""

    def __init__(self, theme: str = "dim", tz: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self.tz = tz
        """The clinic's time zone, for clock times in tooltips (None: minutes only)."""
        self.series: SessionSeries | None = None
        self._scene: tuple[tuple[int, int, int], Scene] | None = None
        self.setObjectName("trendPlot")
        self.setMinimumSize(420, 220)
        # Grows with the window (a 1080-pixel screen gets a readable plot).
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Trend of blood pressure, heart rate and SpO2, with events")

    def sizeHint(self) -> QSize:
        """Tall enough for the legend, the event lane and two readable bands."""
        return QSize(600, 300)

    def set_series(self, series: SessionSeries) -> None:
        """Show a session's series."""
        self.series = series
        self._scene = None
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._scene = None
        super().resizeEvent(event)

    # --- what is drawn where ------------------------------------------------------------------

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() - 2))
        return font

    def scene(self) -> Scene | None:
        """Where everything is drawn at the current size (None before a series is set)."""
        if self.series is None:
            return None
        key = (id(self.series), self.width(), self.height())
        if self._scene is None or self._scene[0] != key:
            metrics = QFontMetricsF(self._font())
            scene = build_scene(self.series, self.width(), self.height(), metrics, self.tz)
            self._scene = (key, scene)
        return self._scene[1]

    def tooltip_at(self, pos: QPointF) -> str | None:
        """The words for what is drawn at ``pos`` (a point, a mark or a pump line), or None."""
        scene = self.scene()
        return scene.words_at(pos) if scene is not None else None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            words = self.tooltip_at(QPointF(event.pos()))
            if words:
                QToolTip.showText(event.globalPos(), words, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # --- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(PALETTES[self.theme]["panel"]))
        scene = self.scene()
        if scene is None or self.series is None:
            return
        painter.setFont(self._font())
        self._draw_pauses(painter, scene)
        self._draw_axes(painter, scene, self.series.time_axis)
        self._draw_guides(painter, scene)
        self._draw_traces(painter, scene)
        self._draw_lane(painter, scene)
        self._draw_legend(painter, scene)

    def _colour(self, name: str) -> QColor:
        return QColor(PALETTES[self.theme][name])

    def _draw_pauses(self, painter: QPainter, scene: Scene) -> None:
        """Infusion pauses shaded across the lane and both bands."""
        for pump in scene.pumps:
            if pump.mark.kind is MarkKind.INFUSION_PAUSED and pump.x_end is not None:
                box = QRectF(pump.x, scene.top, pump.x_end - pump.x, scene.bottom - scene.top)
                painter.fillRect(box, self._colour("warning_bg"))

    def _draw_axes(self, painter: QPainter, scene: Scene, time_axis: AxisRange) -> None:
        """Grid lines and value labels of each band, the minute labels, the frames, the lane."""
        painter.setPen(self._colour("muted"))
        painter.drawText(
            QRectF(0, scene.lane.top(), LEFT - 6, scene.lane.height()),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            "Events",
        )
        for band in PLOT_BANDS:
            area = scene.bands[band.key]
            for value in band.grid:
                y = y_of(value, area, band.range)
                painter.setPen(QPen(self._colour("border"), 1, Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
                painter.setPen(self._colour("muted"))
                painter.drawText(
                    QRectF(0, y - 8, LEFT - 6, 16),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                    f"{value}{band.unit_suffix}",
                )
        self._draw_minute_labels(painter, scene, time_axis)
        painter.setPen(QPen(self._colour("border"), 1))
        for rect in (scene.lane, *scene.bands.values()):
            painter.drawRect(rect)

    def _draw_minute_labels(self, painter: QPainter, scene: Scene, time_axis: AxisRange) -> None:
        """Minutes from the zero under the lower band, every 10′ (30′ past two hours)."""
        step = 10 if time_axis.high - time_axis.low <= 120 else 30
        minute = (int(time_axis.low) // step) * step
        while minute <= time_axis.high:
            x = x_of(minute, scene.lane, time_axis)
            if scene.lane.left() <= x <= scene.lane.right() - 14:  # the last would be clipped
                painter.drawText(
                    QRectF(x - 20, scene.bottom + 2, 40, 14),
                    int(Qt.AlignmentFlag.AlignHCenter),
                    minute_label(minute),
                )
            minute += step

    def _draw_guides(self, painter: QPainter, scene: Scene) -> None:
        """Pump lines and labels across the plot; a faint guide from each lane mark down."""
        ink = hue_colour(self.theme, MARK_STYLES[MarkKind.INFUSION_START_STOP].glyph.hue)
        for pump in scene.pumps:
            top = QPointF(pump.x, scene.top)
            if pump.mark.kind is MarkKind.INFUSION_START_STOP:
                painter.setPen(QPen(ink, 1.2, Qt.PenStyle.DashLine))
                painter.drawLine(top, QPointF(pump.x, scene.bottom))
            elif pump.mark.kind is MarkKind.RATE_CHANGE:
                painter.setPen(QPen(ink, 1.2))
                painter.drawLine(top, QPointF(pump.x, scene.lane.bottom() + 6))
            # Along the foot of the upper band, below where blood pressures and heart rates run.
            painter.setPen(self._colour("muted"))
            painter.drawText(
                QPointF(pump.x + 3, scene.bands["pressure"].bottom() - 3 - 12 * pump.row),
                pump.mark.label,
            )
        painter.setPen(QPen(self._colour("muted"), 1, Qt.PenStyle.DotLine))
        for mark in scene.marks:
            x = mark.centre.x()
            painter.drawLine(QPointF(x, scene.lane.bottom()), QPointF(x, scene.bottom))

    def _draw_traces(self, painter: QPainter, scene: Scene) -> None:
        """Each series: its line, then its markers over it."""
        panel = self._colour("panel")
        for points in scene.points:
            if not points:
                continue
            glyph = points[0].style.glyph
            colour = hue_colour(self.theme, glyph.hue)
            painter.setPen(line_pen(glyph.line, colour))
            path = QPainterPath(points[0].centre)
            for point in points[1:]:
                path.lineTo(point.centre)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            for point in points:
                draw_marker(
                    painter, glyph, point.centre, MARKER_RADIUS, colour, panel, hollow=point.hollow
                )

    def _draw_lane(self, painter: QPainter, scene: Scene) -> None:
        """Alerts, PRN medicines and side effects in the event lane."""
        panel = self._colour("panel")
        for placed in scene.marks:
            glyph = MARK_STYLES[placed.mark.kind].glyph
            colour = hue_colour(self.theme, glyph.hue)
            radius = MARK_RADIUS if glyph.shape is Shape.OCTAGON else MARK_RADIUS * 0.8
            draw_marker(painter, glyph, placed.centre, radius, colour, panel)

    def _draw_legend(self, painter: QPainter, scene: Scene) -> None:
        """The key: each series and mark with its glyph exactly as drawn, and its words."""
        for placed in scene.legend:
            draw_swatch(painter, placed.entry.glyph, placed.swatch, self.theme)
            painter.setPen(self._colour("text"))
            painter.drawText(
                placed.text,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                placed.entry.short,
            )
