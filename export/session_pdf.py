"""The session summary PDF: what leaves the clinic (CLINICAL.md §12), built with reportlab.

``render_session_pdf(inputs, printed_at=..., printed_by=...)`` returns the PDF bytes;
``session_pdf`` and ``write_session_pdf`` load a session through a ``ChartService`` first.
Nothing here reads the wall clock: the printing time comes in as ``printed_at``, and the same
stored session printed with the same ``printed_at`` and ``printed_by`` gives the same bytes.

Sections, in the order of a paper sedation record: header, intake screen, consent, dose,
preparation and controlled-substance record, infusion timeline, vitals flowsheet, checks missed
or deferred, trend chart, scales, side effects, PRN medicines, alerts, notes, discharge,
signatures, addenda.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from reportlab.platypus import Flowable

from bedside.context import ClinicReader
from bedside.demo_mark import demo_subject, demo_title
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.private_files import write_private
from charting import build_series
from charting.course import course_first_phq9
from export.pdf.blocks import story_of
from export.pdf.context import PrintContext, SummaryInputs
from export.pdf.page import PAGE_SIZES, Furniture, PaperSize, build_pdf, page_setup
from export.pdf.sections_before import (
    consent_section,
    dose_section,
    intake_section,
    preparation_section,
)
from export.pdf.sections_discharge import addenda_section, discharge_section, signatures_section
from export.pdf.sections_during import (
    alerts_section,
    notes_section,
    prn_section,
    scales_section,
    side_effects_section,
)
from export.pdf.sections_forks import two_workstations_section
from export.pdf.sections_header import header, verification_failure
from export.pdf.sections_infusion import (
    checks_section,
    flowsheet_section,
    timeline_section,
    trend_section,
)
from export.pdf.sections_story import story_section

__all__ = [
    "PAGE_SIZES",
    "PaperSize",
    "SummaryInputs",
    "load_inputs",
    "patient_file_stem",
    "pdf_file_name",
    "render_session_pdf",
    "session_pdf",
    "write_bytes",
    "write_session_pdf",
]


def load_inputs(reader: ClinicReader, session_id: SessionId) -> SummaryInputs:
    """Read everything one summary needs from the store.

    Parameters
    ----------
    reader : ClinicReader
        What reads the clinic's record (the service).
    session_id : SessionId
        The session to print.

    Returns
    -------
    SummaryInputs
        The folded session with its patient, order and protocol, the staff named in it, and
        the clinic's name and address (settings ``clinic_name`` and ``clinic_address``), and
        whether the database is a demo (then every page says so).
    """
    clinic = reader.clinic_settings()
    c = reader.context(session_id)
    return SummaryInputs(
        context=c,
        staff=reader.staff(),
        clinic_name=clinic["clinic_name"],
        clinic_address=clinic["clinic_address"],
        problems=tuple(reader.session_problems(session_id)),
        ledger_head=reader.ledger_head(),
        course_first_phq9=course_first_phq9(reader.course_records(c.patient.id), session_id),
        demo=reader.is_demo(),
    )


def render_session_pdf(
    inputs: SummaryInputs,
    *,
    printed_at: datetime,
    printed_by: str,
    page_size: PaperSize | str = "A4",
) -> bytes:
    """The session summary as PDF bytes.

    Parameters
    ----------
    inputs : SummaryInputs
        From :func:`load_inputs` (or built by the caller from the same parts).
    printed_at : datetime
        When it is printed (timezone-aware); shown in the footer and used as the PDF's
        creation date.
    printed_by : str
        Who prints it (a user name), shown in the footer.
    page_size : {"A4", "Letter"}
        The paper size (case-insensitive).

    Returns
    -------
    bytes
        The PDF. Identical for the same record, ``printed_at`` and ``printed_by``.

    Raises
    ------
    ValueError
        For a naive ``printed_at`` or an unknown paper size.
    """
    setup = page_setup(printed_at, page_size)
    c = inputs.context
    state = c.state
    ctx = PrintContext(inputs=inputs, styles=setup.styles, width=setup.width, printed_at=printed_at)
    furniture = Furniture(
        patient=f"{c.patient.display_name} · {c.patient.mrn}",
        session=f"Session {c.header.local_date.isoformat()} · chair {c.header.chair} · "
        f"session {c.header.number_in_course} of {c.order.planned_infusions}",
        printed=f"Printed {ctx.when(printed_at)} by {printed_by}",
        record_hash=state.head_hash,
        draft=state.signed is None,
        fonts=setup.fonts,
        printed_at=printed_at,
        failed_verification=bool(inputs.problems),
        demo=inputs.demo,
    )
    return build_pdf(
        _story(ctx),
        furniture,
        size=setup.size,
        title=demo_title(
            f"Session record — {c.patient.display_name} — {c.header.local_date.isoformat()}",
            inputs.demo,
        ),
        author=inputs.clinic_name or "Bedside",
        subject=demo_subject(f"IV ketamine infusion session {c.header.id}", inputs.demo),
        keywords=f"record hash {state.head_hash}"
        + (f"; ledger head {inputs.ledger_head}" if inputs.ledger_head else ""),
    )


def _story(ctx: PrintContext) -> list[Flowable]:
    series = build_series(ctx.state, ctx.inputs.context.protocol)
    sections: list[Callable[[PrintContext], list[Flowable]]] = [
        verification_failure,
        header,
        story_section,
        intake_section,
        consent_section,
        dose_section,
        preparation_section,
        timeline_section,
        lambda c: flowsheet_section(c, series),
        checks_section,
        lambda c: trend_section(c, series),
        scales_section,
        side_effects_section,
        prn_section,
        alerts_section,
        notes_section,
        two_workstations_section,
        discharge_section,
        signatures_section,
        addenda_section,
    ]
    return story_of(ctx, sections)


def session_pdf(
    reader: ClinicReader,
    session_id: SessionId,
    *,
    printed_at: datetime,
    printed_by: str,
    page_size: PaperSize | str = "A4",
) -> bytes:
    """Load a session through ``reader`` and render its summary (see
    :func:`render_session_pdf`)."""
    return render_session_pdf(
        load_inputs(reader, session_id),
        printed_at=printed_at,
        printed_by=printed_by,
        page_size=page_size,
    )


def write_session_pdf(
    reader: ClinicReader,
    session_id: SessionId,
    path: Path,
    *,
    printed_at: datetime,
    printed_by: str,
    page_size: PaperSize | str = "A4",
) -> Path:
    """Render a session's summary and write it to ``path`` (atomically, see
    :func:`write_bytes`).

    Returns
    -------
    Path
        ``path``.
    """
    data = session_pdf(
        reader, session_id, printed_at=printed_at, printed_by=printed_by, page_size=page_size
    )
    return write_bytes(path, data)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and owner-only (see
    :func:`bedside.private_files.write_private`): a viewer never sees half a file, a failure
    leaves any earlier file in place, and a patient's record is never world-readable.

    Returns
    -------
    Path
        ``path``.
    """
    return write_private(path, data)


def pdf_file_name(inputs: SummaryInputs) -> str:
    """A file name that sorts by date and chair and says whose record it is, e.g.
    ``2026-11-24_chair1_NGUYEN-Minh_MRN-1002_3f2a9c1d.pdf`` (ASCII letters, digits, ``-``);
    ``..._3f2a9c1d_DRAFT.pdf`` while the session is not signed, as its pages are stamped."""
    c = inputs.context
    safe = patient_file_stem(c.patient)
    draft = "_DRAFT" if c.state.signed is None else ""
    return f"{c.header.local_date.isoformat()}_chair{c.header.chair}_{safe}_{c.patient.mrn}_{c.header.id[:8]}{draft}.pdf"


def patient_file_stem(patient: Patient) -> str:
    """``NGUYEN-Minh``: the patient's name for a file name (ASCII letters, digits, ``-``)."""
    name = f"{patient.family_name.upper()}-{patient.given_name}"
    # Accents dropped (GARCÍA → GARCIA) so the name survives any file system and mail client.
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "".join(ch if ch.isalnum() or ch == "-" else "_" for ch in plain)
