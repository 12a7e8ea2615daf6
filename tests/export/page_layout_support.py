"""Helpers for the page-break and outline tests: a printout with the layout reportlab made of
it (``export.pdf.flow.recording_layout``: what was drawn on which page) and its text layer."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from export_pdf_support import NOW, PRINTED_AT, PRINTED_BY, Clinic, open_clinic, pages_text
from pypdf import PdfReader

from export.course_pdf import course_pdf
from export.pdf.flow import Placed, recording_layout
from export.session_pdf import session_pdf

PAPERS = ("A4", "Letter")

FLOWSHEET = "Time|SBP|"
"""How the vitals flowsheet's table starts its name (its header cells joined by ``|``)."""
CONTROLLED = "Controlled substance|"
CRITERIA = "Criterion|"
MANIFEST = "Meaning|Signed by|"
COURSE_SESSIONS = "Session|Date|Status|"


@dataclass(frozen=True)
class Printout:
    """A PDF with what was placed where, and each page's text."""

    data: bytes
    placed: list[Placed]
    text: list[str]

    @property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.data))

    def parts(self, prefix: str) -> list[Placed]:
        """The parts of the table whose name starts with ``prefix``, one per page, in order."""
        return [p for p in self.placed if p.kind == "table" and p.name.startswith(prefix)]

    def headings(self) -> list[Placed]:
        return [p for p in self.placed if p.kind == "heading"]

    def heading(self, title: str) -> Placed:
        (found,) = [p for p in self.headings() if p.name == title]
        return found

    def flowables(self) -> list[Placed]:
        """The story's flowables as placed, in order, blank space left out."""
        return [p for p in self.placed if p.kind == "flowable" and p.name != "Spacer"]

    def tables(self) -> list[list[Placed]]:
        """Every data table as the list of its parts (one per page), in order."""
        tables: list[list[Placed]] = []
        for part in (p for p in self.placed if p.kind == "table"):
            if part.rows[0] == 0:
                tables.append([part])
            else:
                assert tables, part
                assert tables[-1][-1].name == part.name, part
                tables[-1].append(part)
        return tables


def record(make: Callable[[], bytes]) -> Printout:
    """Build a PDF with ``make()`` while recording its layout."""
    with recording_layout() as documents:
        data = make()
    (placed,) = documents
    return Printout(data, placed, pages_text(data))


def session_printout(path: Path, which: str, paper: str) -> Printout:
    """The long session (``which="long"``) or the signed demo session on chair 1 (``"demo"``)
    from the database at ``path``, printed on ``paper``."""
    clinic: Clinic = open_clinic(path)
    try:
        if which == "long":
            (header,) = clinic.store.all_sessions()
            sid = header.id
        else:
            sid = clinic.session_where(signed=True, chair=1)
        return record(
            lambda: session_pdf(
                clinic.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY, page_size=paper
            )
        )
    finally:
        clinic.store.close()


def course_printout(path: Path, mrn: str, paper: str) -> Printout:
    """The course summary of the demo patient ``mrn`` as the demo is at ``NOW``."""
    clinic = open_clinic(path)
    try:
        patient = clinic.store.patient_by_mrn(mrn)
        assert patient is not None
        return record(
            lambda: course_pdf(
                clinic.service, patient.id, printed_at=NOW, printed_by=PRINTED_BY, page_size=paper
            )
        )
    finally:
        clinic.store.close()
