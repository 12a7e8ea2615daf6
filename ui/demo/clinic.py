"""The demo clinic: users of each role, five patients with courses, four signed sessions of one
course, one session signed today, one infusing now, one waiting for sign-off and one ready to
start. Built through the same service a nurse uses, with a clock moved along the scenario, so
every demo record passes every rule.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.people import Patient
from bedside.service import ChartService
from bedside.store import Store
from ui.demo.reference import ReferencePlan, chart_reference_session, order_reference_course
from ui.demo.staff import DEMO_TIMEZONE, DemoStaff, demo_settings, set_up_clinic

PATIENTS: tuple[dict[str, Any], ...] = (
    {
        "mrn": "MRN-1001",
        "family_name": "Doe",
        "given_name": "Alex",
        "date_of_birth": date(1984, 3, 12),
        "sex": "female",
        "allergies": {"state": "listed", "allergies": ["penicillin (rash)"]},
        "current_medicines": ["sertraline 100 mg"],
    },
    {
        "mrn": "MRN-1002",
        "family_name": "Nguyen",
        "given_name": "Minh",
        "date_of_birth": date(1977, 9, 2),
        "sex": "male",
        "allergies": {"state": "nkda"},
        "current_medicines": ["bupropion 300 mg", "lisinopril 10 mg"],
    },
    {
        "mrn": "MRN-1003",
        "family_name": "García",
        "given_name": "Lucía",
        "date_of_birth": date(1991, 1, 25),
        "sex": "female",
        "allergies": {"state": "unknown"},
    },
    {
        "mrn": "MRN-1004",
        "family_name": "O'Brien",
        "given_name": "Sean",
        "date_of_birth": date(1969, 11, 30),
        "sex": "male",
        "allergies": {"state": "listed", "allergies": ["latex"]},
    },
    {
        "mrn": "MRN-1005",
        "family_name": "Shah",
        "given_name": "Priya",
        "date_of_birth": date(1988, 6, 14),
        "sex": "female",
        "allergies": {"state": "unknown"},
        "current_medicines": ["escitalopram 20 mg"],
    },
)
"""The demo's patients, registered in this order. Their allergies as stated at registration:
Lucía García's and Priya Shah's were not known then and are confirmed at today's intake
(:data:`INTAKE_ALLERGIES`)."""

INTAKE_ALLERGIES: dict[str, dict[str, Any]] = {
    "MRN-1003": {"state": "nkda"},
    "MRN-1005": {"state": "listed", "allergies": ["ibuprofen (hives)"]},
}
"""What the patients whose allergies were unknown answer at today's intake, by MRN."""

ALEX_HISTORY = (
    (15, 19, (172, 98), 9),
    (11, 15, (160, 96), 7),
    (8, 12, (154, 92), 6),
    (4, 9, (150, 90), 5),
)
"""Alex Doe's four earlier sessions: (days ago, PHQ-9 before, peak BP, CADSS-6 at the end),
the PHQ-9 falling across the course."""


def demo_kept_or_built(store: Store, now: datetime, timezone: str) -> bool:
    """The demo in ``store``: kept as it is when it is there already, else made (True); a
    database holding a clinic that is not the demo is refused by :func:`build_demo`, unchanged.
    What ``bedside --demo`` and ``bedside demo --if-empty`` do before anything opens it."""
    if store.has_users() and store.is_demo():
        return False
    build_demo(store, now, timezone=timezone)
    return True


def build_demo(store: Store, now: datetime, timezone: str = DEMO_TIMEZONE) -> DemoStaff:
    """Fill an empty database with the demo clinic, as it would look at ``now``.

    ``timezone`` is the clinic's (the composition root passes the workstation's own zone, so
    the demo's "today" is the user's today). Refused, before anything is written, in the
    clinic's database file and in any database that already has accounts
    (:func:`ui.demo.staff.refuse_unless_new_demo`); the database is marked as a demo.
    """
    clock = FixedClock(now - timedelta(days=15))
    service = ChartService(store, clock)
    staff = set_up_clinic(service, demo_settings(timezone))
    patients = [service.register_patient(staff.nurse, **fields) for fields in PATIENTS]
    for patient in patients:
        order_reference_course(service, staff.clinician, patient.id)
    for days_ago, phq, bp, cadss in ALEX_HISTORY:
        day_start = (now - timedelta(days=days_ago)).replace(
            hour=13, minute=0, second=0, microsecond=0
        )
        chart_reference_session(
            service,
            clock,
            staff,
            patients[0],
            chair=1,
            start=day_start,
            plan=ReferencePlan(phq9_before=phq, peak_bp=bp, cadss6_end=cadss),
        )
    _today(service, clock, staff, patients, now)
    clock.set(now)
    return staff


def _today(
    service: ChartService,
    clock: FixedClock,
    staff: DemoStaff,
    patients: list[Patient],
    now: datetime,
) -> None:
    """Today: Minh Nguyen's session signed earlier (the reference numbers), Lucía García
    infusing on chair 2, Sean O'Brien on chair 3 waiting for the sign-off, and Priya Shah on
    chair 4 with consent, dose and preparation done and the pump ready to start."""
    today = (
        (patients[1], 1, 200, Phase.SIGNED),
        (patients[2], 2, 42, Phase.INFUSING),
        (patients[3], 3, 105, Phase.READY_FOR_DISCHARGE),
        (patients[4], 4, 17, Phase.PREPARED),
    )
    for patient, chair, minutes_ago, until in today:
        chart_reference_session(
            service,
            clock,
            staff,
            patient,
            chair=chair,
            start=now - timedelta(minutes=minutes_ago),
            plan=ReferencePlan(allergies_at_intake=INTAKE_ALLERGIES.get(patient.mrn)),
            until=until,
        )
