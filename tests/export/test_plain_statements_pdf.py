"""Statements on the summary PDF that cannot mislead (issue 12 item 4), read back from the text
layer of the long session's summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from export_pdf_support import PRINTED_AT, PRINTED_BY, Clinic, pages_text

from bedside.events import Phase
from export.session_pdf import session_pdf
from tests.charting.charting_fixtures import at, make_clinic


@pytest.fixture
def long_text(long_clinic: Clinic) -> str:
    sid = long_clinic.session_where(signed=True)
    data = session_pdf(long_clinic.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    return " ".join(pages_text(data))


def test_alert_limits_read_as_the_protocol_states_them(long_text: str) -> None:
    assert "Notify clinician: Systolic BP 164 mmHg at or above 160" in long_text
    assert "Systolic BP rose 44 mmHg from baseline 132 (40 or more)" in long_text
    assert "Pause infusion: Systolic BP 184 mmHg above 180" in long_text
    assert "BP and HR within 20 % of baseline and BP < 160/100" in long_text
    # (a bare "159" can occur inside a printed hash)
    assert not re.search(r"(above|≤) 159\b", long_text)
    assert "159/99" not in long_text
    assert "more than 39" not in long_text


def test_an_alert_on_a_reading_later_corrected_says_so(long_text: str) -> None:
    assert (
        "Pause infusion: SpO2 89 % below 92 Raised on a reading later corrected (11:01 by Dana "
        "Reyes, RN: finger probe displaced; repeat reading 97 % on air); the corrected reading "
        "raised no alert" in long_text
    )
    assert (
        "Raised on a reading later corrected (09:42 by Dana Reyes, RN: transposed digits: heart "
        "rate was 86, not 68); the corrected reading raised its own alert (notify)" in long_text
    )


def test_the_oxygen_column_says_air(long_text: str) -> None:
    # The baseline row: ... RR 14, temperature 36.8, on air, MOAA/S 5.
    assert "132 84 78 98 14 36.8 air MOAA/S 5" in long_text


def test_a_pump_volume_far_from_the_charted_rates_is_flagged_beside_them(tmp_path: Path) -> None:
    with make_clinic(tmp_path / "x.db") as clinic:
        sid = clinic.reference(until=Phase.INFUSING)
        clinic.clock.set(at(60))
        # 40 min at the planned rate is the whole bag; the pump says 80 mL (stopped early).
        clinic.service.stop_infusion(
            clinic.staff.nurse, sid, volume_infused_ml=80, completed=False, reason="asked to stop"
        )
        data = session_pdf(clinic.service, sid, printed_at=at(61), printed_by=PRINTED_BY)
    pages = pages_text(data)
    text = " ".join(pages)
    assert "▶ Pump volume 80 mL differs by more than 5 % from the charted rates" in text
    assert "pump volume differs from the charted rates (see Infusion)" in pages[0]


def test_a_draft_s_discharge_criteria_read_like_the_signed_record(demo: Clinic) -> None:
    # Chair 2 is infusing: its criteria carry the signed record's labels, and the criteria
    # judged after the stop do not deny the page of readings charted during the infusion.
    sid = demo.session_where(signed=False, chair=2)
    text = " ".join(
        pages_text(session_pdf(demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY))
    )
    assert (
        "BP and HR within 20 % of baseline and BP < 160/100 ✗ not met judged once the infusion "
        "has stopped" in text
    )
    assert "SpO2 ≥ 94 % on air ✗ not met judged once the infusion has stopped" in text
    assert "Vitals back near baseline" not in text
    assert "since the infusion stopped" not in text


def test_any_entry_voided_as_wrong_patient_says_so(tmp_path: Path) -> None:
    with make_clinic(tmp_path / "x.db") as clinic:
        sid = clinic.reference(until=Phase.INFUSING)
        (reading,) = [e for e in clinic.state(sid).vitals if e.clinical_time == at(10)]
        clinic.service.void(
            clinic.staff.nurse, sid, reading.id, "chair 3's monitor", wrong_patient=True
        )
        data = session_pdf(clinic.service, sid, printed_at=at(30), printed_by=PRINTED_BY)
    text = " ".join(pages_text(data))
    assert "Voided (charted on the wrong patient's record)" in text
