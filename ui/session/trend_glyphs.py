"""Qt drawing of the trend plot's glyphs: each ``charting.plot_key`` shape as a painter path, each
hue as the theme's tint, and the legend swatch drawn with the same calls as the plot itself."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen

from charting.plot_key import Glyph, Hue, LineStyle, Shape
from ui.common.theme import PALETTES

_HUE_KEYS: dict[Hue, str] = {
    Hue.VERMILLION: "plot_vermillion",
    Hue.PURPLE: "plot_purple",
    Hue.BLUE: "plot_blue",
    Hue.GREEN: "plot_green",
    Hue.ALERT_RED: "danger",
    Hue.ALERT_AMBER: "warning",
    Hue.PAUSE_SHADE: "warning_bg",
    Hue.INK: "text",
}

MARKER_RADIUS = 4.2
"""Half the size of a series marker, in pixels."""

MARK_RADIUS = 7.5
"""Half the size of an event mark in the lane (alerts carry a letter, so they are larger)."""


def hue_colour(theme: str, hue: Hue) -> QColor:
    """The theme's tint of a hue."""
    return QColor(PALETTES[theme][_HUE_KEYS[hue]])


def line_pen(line: LineStyle, colour: QColor, width: float = 1.6) -> QPen:
    """The pen joining a series' points (or drawing a guide line)."""
    pen = QPen(colour, width)
    if line is LineStyle.DASHED:
        pen.setStyle(Qt.PenStyle.DashLine)
    elif line is LineStyle.NONE:
        pen.setStyle(Qt.PenStyle.NoPen)
    return pen


def _polygon(centre: QPointF, points: list[tuple[float, float]]) -> QPainterPath:
    path = QPainterPath()
    path.moveTo(centre.x() + points[0][0], centre.y() + points[0][1])
    for dx, dy in points[1:]:
        path.lineTo(centre.x() + dx, centre.y() + dy)
    path.closeSubpath()
    return path


def shape_path(shape: Shape, centre: QPointF, r: float) -> QPainterPath:
    """The outline of a marker shape centred on ``centre`` with half-size ``r``."""
    if shape is Shape.CIRCLE:
        path = QPainterPath()
        path.addEllipse(centre, r * 0.9, r * 0.9)
        return path
    if shape is Shape.SQUARE:
        path = QPainterPath()
        s = r * 0.8
        path.addRect(QRectF(centre.x() - s, centre.y() - s, 2 * s, 2 * s))
        return path
    if shape is Shape.OCTAGON:
        corners = [
            (math.cos(a), math.sin(a)) for a in (math.pi / 8 + i * math.pi / 4 for i in range(8))
        ]
        return _polygon(centre, [(r * x, r * y) for x, y in corners])
    offsets = {
        Shape.TRIANGLE_DOWN: [(0, r), (-r, -r * 0.8), (r, -r * 0.8)],
        Shape.TRIANGLE_UP: [(0, -r), (-r, r * 0.8), (r, r * 0.8)],
        Shape.DIAMOND: [(0, -r), (r, 0), (0, r), (-r, 0)],
    }
    return _polygon(centre, offsets.get(shape, offsets[Shape.DIAMOND]))


def draw_marker(
    painter: QPainter,
    glyph: Glyph,
    centre: QPointF,
    r: float,
    colour: QColor,
    panel: QColor,
    *,
    hollow: bool = False,
) -> None:
    """One marker as the glyph says: filled or hollow (panel-filled), with its letter inside.

    Parameters
    ----------
    painter : QPainter
        The painter (its font is used for a letter).
    glyph : Glyph
        Shape, fill and letter.
    centre : QPointF
        Where.
    r : float
        Half the size.
    colour, panel : QColor
        The glyph's tint and the background (the fill of a hollow marker).
    hollow : bool
        Draw hollow whatever the glyph says (a late or off-scale point).
    """
    painter.save()
    if glyph.shape is Shape.CROSS:
        painter.setPen(QPen(colour, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        d = r * 0.75
        painter.drawLine(centre + QPointF(-d, -d), centre + QPointF(d, d))
        painter.drawLine(centre + QPointF(-d, d), centre + QPointF(d, -d))
        painter.restore()
        return
    filled = glyph.filled and not hollow
    painter.setPen(QPen(colour, 1.4))
    painter.setBrush(QBrush(colour if filled else panel))
    painter.drawPath(shape_path(glyph.shape, centre, r))
    if glyph.letter:
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(max(8, round(r * 1.45)))
        painter.setFont(font)
        painter.setPen(panel if filled else colour)
        box = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), glyph.letter)
    painter.restore()


def draw_swatch(painter: QPainter, glyph: Glyph, box: QRectF, theme: str) -> None:
    """A legend swatch in ``box``: a short stretch of the series' line with its marker, or the
    mark as drawn on the plot (a dashed guide line, a shaded stretch, a tick)."""
    colour = hue_colour(theme, glyph.hue)
    panel = QColor(PALETTES[theme]["panel"])
    mid = box.center()
    painter.save()
    if glyph.shape is Shape.SHADE:
        painter.fillRect(box.adjusted(2, 1, -2, -1), colour)
        painter.setPen(QPen(QColor(PALETTES[theme]["border"]), 1))
        painter.drawRect(box.adjusted(2, 1, -2, -1))
    elif glyph.shape is Shape.VLINE:
        painter.setPen(line_pen(LineStyle.DASHED, colour, 1.4))
        painter.drawLine(QPointF(mid.x(), box.top()), QPointF(mid.x(), box.bottom()))
    elif glyph.shape is Shape.TICK:
        painter.setPen(QPen(colour, 1.4))
        painter.drawLine(QPointF(mid.x(), box.top()), QPointF(mid.x(), mid.y() + 2))
    else:
        if glyph.line is not LineStyle.NONE:
            painter.setPen(line_pen(glyph.line, colour, 1.4))
            painter.drawLine(QPointF(box.left(), mid.y()), QPointF(box.right(), mid.y()))
        r = MARK_RADIUS * 0.85 if glyph.letter else MARKER_RADIUS
        draw_marker(painter, glyph, mid, r, colour, panel)
    painter.restore()
