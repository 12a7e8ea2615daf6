"""Issue 11, item 9: a session ended before its pump started does not use up one of the
course's infusions (its number is not reused); a database written by a newer release is
refused untouched; files holding patient data are owner-only, also when they existed before."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bedside.clock import FixedClock
from bedside.errors import OperationRefused, StoreError
from bedside.events import Phase
from bedside.people import Patient
from bedside.service import ChartService
from bedside.store import Store
from tests.bedside.clinic_support import jo_roe_with_course, reference_session_until
from tests.conftest import T0
from ui.demo import DemoStaff


def one_infusion_course(service: ChartService, staff: DemoStaff) -> Patient:
    return jo_roe_with_course(service, staff, mrn="MRN-ONE", planned_infusions=1)


def test_a_session_ended_before_the_pump_does_not_use_up_an_infusion(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    patient = one_infusion_course(service, staff)
    clock.set(T0)
    aborted = service.open_session(staff.nurse, patient_id=patient.id, chair=1).session_id
    service.end_early(staff.nurse, aborted, "Patient unwell on arrival: rebooked")
    order = service.active_course(patient.id)
    assert order is not None
    assert (service.sessions_opened(order), service.sessions_given(order)) == (1, 0)
    # The one planned infusion is still to give: the next session opens, numbered 2.
    given = reference_session_until(service, clock, staff, patient, Phase.SIGNED)
    assert service.store.session(given).number_in_course == 2
    assert service.sessions_given(order) == 1
    clock.set(T0 + timedelta(days=3))
    with pytest.raises(OperationRefused, match="all have been given"):
        service.open_session(staff.nurse, patient_id=patient.id, chair=1)


def test_a_session_whose_pump_started_counts_and_an_open_one_holds_its_slot(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    patient = one_infusion_course(service, staff)
    reference_session_until(service, clock, staff, patient, Phase.INFUSING)
    order = service.active_course(patient.id)
    assert order is not None
    assert service.sessions_given(order) == 1


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
            "VALUES ('bedside', 'm042_from_the_future', '2027-01-01')"
        )
    before = digest(db)
    with pytest.raises(StoreError) as refused:
        Store(db)
    assert "written by a newer release of Bedside" in str(refused.value)
    assert "m042_from_the_future" in str(refused.value)
    assert digest(db) == before


def test_an_existing_world_readable_database_is_tightened_on_open(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:  # leaves a -wal behind while open
        conn.execute("PRAGMA journal_mode = WAL")
        os.chmod(db, 0o644)
        for suffix in ("-wal", "-shm"):
            side = Path(f"{db}{suffix}")
            if side.exists():
                os.chmod(side, 0o644)
        with Store(db) as store:
            assert store.has_users() is False
            for suffix in ("", "-wal", "-shm"):
                side = Path(f"{db}{suffix}")
                if side.exists():
                    assert side.stat().st_mode & 0o777 == 0o600, suffix
