"""Helpers for the charting tests: real sessions charted through the service on a FixedClock.

The reference session (``ui.demo.chart_reference_session``) starts the infusion at
``start + 20 min``; below, ``S`` is that infusion start. Its vitals are at S+10, S+20,
S+30 (186/104, pause alert), S+35, S+40, then S+60 and S+75; pause S+30–S+35, stop S+45,
sign-off S+85.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.protocol import Protocol
from bedside.rules.intake import CONTRAINDICATIONS
from bedside.service import ChartService
from bedside.state import SessionState
from bedside.store import Store
from ui.demo import (
    DemoStaff,
    chart_reference_session,
    create_staff,
    order_reference_course,
)

SESSION_START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
INFUSION_START = SESSION_START + timedelta(minutes=20)


def at(minutes: float) -> datetime:
    """The instant ``minutes`` after the reference infusion start ``S``."""
    return INFUSION_START + timedelta(minutes=minutes)


@dataclass
class Clinic:
    """A fresh clinic: service, clock, staff, one patient with a course, the protocol."""

    service: ChartService
    clock: FixedClock
    staff: DemoStaff
    patient: Patient
    protocol: Protocol

    def reference(self, until: Phase = Phase.SIGNED) -> SessionId:
        """Chart the reference session (stopping at ``until``); the clock is left where the
        charting ended."""
        return chart_reference_session(
            self.service,
            self.clock,
            self.staff,
            self.patient,
            chair=1,
            start=SESSION_START,
            until=until,
        )

    def state(self, sid: SessionId) -> SessionState:
        """The folded session."""
        return self.service.state(sid)

    def open_to_baseline(self, **baseline: float) -> SessionId:
        """Open a session at ``SESSION_START``, screen it and chart one baseline set."""
        nurse = self.staff.nurse
        self.clock.set(SESSION_START)
        sid = self.service.open_session(nurse, patient_id=self.patient.id, chair=2).session_id
        self.service.record_intake(
            nurse,
            sid,
            identifiers_checked=("full_name", "date_of_birth"),
            contraindications=dict.fromkeys(CONTRAINDICATIONS, False),
            pregnancy_test="not_applicable",
            medicines_reviewed=True,
            fasting_as_instructed=True,
            substance_use_48h=False,
            allergies={"state": "nkda"},
        )
        self.service.advance(nurse, sid, Phase.BASELINE)
        self.clock.set(SESSION_START + timedelta(minutes=5))
        self.service.record_baseline(nurse, sid, **baseline)
        return sid


@contextmanager
def make_clinic(path: Path) -> Iterator[Clinic]:
    """A fresh clinic in a new database at ``path``: staff, the default protocol, one patient
    with a course order."""
    clock = FixedClock(SESSION_START - timedelta(days=1))
    store = Store(path)
    service = ChartService(store, clock)
    # Every time here is read in UTC: the tests' clock is in UTC, and so is the clinic.
    store.set_settings({"timezone": "UTC"}, actor=None, at=clock.now())
    staff = create_staff(service)
    _, protocol = service.ensure_protocol(staff.admin)
    patient = service.register_patient(
        staff.nurse,
        mrn="MRN-2001",
        family_name="Doe",
        given_name="Alex",
        date_of_birth=date(1984, 3, 12),
        sex="female",
        allergies={"state": "nkda"},
    )
    order_reference_course(service, staff.clinician, patient.id)
    try:
        yield Clinic(service, clock, staff, patient, protocol)
    finally:
        store.close()


@dataclass(frozen=True)
class Reference:
    """The signed reference session, folded, with its protocol."""

    state: SessionState
    protocol: Protocol
    sid: SessionId


@dataclass
class Charted:
    """One session charted in a fresh clinic, still open for more charting."""

    clinic: Clinic
    sid: SessionId

    @property
    def service(self) -> ChartService:
        """The clinic's service."""
        return self.clinic.service

    @property
    def clock(self) -> FixedClock:
        """The clinic's clock."""
        return self.clinic.clock

    @property
    def staff(self) -> DemoStaff:
        """The clinic's staff."""
        return self.clinic.staff

    @property
    def protocol(self) -> Protocol:
        """The clinic's protocol."""
        return self.clinic.protocol

    def state(self) -> SessionState:
        """The session, folded now."""
        return self.clinic.service.state(self.sid)
