"""The demo mark: every page printed from a demo database says "DEMO — not for patient care"
in a band across its top edge, so a made-up record on paper cannot pass for a patient's.

Distinct from the draft stamp (a translucent diagonal over the content) and from the failed-
verification band (red, same edge): a slate band with white words, repeated across the page so
a page cut or folded still carries it. When the record also fails verification, the red band
keeps the top edge and this one moves to the bottom edge, below the footer.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from bedside.demo_mark import DEMO_MARK
from export.pdf.fonts import FontSet

DEMO_BAND = colors.HexColor("#37474f")
"""Dark slate: not the red of a draft or a failed record, and dark in greyscale too."""
BAND_HEIGHT = 5.4 * mm
EDGE = 2 * mm
"""The band stands off the top edge: office printers leave about 4 mm blank there, and the
words, in the band's middle, must print (the running header starts below, at 8 mm)."""
GAP = 18.0
"""Points between repeats of the words along the band."""


def draw_demo_band(
    canvas: Canvas, fonts: FontSet, width: float, height: float, *, at_bottom: bool = False
) -> None:
    """The demo band across the top edge of the page (``at_bottom``: the bottom edge), with
    :data:`~bedside.demo_mark.DEMO_MARK` centred and repeated to both sides as room allows."""
    bottom = 0.0 if at_bottom else height - EDGE - BAND_HEIGHT
    size = 8.0
    step = canvas.stringWidth(DEMO_MARK, fonts.bold, size) + GAP
    canvas.saveState()
    canvas.setFillColor(DEMO_BAND)
    canvas.rect(0, bottom, width, BAND_HEIGHT, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(fonts.bold, size)
    baseline = bottom + (BAND_HEIGHT - size * 0.7) / 2
    repeats = max(0, int((width / 2 - step / 2) // step))
    for offset in range(-repeats, repeats + 1):
        canvas.drawCentredString(width / 2 + offset * step, baseline, DEMO_MARK)
    canvas.restoreState()
