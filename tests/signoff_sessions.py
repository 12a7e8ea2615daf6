"""An eventful session for the sign-off tests (charting, export and UI): the reference session
up to S+20 (S the pump start, 20 min after ``start``), then a missed check at S+30, the
mandatory BP at S+40 deferred on a clinician's word, a pause-level reading at S+45 left
unacknowledged, the pump stopped at S+48 and no vitals since. ``settle_and_sign`` then makes it
signable only past the open drug remainder, and the clinician signs with an override."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bedside.clock import FixedClock
from bedside.events import AlertRaised, Phase
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.store import Store
from ui.demo import (
    DEMO_PASSWORD,
    DemoStaff,
    chart_reference_session,
    create_staff,
    order_reference_course,
)
from ui.demo.answers import ALDRETE_FULL, cadss6_answers

START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
"""When the eventful session opens (its pump starts at 14:20, S)."""

NURSE_REASON = "Patient asleep"
CLINICIAN_REASON = "Slept after a calm infusion, BP at S+20 fine"
SIGN_REASON = "Vial remainder lost when the syringe was dropped; reported"


def messy_session(
    service: ChartService,
    clock: FixedClock,
    staff: DemoStaff,
    patient: Patient,
    start: datetime,
    *,
    chair: int = 1,
) -> SessionId:
    """The eventful session, left in observation at S+80 (the clock is left there)."""

    def at(minutes: float) -> None:
        clock.set(start + timedelta(minutes=20 + minutes))

    sid = chart_reference_session(
        service, clock, staff, patient, chair=chair, start=start, until=Phase.INFUSING
    )
    nurse = staff.nurse
    at(40)  # nothing charted at S+30: that check is missed
    service.defer_check(
        nurse,
        sid,
        due_at=clock.now(),
        reason=NURSE_REASON,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason=CLINICIAN_REASON,
    )
    at(45)
    service.record_vitals(nurse, sid, systolic=186, diastolic=104, heart_rate=90, spo2=97)
    at(48)
    service.stop_infusion(nurse, sid, volume_infused_ml=103.6)
    at(80)
    return sid


def settle_and_sign(
    service: ChartService, clock: FixedClock, staff: DemoStaff, sid: SessionId
) -> None:
    """Acknowledge the alert, chart a recovered patient and the discharge score, then the
    clinician signs past the open 14 mg remainder with a reason (an override)."""
    nurse = staff.nurse
    for alert in service.state(sid).open_alerts():
        assert isinstance(alert.payload, AlertRaised)
        service.acknowledge_alert(
            nurse, sid, alert.raised.id, action_taken="BP re-checked, Dr Lee informed"
        )
    clock.advance(minutes=1)
    service.record_vitals(
        nurse, sid, systolic=126, diastolic=80, heart_rate=76, spo2=98, resp_rate=14
    )
    service.score_scale(nurse, sid, ScaleName.MOAAS, {"response": 5})
    service.score_scale(nurse, sid, ScaleName.CADSS6, cadss6_answers(0))
    service.assess_discharge(
        nurse,
        sid,
        answers=ALDRETE_FULL,
        escort_present=True,
        escort_name="Chris Doe",
        instructions_given=True,
    )
    clock.advance(minutes=1)
    service.sign_off(staff.clinician, sid, DEMO_PASSWORD, override_reason=SIGN_REASON)


@dataclass(frozen=True)
class Eventful:
    """A fresh clinic holding the eventful session (left in observation at S+80)."""

    service: ChartService
    clock: FixedClock
    staff: DemoStaff
    sid: SessionId


@contextmanager
def eventful_clinic(path: Path) -> Iterator[Eventful]:
    """A new clinic at ``path`` (demo staff, the default protocol, one patient with a course)
    with the eventful session charted in it."""
    clock = FixedClock(START - timedelta(days=1))
    store = Store(path)
    try:
        service = ChartService(store, clock)
        store.set_settings({"timezone": "UTC"}, actor=None, at=clock.now())  # times read in UTC
        staff = create_staff(service)
        service.ensure_protocol(staff.admin)
        patient = service.register_patient(
            staff.nurse,
            mrn="MRN-3001",
            family_name="Roe",
            given_name="Sam",
            date_of_birth=date(1979, 6, 1),
            sex="male",
            allergies={"state": "nkda"},
        )
        order_reference_course(service, staff.clinician, patient.id)
        sid = messy_session(service, clock, staff, patient, START)
        yield Eventful(service, clock, staff, sid)
    finally:
        store.close()
