"""Issue 13, item 1 on paper: every page printed from a demo database, session summary and
course summary alike, says "DEMO — not for patient care" (and so do the PDF's title and
subject); the same record in a database not marked as a demo prints without it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from export_pdf_support import NOW, PRINTED_AT, PRINTED_BY, Clinic, open_clinic, pages_text
from pypdf import PdfReader

from bedside.demo_mark import DEMO_MARK, DEMO_SETTING
from bedside.store import Store
from export.course_pdf import course_pdf
from export.session_pdf import load_inputs, render_session_pdf


@pytest.fixture
def not_demo(long_path: Path, tmp_path: Path) -> Iterator[Clinic]:
    """A copy of the long session's database with its demo mark taken off (as a clinic's)."""
    with Store(long_path) as store:
        store.backup(tmp_path / "clinic.db")
    clinic = open_clinic(tmp_path / "clinic.db")
    clinic.store.set_settings({DEMO_SETTING: ""}, actor=None, at=NOW)
    yield clinic
    clinic.store.close()


def long_session_pdf(clinic: Clinic) -> bytes:
    """The long session's summary: several pages."""
    (header,) = clinic.store.sessions_on(NOW.date())
    return render_session_pdf(
        load_inputs(clinic.service, header.id), printed_at=PRINTED_AT, printed_by=PRINTED_BY
    )


def long_course_pdf(clinic: Clinic) -> bytes:
    patient = clinic.store.patient_by_mrn("MRN-2001")
    assert patient is not None
    return course_pdf(clinic.service, patient.id, printed_at=PRINTED_AT, printed_by=PRINTED_BY)


def test_every_page_of_a_demo_session_summary_says_demo(long_clinic: Clinic) -> None:
    data = long_session_pdf(long_clinic)
    pages = pages_text(data)
    assert len(pages) > 1
    assert all(DEMO_MARK in page for page in pages)
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    assert (meta.title or "").startswith("DEMO — Session record")
    assert DEMO_MARK in (meta.subject or "")


def test_every_page_of_a_demo_course_summary_says_demo(long_clinic: Clinic, demo: Clinic) -> None:
    for clinic, mrn in ((long_clinic, "MRN-2001"), (demo, "MRN-1001")):
        patient = clinic.store.patient_by_mrn(mrn)
        assert patient is not None
        data = course_pdf(clinic.service, patient.id, printed_at=NOW, printed_by=PRINTED_BY)
        assert all(DEMO_MARK in page for page in pages_text(data))
        meta = PdfReader(io.BytesIO(data)).metadata
        assert meta is not None
        assert (meta.title or "").startswith("DEMO — Course summary")


def test_a_clinics_printouts_carry_no_demo_mark(not_demo: Clinic) -> None:
    for data in (long_session_pdf(not_demo), long_course_pdf(not_demo)):
        assert not any("DEMO" in page for page in pages_text(data))
        meta = PdfReader(io.BytesIO(data)).metadata
        assert meta is not None
        assert "DEMO" not in (meta.title or "") + (meta.subject or "")
