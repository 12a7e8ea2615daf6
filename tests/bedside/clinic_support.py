"""Shared pieces of the rule and service tests' template clinics.

Each test module builds one template database (scrypt makes building per test slow) and copies
it for every test; these helpers are the parts that were the same in every module.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.service import ChartService
from bedside.store import Store
from tests.conftest import T0
from ui.demo import DEMO_PASSWORD, DemoStaff, chart_reference_session


def copied_store(template: Path, folder: Path) -> Iterator[Store]:
    """A private copy of a template database, closed after the test."""
    target = folder / "bedside.db"
    shutil.copyfile(template, target)
    store = Store(target)
    yield store
    store.close()


def staff_in(store: Store) -> DemoStaff:
    """The demo staff accounts (admin, dana, sam, drlee) as stored in ``store``."""
    users = {u.username: u for u in store.users()}
    return DemoStaff(users["admin"], users["dana"], users["sam"], users["drlee"])


def patient_with_course(service: ChartService, staff: DemoStaff, mrn: str) -> Patient:
    """Alex Doe (the reference patient) under ``mrn``, with the reference course order
    (6 infusions of 0.5 mg/kg over 40 min, maximum 60 mg)."""
    patient = service.register_patient(
        staff.nurse,
        mrn=mrn,
        family_name="Doe",
        given_name="Alex",
        date_of_birth=date(1984, 3, 12),
        sex="female",
        allergies={"state": "nkda"},
    )
    service.order_course(
        staff.clinician,
        DEMO_PASSWORD,
        patient_id=patient.id,
        indication="TRD",
        planned_infusions=6,
        mg_per_kg=0.5,
        duration_min=40,
        max_dose_mg=60,
    )
    return patient


def jo_roe_with_course(
    service: ChartService, staff: DemoStaff, *, mrn: str = "MRN-9", planned_infusions: int = 6
) -> Patient:
    """Jo Roe (male, born 1980-01-01) with the reference course order (6 infusions unless
    said)."""
    patient = service.register_patient(
        staff.nurse,
        mrn=mrn,
        family_name="Roe",
        given_name="Jo",
        date_of_birth=date(1980, 1, 1),
        sex="male",
        allergies={"state": "nkda"},
    )
    service.order_course(
        staff.clinician,
        DEMO_PASSWORD,
        patient_id=patient.id,
        indication="TRD",
        planned_infusions=planned_infusions,
        mg_per_kg=0.5,
        duration_min=40,
        max_dose_mg=60,
    )
    return patient


def reference_session_until(
    service: ChartService,
    clock: FixedClock,
    staff: DemoStaff,
    patient: Patient,
    until: Phase,
    *,
    start: datetime = T0,
) -> SessionId:
    """The reference session on chair 1 from ``start`` (T0), charted up to ``until``."""
    return chart_reference_session(
        service, clock, staff, patient, chair=1, start=start, until=until
    )
