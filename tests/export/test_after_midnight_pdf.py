"""Issue 11, item 1 on paper: a session that runs past midnight prints its later rows with their
date, so "00:10" cannot be read as the morning of the session's day."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from export_pdf_support import flat, pages_text

from bedside.clock import FixedClock
from bedside.service import ChartService
from export.session_pdf import session_pdf
from tests.bedside.clinic_support import patient_with_course
from ui.demo import DemoStaff, chart_reference_session

# 23:30 in New York (the fixture clinic's zone) on 24 November.
LATE_START = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)


def test_rows_after_midnight_carry_their_date(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    patient = patient_with_course(service, staff, "MRN-LATE")
    sid = chart_reference_session(service, clock, staff, patient, chair=1, start=LATE_START)
    text = flat(
        " ".join(
            pages_text(
                session_pdf(
                    service, sid, printed_at=clock.now() + timedelta(minutes=5), printed_by="t"
                )
            )
        )
    )
    assert "2026-11-24" in text  # the session's day
    flowsheet = text[text.index("Vital signs flowsheet") : text.index("Checks missed")]
    before = re.findall(r"(?<!Nov )\b23:[0-5]\d\b", flowsheet)
    after = re.findall(r"\b25 Nov 0\d:[0-5]\d\b", flowsheet)
    assert before, "the rows before midnight print the time alone"
    assert after, "the rows after midnight print their date"
    # No row after midnight is printed as a bare time.
    assert not re.findall(r"(?<!Nov )\b00:[0-5]\d\b", flowsheet)
