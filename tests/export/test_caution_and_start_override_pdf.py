"""Issue 10 item 9 on paper: a baseline value in the caution band is marked on the printed
flowsheet (△, with the key above the table), and a start a clinician confirmed says so in the
infusion timeline, among the overrides and in the signature manifest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from export_pdf_support import PRINTED_AT, PRINTED_BY, Clinic, flat, open_clinic, pages_text

from bedside.ids import SessionId
from bedside.store import Store
from export.session_pdf import session_pdf


@pytest.fixture
def confirmed_start(demo_path: Path, tmp_path: Path) -> Iterator[tuple[Clinic, SessionId]]:
    """The demo's chair 4 (drug drawn up): a fresh baseline set in the caution band charted
    just before the start, and the start confirmed by the clinician."""
    with Store(demo_path) as original:
        original.backup(tmp_path / "copy.db")
    clinic = open_clinic(tmp_path / "copy.db")
    service = clinic.service
    nurse = service.accounts.authenticate("dana", "bedside-demo")
    clinician = service.accounts.authenticate("drlee", "bedside-demo")
    sid = clinic.session_where(signed=False, chair=4)
    service.record_baseline(
        nurse, sid, systolic=152, diastolic=88, heart_rate=80, spo2=98, resp_rate=14
    )
    service.start_infusion(
        nurse,
        sid,
        override_by=clinician,
        override_password="bedside-demo",
        override_reason="Anxious before the start; re-check in 10 min",
    )
    yield clinic, sid
    clinic.store.close()


def test_a_caution_value_is_marked_and_the_confirmed_start_is_printed(
    confirmed_start: tuple[Clinic, SessionId],
) -> None:
    clinic, sid = confirmed_start
    data = session_pdf(clinic.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    text = flat(" ".join(pages_text(data)))
    assert "152△" in text  # the value and its mark, not colour alone
    assert "△/▽ a baseline value in the caution band before the start" in text
    assert "Started on a clinician's confirmation (start.baseline.caution.systolic)" in text
    assert "Anxious before the start; re-check in 10 min" in text
    assert "Override at the infusion start" in text
    assert text.count("Clinical override authorised") >= 2  # the timeline and the manifest
