"""Sessions charted through the service that the course tests share (whole reference sessions
come from ``ui.demo.chart_reference_session``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import Patient, User
from bedside.scales import ScaleName
from bedside.service import ChartService
from ui.demo import no_contraindications
from ui.demo.reference import allergies_as_on_record


def screened_session(
    service: ChartService,
    clock: FixedClock,
    nurse: User,
    patient: Patient,
    start: datetime,
    phq9_answers: dict[str, int],
) -> SessionId:
    """A session opened at ``start`` on chair 3, screened (nothing found), with baseline
    vitals and the PHQ-9 ``phq9_answers`` 5 minutes later; left open before the consent."""
    clock.set(start)
    sid = service.open_session(nurse, patient_id=patient.id, chair=3).session_id
    service.record_intake(
        nurse,
        sid,
        identifiers_checked=("full_name", "date_of_birth"),
        contraindications=no_contraindications(),
        pregnancy_test="not_applicable",
        medicines_reviewed=True,
        fasting_as_instructed=True,
        substance_use_48h=False,
        allergies=allergies_as_on_record(service, patient.id),
    )
    service.advance(nurse, sid, Phase.BASELINE)
    clock.set(start + timedelta(minutes=5))
    service.record_baseline(nurse, sid, systolic=128, diastolic=82, heart_rate=76, spo2=98)
    service.score_scale(nurse, sid, ScaleName.PHQ9, phq9_answers)
    return sid
