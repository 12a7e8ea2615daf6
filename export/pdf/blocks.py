"""Building blocks shared by the sections of every printout (the session summary and the
course summary): headings, label/value blocks and data tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeAlias, TypeVar

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from bedside.report import RuleReport, Severity
from export.pdf.flow import Heading, KeptTable, keep_sections
from export.pdf.styles import (
    DANGER,
    MUTED,
    RULE,
    WARNING,
    Styles,
    esc,
    facts_style,
    grid_style,
    para,
)

Cell: TypeAlias = Any
"""A table cell: paragraph markup (``str``) or a reportlab flowable (reportlab is untyped)."""


class Layout(Protocol):
    """What the blocks need of a printout being built: its styles and the usable frame width
    in points (:class:`export.pdf.context.PrintContext` for a session, the course context for
    a course)."""

    @property
    def styles(self) -> Styles: ...

    @property
    def width(self) -> float: ...


_Ctx = TypeVar("_Ctx")


def story_of(ctx: _Ctx, sections: Iterable[Callable[[_Ctx], list[Flowable]]]) -> list[Flowable]:
    """The sections of a printout, in order, as one story, each section kept with its heading
    (:func:`export.pdf.flow.keep_sections`)."""
    return keep_sections([f for section in sections for f in section(ctx)])


def heading(ctx: Layout, text: str) -> Paragraph:
    """A section heading: kept with what follows (:func:`story_of`) and a bookmark in the PDF
    outline (:class:`export.pdf.flow.Heading`)."""
    return Heading(esc(text), ctx.styles.h1, title=text)


def subheading(ctx: Layout, text: str) -> Paragraph:
    """A sub-section heading."""
    return para(esc(text), ctx.styles.h2)


def facts(
    ctx: Layout,
    pairs: Sequence[tuple[str, str]],
    *,
    columns: int = 2,
    label_width: float = 0.16,
    width: float | None = None,
) -> Table:
    """Label/value pairs laid out in ``columns`` column pairs (values are markup).

    ``label_width`` is each label column's share of ``width`` (default: the frame width).
    """
    total = width if width is not None else ctx.width
    rows: list[list[Cell]] = []
    for start in range(0, len(pairs), columns):
        row: list[Cell] = []
        for label, value in pairs[start : start + columns]:
            row += [para(esc(label), ctx.styles.label), para(value, ctx.styles.cell)]
        row += [""] * (2 * columns - len(row))
        rows.append(row)
    value_width = (1 - columns * label_width) / columns
    widths = [total * (label_width if i % 2 == 0 else value_width) for i in range(2 * columns)]
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(facts_style())
    return table


def status_box(ctx: Layout, text: str, colour: Color) -> Table:
    """The boxed status at the top right of a printout (``text`` is markup; the frame is
    drawn in ``colour``)."""
    box = Table([[para(text, ctx.styles.cell)]], colWidths=[48 * mm])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.4, colour),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return box


def title_block(
    ctx: Layout, *, clinic_name: str, clinic_address: str, title: str, status: Table
) -> Table:
    """The top of a printout: the clinic's name and address and the document's title at the
    left, ``status`` (a :func:`status_box`) at the right, ruled off below."""
    clinic = esc(clinic_name or "Clinic name not set")
    address = esc(clinic_address) if clinic_address else ""
    left = [
        para(f"<b>{clinic}</b>" + (f"<br/>{address}" if address else ""), ctx.styles.clinic),
        Spacer(1, 2),
        para(title, ctx.styles.title),
    ]
    top = Table([[left, status]], colWidths=[ctx.width - 50 * mm, 50 * mm], hAlign="LEFT")
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 1.0, MUTED),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return top


RECORD_HASH = "Record hash"
"""The one label of a record hash wherever it is printed (what ``bedside verify --hash``
checks)."""


def hash_markup(ctx: Layout, digest: str) -> str:
    """A hash in full, in the monospace face, in groups of 16 so it can wrap in a narrow cell
    (``bedside verify --hash`` ignores the spaces; 16 characters alone also identify it)."""
    groups = " ".join(digest[i : i + 16] for i in range(0, len(digest), 16))
    return f'<font name="{ctx.styles.fonts.mono}">{esc(groups)}</font>'


def hash_code(digest: str, size: float) -> Drawing:
    """``digest`` as a QR code ``size`` points wide: a phone or a scanner reads the hash to
    paste into ``bedside verify --hash`` instead of typing 64 characters."""
    widget = QrCodeWidget(digest, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def header_rule(ctx: Layout) -> Table:
    """The thin rule that closes a printout's header block."""
    rule = Table([[""]], colWidths=[ctx.width], rowHeights=[2])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE)]))
    return rule


def table_section(
    ctx: Layout,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    empty: str,
) -> list[Flowable]:
    """A section that is one :func:`data_table` under a heading, or the line ``empty``
    (see :func:`none_recorded`) when there are no rows."""
    if not rows:
        return [heading(ctx, title), none_recorded(ctx, empty)]
    return [heading(ctx, title), data_table(ctx, header, rows, widths)]


def _head(ctx: Layout, text: str) -> Paragraph:
    """A header cell; a second line (after ``\n``) is the unit, set small and light."""
    name, _, unit = text.partition("\n")
    markup = esc(name)
    if unit:
        markup += f'<br/><font name="{ctx.styles.fonts.regular}" size="6.4">{esc(unit)}</font>'
    return para(markup, ctx.styles.head)


def data_table(
    ctx: Layout,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
) -> Table:
    """A table with a shaded header row repeated on every page, never leaving a lone row at
    either side of a page break (:class:`export.pdf.flow.KeptTable`); ``widths`` are shares of
    the frame width; string cells are markup set in the cell style."""
    head: list[Cell] = [_head(ctx, h) for h in header]
    body: list[list[Cell]] = [
        [para(c, ctx.styles.cell) if isinstance(c, str) else c for c in row] for row in rows
    ]
    table = KeptTable(
        [head, *body],
        name="|".join(h.partition("\n")[0] for h in header),
        colWidths=[ctx.width * w for w in widths],
        hAlign="LEFT",
    )
    table.setStyle(grid_style(rows=len(body) + 1))
    return table


def none_recorded(ctx: Layout, what: str) -> Paragraph:
    """A line saying nothing of a kind was charted (an empty table says less)."""
    return para(f"<i>{esc(what)}</i>", ctx.styles.small)


def hex_colour(colour: Color) -> str:
    """``#b3261e`` for a reportlab colour (paragraph markup wants this form)."""
    return "#" + str(colour.hexval())[2:]


def findings_markup(report: RuleReport) -> str:
    """A rule report's findings as markup lines (errors red, warnings amber)."""
    lines = []
    for f in report.findings:
        text = f"{f.severity.value.upper()}: {esc(f.message)}"
        colour = {Severity.ERROR: DANGER, Severity.WARNING: WARNING}.get(f.severity)
        lines.append(f'<font color="{hex_colour(colour)}">{text}</font>' if colour else text)
    return "<br/>".join(lines)
