"""The course summary PDF: every session row of a known course, the outcome flags on and off
with their definitions, the order history, page x of y, byte-for-byte reproducibility, and
every page rendering with poppler's pdftoppm.

The known course is described in ``course_support``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from course_support import AS_OF, KnownCourse, build_known_course, open_course
from export_pdf_support import NOW, Clinic, pages_text
from pypdf import PdfReader

from bedside.ids import PatientId
from bedside.service import ChartService
from bedside.store import Store
from charting import DEFAULT_OUTCOMES, course_summary
from export.course_pdf import course_pdf, course_pdf_file_name, render_course_pdf, write_course_pdf

PRINTED_BY = "tester"


@pytest.fixture(scope="module")
def known_path(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, KnownCourse]:
    path = tmp_path_factory.mktemp("course") / "course.db"
    with Store(path) as store:
        known = build_known_course(store)
    return path, known


@pytest.fixture
def known(known_path: tuple[Path, KnownCourse]) -> Iterator[tuple[ChartService, KnownCourse]]:
    """The known course, open (do not chart into it)."""
    path, ids = known_path
    with open_course(path) as (_, service):
        yield service, ids


def pdf_of(
    service: ChartService,
    patient: PatientId,
    *,
    printed_at: datetime = AS_OF,
    page_size: str = "A4",
) -> bytes:
    return course_pdf(
        service, patient, printed_at=printed_at, printed_by=PRINTED_BY, page_size=page_size
    )


def text_of(data: bytes) -> str:
    return " ".join(pages_text(data))


# --- content ---------------------------------------------------------------------------------


def test_header_names_the_clinic_the_patient_and_every_order(
    known: tuple[ChartService, KnownCourse],
) -> None:
    service, ids = known
    text = text_of(pdf_of(service, ids.main))
    for expected in (
        "Harbour Test Clinic",
        "1 Quay Street, Port Town",
        "IV ketamine infusion — course summary",
        "Patient OKAFOR, Chidi",
        "MRN MRN-3001",
        "Date of birth 1980-05-17 (46 y, male)",
        "Indication Treatment-resistant major depressive disorder (F33.2)",
        "Allergies latex",
        "Times clinic time, America/New_York",
        # The dose change: the first order superseded, the second in force, each signed.
        "Order 1 of 2 Superseded: 0.5 mg/kg (actual weight) over 40 min, max 60 mg; "
        "6 infusions, 2 per week. Signed by Jordan Lee, MD, 2026-10-03 10:00 EDT",
        "Order 2 of 2 In force: 0.6 mg/kg (actual weight) over 40 min, max 60 mg; "
        "8 infusions, 2 per week. Signed by Jordan Lee, MD, 2026-10-14 10:00 EDT",
        # Session 4 is still open: the summary says its figures may change.
        "NOT FINAL Still open: session 4 Its figures may change As of 2026-10-25 10:00 EDT",
    ):
        assert expected in text


def test_every_session_row_with_its_numbers(known: tuple[ChartService, KnownCourse]) -> None:
    service, ids = known
    text = text_of(pdf_of(service, ids.main))
    rows = [
        # k of n, date (clinic time), status, planned, infused, peak BP with its level,
        # CADSS-6 at the end, PHQ-9 before, C-SSRS, side effects.
        "1 of 8 2026-10-05 Signed 36 mg 0.5 mg/kg 36 mg 0.5 mg/kg 186/104 ▲ pause level "
        "9 20 none Nausea (mild)",
        "2 of 8 2026-10-08 Signed 36 mg 0.5 mg/kg 36 mg 0.5 mg/kg 172/98 ▲ notify level "
        "7 16 none Nausea (mild)",
        "3 of 8 2026-10-12 Ended early High risk on the C-SSRS screen: clinician review "
        "— not started — — 14 item 9 > 0 high ⚑ FLAG Anxiety (severe, SERIOUS)",
        "4 of 8 2026-10-15 Open Observation 43.2 mg 0.6 mg/kg 21.45 mg 0.3 mg/kg ≠ planned "
        "142/88 — 9 none none",
    ]
    for row in rows:
        assert row in text
    # Normal peaks carry no mark; the key to the marks is printed under the table.
    assert "142/88 ▲" not in text
    assert "▲ crossed a protocol limit (amber: notify; red: pause or do-not-start)" in text
    assert "⚑ FLAG: moderate or high risk" in text


def test_the_outcome_line_with_definitions_and_sources(
    known: tuple[ChartService, KnownCourse],
) -> None:
    service, ids = known
    text = text_of(pdf_of(service, ids.main))
    assert "Infusions given 3 of 8 planned" in text
    assert "Total infused 93.45 mg" in text  # 36 + 36 + 21.45 (session 3 never started)
    assert "PHQ-9 change −55 % (20 → 9)" in text
    assert "Response ✓ YES" in text  # 9 ≤ 10, half of the first score
    assert "Remission No" in text  # 9 is not below 5
    assert "Last infusion 2026-10-15 (session 4, 10 days ago)" in text
    assert "here ≤ 10: the first score was 20" in text
    assert f"Source: {DEFAULT_OUTCOMES.response_source}." in text
    assert f"Source: {DEFAULT_OUTCOMES.remission_source}." in text


def test_the_trend_chart_is_labelled(known: tuple[ChartService, KnownCourse]) -> None:
    service, ids = known
    text = text_of(pdf_of(service, ids.main))
    assert "PHQ-9 trend" in text
    assert "response ≤ 10" in text  # the dashed line at half the first score
    assert "remission < 5" in text
    assert "item 9 (thoughts of self-harm) above 0" in text
    # One slot per planned session (8 after the dose change), dated where a session took place.
    assert "1 5 Oct 2 8 Oct 3 12 Oct 4 15 Oct 5 6 7 8" in text
    assert "20 16 14 9" in text  # the points' values


def test_response_and_remission_both_on(known: tuple[ChartService, KnownCourse]) -> None:
    service, ids = known
    text = text_of(pdf_of(service, ids.remitted))
    assert "ALL SESSIONS SIGNED 2 signed" in text
    assert "PHQ-9 change −60 % (10 → 4)" in text
    assert "Response ✓ YES" in text
    assert "Remission ✓ YES" in text
    assert "response ≤ 5" in text
    assert "Total infused 72 mg" in text


def test_flags_not_yet_after_one_score(known: tuple[ChartService, KnownCourse]) -> None:
    service, ids = known
    text = text_of(pdf_of(service, ids.single))
    assert "PHQ-9 change 18 (first score only)" in text
    assert "Response Not yet (needs a PHQ-9 after the first)" in text
    assert "Remission Not yet (needs a PHQ-9 after the first)" in text
    assert "YES" not in text


def test_a_patient_without_a_course(known: tuple[ChartService, KnownCourse]) -> None:
    service, ids = known
    text = text_of(pdf_of(service, ids.no_order))
    assert "Indication no course order" in text
    assert "Infusions given none: no course order" in text
    assert "No PHQ-9 scored before a session of this course yet." in text
    assert "No sessions in this course yet." in text
    assert "Session records" not in text


def test_each_session_record_hash_to_verify(known: tuple[ChartService, KnownCourse]) -> None:
    service, ids = known
    text = text_of(pdf_of(service, ids.main))
    assert "bedside verify --hash HASH" in text
    for sid in ids.sessions:
        day = service.store.session(sid).local_date.isoformat()
        assert f"{day} {service.state(sid).head_hash}" in text  # in full, on its session's row
    assert "3 of 8 ended early" in text
    assert "4 of 8 open" in text


def test_without_record_hashes_there_is_no_records_section(
    known: tuple[ChartService, KnownCourse],
) -> None:
    service, ids = known
    data = render_course_pdf(
        course_summary(service, ids.main, AS_OF),
        printed_at=AS_OF,
        printed_by=PRINTED_BY,
        clinic_name="",
        clinic_address="",
    )
    text = text_of(data)
    assert "Session records" not in text
    assert "Clinic name not set" in text


def test_page_x_of_y_and_the_footer_on_every_page(
    known: tuple[ChartService, KnownCourse],
) -> None:
    service, ids = known
    pages = pages_text(pdf_of(service, ids.main))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "OKAFOR, Chidi · MRN-3001" in page
        assert "Course summary · 3 of 8 planned · as of 2026-10-25" in page
        assert f"Printed 2026-10-25 10:00 EDT by {PRINTED_BY}" in page
    assert "IV ketamine infusion — course summary" in pages[1]  # running header


def test_times_are_in_the_clinic_time_zone(known: tuple[ChartService, KnownCourse]) -> None:
    service, ids = known
    summary = course_summary(service, ids.main, AS_OF)
    text = text_of(
        render_course_pdf(
            replace(summary, timezone="Asia/Tokyo"),
            printed_at=AS_OF,
            printed_by=PRINTED_BY,
            clinic_name="",
            clinic_address="",
        )
    )
    # AS_OF is 14:00 UTC: 23:00 in Tokyo.
    assert "As of 2026-10-25 23:00 JST" in text
    assert "Printed 2026-10-25 23:00 JST" in text


def test_the_demo_patients_course(demo: Clinic) -> None:
    patient = demo.store.patient_by_mrn("MRN-1001")
    assert patient is not None
    data = course_pdf(demo.service, patient.id, printed_at=NOW, printed_by=PRINTED_BY)
    text = text_of(data)
    assert "Riverside Ketamine Clinic (demo)" in text
    assert "ALL SESSIONS SIGNED 4 signed" in text
    for k, phq9 in zip(range(1, 5), (19, 15, 12, 9), strict=True):
        assert f"{k} of 6 " in text
        assert f" {phq9} none Nausea (mild)" in text
    assert "Response ✓ YES" in text
    assert "Page 1 of 1" in text


# --- the file --------------------------------------------------------------------------------


def test_identical_bytes_for_the_same_course_and_printing_time(
    known: tuple[ChartService, KnownCourse],
) -> None:
    service, ids = known
    first = pdf_of(service, ids.main)
    assert pdf_of(service, ids.main) == first
    assert pdf_of(service, ids.main, printed_at=AS_OF + timedelta(minutes=1)) != first


def test_a4_and_letter(known: tuple[ChartService, KnownCourse]) -> None:
    service, ids = known
    a4 = PdfReader(io.BytesIO(pdf_of(service, ids.main, page_size="a4"))).pages[0].mediabox
    letter = PdfReader(io.BytesIO(pdf_of(service, ids.main, page_size="Letter"))).pages[0]
    assert (float(a4.width), float(a4.height)) == pytest.approx((595.28, 841.89), abs=0.01)
    assert (float(letter.mediabox.width), float(letter.mediabox.height)) == (612, 792)


def test_refuses_a_naive_time_and_an_unknown_paper(
    known: tuple[ChartService, KnownCourse],
) -> None:
    service, ids = known
    with pytest.raises(ValueError, match="timezone-aware"):
        pdf_of(service, ids.main, printed_at=datetime(2026, 10, 25, 10, 0))
    with pytest.raises(ValueError, match="unknown paper size"):
        pdf_of(service, ids.main, page_size="A5")


def test_write_and_file_name(known: tuple[ChartService, KnownCourse], tmp_path: Path) -> None:
    service, ids = known
    target = tmp_path / "out" / "course.pdf"
    written = write_course_pdf(service, ids.main, target, printed_at=AS_OF, printed_by=PRINTED_BY)
    assert written == target
    assert target.read_bytes() == pdf_of(service, ids.main)
    assert [p.name for p in target.parent.iterdir()] == ["course.pdf"]  # no temp file left
    summary = course_summary(service, ids.main, AS_OF)
    assert course_pdf_file_name(summary) == "2026-10-25_course_OKAFOR-Chidi_MRN-3001.pdf"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("which", ["main", "remitted", "no_order"])
def test_every_page_renders_with_pdftoppm(
    which: str, known: tuple[ChartService, KnownCourse], tmp_path: Path
) -> None:
    service, ids = known
    data = pdf_of(service, getattr(ids, which))
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(data)
    result = subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(PdfReader(io.BytesIO(data)).pages)
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 3000  # not a blank page


def test_the_side_effects_column_stays_compact(long_clinic: Clinic) -> None:
    # Issue 12 item 4: "Dissociation / derealisation (moderate)" and three more, one per line,
    # made the long session's row four lines deep.
    patient = long_clinic.store.patient_by_mrn("MRN-2001")
    assert patient is not None
    text = text_of(
        course_pdf(long_clinic.service, patient.id, printed_at=NOW, printed_by=PRINTED_BY)
    )
    assert (
        "Nausea (mild), Dissociation (moderate), Raised blood pressure (moderate), Anxiety (mild)"
        in text
    )
