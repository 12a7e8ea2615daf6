"""The PHQ-9 trend of a course, drawn with reportlab graphics from ``charting.course``: the same
points, axes and thresholds the app's course view draws (``ui/phq9_trend.py``).

The x axis has a slot for every planned session (remaining sessions are empty slots, labelled
with their number only); the y axis is the whole PHQ-9 range 0–27 with the severity cut-points
5/10/15/20 as faint grid lines and the band names at the left, so every course looks alike.
The response threshold (a fall of the definition's fraction from the first score) and the
remission threshold are dashed lines labelled in the right margin, where no label can cover a
point; the legend says what each means. A point whose item 9 (thoughts of self-harm) was above
0 is ringed.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from reportlab.graphics.shapes import Circle, Drawing, Line
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from bedside.scales import phq9
from charting.course_summary import CourseSummary
from export.pdf.chart_parts import axis_caption, chart_text, grid_line, plot_frame, value_label
from export.pdf.fonts import FontSet
from export.pdf.styles import DANGER, INK, MUTED, OK

GRID = phq9.CUT_POINTS
PHQ9_MAX = phq9.PHQ9_MAX
BANDS = tuple((band.low, band.short) for band in phq9.BANDS)
"""PHQ-9 severity bands by lower bound (Kroenke 2001, CLINICAL.md §8.1)."""

POINT_COLOUR = colors.HexColor("#1f4e9c")
RESPONSE_COLOUR = OK
REMISSION_COLOUR = colors.HexColor("#6a3d9a")

LEFT, RIGHT, BOTTOM = 62.0, 70.0, 30.0
"""Margins of the plot inside the drawing: severity bands and values left, the threshold labels
right, session numbers and dates below (the legend above takes what it needs)."""
TOP_GAP = 14.0
"""From the legend's last baseline down to the top of the plot (room for a value label)."""

LABEL_SIZE = 6.8
LABEL_GAP = 8.5
"""Least vertical distance between two threshold labels."""


def slots(summary: CourseSummary) -> int:
    """Slots on the x axis: every planned session, and every charted one beyond the plan."""
    charted = max((r.number for r in summary.sessions), default=0)
    return max(summary.planned_infusions, charted, 1)


def phq9_chart(summary: CourseSummary, fonts: FontSet, width: float, height: float) -> Drawing:
    """The PHQ-9 trend of a course.

    Parameters
    ----------
    summary : CourseSummary
        From ``charting.course_summary`` (points, thresholds, outcome definition).
    fonts : FontSet
        The registered fonts.
    width, height : float
        Size of the drawing in points.

    Returns
    -------
    Drawing
        A reportlab drawing (a flowable) of the chart.
    """
    drawing = Drawing(width, height)
    legend_y = _legend(drawing, summary, fonts, height)
    x0, x1 = LEFT, width - RIGHT
    y0, y1 = BOTTOM, legend_y - TOP_GAP
    count = slots(summary)
    step = (x1 - x0) / count

    def x_of(number: int) -> float:
        return x0 + (number - 0.5) * step

    def y_of(total: float) -> float:
        return y0 + min(max(total, 0.0), PHQ9_MAX) / PHQ9_MAX * (y1 - y0)

    _severity_axis(drawing, fonts, x0, x1, y_of)
    _session_axis(drawing, summary, fonts, count, x1, y0, x_of)
    drawing.add(plot_frame(x0, y0, x1, y1))
    _thresholds(drawing, summary, fonts, x0, x1, y_of)
    _phq9_trace(drawing, summary, fonts, x_of, y_of)
    return drawing


def _severity_axis(
    drawing: Drawing, fonts: FontSet, x0: float, x1: float, y_of: Callable[[float], float]
) -> None:
    """Grid lines and values at the severity cut-points; the band names between them."""
    for value in (0, *GRID, PHQ9_MAX):
        y = y_of(value)
        if value in GRID:
            drawing.add(grid_line(x0, x1, y))
        drawing.add(value_label(x0, y, value, fonts))
    for (low, name), high in zip(BANDS, (*GRID, PHQ9_MAX), strict=True):
        y = (y_of(low) + y_of(high)) / 2 - 2.2
        drawing.add(chart_text(x0 - 15, y, name, fonts.regular, 6.0, MUTED, "end"))


def _session_axis(
    drawing: Drawing,
    summary: CourseSummary,
    fonts: FontSet,
    count: int,
    x1: float,
    y0: float,
    x_of: Callable[[int], float],
) -> None:
    """A tick and number for every session slot, the date under sessions that took place."""
    dates = {r.number: r.date for r in summary.sessions}
    for number in range(1, count + 1):
        x = x_of(number)
        drawing.add(Line(x, y0, x, y0 - 2, strokeColor=MUTED, strokeWidth=0.5))
        drawing.add(chart_text(x, y0 - 9, str(number), fonts.bold, 6.6, INK, "middle"))
        if number in dates:
            day = dates[number]
            text = f"{day.day} {day:%b}"
            drawing.add(chart_text(x, y0 - 17, text, fonts.regular, 6.0, MUTED, "middle"))
    drawing.add(axis_caption(x1, "session in the course (date, clinic time)", fonts))


def _phq9_trace(
    drawing: Drawing,
    summary: CourseSummary,
    fonts: FontSet,
    x_of: Callable[[int], float],
    y_of: Callable[[float], float],
) -> None:
    """The PHQ-9 scores joined by lines, each point with its total above and item 9 ringed."""
    # Lines first, so the markers and values are drawn over them.
    points = [(x_of(p.number), y_of(p.total), p) for p in summary.phq9]
    for (xa, ya, _), (xb, yb, _) in pairwise(points):
        drawing.add(Line(xa, ya, xb, yb, strokeColor=POINT_COLOUR, strokeWidth=1.0))
    for x, y, point in points:
        if point.item9_positive:
            drawing.add(Circle(x, y, 5.2, fillColor=None, strokeColor=DANGER, strokeWidth=1.1))
        drawing.add(Circle(x, y, 2.6, fillColor=POINT_COLOUR, strokeColor=POINT_COLOUR))
        above = 8.4 if point.item9_positive else 6.0  # clear of the ring
        drawing.add(chart_text(x, y + above, str(point.total), fonts.bold, 7.0, INK, "middle"))


def _thresholds(
    drawing: Drawing,
    summary: CourseSummary,
    fonts: FontSet,
    x0: float,
    x1: float,
    y_of: Callable[[float], float],
) -> None:
    """Remission and response as dashed lines across the plot, each labelled in the right
    margin at its own height (pushed apart when the two lines are close), so no label covers
    a point."""
    outcomes = summary.outcomes
    lines: list[tuple[float, str, Color]] = [
        (outcomes.remission_below, f"remission < {outcomes.remission_below}", REMISSION_COLOUR)
    ]
    threshold = summary.response_threshold
    first = summary.first_phq9
    if threshold is not None and first is not None and first.total > 0:
        lines.append((threshold, f"response ≤ {threshold:g}", RESPONSE_COLOUR))
    lines.sort(key=lambda line: line[0])
    heights = [y_of(value) - 2.4 for value, _, _ in lines]
    if len(heights) == 2 and heights[1] - heights[0] < LABEL_GAP:
        middle = (heights[0] + heights[1]) / 2
        heights = [middle - LABEL_GAP / 2, middle + LABEL_GAP / 2]
    for (value, text, colour), label_y in zip(lines, heights, strict=True):
        y = y_of(value)
        drawing.add(
            Line(x0, y, x1, y, strokeColor=colour, strokeWidth=0.9, strokeDashArray=[4, 2.5])
        )
        drawing.add(chart_text(x1 + 4, label_y, text, fonts.bold, LABEL_SIZE, colour))


def _legend(drawing: Drawing, summary: CourseSummary, fonts: FontSet, top: float) -> float:
    """The legend from the drawing's left edge down from ``top``: the points, the item-9 ring,
    and what the two dashed lines mean, wrapped onto a second row when the page is narrow.

    Returns
    -------
    float
        The baseline of the legend's last row.
    """
    size = 6.6
    drop = summary.outcomes.response_drop_fraction * 100
    entries: list[tuple[str, Color, str]] = [
        ("point", POINT_COLOUR, "PHQ-9 before the session"),
        ("ring", DANGER, "item 9 (thoughts of self-harm) above 0"),
        ("dash", RESPONSE_COLOUR, f"response: {drop:.0f} % below the first score"),
        ("dash", REMISSION_COLOUR, f"remission: below {summary.outcomes.remission_below}"),
    ]
    x, y = 0.0, top - 9
    for kind, colour, text in entries:
        needed = 18 + stringWidth(text, fonts.regular, size)
        if x > 0 and x + needed > drawing.width:
            x, y = 0.0, y - 10
        if kind == "point":
            drawing.add(Circle(x + 7, y + 2.4, 2.6, fillColor=colour, strokeColor=colour))
        elif kind == "ring":
            drawing.add(Circle(x + 7, y + 2.4, 4.4, fillColor=None, strokeColor=colour))
        else:
            drawing.add(
                Line(
                    x,
                    y + 2.4,
                    x + 14,
                    y + 2.4,
                    strokeColor=colour,
                    strokeWidth=0.9,
                    strokeDashArray=[4, 2.5],
                )
            )
        drawing.add(chart_text(x + 18, y, text, fonts.regular, size, MUTED))
        x += needed + 12
    return y
