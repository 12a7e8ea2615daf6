"""The summary PDF says the allergies in the words the session window uses: the list as
confirmed at the session's intake (who, when), no known drug allergies with who confirmed it,
and never a blank read as "none"; a PRN given past an allergy shows the clinician's override,
and the warnings the nurse confirmed."""

from __future__ import annotations

from datetime import date

from export_pdf_support import PRINTED_AT, PRINTED_BY, pages_text

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.service import ChartService
from export.session_pdf import session_pdf
from tests.conftest import T0
from ui.demo import DEMO_PASSWORD, DemoStaff, chart_reference_session
from ui.demo.reference import order_reference_course


def test_session_header_and_prn_rows_say_the_allergy_facts(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    patient = service.register_patient(
        staff.nurse,
        mrn="MRN-5",
        family_name="Doe",
        given_name="Alex",
        date_of_birth=date(1984, 3, 12),
        sex="female",
        allergies={"state": "listed", "allergies": ["penicillin (rash)"]},
    )
    order_reference_course(service, staff.clinician, patient.id)
    sid = chart_reference_session(
        service, clock, staff, patient, chair=1, start=T0, until=Phase.INFUSING
    )
    service.give_prn(
        staff.nurse,
        sid,
        acknowledged=["prn.not_on_list"],
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="allergist cleared penicillin V in 2025",
        drug="penicillin V",
        dose=250,
        unit="mg",
        route="PO",
        indication="strep throat",
        ordered_by=staff.clinician.id,
    )
    data = session_pdf(service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    text = " ".join(pages_text(data))
    assert "ALLERGIES ▶ penicillin (rash) — confirmed by Dana Reyes, RN, 24 Nov 2026 09:02" in text
    assert "Allergy override by Jordan Lee, MD: allergist cleared penicillin V in 2025" in text
    assert "confirmed: penicillin V is not on the clinic's PRN list" in text
