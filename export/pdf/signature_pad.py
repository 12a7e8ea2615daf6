"""The patient's handwritten consent signature, redrawn from its stored strokes.

``SignaturePad`` stores strokes as (x, y) points in a unit box with (0, 0) at the top left, as
a pen pad on screen reports them; PDF y grows upwards, so y is flipped here.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String

from bedside.events import SignaturePad
from export.pdf.fonts import FontSet
from export.pdf.styles import INK, MUTED, RULE


def signature_drawing(pad: SignaturePad, fonts: FontSet, width: float, height: float) -> Drawing:
    """The signature in a box with a baseline, scaled to ``width`` × ``height`` points.

    Parameters
    ----------
    pad : SignaturePad
        The stored strokes.
    fonts : FontSet
        The registered fonts (for the caption).
    width, height : float
        Size of the box in points.

    Returns
    -------
    Drawing
        The box, the baseline, the strokes and a caption.
    """
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=None, strokeColor=RULE, strokeWidth=0.5))
    inset = 4.0
    caption = 9.0
    box_w, box_h = width - 2 * inset, height - 2 * inset - caption
    base_y = inset + caption + box_h * 0.12
    drawing.add(Line(inset, base_y, width - inset, base_y, strokeColor=RULE, strokeWidth=0.4))
    for stroke in pad.strokes:
        points: list[float] = []
        for x, y in stroke:
            points += [inset + x * box_w, inset + caption + (1 - y) * box_h]
        if len(points) >= 4:
            drawing.add(
                PolyLine(
                    points, strokeColor=INK, strokeWidth=1.1, strokeLineJoin=1, strokeLineCap=1
                )
            )
    drawing.add(
        String(
            inset,
            inset,
            "Patient's signature (signature pad)",
            fontName=fonts.regular,
            fontSize=6,
            fillColor=MUTED,
        )
    )
    return drawing
