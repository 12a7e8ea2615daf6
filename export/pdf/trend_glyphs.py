"""reportlab drawing of the trend chart's glyphs: each ``charting.plot_key`` shape as a shape,
each hue as its tint on paper, and the legend drawn with the same calls as the chart itself."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Group, Line, Polygon, Rect
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from charting.plot_key import Glyph, Hue, LegendEntry, LineStyle, Shape
from export.pdf.chart_parts import chart_text
from export.pdf.fonts import FontSet
from export.pdf.styles import DANGER, INK, MUTED, WARNING

PAPER: dict[Hue, Color] = {
    # The same tints as the day theme: each at least 4.5:1 on white, colour-blind safe.
    Hue.VERMILLION: colors.HexColor("#b85000"),
    Hue.PURPLE: colors.HexColor("#aa3377"),
    Hue.BLUE: colors.HexColor("#0072b2"),
    Hue.GREEN: colors.HexColor("#007f5f"),
    Hue.ALERT_RED: DANGER,
    Hue.ALERT_AMBER: WARNING,
    Hue.PAUSE_SHADE: colors.HexColor("#fbe9c6"),
    Hue.INK: INK,
}
"""Each hue's tint on paper."""

MARKER = 2.8
"""Half the size of a series marker, in points."""
MARK = 4.2
"""Half the size of an event mark in the lane (alerts carry a letter)."""
DASH = [2.6, 1.6]


def line_dash(line: LineStyle) -> list[float] | None:
    """The dash pattern of a series line or guide line (None: solid)."""
    return DASH if line is LineStyle.DASHED else None


def _polygon(x: float, y: float, points: list[tuple[float, float]]) -> Polygon:
    coords: list[float] = []
    for dx, dy in points:
        coords += [x + dx, y + dy]
    return Polygon(coords)


def _outline(shape: Shape, x: float, y: float, r: float) -> Circle | Polygon | Rect:
    """The outline of a marker shape centred on (x, y); PDF y grows upwards."""
    if shape is Shape.CIRCLE:
        return Circle(x, y, r * 0.9)
    if shape is Shape.SQUARE:
        s = r * 0.8
        return Rect(x - s, y - s, 2 * s, 2 * s)
    if shape is Shape.OCTAGON:
        angles = [math.pi / 8 + i * math.pi / 4 for i in range(8)]
        return _polygon(x, y, [(r * math.cos(a), r * math.sin(a)) for a in angles])
    offsets = {
        Shape.TRIANGLE_DOWN: [(0, -r), (-r, r * 0.8), (r, r * 0.8)],
        Shape.TRIANGLE_UP: [(0, r), (-r, -r * 0.8), (r, -r * 0.8)],
        Shape.DIAMOND: [(0, r), (r, 0), (0, -r), (-r, 0)],
    }
    return _polygon(x, y, offsets.get(shape, offsets[Shape.DIAMOND]))


def marker(
    glyph: Glyph, x: float, y: float, r: float, fonts: FontSet, *, hollow: bool = False
) -> Group:
    """One marker as the glyph says: filled or hollow (white), with its letter inside.

    Parameters
    ----------
    glyph : Glyph
        Shape, hue, fill and letter.
    x, y : float
        The centre.
    r : float
        Half the size.
    fonts : FontSet
        For a letter.
    hollow : bool
        Draw hollow whatever the glyph says (a late or off-scale point).

    Returns
    -------
    Group
        The marker.
    """
    colour = PAPER[glyph.hue]
    if glyph.shape is Shape.CROSS:
        d = r * 0.75
        return Group(
            Line(x - d, y - d, x + d, y + d, strokeColor=colour, strokeWidth=1.2),
            Line(x - d, y + d, x + d, y - d, strokeColor=colour, strokeWidth=1.2),
        )
    filled = glyph.filled and not hollow
    shape = _outline(glyph.shape, x, y, r)
    shape.fillColor = colour if filled else colors.white
    shape.strokeColor = colour
    shape.strokeWidth = 0.8
    group = Group(shape)
    if glyph.letter:
        size = r * 1.45
        ink = colors.white if filled else colour
        group.add(chart_text(x, y - size * 0.36, glyph.letter, fonts.bold, size, ink, "middle"))
    return group


def swatch(glyph: Glyph, x: float, y: float, width: float, fonts: FontSet) -> Group:
    """A legend swatch ``width`` wide at baseline ``y``: a stretch of the series' line with its
    marker, or the mark as the chart draws it (dashed line, shaded stretch, tick)."""
    colour = PAPER[glyph.hue]
    mid_x, mid_y = x + width / 2, y + 2.4
    group = Group()
    if glyph.shape is Shape.SHADE:
        group.add(
            Rect(x + 1, y - 1, width - 2, 7, fillColor=colour, strokeColor=MUTED, strokeWidth=0.3)
        )
    elif glyph.shape is Shape.VLINE:
        group.add(
            Line(
                mid_x,
                y - 1.5,
                mid_x,
                y + 6.5,
                strokeColor=colour,
                strokeWidth=0.8,
                strokeDashArray=DASH,
            )
        )
    elif glyph.shape is Shape.TICK:
        group.add(Line(mid_x, y + 2.5, mid_x, y + 6.5, strokeColor=colour, strokeWidth=0.8))
    else:
        if glyph.line is not LineStyle.NONE:
            group.add(
                Line(
                    x,
                    mid_y,
                    x + width,
                    mid_y,
                    strokeColor=colour,
                    strokeWidth=0.9,
                    strokeDashArray=line_dash(glyph.line),
                )
            )
        r = MARK * 0.85 if glyph.letter else MARKER
        group.add(marker(glyph, mid_x, mid_y, r, fonts))
    return group


def legend(
    entries: tuple[LegendEntry, ...], fonts: FontSet, left: float, right: float, top: float
) -> tuple[Group, float]:
    """The legend in rows from ``top`` down, measured so entries never overlap.

    Parameters
    ----------
    entries : tuple of LegendEntry
        From ``charting.plot_key.legend_entries``.
    fonts : FontSet
        The registered fonts.
    left, right, top : float
        The room for the legend: its left and right edges and the first row's baseline.

    Returns
    -------
    (Group, float)
        The legend (one group per entry, each a swatch and its words) and the lowest baseline.
    """
    size, swatch_width = 6.6, 14.0
    group = Group()
    x, y = left, top
    for entry in entries:
        needed = swatch_width + 3 + stringWidth(entry.label, fonts.regular, size)
        if x > left and x + needed > right:
            x, y = left, y - 9
        item = Group(
            swatch(entry.glyph, x, y, swatch_width, fonts),
            chart_text(x + swatch_width + 3, y, entry.label, fonts.regular, size, MUTED),
        )
        group.add(item)
        x += needed + 9
    return group, y
