"""Issue 11, item 7: a note typed over several lines prints over several lines (the summary
ran them together: "IV sited left forearmPatient calmFamily waiting")."""

from __future__ import annotations

import io
from pathlib import Path

from export_pdf_support import PRINTED_AT, PRINTED_BY, open_clinic
from pypdf import PdfReader

from bedside.store import Store
from export.pdf.styles import esc
from export.session_pdf import session_pdf


def test_line_breaks_become_paragraph_breaks_and_markup_stays_escaped() -> None:
    assert esc("a < b\nc & d\r\ne") == "a &lt; b<br/>c &amp; d<br/>e"


def test_a_note_over_three_lines_prints_over_three_lines(demo_path: Path, tmp_path: Path) -> None:
    with Store(demo_path) as store:
        store.backup(tmp_path / "copy.db")
    clinic = open_clinic(tmp_path / "copy.db")
    try:
        nurse = clinic.service.accounts.authenticate("dana", "bedside-demo")
        sid = clinic.session_where(signed=False, chair=3)
        clinic.service.add_note(nurse, sid, "IV sited left forearm\nPatient calm\nFamily waiting")
        data = session_pdf(clinic.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    finally:
        clinic.store.close()
    lines = [
        line.strip()
        for page in PdfReader(io.BytesIO(data)).pages
        for line in (page.extract_text() or "").splitlines()
    ]
    at = next(i for i, line in enumerate(lines) if line.endswith("IV sited left forearm"))
    assert lines[at + 1 : at + 3] == ["Patient calm", "Family waiting"]
