"""Pieces shared by the charts of the printouts (the session's trend chart and the course's
PHQ-9 trend): text, value grid lines with their labels, the plot frame and the axis caption,
so both charts read alike."""

from __future__ import annotations

from reportlab.graphics.shapes import Line, Rect, String
from reportlab.lib.colors import Color

from export.pdf.fonts import FontSet
from export.pdf.styles import INK, MUTED, RULE


def chart_text(
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    colour: Color = INK,
    anchor: str = "start",
) -> String:
    """A string anchored at (x, y) (``anchor``: "start", "middle" or "end")."""
    return String(x, y, text, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)


def grid_line(x0: float, x1: float, y: float) -> Line:
    """A faint dotted horizontal grid line across the plot at ``y``."""
    return Line(x0, y, x1, y, strokeColor=RULE, strokeWidth=0.3, strokeDashArray=[1, 2])


def value_label(x0: float, y: float, value: int, fonts: FontSet) -> String:
    """A value on the vertical axis, right-aligned just left of the plot at ``x0``."""
    return chart_text(x0 - 3, y - 2.2, str(value), fonts.regular, 6.4, MUTED, "end")


def plot_frame(x0: float, y0: float, x1: float, y1: float) -> Rect:
    """The thin frame around a plot area."""
    return Rect(x0, y0, x1 - x0, y1 - y0, fillColor=None, strokeColor=MUTED, strokeWidth=0.6)


def axis_caption(x1: float, caption: str, fonts: FontSet) -> String:
    """What the horizontal axis counts, at the drawing's foot, right-aligned to ``x1``."""
    return chart_text(x1, 1, caption, fonts.regular, 6.2, MUTED, "end")
