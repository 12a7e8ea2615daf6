"""The trend chart drawn with reportlab graphics from ``charting.build_series``: the same
series, marks, fixed value axes, shapes, hues and words the app's trend plot draws
(``ui/session/trend_plot.py``; both from ``charting.plot_key`` and ``charting.plot_lane``).

Upper band: systolic ▼, diastolic ▲ and heart rate ● (dashed) on 40–220; lower band: SpO₂ ■
(80–100 %). Above them, an event lane: alerts as lettered octagons (N hollow: notify; P or D
filled: pause, do not start), PRN medicines ◆ and side effects ✕, each named by a word and
with a faint guide line down. Pauses are shaded, the infusion start
and stop are dashed lines. Late entries and off-scale values are drawn hollow. The legend
names each series and each kind of mark present, with its glyph as drawn.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from charting.plot_key import (
    MARK_STYLES,
    PLOT_BANDS,
    SERIES_STYLES,
    MarkKind,
    SeriesStyle,
    band_of,
    is_hollow,
    legend_entries,
    minute_label,
)
from charting.plot_lane import LaneMark, lane_marks, pack_rows, placing_order, pump_marks
from charting.series import AxisRange, SessionSeries, VitalPoint
from export.pdf.chart_parts import axis_caption, chart_text, grid_line, plot_frame, value_label
from export.pdf.fonts import FontSet
from export.pdf.styles import INK, MUTED, RULE
from export.pdf.trend_glyphs import MARK, MARKER, PAPER, legend, line_dash, marker

LEFT, RIGHT, BOTTOM = 36.0, 10.0, 24.0
LANE_ROW = 10.0
LANE_ROWS = 4
"""Paper has no tooltips: it may take one lane row more than the screen to keep marks apart."""
LABEL_SIZE = 6.0


class _Frame:
    """Maps minutes and values to drawing coordinates for one band (or the lane)."""

    def __init__(
        self, x0: float, x1: float, y0: float, y1: float, time: AxisRange, values: AxisRange
    ) -> None:
        self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1
        self.time, self.values = time, values

    def x(self, minutes: float) -> float:
        span = max(self.time.high - self.time.low, 1.0)
        return self.x0 + (minutes - self.time.low) / span * (self.x1 - self.x0)

    def y(self, value: float) -> float:
        clamped = self.values.clamp(value)
        span = self.values.high - self.values.low
        return self.y0 + (clamped - self.values.low) / span * (self.y1 - self.y0)


def _trace(
    style: SeriesStyle, points: Sequence[VitalPoint], frame: _Frame, fonts: FontSet
) -> Group:
    """One series: its line, then its markers over it (hollow when late or off scale)."""
    group = Group()
    band = band_of(style)
    colour = PAPER[style.glyph.hue]
    placed = [(frame.x(p.minutes), frame.y(p.value), is_hollow(p, band)) for p in points]
    for (xa, ya, _), (xb, yb, _) in itertools.pairwise(placed):
        group.add(
            Line(
                xa,
                ya,
                xb,
                yb,
                strokeColor=colour,
                strokeWidth=0.9,
                strokeDashArray=line_dash(style.glyph.line),
            )
        )
    for x, y, hollow in placed:
        group.add(marker(style.glyph, x, y, MARKER, fonts, hollow=hollow))
    return group


def _vertical(x: float, y: float, text: str, font: str, size: float) -> Group:
    """A label written bottom-to-top, centred on (x, y)."""
    label = String(0, 0, text, fontName=font, fontSize=size, fillColor=MUTED, textAnchor="middle")
    group = Group(label)
    group.translate(x, y)
    group.rotate(90)
    return group


def _per_point(frame: _Frame) -> float:
    """Minutes per point along the time axis."""
    return max(frame.time.high - frame.time.low, 1.0) / max(frame.x1 - frame.x0, 1.0)


def _lane_extent(
    mark: LaneMark, lane: _Frame, fonts: FontSet, *, with_word: bool
) -> tuple[float, float]:
    """The stretch of minutes a lane mark takes: its glyph (and the word after it)."""
    letter = MARK_STYLES[mark.kind].glyph.letter
    words = stringWidth(mark.short, fonts.regular, LABEL_SIZE) + 2
    after = words if with_word and not letter else 0.0
    per_point = _per_point(lane)
    return mark.minutes - (MARK + 1) * per_point, mark.minutes + (MARK + 1 + after) * per_point


def trend_chart(
    series: SessionSeries,
    fonts: FontSet,
    width: float,
    height: float,
    now_minutes: float | None = None,
) -> Drawing:
    """The trend chart of one session.

    Parameters
    ----------
    series : SessionSeries
        From ``charting.build_series`` (effective readings; marks on the time axis).
    fonts : FontSet
        The registered fonts.
    width, height : float
        Size of the drawing in points.
    now_minutes : float or None
        For a record still open, the print time in minutes on the chart's axis: marked "now",
        so a reader sees where the record stops and the session went on.

    Returns
    -------
    Drawing
        A reportlab drawing (a flowable) of the chart.
    """
    drawing = Drawing(width, height)
    key, lowest = legend(legend_entries(series), fonts, LEFT, width - RIGHT, height - 8)
    drawing.add(key)
    marks = lane_marks(series.marks)
    probe = _Frame(LEFT, width - RIGHT, 0, 1, series.time_axis, AxisRange(0, 1))
    spans = [_lane_extent(m, probe, fonts, with_word=False) for m in marks]
    wide = [_lane_extent(m, probe, fonts, with_word=True) for m in marks]
    rows = pack_rows(spans, LANE_ROWS, placing_order(marks), wide)
    lane_height = LANE_ROW * (max(rows, default=0) + 1)
    lane_top = lowest - 5
    lane = _Frame(
        LEFT, width - RIGHT, lane_top - lane_height, lane_top, series.time_axis, AxisRange(0, 1)
    )
    bands = _bands(series, lane.y0 - 4, width - RIGHT)
    _pause_shading(drawing, series, lane, bands)
    _value_grid(drawing, bands, fonts)
    _time_axis(drawing, series, bands, fonts)
    _pump_lines(drawing, series, lane, bands, fonts)
    _lane_guides(drawing, marks, lane, bands["spo2"])
    for frame in (lane, *bands.values()):
        drawing.add(plot_frame(frame.x0, frame.y0, frame.x1, frame.y1))
    drawing.add(
        chart_text(
            LEFT - 3, (lane.y0 + lane.y1) / 2 - 2, "Events", fonts.regular, 6.0, MUTED, "end"
        )
    )
    for style in SERIES_STYLES:
        frame = bands[style.band]
        drawing.add(_trace(style, series.vitals.points(style.key), frame, fonts))
    _lane_marks(drawing, marks, rows, lane, fonts)
    if now_minutes is not None:
        _now_line(drawing, now_minutes, lane, bands["spo2"], fonts)
    return drawing


def _now_line(drawing: Drawing, minutes: float, lane: _Frame, low: _Frame, fonts: FontSet) -> None:
    """The print time of an open record: a solid line labelled "now (print time)" across the
    chart, or, past the axis's end, a note at its right edge saying how far past. The words sit
    at the foot of the SpO₂ band, below where saturations run."""
    y = low.y0 + 2.5
    if minutes > lane.time.high:
        label = f"now (print time) {minute_label(round(minutes))} →"
        drawing.add(chart_text(low.x1 - 2, y, label, fonts.bold, 6.0, INK, "end"))
        return
    x = lane.x(max(minutes, lane.time.low))
    drawing.add(Line(x, low.y0, x, lane.y1, strokeColor=INK, strokeWidth=1.0))
    label = "now (print time)"
    if x + 2 + stringWidth(label, fonts.bold, 6.0) <= low.x1:
        drawing.add(chart_text(x + 2, y, label, fonts.bold, 6.0, INK))
    else:
        drawing.add(chart_text(x - 2, y, label, fonts.bold, 6.0, INK, "end"))


def _bands(series: SessionSeries, top: float, right: float) -> dict[str, _Frame]:
    """The upper band (blood pressure and heart rate) and the lower band (SpO₂) under ``top``."""
    gap = 7.0
    usable = top - BOTTOM - gap
    low_top = BOTTOM + usable * 0.3
    time = series.time_axis
    pressure, spo2 = PLOT_BANDS
    return {
        pressure.key: _Frame(LEFT, right, low_top + gap, top, time, pressure.range),
        spo2.key: _Frame(LEFT, right, BOTTOM, low_top, time, spo2.range),
    }


def _pause_shading(
    drawing: Drawing, series: SessionSeries, lane: _Frame, bands: dict[str, _Frame]
) -> None:
    """The infusion pauses, shaded across the lane and both bands (an open pause to the end)."""
    shade = PAPER[MARK_STYLES[MarkKind.INFUSION_PAUSED].glyph.hue]
    for pause in series.marks.pauses:
        end = pause.end_minutes if pause.end_minutes is not None else lane.time.high
        xa, xb = lane.x(pause.start_minutes), lane.x(end)
        bottom = bands["spo2"].y0
        drawing.add(Rect(xa, bottom, xb - xa, lane.y1 - bottom, fillColor=shade, strokeColor=None))


def _value_grid(drawing: Drawing, bands: dict[str, _Frame], fonts: FontSet) -> None:
    """The value grid lines and labels of both bands, and each band's vertical caption."""
    for band in PLOT_BANDS:
        frame = bands[band.key]
        for value in band.grid:
            y = frame.y(value)
            drawing.add(grid_line(frame.x0, frame.x1, y))
            drawing.add(value_label(frame.x0, y, value, fonts))
        drawing.add(_vertical(7, (frame.y0 + frame.y1) / 2, band.caption, fonts.regular, 6.0))


def _time_axis(
    drawing: Drawing, series: SessionSeries, bands: dict[str, _Frame], fonts: FontSet
) -> None:
    """Minute ticks and labels under the lower band, and what minute 0 is."""
    low = bands["spo2"]
    time = series.time_axis
    span = time.high - time.low
    step = 10 if span <= 120 else 20 if span <= 240 else 30
    minute = int(time.low // step) * step
    while minute <= time.high:
        if minute >= time.low:
            x = low.x(minute)
            drawing.add(Line(x, low.y0, x, low.y0 - 2, strokeColor=MUTED, strokeWidth=0.5))
            drawing.add(
                chart_text(x, low.y0 - 9, minute_label(minute), fonts.regular, 6.4, MUTED, "middle")
            )
        minute += step
    zero = "the infusion start" if series.anchored_to_infusion else "the session opening"
    drawing.add(axis_caption(low.x1, f"minutes from {zero}", fonts))


def _pump_lines(
    drawing: Drawing, series: SessionSeries, lane: _Frame, bands: dict[str, _Frame], fonts: FontSet
) -> None:
    """The infusion start and stop as dashed lines across the chart, a tick at each rate
    change, each named along the foot of the upper band (below where pressures run)."""
    ink = PAPER[MARK_STYLES[MarkKind.INFUSION_START_STOP].glyph.hue]
    bottom = bands["spo2"].y0
    pumps = pump_marks(series.marks)
    per_point = _per_point(lane)
    spans = [
        (p.minutes, p.minutes + (stringWidth(p.label, fonts.regular, LABEL_SIZE) + 5) * per_point)
        for p in pumps
    ]
    for pump, row in zip(pumps, pack_rows(spans, 2), strict=True):
        x = lane.x(pump.minutes)
        label_y = bands["pressure"].y0 + 2.5 + 7.5 * row
        if pump.kind is MarkKind.INFUSION_START_STOP:
            drawing.add(
                Line(
                    x, bottom, x, lane.y1, strokeColor=ink, strokeWidth=0.8, strokeDashArray=[3, 2]
                )
            )
        elif pump.kind is MarkKind.RATE_CHANGE:
            drawing.add(Line(x, lane.y0, x, lane.y0 - 5, strokeColor=ink, strokeWidth=0.8))
        drawing.add(chart_text(x + 2, label_y, pump.label, fonts.regular, LABEL_SIZE, MUTED))


def _lane_guides(drawing: Drawing, marks: tuple[LaneMark, ...], lane: _Frame, low: _Frame) -> None:
    """A faint dotted line from each lane mark down to the foot of the chart."""
    for mark in marks:
        x = lane.x(mark.minutes)
        drawing.add(
            Line(x, lane.y0, x, low.y0, strokeColor=RULE, strokeWidth=0.4, strokeDashArray=[1, 1.5])
        )


def _words_that_fit(
    marks: tuple[LaneMark, ...], rows: tuple[int, ...], lane: _Frame, fonts: FontSet
) -> set[int]:
    """The marks whose word (after the glyph) covers no other mark or word in its row: in a
    crowded hour the glyphs stay and the words give way (the tables below name each entry)."""
    glyphs = [
        (row, lane.x(m.minutes) - MARK, lane.x(m.minutes) + MARK)
        for m, row in zip(marks, rows, strict=True)
    ]
    words: list[tuple[int, float, float]] = []
    fitting: set[int] = set()
    for index in sorted(range(len(marks)), key=lambda i: marks[i].minutes):
        mark, row = marks[index], rows[index]
        if MARK_STYLES[mark.kind].glyph.letter:
            continue
        start = lane.x(mark.minutes) + MARK
        end = start + 1.5 + stringWidth(mark.short, fonts.regular, LABEL_SIZE)
        others = [g for i, g in enumerate(glyphs) if i != index] + words
        clear = all(r != row or e <= start or end <= b for r, b, e in others)
        if clear and end <= lane.x1:
            words.append((row, start, end))
            fitting.add(index)
    return fitting


def _lane_marks(
    drawing: Drawing,
    marks: tuple[LaneMark, ...],
    rows: tuple[int, ...],
    lane: _Frame,
    fonts: FontSet,
) -> None:
    """Each alert, PRN medicine and side effect in its lane row, named by a word where it
    fits (an alert by its letter)."""
    named = _words_that_fit(marks, rows, lane, fonts)
    for index in reversed(placing_order(marks)):  # alerts drawn last, on top
        mark, row = marks[index], rows[index]
        glyph = MARK_STYLES[mark.kind].glyph
        x, y = lane.x(mark.minutes), lane.y1 - LANE_ROW * (row + 0.5)
        r = MARK if glyph.letter else MARK * 0.8
        drawing.add(marker(glyph, x, y, r, fonts))
        if index in named:
            drawing.add(
                chart_text(x + MARK + 1.5, y - 2.1, mark.short, fonts.regular, LABEL_SIZE, INK)
            )
