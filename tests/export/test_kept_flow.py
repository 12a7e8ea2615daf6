"""The page-break rules themselves (``export.pdf.flow``), on made-up stories pushed down the
page a few points at a time, so that every place a page can break in is tried, not only where
the demo's sections happen to fall:

- a long table never leaves fewer than ``MIN_ROWS`` rows on either side of a break, and its
  heading is always on the page of its first rows;
- a short section moves whole to the next page rather than split from its heading;
- rows too tall to keep together even on a fresh page still print (split) rather than fail.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from export_pdf_support import PRINTED_AT
from page_layout_support import Printout, record
from reportlab.platypus import Flowable, Spacer

from export.pdf.blocks import data_table, heading, story_of
from export.pdf.flow import MIN_ROWS
from export.pdf.page import MARGIN_BOTTOM, MARGIN_TOP, Furniture, build_pdf, page_setup
from export.pdf.styles import Styles


@dataclass(frozen=True)
class _Layout:
    styles: Styles
    width: float


def _printout(offset: float, rows: list[str], paper: str = "A4") -> Printout:
    """``offset`` points of blank space, then a heading over a table of ``rows``."""
    setup = page_setup(PRINTED_AT, paper)
    ctx = _Layout(setup.styles, setup.width)

    def blank(_: _Layout) -> list[Flowable]:
        return [Spacer(1, offset)]

    def section(c: _Layout) -> list[Flowable]:
        body = [[f"<b>{n}</b>", text] for n, text in enumerate(rows)]
        return [heading(c, "Table"), data_table(c, ["Row", "Text"], body, [0.15, 0.85])]

    furniture = Furniture(
        patient="P",
        session="S",
        printed="printed",
        record_hash="",
        draft=False,
        fonts=setup.fonts,
        printed_at=PRINTED_AT,
    )
    return record(
        lambda: build_pdf(
            story_of(ctx, [blank, section]),
            furniture,
            size=setup.size,
            title="t",
            author="a",
            subject="s",
            keywords="k",
        )
    )


def _offsets(paper: str = "A4", step: float = 9.0) -> list[float]:
    """Blank space from none to a whole page's frame, ``step`` points at a time."""
    frame = page_setup(PRINTED_AT, paper).size[1] - MARGIN_TOP - MARGIN_BOTTOM - 12
    return [n * step for n in range(int(frame / step))]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_long_table_breaks_only_between_kept_rows(paper: str) -> None:
    # More than a page of one-line rows, every seventh of three lines.
    rows = [
        f"value {n}" + (" and a remark that wraps" * 6 if n % 7 == 3 else "") for n in range(60)
    ]
    for offset in _offsets(paper):
        printout = _printout(offset, rows, paper)
        (parts,) = printout.tables()
        assert len(parts) >= 2, offset
        assert all(p.rows[1] >= MIN_ROWS for p in parts), (offset, parts)
        assert sum(p.rows[1] for p in parts) == len(rows)
        assert printout.heading("Table").page == parts[0].page, offset


def test_a_short_section_moves_whole_with_its_heading() -> None:
    rows = [f"value {n}" for n in range(6)]
    pages = set()
    for offset in _offsets():
        printout = _printout(offset, rows)
        (parts,) = printout.tables()
        (part,) = parts  # never split
        assert printout.heading("Table").page == part.page, offset
        pages.add(part.page)
    assert pages == {1, 2}  # it did meet the foot of page 1, and moved


def test_rows_too_tall_to_keep_together_still_print() -> None:
    """Three rows of which any two fill more than a page: the rule cannot hold, the printout
    still comes out, every row in it."""
    tall = "a long remark " * 420
    printout = _printout(0, [tall, tall, tall])
    (parts,) = printout.tables()
    assert sum(p.rows[1] for p in parts) == 3
    assert len(parts) >= 2
