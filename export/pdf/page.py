"""Page furniture: the footer on every page (patient and MRN, page x of y, printed at / by, the
record hash), a running header from page 2, and the "DRAFT — not signed" stamp; and the
document itself (paper sizes, margins, metadata, invariant mode), shared by the session summary
and the course summary.

"Page x of y" needs the page count before any page is written, so the canvas keeps each
finished page's state and draws the furniture when the document is saved (the usual reportlab
recipe). The PDF's creation date is the printed-at time, and the document runs in reportlab's
invariant mode, so the same record printed at the same time gives the same bytes.

For archives and screen readers the document says its language (/Lang), asks the viewer to
show its title rather than its file name, and has an outline: one bookmark per section heading,
made when the pages are written (:func:`add_outline`). Alt text it cannot have: reportlab
writes no structure tree (no tagged PDF), so a drawing cannot carry /Alt. Each sits by text
that says what it shows: the QR code beside the record hash it encodes, printed in full; the
patient's signature over its caption; the trend chart under its heading, the values it draws
in the flowsheet before it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate
from reportlab.platypus.doctemplate import ActionFlowable

from export.pdf.demo_band import draw_demo_band
from export.pdf.flow import Placed, note, publish_layout
from export.pdf.fonts import FontSet, pdf_fonts
from export.pdf.styles import DRAFT, INK, MUTED, RULE, Styles, make_styles

MARGIN_X = 15 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 20 * mm  # room for the footer lines
FRAME_PADDING = 6.0
"""reportlab's default padding inside a frame (points)."""
DRAFT_TEXT = "DRAFT — not signed"
FAILED_TEXT = "FAILED VERIFICATION"
FAILED_BAND = (
    "FAILED VERIFICATION — this record does not match its hashes: do not rely on it "
    "(bedside verify)"
)
SESSION_TITLE = "IV ketamine infusion — session record"
HASH_LABEL = "Record hash (bedside verify --hash): "
SHORT_HASH_LABEL = "Record hash: "
HASH_PT = 7.0
"""The footer's hash and its label: small, but legible on paper (at least 7 pt)."""

DOCUMENT_LANGUAGE = "en"
"""The printout's language (the catalog's /Lang): what a screen reader reads it in."""

PaperSize = Literal["A4", "Letter"]

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}
"""Paper sizes by name, in points."""


def paper_points(name: str) -> tuple[float, float]:
    """The size in points of paper ``name`` (``A4`` or ``Letter``, case-insensitive).

    Raises
    ------
    ValueError
        For an unknown paper size.
    """
    try:
        return PAGE_SIZES[{"a4": "A4", "letter": "Letter"}.get(name.lower(), name)]
    except KeyError:
        raise ValueError(f"unknown paper size {name!r} (A4 or Letter)") from None


def require_aware(printed_at: datetime) -> None:
    """Refuse a naive printing time (the footer and the PDF date need a zone).

    Raises
    ------
    ValueError
        When ``printed_at`` is naive.
    """
    if printed_at.tzinfo is None or printed_at.utcoffset() is None:
        raise ValueError("printed_at must be timezone-aware")


@dataclass(frozen=True)
class PageSetup:
    """The paper, fonts and styles of one printout, and the frame width they leave."""

    size: tuple[float, float]
    fonts: FontSet
    styles: Styles
    width: float
    """The usable frame width in points (the paper less the side margins)."""


def page_setup(printed_at: datetime, page_size: str) -> PageSetup:
    """The set-up every printout starts from, once ``printed_at`` is known to be aware.

    Raises
    ------
    ValueError
        For a naive ``printed_at`` or an unknown paper size.
    """
    require_aware(printed_at)
    size = paper_points(page_size)
    fonts = pdf_fonts()
    return PageSetup(size, fonts, make_styles(fonts), size[0] - 2 * MARGIN_X)


@dataclass(frozen=True)
class Furniture:
    """The text of the footer and running header, fixed before the document is built."""

    patient: str
    session: str
    """What the document covers (a session, a course), after the patient in the footer."""
    printed: str
    record_hash: str
    """Printed with :data:`HASH_LABEL` at the foot of every page; empty: no hash line."""
    draft: bool
    fonts: FontSet
    printed_at: datetime
    running_title: str = SESSION_TITLE
    """The document's name, right of the running header from page 2."""
    failed_verification: bool = False
    """The record does not match its hashes: every page says so, top and across."""
    demo: bool = False
    """Printed from a demo database: every page carries the demo band (:mod:`.demo_band`)."""


def pdf_date(when: datetime) -> str:
    """A PDF date string (``D:20261124180000+00'00'``) for the document's metadata."""
    return when.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def canvas_maker(furniture: Furniture) -> Callable[..., Canvas]:
    """A canvas class that draws ``furniture`` on every page when the document is saved."""

    class FurnishedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.placed: list[Placed] = []
            """What the flowables drew where (:mod:`export.pdf.flow`): headings become the
            outline from it."""
            stamp = pdf_date(furniture.printed_at)
            self.setDateFormatter(lambda *_: stamp)
            # A viewer's title bar shows the document's title, not its file name.
            self.setViewerPreference("DisplayDocTitle", "true")

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                draw_furniture(self, furniture, number, total)
                # Only now is each page the PDF's page ``number``: a bookmark made while the
                # story was laid out would point at page 1.
                add_outline(self, self.placed, number)
                Canvas.showPage(self)
            if any(p.kind == "heading" for p in self.placed):
                self.showOutline()
            Canvas.save(self)
            publish_layout(self.placed)

    return FurnishedCanvas


def add_outline(canvas: Canvas, placed: Sequence[Placed], page: int) -> None:
    """A bookmark in the PDF outline for each heading placed on ``page`` (the canvas's current
    page), pointing at the heading's top with the reader's zoom kept, in reading order."""
    for number, mark in enumerate(placed):
        if mark.kind == "heading" and mark.page == page:
            key = f"section-{number}"
            canvas.bookmarkHorizontalAbsolute(key, mark.top + 2, left=0)
            canvas.addOutlineEntry(mark.name, key, level=0)


def draw_furniture(canvas: Canvas, f: Furniture, number: int, total: int) -> None:
    """Footer, running header (from page 2) and draft stamp of one page."""
    width, height = canvas._pagesize
    left, right = MARGIN_X, width - MARGIN_X
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    # Rule at 16 mm, lines at 12.6, 9.4 and (only when needed) 6.2 mm from the paper's edge:
    # inside the printable area of office printers (about 5 mm), clear of the body frame.
    y_rule = MARGIN_BOTTOM - 4 * mm
    canvas.line(left, y_rule, right, y_rule)
    y1 = y_rule - 3.4 * mm
    _footer_patient_line(canvas, f, f"Page {number} of {total}", left, right, y1)
    _footer_printed_line(canvas, f, left, right, y1 - 3.2 * mm)
    if number > 1:
        _running_header(canvas, f, left, right, height - MARGIN_TOP + 4 * mm)
    canvas.restoreState()
    if f.draft:
        draw_draft_stamp(canvas, f.fonts, width, height)
    if f.failed_verification:
        draw_failed_stamp(canvas, f.fonts, width, height)
    if f.demo:
        draw_demo_band(canvas, f.fonts, width, height, at_bottom=f.failed_verification)


def _footer_patient_line(
    canvas: Canvas, f: Furniture, page: str, left: float, right: float, y: float
) -> None:
    """The footer's first line: the patient in bold, what the document covers, the page."""
    fonts = f.fonts
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, 7.6)
    canvas.drawString(left, y, f.patient)
    patient_end = left + canvas.stringWidth(f.patient, fonts.bold, 7.6)
    canvas.setFont(fonts.regular, 7.6)
    canvas.drawString(patient_end + 6, y, f.session)
    canvas.setFont(fonts.bold, 7.6)
    canvas.drawRightString(right, y, page)


def _footer_printed_line(canvas: Canvas, f: Furniture, left: float, right: float, y: float) -> None:
    """The footer's second line: printed at and by on the left, the record hash on the right;
    when both do not fit (a long "printed by"), the hash takes a third line of its own. Neither
    is ever shortened: a cut name or hash cannot be checked."""
    canvas.setFillColor(MUTED)
    canvas.setFont(f.fonts.regular, HASH_PT)
    canvas.drawString(left, y, f.printed)
    if not f.record_hash:
        return
    if _fits_beside_hash(canvas, f, left, right):
        _record_hash(canvas, f, f.printed, left, right, y)
    else:
        _record_hash(canvas, f, "", left, right, y - 3.2 * mm)


def _fits_beside_hash(canvas: Canvas, f: Furniture, left: float, right: float) -> bool:
    """Whether "printed at and by" and the hash with its short label share one line."""
    fonts = f.fonts
    needed = (
        canvas.stringWidth(f.printed, fonts.regular, HASH_PT)
        + canvas.stringWidth(f.record_hash, fonts.mono, HASH_PT)
        + canvas.stringWidth(SHORT_HASH_LABEL, fonts.regular, HASH_PT)
        + 8
    )
    return bool(needed <= right - left)


def _record_hash(
    canvas: Canvas, f: Furniture, printed: str, left: float, right: float, y: float
) -> None:
    """The record hash at the right of the footer, after the longest label that fits."""
    fonts = f.fonts
    canvas.setFont(fonts.mono, HASH_PT)
    hash_width = canvas.stringWidth(f.record_hash, fonts.mono, HASH_PT)
    canvas.drawRightString(right, y, f.record_hash)
    # On narrower paper or with a long "printed by", the label shortens rather than
    # running into the printed line (the hash itself is never shortened).
    room = right - left - hash_width - canvas.stringWidth(printed, fonts.regular, HASH_PT) - 8
    label = next(
        (
            text
            for text in (HASH_LABEL, SHORT_HASH_LABEL)
            if canvas.stringWidth(text, fonts.regular, HASH_PT) <= room
        ),
        "",
    )
    canvas.setFont(fonts.regular, HASH_PT)
    canvas.drawRightString(right - hash_width, y, label)


def _running_header(canvas: Canvas, f: Furniture, left: float, right: float, top: float) -> None:
    """The running header from page 2: patient and document left, the title right, a rule."""
    canvas.setFillColor(MUTED)
    canvas.setFont(f.fonts.regular, 7.2)
    canvas.drawString(left, top, f"{f.patient}   {f.session}")
    canvas.drawRightString(right, top, f.running_title)
    canvas.line(left, top - 1.6 * mm, right, top - 1.6 * mm)


class _NotingDocTemplate(SimpleDocTemplate):  # type: ignore[misc]  # reportlab is untyped
    """The document template that notes each flowable it placed, with the page and the height
    it reached (:mod:`export.pdf.flow`): what a heading is followed by on its page."""

    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, ActionFlowable):
            note(self.canv, "flowable", type(flowable).__name__, self.frame._y)


def build_pdf(
    story: Sequence[Flowable],
    furniture: Furniture,
    *,
    size: tuple[float, float],
    title: str,
    author: str,
    subject: str,
    keywords: str,
) -> bytes:
    """Lay out ``story`` on pages of ``size`` with the margins and ``furniture`` of every
    printout, in reportlab's invariant mode (same story and furniture: same bytes).

    Parameters
    ----------
    story : Sequence[Flowable]
        The flowables, in order.
    furniture : Furniture
        Footer, running header and draft stamp (its ``printed_at`` is the creation date).
    size : tuple of float
        Page width and height in points (:func:`paper_points`).
    title, author, subject, keywords : str
        The PDF's document information.

    Returns
    -------
    bytes
        The PDF.
    """
    buffer = io.BytesIO()
    doc = _NotingDocTemplate(
        buffer,
        pagesize=size,
        # The frame pads its content by 6 pt each side: margins 6 pt narrower put the content
        # (laid out at the page width less 2 × MARGIN_X) exactly between the footer's edges.
        leftMargin=MARGIN_X - FRAME_PADDING,
        rightMargin=MARGIN_X - FRAME_PADDING,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        keywords=keywords,
        creator="Bedside",
        producer="Bedside (reportlab)",
        invariant=1,
        initialFontName=furniture.fonts.regular,
        lang=DOCUMENT_LANGUAGE,
    )
    doc.build(list(story), canvasmaker=canvas_maker(furniture))
    return buffer.getvalue()


def draw_draft_stamp(canvas: Canvas, fonts: FontSet, width: float, height: float) -> None:
    """A large diagonal "DRAFT — not signed" across the page, translucent over the content so
    nothing is hidden, in a box so it cannot be mistaken for part of the record."""
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    size = 46
    text_width = canvas.stringWidth(DRAFT_TEXT, fonts.bold, size)
    canvas.setFillColor(DRAFT)
    canvas.setStrokeColor(DRAFT)
    canvas.setFillAlpha(0.16)
    canvas.setStrokeAlpha(0.35)
    canvas.setLineWidth(3)
    pad = 12
    canvas.rect(
        -text_width / 2 - pad, -size * 0.42 - pad, text_width + 2 * pad, size * 1.15 + 2 * pad
    )
    canvas.setFont(fonts.bold, size)
    canvas.drawCentredString(0, -size * 0.25, DRAFT_TEXT)
    canvas.restoreState()


def draw_failed_stamp(canvas: Canvas, fonts: FontSet, width: float, height: float) -> None:
    """A solid band across the top edge with white words, and a diagonal stamp the other way
    from the draft one: a printout of an altered record cannot pass for a sound one."""
    canvas.saveState()
    band = 7 * mm
    canvas.setFillColor(DRAFT)
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(fonts.bold, 9)
    canvas.drawCentredString(width / 2, height - band + 2.4 * mm, FAILED_BAND)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(-35)
    size = 40
    canvas.setFillColor(DRAFT)
    canvas.setFillAlpha(0.18)
    canvas.setFont(fonts.bold, size)
    canvas.drawCentredString(0, -size * 0.25, FAILED_TEXT)
    canvas.restoreState()
