"""Opening and closing sessions at the chart service: a patient sits in one chair at a time and
has one infusion a day, the count in the course carries across a dose-change order, an ended
session is shut in the database itself, and a concurrent change is refused rather than judged on
a stale record.

Each test reproduces a scenario that once got through the core review.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bedside.clock import FixedClock
from bedside.errors import OperationRefused, SessionLocked
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.service import ChartService
from tests.bedside.clinic_support import jo_roe_with_course, reference_session_until
from tests.conftest import T0
from ui.demo import DEMO_PASSWORD, DemoStaff


@pytest.fixture
def patient(service: ChartService, staff: DemoStaff) -> Patient:
    return jo_roe_with_course(service, staff)


def session(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient, until: Phase
) -> SessionId:
    return reference_session_until(service, clock, staff, patient, until)


def test_a_patient_in_a_chair_cannot_be_opened_on_another(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    session(service, clock, staff, patient, Phase.INFUSING)
    with pytest.raises(OperationRefused, match="already has an open session on chair 1"):
        service.open_session(staff.nurse, patient_id=patient.id, chair=2)


def test_a_second_infusion_the_same_day_is_refused(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    first = session(service, clock, staff, patient, Phase.SIGNED)
    with pytest.raises(OperationRefused, match="already had an infusion today"):
        service.open_session(staff.nurse, patient_id=patient.id, chair=2)
    assert [h.id for h in service.store.sessions_for_patient(patient.id)] == [first]
    clock.set(T0 + timedelta(days=2))
    # another day: fine
    later = service.open_session(staff.nurse, patient_id=patient.id, chair=2).session_id
    assert [h.id for h in service.store.sessions_for_patient(patient.id)] == [first, later]
    assert service.state(later).phase is Phase.INTAKE


def test_a_session_ended_before_its_pump_started_does_not_block_the_day(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    clock.set(T0)
    wrong = service.open_session(staff.nurse, patient_id=patient.id, chair=1).session_id
    service.end_early(staff.nurse, wrong, "Opened for the wrong patient")
    again = service.open_session(staff.nurse, patient_id=patient.id, chair=1).session_id
    assert again != wrong
    assert [h.id for h in service.store.sessions_for_patient(patient.id)] == [wrong, again]
    assert service.store.session(again).chair == 1
    assert service.state(wrong).phase is Phase.ENDED_EARLY
    fresh = service.state(again)
    assert fresh.phase is Phase.INTAKE
    assert not fresh.closed


def test_a_dose_change_order_continues_the_session_count(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    first = session(service, clock, staff, patient, Phase.SIGNED)
    assert service.store.session(first).number_in_course == 1
    old = service.active_course(patient.id)
    assert old is not None
    changed = service.order_course(
        staff.clinician,
        DEMO_PASSWORD,
        patient_id=patient.id,
        indication="TRD",
        planned_infusions=6,
        mg_per_kg=0.6,
        duration_min=40,
        max_dose_mg=60,
        supersedes=old.id,
    )
    assert service.sessions_given(changed) == 1
    clock.set(T0 + timedelta(days=3))
    second = service.open_session(staff.nurse, patient_id=patient.id, chair=2).session_id
    header = service.store.session(second)
    assert (header.course_id, header.number_in_course) == (changed.id, 2)


def test_ended_session_is_locked_in_the_database(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    from bedside.events import EventDraft, NoteAdded

    clock.set(T0)
    sid = service.open_session(staff.nurse, patient_id=patient.id, chair=2).session_id
    clock.advance(minutes=1)
    service.end_early(staff.nurse, sid, "patient did not attend")
    before = len(service.store.events(sid))
    # The store itself refuses (not only the service), with the chart's own error.
    with pytest.raises(SessionLocked):
        service.store.append(
            sid,
            [EventDraft(payload=NoteAdded(text="sneaked"), clinical_time=clock.now())],
            author=staff.nurse.id,
            at=clock.now(),
        )
    assert len(service.store.events(sid)) == before
    assert service.store.verify_session(sid) == []


def test_a_concurrent_append_is_refused_not_judged_on_a_stale_record(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    from bedside.errors import ConcurrentChange
    from bedside.store import Store

    sid = session(service, clock, staff, patient, Phase.PREPARED)
    clock.set(T0 + timedelta(minutes=20))
    ctx = service.context(sid)  # workstation A reads the record ...
    other = ChartService(Store(service.store.path), clock)
    other.start_infusion(staff.nurse2, sid)  # ... workstation B starts the pump first
    from bedside.events import EventDraft, InfusionStarted

    draft = EventDraft(
        payload=InfusionStarted(rate_ml_h=155.4, vtbi_ml=103.6), clinical_time=clock.now()
    )
    with pytest.raises(ConcurrentChange, match="NOT saved"):
        service._append(staff.nurse, ctx, [draft])
    starts = [e for e in service.state(sid).events if e.kind == "infusion_started"]
    assert len(starts) == 1
    other.store.close()
