"""The course summary PDF: a patient's course of infusions on paper (issue 4, item 5).

``render_course_pdf(summary, printed_at=..., ...)`` returns the PDF bytes of a
``charting.course.CourseSummary``; ``course_pdf`` and ``write_course_pdf`` read the summary
through a ``ChartService`` first. The outcome rules (change, response, remission) are computed
once in ``charting.course``: this module only lays them out. Fonts, styles, page furniture and
the document itself are the session summary's (``export.pdf``). Nothing here reads the wall
clock: the same course printed with the same ``printed_at`` and ``printed_by`` gives the same
bytes.

Sections: header (clinic, patient, indication, the order and the orders it superseded), the
outcome so far with its definitions and sources, the PHQ-9 trend, one row per session, and each
session's record hash.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from bedside.context import ClinicReader
from bedside.demo_mark import demo_subject, demo_title
from bedside.ids import PatientId, SessionId
from bedside.timeutil import local_date
from charting.course import course_summary
from charting.course_summary import CourseSummary
from export.pdf.blocks import story_of
from export.pdf.course_context import CourseContext
from export.pdf.fonts import FontSet
from export.pdf.page import Furniture, PaperSize, build_pdf, page_setup
from export.pdf.sections_course import (
    COURSE_TITLE,
    course_header,
    outcome_section,
    records_section,
    sessions_section,
    trend_section,
)
from export.session_pdf import patient_file_stem, write_bytes

__all__ = [
    "course_pdf",
    "course_pdf_file_name",
    "render_course_pdf",
    "write_course_pdf",
]

_SECTIONS = (course_header, outcome_section, trend_section, sessions_section, records_section)
"""The sections of the course summary, in print order."""


def render_course_pdf(
    summary: CourseSummary,
    *,
    printed_at: datetime,
    printed_by: str,
    clinic_name: str,
    clinic_address: str,
    page_size: PaperSize | str = "A4",
    record_hashes: Mapping[SessionId, str] | None = None,
    demo: bool = False,
) -> bytes:
    """The course summary as PDF bytes.

    Parameters
    ----------
    summary : CourseSummary
        From ``charting.course.course_summary``; its time zone is the one every time and date
        is printed in.
    printed_at : datetime
        When it is printed (timezone-aware); shown in the footer and used as the PDF's
        creation date.
    printed_by : str
        Who prints it (a user name), shown in the footer.
    clinic_name, clinic_address : str
        The clinic's settings, printed at the top.
    page_size : {"A4", "Letter"}
        The paper size (case-insensitive).
    record_hashes : Mapping[SessionId, str], optional
        Each session's current record hash, listed at the end for ``bedside verify --hash``;
        left out when not given.
    demo : bool
        Printed from a demo database: every page and the title say DEMO.

    Returns
    -------
    bytes
        The PDF. Identical for the same summary, ``printed_at`` and ``printed_by``.

    Raises
    ------
    ValueError
        For a naive ``printed_at`` or an unknown paper size.
    """
    setup = page_setup(printed_at, page_size)
    ctx = CourseContext(
        summary=summary,
        styles=setup.styles,
        width=setup.width,
        clinic_name=clinic_name,
        clinic_address=clinic_address,
        record_hashes=dict(record_hashes or {}),
    )
    return build_pdf(
        story_of(ctx, _SECTIONS),
        _course_furniture(ctx, setup.fonts, printed_at, printed_by, demo=demo),
        size=setup.size,
        **_document_info(summary, clinic_name, demo=demo),
    )


def _document_info(summary: CourseSummary, clinic_name: str, *, demo: bool) -> dict[str, str]:
    """The PDF's title, author, subject and keywords (title and subject say DEMO for a demo)."""
    patient = summary.patient
    return {
        "title": demo_title(f"Course summary — {patient.display_name} — {patient.mrn}", demo),
        "author": clinic_name or "Bedside",
        "subject": demo_subject("IV ketamine infusion course summary", demo),
        "keywords": f"course {summary.order.id}" if summary.order else "no course order",
    }


def _course_furniture(
    ctx: CourseContext, fonts: FontSet, printed_at: datetime, printed_by: str, *, demo: bool
) -> Furniture:
    """The footer and running header of a course summary: patient, course, who printed it."""
    summary = ctx.summary
    patient = summary.patient
    return Furniture(
        patient=f"{patient.display_name} · {patient.mrn}",
        session=f"Course summary · {summary.infusions_text} · "
        f"as of {ctx.day(summary.as_of).isoformat()}",
        printed=f"Printed {ctx.when(printed_at)} by {printed_by}",
        record_hash="",
        draft=False,
        fonts=fonts,
        printed_at=printed_at,
        running_title=COURSE_TITLE,
        demo=demo,
    )


def course_pdf(
    reader: ClinicReader,
    patient_id: PatientId,
    *,
    printed_at: datetime,
    printed_by: str,
    page_size: PaperSize | str = "A4",
    summary: CourseSummary | None = None,
) -> bytes:
    """Read a patient's current course through ``reader`` and render its summary as of
    ``printed_at`` (see :func:`render_course_pdf`), with each session's record hash and the
    clinic's name and address (settings ``clinic_name`` and ``clinic_address``), marked DEMO on
    every page when the database is a demo. A caller that
    already built the course's ``summary`` at ``printed_at`` passes it, and it is not read again.

    Raises
    ------
    bedside.errors.StoreError
        When the patient does not exist.
    """
    summary = summary or course_summary(reader, patient_id, printed_at)
    clinic = reader.clinic_settings()
    return render_course_pdf(
        summary,
        printed_at=printed_at,
        printed_by=printed_by,
        clinic_name=clinic["clinic_name"],
        clinic_address=clinic["clinic_address"],
        page_size=page_size,
        record_hashes={r.session_id: r.record_hash for r in summary.sessions},
        demo=reader.is_demo(),
    )


def write_course_pdf(
    reader: ClinicReader,
    patient_id: PatientId,
    path: Path,
    *,
    printed_at: datetime,
    printed_by: str,
    page_size: PaperSize | str = "A4",
) -> Path:
    """Render a patient's course summary and write it to ``path`` atomically (see
    :func:`export.session_pdf.write_bytes`).

    Returns
    -------
    Path
        ``path``.
    """
    data = course_pdf(
        reader, patient_id, printed_at=printed_at, printed_by=printed_by, page_size=page_size
    )
    return write_bytes(path, data)


def course_pdf_file_name(summary: CourseSummary) -> str:
    """A file name that says whose course and as of when, e.g.
    ``2026-11-24_course_NGUYEN-Minh_MRN-1002.pdf`` (ASCII letters, digits, ``-``)."""
    patient = summary.patient
    day = local_date(summary.as_of, summary.timezone)
    return f"{day.isoformat()}_course_{patient_file_stem(patient)}_{patient.mrn}.pdf"
