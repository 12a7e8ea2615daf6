"""Paragraph and table styles of the printout: a sober paper record, readable in black and
white (colour is never the only cue: abnormal values also carry ▲/▼ and bold type)."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, TableStyle

from export.pdf.fonts import FontSet

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#9aa0a6")
SHADE = colors.HexColor("#eef1f4")
HEAD_SHADE = colors.HexColor("#dde3ea")
DANGER = colors.HexColor("#9b1c1c")  # pause / do-not-start: a darker red, so in greyscale it
# prints clearly darker than notify amber (0.25 against 0.40 luminance), not as its twin
WARNING = colors.HexColor("#a15c00")  # notify level: dark amber, legible on paper
OK = colors.HexColor("#1e6b35")
DRAFT = colors.HexColor("#c62828")


@dataclass(frozen=True)
class Styles:
    """Every paragraph style the sections use."""

    fonts: FontSet
    title: ParagraphStyle
    clinic: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    head: ParagraphStyle
    label: ParagraphStyle
    mono: ParagraphStyle
    note: ParagraphStyle


def make_styles(fonts: FontSet) -> Styles:
    """The style sheet for one font set."""
    base = ParagraphStyle(
        "body", fontName=fonts.regular, fontSize=8.6, leading=11, textColor=INK, alignment=TA_LEFT
    )
    cell = ParagraphStyle("cell", parent=base, fontSize=7.8, leading=9.6)
    return Styles(
        fonts=fonts,
        title=ParagraphStyle(
            "title", parent=base, fontName=fonts.bold, fontSize=14.5, leading=18, spaceAfter=1
        ),
        clinic=ParagraphStyle("clinic", parent=base, fontSize=8.6, leading=11, textColor=MUTED),
        h1=ParagraphStyle(
            "h1",
            parent=base,
            fontName=fonts.bold,
            fontSize=10.5,
            leading=13,
            spaceBefore=9,
            spaceAfter=3,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=base,
            fontName=fonts.bold,
            fontSize=8.8,
            leading=11,
            spaceBefore=5,
            spaceAfter=2,
        ),
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=7.2, leading=9, textColor=MUTED),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=fonts.bold),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        head=ParagraphStyle(
            "head", parent=cell, fontName=fonts.bold, fontSize=7.4, leading=9, textColor=INK
        ),
        label=ParagraphStyle("label", parent=cell, textColor=MUTED),
        mono=ParagraphStyle("mono", parent=cell, fontName=fonts.mono, fontSize=7.4, leading=9.4),
        note=ParagraphStyle("note", parent=base, leftIndent=0),
    )


def esc(text: object) -> str:
    """Text made safe for reportlab's paragraph markup, its line breaks kept (a note typed as
    three lines prints as three lines, not run together)."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br/>".join(escape(line) for line in lines)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of *markup* (callers escape user text with :func:`esc`)."""
    return Paragraph(text, style)


def grid_style(*, header_rows: int = 1, zebra: bool = True, rows: int = 0) -> TableStyle:
    """The look of a data table: a shaded header, hairline rules, light banding."""
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_SHADE),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, MUTED),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
        ]
    if zebra:
        for row in range(header_rows + 1, rows, 2):
            commands.append(("BACKGROUND", (0, row), (-1, row), SHADE))
    return TableStyle(commands)


def facts_style() -> TableStyle:
    """The look of a label/value block (no grid; labels muted)."""
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8),
        ]
    )
