"""Where each thing of the trend plot goes at a given widget size: the legend, the event lane,
the two value bands, every point and mark. The widget paints this scene and answers tooltips
from it, so a tooltip names exactly what was drawn under the pointer."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFontMetricsF

from charting.plot_key import (
    SERIES_STYLES,
    LegendEntry,
    MarkKind,
    PlotBand,
    SeriesStyle,
    band_of,
    is_hollow,
    legend_entries,
)
from charting.plot_lane import (
    MAX_LANE_ROWS,
    LaneMark,
    PumpMark,
    lane_marks,
    mark_words,
    pack_rows,
    placing_order,
    point_words,
    pump_marks,
    pump_words,
)
from charting.series import AxisRange, SessionSeries
from ui.session.trend_glyphs import MARK_RADIUS

LEFT, RIGHT = 46.0, 10.0
"""Margins: value labels on the left."""
SWATCH_WIDTH = 24.0
LANE_ROW = 19.0
BOTTOM = 18.0
"""Room for the minute labels under the lower band."""
SIDE_LEGEND_FROM = 560.0
"""From this widget width the legend goes beside the plot instead of above it."""
HIT_RADIUS = 8.0
"""How near the pointer must be to a point or mark for its tooltip (pixels)."""


@dataclass(frozen=True)
class PlacedLegend:
    """One legend entry: its swatch box and where its words go."""

    entry: LegendEntry
    swatch: QRectF
    text: QRectF


@dataclass(frozen=True)
class PlacedPoint:
    """One value as drawn."""

    style: SeriesStyle
    centre: QPointF
    hollow: bool
    words: str


@dataclass(frozen=True)
class PlacedMark:
    """One lane mark as drawn."""

    mark: LaneMark
    centre: QPointF
    words: str


@dataclass(frozen=True)
class PlacedPump:
    """A pump line (``x_end`` for a pause: where the shading ends) and its label's row."""

    mark: PumpMark
    x: float
    x_end: float | None
    words: str
    row: int


@dataclass
class Scene:
    """Everything the plot draws, placed."""

    legend: list[PlacedLegend]
    lane: QRectF
    bands: dict[str, QRectF]
    points: list[list[PlacedPoint]] = field(default_factory=list)
    marks: list[PlacedMark] = field(default_factory=list)
    pumps: list[PlacedPump] = field(default_factory=list)

    @property
    def top(self) -> float:
        """The top of the drawn area (the lane's top)."""
        return self.lane.top()

    @property
    def bottom(self) -> float:
        """The foot of the lowest band."""
        return max(rect.bottom() for rect in self.bands.values())

    def words_at(self, pos: QPointF) -> str | None:
        """The tooltip at ``pos``: the nearest marks and points within reach (several when
        they overlap, nearest first), else the pump line under the pointer, else None."""
        near: list[tuple[float, str]] = []
        for mark in self.marks:
            near.append((_distance(mark.centre, pos), mark.words))
        for series in self.points:
            near += [(_distance(p.centre, pos), p.words) for p in series]
        hits = sorted((d, words) for d, words in near if d <= HIT_RADIUS)
        if hits:
            return "\n".join(dict.fromkeys(words for _, words in hits[:4]))
        if not self.top <= pos.y() <= self.bottom:
            return None
        for pump in self.pumps:
            end = pump.x_end if pump.x_end is not None else pump.x
            if pump.x - 4 <= pos.x() <= end + 4:
                return pump.words
        return None


def _distance(a: QPointF, b: QPointF) -> float:
    return float(((a.x() - b.x()) ** 2 + (a.y() - b.y()) ** 2) ** 0.5)


def x_of(minutes: float, area: QRectF, axis: AxisRange) -> float:
    """The x of a minute on the time axis."""
    span = max(axis.high - axis.low, 1.0)
    return area.left() + (minutes - axis.low) / span * area.width()


def y_of(value: float, area: QRectF, axis: AxisRange) -> float:
    """The y of a value in a band (a value beyond the band at its edge)."""
    clamped = axis.clamp(value)
    return area.bottom() - (clamped - axis.low) / (axis.high - axis.low) * area.height()


def _legend_in_rows(
    entries: tuple[LegendEntry, ...], width: float, metrics: QFontMetricsF
) -> tuple[list[PlacedLegend], float]:
    """Legend entries flowed into rows across the top; returns them and the rows' foot."""
    row_height = metrics.height() + 3
    x, y = LEFT, 3.0
    placed = []
    for entry in entries:
        needed = SWATCH_WIDTH + 4 + metrics.horizontalAdvance(entry.short)
        if x > LEFT and x + needed > width - RIGHT:
            x, y = LEFT, y + row_height
        swatch = QRectF(x, y + 1, SWATCH_WIDTH, row_height - 2)
        text = QRectF(x + SWATCH_WIDTH + 4, y, needed - SWATCH_WIDTH - 4 + 2, row_height)
        placed.append(PlacedLegend(entry, swatch, text))
        x += needed + 12
    return placed, y + row_height


def _legend_in_column(
    entries: tuple[LegendEntry, ...], width: float, metrics: QFontMetricsF
) -> tuple[list[PlacedLegend], float]:
    """Legend entries one under another on the right; returns them and the column's left."""
    row_height = metrics.height() + 1
    text_width = max(metrics.horizontalAdvance(e.short) for e in entries) + 2
    left = width - RIGHT - SWATCH_WIDTH - 4 - text_width
    placed = [
        PlacedLegend(
            entry,
            QRectF(left, 4 + i * row_height + 1, SWATCH_WIDTH, row_height - 2),
            QRectF(left + SWATCH_WIDTH + 4, 4 + i * row_height, text_width, row_height),
        )
        for i, entry in enumerate(entries)
    ]
    return placed, left


def _place_legend(
    entries: tuple[LegendEntry, ...], width: float, height: float, metrics: QFontMetricsF
) -> tuple[list[PlacedLegend], float, float]:
    """The legend beside the plot when the widget is wide enough and the column fits its
    height (the plot keeps its height, the scarce direction beside a flowsheet), else in rows
    above it. Returns the placed entries, the top and the right edge left for the plot."""
    column_fits = (len(entries) * (metrics.height() + 1) + 8) <= height
    if width >= SIDE_LEGEND_FROM and column_fits:
        placed, left = _legend_in_column(entries, width, metrics)
        return placed, 3.0, left - 12
    placed, foot = _legend_in_rows(entries, width, metrics)
    return placed, foot + 3, width - RIGHT


def _lane_rows(
    marks: tuple[LaneMark, ...], lane: QRectF, axis: AxisRange, rows: int
) -> tuple[int, ...]:
    """Rows for the lane marks: each takes its glyph's width."""
    reach = (MARK_RADIUS + 1.5) * _minutes_per_pixel(lane, axis)
    spans = [(m.minutes - reach, m.minutes + reach) for m in marks]
    return pack_rows(spans, rows, placing_order(marks))


def _minutes_per_pixel(area: QRectF, axis: AxisRange) -> float:
    return max(axis.high - axis.low, 1.0) / max(area.width(), 1.0)


def _pump_rows(
    pumps: tuple[PumpMark, ...], lane: QRectF, axis: AxisRange, metrics: QFontMetricsF
) -> tuple[int, ...]:
    """Two rows for the pump labels, so a rate change and a pause close in time both read."""
    per_pixel = _minutes_per_pixel(lane, axis)
    spans = [
        (p.minutes, p.minutes + (metrics.horizontalAdvance(p.label) + 8) * per_pixel) for p in pumps
    ]
    return pack_rows(spans, 2)


def build_scene(
    series: SessionSeries, width: float, height: float, metrics: QFontMetricsF, tz: str | None
) -> Scene:
    """Place the whole plot in a ``width`` × ``height`` widget.

    Parameters
    ----------
    series : SessionSeries
        The session's series.
    width, height : float
        The widget's size.
    metrics : QFontMetricsF
        Of the font the legend is written in.
    tz : str or None
        The clinic's time zone for tooltips (None: minutes only).

    Returns
    -------
    Scene
        The placed legend, lane, bands, points, marks and pump lines.
    """
    legend, top, right = _place_legend(legend_entries(series), width, height, metrics)
    marks = lane_marks(series.marks)
    plot_width = right - LEFT
    probe = QRectF(LEFT, 0, plot_width, 1)
    # A short widget keeps two lane rows, so the values keep their height.
    rows = _lane_rows(marks, probe, series.time_axis, MAX_LANE_ROWS if height >= 260 else 2)
    lane = QRectF(LEFT, top, plot_width, LANE_ROW * (max(rows, default=0) + 1))
    plot_height = max(height - lane.bottom() - 4 - BOTTOM, 40.0)
    pressure = QRectF(LEFT, lane.bottom() + 4, plot_width, plot_height * 0.68)
    spo2 = QRectF(LEFT, pressure.bottom() + 8, plot_width, plot_height * 0.32 - 8)
    scene = Scene(legend, lane, {"pressure": pressure, "spo2": spo2})
    _place_points(scene, series, tz)
    time_axis = series.time_axis
    for index in reversed(placing_order(marks)):  # drawn in this order: alerts on top
        mark, row = marks[index], rows[index]
        centre = QPointF(x_of(mark.minutes, lane, time_axis), lane.top() + LANE_ROW * (row + 0.5))
        scene.marks.append(PlacedMark(mark, centre, mark_words(mark, tz)))
    pumps = pump_marks(series.marks)
    for pump, row in zip(pumps, _pump_rows(pumps, lane, time_axis, metrics), strict=True):
        end_minutes = pump.end_minutes
        if pump.end is None and pump.kind is MarkKind.INFUSION_PAUSED:
            end_minutes = time_axis.high  # a pause still running shades to the end
        x_end = x_of(end_minutes, lane, time_axis) if end_minutes is not None else None
        scene.pumps.append(
            PlacedPump(pump, x_of(pump.minutes, lane, time_axis), x_end, pump_words(pump, tz), row)
        )
    return scene


def _place_points(scene: Scene, series: SessionSeries, tz: str | None) -> None:
    """Every value of every series, in its band."""
    for style in SERIES_STYLES:
        band: PlotBand = band_of(style)
        area = scene.bands[band.key]
        scene.points.append(
            [
                PlacedPoint(
                    style,
                    QPointF(
                        x_of(p.minutes, area, series.time_axis), y_of(p.value, area, band.range)
                    ),
                    is_hollow(p, band),
                    point_words(style, p, band, tz),
                )
                for p in series.vitals.points(style.key)
            ]
        )
