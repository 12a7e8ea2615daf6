"""Page breaks that keep things together (issue 12, item 5): on the long session and the signed
demo session, on A4 and Letter, checked on the layout reportlab made of each printout (what it
drew on which page: ``export.pdf.flow.recording_layout``) and on its text layer, never on
fixed positions, so that page 1 may grow or shrink and the properties still hold:

- no data table (the vitals flowsheet above all) leaves a lone row at the foot or the top of a
  page, and its header row is repeated on every page it reaches;
- a section heading is never the last thing on its page;
- the controlled-substance table, the discharge criteria and the signatures start on the page
  of their heading or caption, and as small blocks they are never split;
- the three signature boxes are of one height;
- the course table of the demo course is whole on page 1.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from page_layout_support import (
    CONTROLLED,
    COURSE_SESSIONS,
    CRITERIA,
    FLOWSHEET,
    MANIFEST,
    PAPERS,
    Printout,
    course_printout,
    session_printout,
)

from export.pdf.flow import MIN_ROWS

CASES = [(which, paper) for which in ("long", "demo") for paper in PAPERS]


@pytest.fixture(scope="module", params=CASES, ids=lambda case: "-".join(case))
def printout(request: pytest.FixtureRequest, demo_path: Path, long_path: Path) -> Printout:
    """The long session or the signed demo session, on A4 or Letter, with its layout."""
    which, paper = request.param
    return session_printout(long_path if which == "long" else demo_path, which, paper)


def test_no_table_leaves_a_lone_row_at_a_page_break(printout: Printout) -> None:
    tables = printout.tables()
    assert tables, "no data table was recorded"
    for parts in tables:
        first = parts[0]
        # The parts follow one another, page after page, and hold every row once.
        assert [p.page for p in parts] == list(range(first.page, first.page + len(parts)))
        assert [p.rows[0] for p in parts] == [
            sum(q.rows[1] for q in parts[:n]) for n in range(len(parts))
        ]
        assert sum(p.rows[1] for p in parts) == first.total
        if len(parts) > 1:
            # Never one row alone at the foot of a page or the top of the next.
            assert all(p.rows[1] >= MIN_ROWS for p in parts), (first.name, parts)
            # The header row is repeated at the top of every part.
            assert {p.head for p in parts} == {first.head}


def test_the_flowsheet_header_is_on_every_page_of_the_flowsheet(printout: Printout) -> None:
    parts = printout.parts(FLOWSHEET)
    assert parts
    for part in parts:
        assert "SBP mmHg" in printout.text[part.page - 1]
        assert part.head == "Time"


def test_the_long_flowsheet_does_run_over_a_page(long_path: Path) -> None:
    """The case the rule is for: 25 vitals sets do not fit on one page (else the test above
    would check nothing of a split)."""
    for paper in PAPERS:
        parts = session_printout(long_path, "long", paper).parts(FLOWSHEET)
        assert len(parts) >= 2
        assert min(p.rows[1] for p in parts) >= MIN_ROWS


def test_no_heading_is_the_last_thing_on_its_page(printout: Printout) -> None:
    flowables = printout.flowables()
    headings = 0
    for this, following in itertools.pairwise(flowables):
        if this.name == "Heading":
            headings += 1
            assert following.page == this.page, f"heading alone at the foot of page {this.page}"
    assert flowables[-1].name != "Heading"
    assert headings == len(printout.headings()) >= 10


def test_the_controlled_substance_table_starts_under_its_heading(printout: Printout) -> None:
    heading = printout.heading("Drug preparation and controlled-substance record")
    (part,) = printout.parts(CONTROLLED)  # a small table: never split
    assert part.page == heading.page
    assert part.top < heading.top


def test_the_discharge_criteria_stay_with_their_caption(printout: Printout) -> None:
    (part,) = printout.parts(CRITERIA)
    assert "Discharge criteria" in printout.text[part.page - 1]


def test_the_signatures_start_on_the_page_of_their_heading(printout: Printout) -> None:
    heading = printout.heading("Signatures")
    boxes = [p for p in printout.placed if p.kind == "box"]
    assert [b.name for b in boxes] == [
        "Charting nurse",
        "Discharging clinician",
        "Witness (controlled-substance waste)",
    ]
    assert {b.page for b in boxes} == {heading.page}
    (manifest,) = printout.parts(MANIFEST)  # every signature, with its caption, whole
    assert "Every signature in this record" in printout.text[manifest.page - 1]


def test_the_signature_boxes_are_of_one_height(printout: Printout) -> None:
    boxes = [p for p in printout.placed if p.kind == "box"]
    assert len(boxes) == 3
    assert max(b.height for b in boxes) - min(b.height for b in boxes) < 0.01
    assert max(b.top for b in boxes) - min(b.top for b in boxes) < 0.01
    assert min(b.height for b in boxes) > 50  # drawn round their content, not empty frames


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("mrn", ["MRN-1001", "MRN-1002"])
def test_the_demo_course_table_is_whole_on_page_1(demo_path: Path, mrn: str, paper: str) -> None:
    """MRN-1001 has had four sessions of six, MRN-1002 one."""
    course = course_printout(demo_path, mrn, paper)
    (part,) = course.parts(COURSE_SESSIONS)
    assert part.page == 1
    assert part.rows[1] == part.total >= 1
    assert course.heading("Sessions").page == 1
