"""Fixtures for the storage tests: a clinic on a temporary database, and prebuilt databases that
are copied per test (building the demo takes about a second, copying takes nothing)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bedside.store import Store
from tests.store.support import T0, Clinic, Prebuilt
from ui.demo import build_demo


@pytest.fixture
def umask_zero() -> Iterator[None]:
    """Run with umask 0, so only the code's own modes can keep files private."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    """Staff, protocol and settings in a fresh database at ``tmp_path/clinic/bedside.db``."""
    c = Clinic.create(tmp_path / "clinic" / "bedside.db")
    yield c
    c.close()


def _closed(store: Store) -> None:
    path = store.path
    store.close()
    leftovers = [p.name for p in path.parent.iterdir() if p.name != path.name]
    assert not leftovers, f"closing the store left {leftovers} next to the database"


@pytest.fixture(scope="session")
def signed_db(tmp_path_factory: pytest.TempPathFactory) -> Prebuilt:
    """One signed reference session (38 events, 186/104 pause alert at seq 20)."""
    clinic = Clinic.create(tmp_path_factory.mktemp("signed") / "bedside.db")
    sid = clinic.reference_session()
    _closed(clinic.store)
    return Prebuilt(clinic.path, clinic.staff, sid)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Prebuilt:
    """The demo clinic built with ``build_demo`` (six sessions, one of them infusing)."""
    path = tmp_path_factory.mktemp("demo") / "bedside.db"
    store = Store(path)
    now = T0 + timedelta(days=15)
    staff = build_demo(store, now)
    # Minh Nguyen's session this morning: the only reading of 186/104 in the demo.
    (sid,) = [
        h.id
        for h in store.all_sessions()
        if store.patient(h.patient_id).mrn == "MRN-1002"
        and any(e.kind == "session_signed" for e in store.events(h.id))
    ]
    _closed(store)
    return Prebuilt(path, staff, sid)
