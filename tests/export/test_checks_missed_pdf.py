"""Issue 10, items 1 and 3 on paper: the printout lists the checks missed or deferred under the
flowsheet — which check (its time, "MANDATORY BP"), the reason, and the clinician who allowed
deferring a mandatory one — and every override, the deferral's included, with its signature."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from export_pdf_support import PRINTED_AT, PRINTED_BY, Clinic, flat, pages_text
from signoff_sessions import CLINICIAN_REASON, NURSE_REASON, Eventful, eventful_clinic

from export.session_pdf import session_pdf


@pytest.fixture
def eventful(tmp_path: Path) -> Iterator[Eventful]:
    with eventful_clinic(tmp_path / "x.db") as clinic:
        yield clinic


def printed(e: Eventful) -> str:
    data = session_pdf(
        e.service, e.sid, printed_at=e.clock.now() + timedelta(minutes=5), printed_by="tester"
    )
    return flat(" ".join(pages_text(data)))


def test_missed_and_deferred_checks_are_printed_with_who_allowed_them(eventful: Eventful) -> None:
    text = printed(eventful)
    section = text[text.index("Checks missed or deferred") :]
    assert section.startswith(
        "Checks missed or deferred Due Check What happened Detail "
        "14:50 +30′ vitals check During the infusion MISSED no reading between 14:45 and 14:55; "
        "next reading 15:05 (10 min after the window) "
        "15:00 +40′ MANDATORY BP During the infusion Deferred "
        f"by D Reyes at 15:00: {NURSE_REASON} Allowed by Jordan Lee, MD: {CLINICIAN_REASON}"
    )
    assert section.count("MISSED") >= 3  # the re-checks after the alert, and after the stop
    # Among the overrides (intake section) and in the signature manifest too.
    assert (
        f"Override — Deferral of the mandatory BP due 15:00 (defer.mandatory): {CLINICIAN_REASON}"
        in text
    )
    assert text.count("Clinical override authorised") >= 3


def test_a_draft_judges_its_missed_checks_when_printed(eventful: Eventful) -> None:
    # Nothing charted since S+80: printed an hour later, the draft lists more checks missed.
    def missed_when_printed(after: timedelta) -> int:
        data = session_pdf(
            eventful.service,
            eventful.sid,
            printed_at=eventful.clock.now() + after,
            printed_by="tester",
        )
        text = flat(" ".join(pages_text(data)))
        return text[text.index("Checks missed or deferred") :].count("MISSED")

    assert missed_when_printed(timedelta(hours=1)) > missed_when_printed(timedelta(minutes=5))


def test_a_session_without_slips_says_so(demo: Clinic) -> None:
    sid = demo.session_where(signed=True, chair=1)
    data = session_pdf(demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    text = flat(" ".join(pages_text(data)))
    assert "Checks missed or deferred No scheduled check was missed or deferred." in text
    assert "Check deferred" not in text  # no longer in the pump's timeline
