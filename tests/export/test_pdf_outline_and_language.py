"""For archives and screen readers (issue 12, item 9): every printout says its language
(/Lang), asks the viewer to show its title in the title bar (DisplayDocTitle), opens with its
outline, and has one outline bookmark per section heading, in order, each pointing at the page
and the height of its heading.

reportlab writes no structure tree (no tagged PDF), so there is no alt text to test: the trend
chart, the QR code and the signature pad are drawn without one (see export/pdf/page.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from page_layout_support import PAPERS, Printout, course_printout, session_printout
from pypdf.generic import BooleanObject, Destination

SESSION_SECTIONS = [
    "Intake screen",
    "Informed consent",
    "Dose calculation",
    "Drug preparation and controlled-substance record",
    "Infusion",
    "Vital signs flowsheet",
    "Checks missed or deferred",
    "Trend: blood pressure, heart rate, SpO₂",
    "Scales",
    "Side effects",
    "PRN (rescue) medicines",
    "Alerts and action taken",
    "Notes",
    "Discharge",
    "Signatures",
]
"""Sections every session summary has, in print order (others may come between them)."""


def _outline(printout: Printout) -> list[Destination]:
    outline = printout.reader.outline
    assert all(isinstance(entry, Destination) for entry in outline), "a flat outline"
    return [entry for entry in outline if isinstance(entry, Destination)]


def _is_subsequence(part: list[str], whole: list[str]) -> bool:
    rest = iter(whole)
    return all(item in rest for item in part)


def _check(printout: Printout) -> list[str]:
    """The document's language, viewer preference and outline; the outline's titles."""
    reader = printout.reader
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    assert root["/PageMode"] == "/UseOutlines"
    assert reader.metadata is not None
    assert reader.metadata.title
    outline = _outline(printout)
    headings = printout.headings()
    # One bookmark per heading drawn, in order, with the heading's text ...
    assert [str(entry.title) for entry in outline] == [h.name for h in headings]
    for entry, heading in zip(outline, headings, strict=True):
        # ... on the heading's page, at the heading's height (the reader's zoom kept).
        assert reader.get_destination_page_number(entry) == heading.page - 1
        assert float(entry.top) == pytest.approx(heading.top, abs=3)
        assert heading.name in printout.text[heading.page - 1]
    return [h.name for h in headings]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("which", ["long", "demo"])
def test_a_session_summary_has_its_language_title_and_outline(
    demo_path: Path, long_path: Path, which: str, paper: str
) -> None:
    printout = session_printout(long_path if which == "long" else demo_path, which, paper)
    titles = _check(printout)
    assert _is_subsequence(SESSION_SECTIONS, titles), titles
    if which == "long":
        assert titles[-1] == "Addenda (after sign-off)"


def test_a_course_summary_has_its_language_title_and_outline(demo_path: Path) -> None:
    titles = _check(course_printout(demo_path, "MRN-1001", "A4"))
    assert titles == ["Outcome so far", "PHQ-9 trend", "Sessions", "Session records"]
