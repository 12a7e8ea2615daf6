"""A known course for the course-PDF tests, charted through the service on a fixed clock.

Patient Chidi OKAFOR (MRN-3001), clinic in New York, first order 0.5 mg/kg × 6:

1. day 0: whole reference session, PHQ-9 20, peak 186/104 (pause level), CADSS-6 9;
2. day 3: whole reference session, PHQ-9 16, peak 172/98 (notify level), CADSS-6 7;
3. day 7: ended before the pump: PHQ-9 14 with item 9 positive, C-SSRS high (flagged), severe
   serious anxiety;

then a dose change to 0.6 mg/kg × 8 (order 2 supersedes order 1):

4. day 10: the pump stopped at half the volume (patient asked), PHQ-9 9, left open.

So: 2 of 8 infusions given in full and one short (3 given), response yes (9 ≤ 10), remission no.
Three more patients: MRN-3002 with PHQ-9 10 → 4 (response and remission), MRN-3003 with one
PHQ-9 (flags not yet), MRN-3004 without a course order.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.ids import PatientId, SessionId
from bedside.people import Patient
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.store import Store
from tests.session_builders import screened_session
from ui.demo import (
    DemoStaff,
    ReferencePlan,
    chart_reference_session,
    order_reference_course,
    phq9_answers,
    set_up_clinic,
)

START = datetime(2026, 10, 5, 14, 0, tzinfo=UTC)
"""Day 0 of the course, 10:00 in New York."""
DAY = timedelta(days=1)
AS_OF = START + 20 * DAY
"""The moment the course is printed for."""


@dataclass(frozen=True)
class KnownCourse:
    """The ids of what was charted."""

    main: PatientId
    """MRN-3001, the course described above."""
    sessions: tuple[SessionId, ...]
    remitted: PatientId
    """MRN-3002: PHQ-9 10 then 4."""
    single: PatientId
    """MRN-3003: one PHQ-9 only."""
    no_order: PatientId
    """MRN-3004: registered, no course order."""


def _patient(service: ChartService, staff: DemoStaff, mrn: str, family: str, given: str) -> Patient:
    return service.register_patient(
        staff.nurse,
        mrn=mrn,
        family_name=family,
        given_name=given,
        date_of_birth=date(1980, 5, 17),
        sex="male",
        allergies={"state": "listed", "allergies": ["latex"]},
    )


def _ended_before_the_pump(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient, start: datetime
) -> SessionId:
    nurse = staff.nurse
    sid = screened_session(service, clock, nurse, patient, start, phq9_answers(14, item9=1))
    service.score_scale(
        nurse,
        sid,
        ScaleName.CSSRS,
        {
            "q1_wish_dead": 1,
            "q2_active_thoughts": 1,
            "q3_method": 0,
            "q4_intent": 1,
            "q5_plan": 0,
            "q6_behaviour": 0,
        },
    )
    service.note_side_effect(nurse, sid, effect="anxiety", severity=3, serious=True)
    service.end_early(nurse, sid, "High risk on the C-SSRS screen: clinician review")
    return sid


def build_known_course(store: Store) -> KnownCourse:
    """Chart the known course (and the two small ones) into an empty database."""
    clock = FixedClock(START - 2 * DAY)
    service = ChartService(store, clock)
    staff = set_up_clinic(
        service,
        {
            "timezone": "America/New_York",
            "clinic_name": "Harbour Test Clinic",
            "clinic_address": "1 Quay Street, Port Town",
        },
    )
    main = _patient(service, staff, "MRN-3001", "Okafor", "Chidi")
    first = order_reference_course(service, staff.clinician, main.id)

    def reference(day: int, plan: ReferencePlan, until: Phase = Phase.SIGNED) -> SessionId:
        return chart_reference_session(
            service, clock, staff, main, chair=1, start=START + day * DAY, plan=plan, until=until
        )

    sessions = [
        reference(0, ReferencePlan(phq9_before=20, peak_bp=(186, 104), cadss6_end=9)),
        reference(3, ReferencePlan(phq9_before=16, peak_bp=(172, 98), cadss6_end=7)),
        _ended_before_the_pump(service, clock, staff, main, START + 7 * DAY),
    ]
    clock.set(START + 9 * DAY)
    order_reference_course(
        service, staff.clinician, main.id, mg_per_kg=0.6, planned_infusions=8, supersedes=first.id
    )
    short = reference(10, ReferencePlan(phq9_before=9), until=Phase.INFUSING)
    service.stop_infusion(
        staff.nurse, short, volume_infused_ml=51.8, completed=False, reason="patient asked"
    )
    sessions.append(short)

    remitted = _patient(service, staff, "MRN-3002", "Berg", "Ingrid")
    order_reference_course(service, staff.clinician, remitted.id)
    single = _patient(service, staff, "MRN-3003", "Silva", "Rafael")
    order_reference_course(service, staff.clinician, single.id)
    for day, total in ((1, 10), (4, 4)):
        chart_reference_session(
            service,
            clock,
            staff,
            remitted,
            chair=2,
            start=START + day * DAY,
            plan=ReferencePlan(phq9_before=total, peak_bp=(150, 90)),
        )
    chart_reference_session(
        service,
        clock,
        staff,
        single,
        chair=2,
        start=START + 6 * DAY,
        plan=ReferencePlan(phq9_before=18, peak_bp=(150, 90)),
    )
    no_order = _patient(service, staff, "MRN-3004", "Kowalski", "Anna")
    clock.set(AS_OF)
    return KnownCourse(main.id, tuple(sessions), remitted.id, single.id, no_order.id)


@contextmanager
def open_course(path: Path) -> Iterator[tuple[Store, ChartService]]:
    """The known course's database, open with a service on a clock at :data:`AS_OF`."""
    store = Store(path)
    try:
        yield store, ChartService(store, FixedClock(AS_OF))
    finally:
        store.close()
