"""Issue 12, items 2 and 3: a printout says a value's alert level and a superseded entry in
words and letters, not in colour alone: in greyscale, and in the text a screen reader or a copy
gets (pdftotext read the corrected SpO₂ 89 % as an ordinary row, and notify and pause as the
same ▲)."""

from __future__ import annotations

import re

from export_pdf_support import PRINTED_AT, PRINTED_BY, Clinic, pages_text

from bedside.protocol import AlertLevel
from charting.plot_key import level_letter
from export.pdf.styles import DANGER, WARNING
from export.session_pdf import session_pdf


def _text(clinic: Clinic) -> str:
    (header,) = clinic.store.all_sessions()
    data = session_pdf(clinic.service, header.id, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    return " ".join(pages_text(data))


def test_each_flagged_value_carries_its_level_letter(long_clinic: Clinic) -> None:
    text = _text(long_clinic)
    # The long session: 184/104 crossed the pause limit, 164, 176/100 and 162 the notify one.
    assert "184▲P 104▲P" in text
    assert "176▲N 100▲N" in text
    assert "164▲N" in text
    assert "162▲N" in text
    assert not re.search(r"\d[▲▼](?![NPD])", text), "every ▲/▼ after a value names its level"
    assert "N notify (amber), P pause or D do not start (red)" in text


def test_the_letters_are_the_charts_letters() -> None:
    assert [level_letter(level) for level in AlertLevel] == ["N", "P", "D"]


def test_a_superseded_entry_says_so_in_the_text(long_clinic: Clinic) -> None:
    text = _text(long_clinic)
    # The SpO₂ 89 % set was corrected, the 10:30 set voided: each row says SUPERSEDED.
    assert "11:00 +100′ SUPERSEDED 140 86 78 89 14" in text
    assert "10:30 +70′ SUPERSEDED 146 90" in text
    # The replacement reads as an ordinary row.
    assert "11:00 +100′ 140 86 78 97 14" in text


def test_notify_and_pause_differ_in_greyscale_too() -> None:
    """The letters carry the level; the two tints must not print as the same grey either."""

    def grey(colour: object) -> float:
        r, g, b = colour.red, colour.green, colour.blue  # type: ignore[attr-defined]
        return 0.299 * r + 0.587 * g + 0.114 * b

    assert abs(grey(WARNING) - grey(DANGER)) >= 0.1
