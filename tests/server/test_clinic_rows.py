"""The clinic-wide data through the clinic server: a new workstation receives the clinic
(accounts, keys, patients, allergies, protocol, courses, settings) and can sign in offline; an
account deactivated at one workstation stops working at another after its next pull; nothing is
echoed back; a version whose fixed part differs is refused as a conflict."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from server_helpers import clinic_from_demo

from bedside.clock import FixedClock
from bedside.errors import AuthenticationFailed
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.server.clinic_rows import (
    pull_clinic_rows,
    push_clinic_rows,
    waiting_clinic_rows,
)
from bedside.store.server.setup import init_server

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
TABLES = ("users", "signing_keys", "patients", "patient_allergies", "protocols", "course_orders")


Conn = psycopg.Connection[tuple[object, ...]]


@pytest.fixture
def two(tmp_path: Path, server_url: str) -> Iterator[tuple[Store, Store]]:
    """Workstation A with the demo clinic, workstation B new and empty, one server."""
    init_server(server_url)
    a = Store(tmp_path / "a.db")
    clinic_from_demo(a, NOW)
    b = Store(tmp_path / "b.db")
    yield a, b
    a.close()
    b.close()


@pytest.fixture
def server(workstations: tuple[Conn, Conn]) -> tuple[Conn, Conn]:
    """Each workstation's own login (the server tells them apart by it)."""
    return workstations


def _count(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_new_workstation_receives_the_clinic_and_signs_in_offline(
    two: tuple[Store, Store], server: tuple[Conn, Conn]
) -> None:
    (a, b), (at_a, at_b) = two, server
    assert push_clinic_rows(a.conn, at_a, batch=9) > 0
    assert waiting_clinic_rows(a.conn) == 0
    pulled = pull_clinic_rows(b.conn, at_b, batch=5)
    assert pulled.conflicts == []
    for table in TABLES:
        assert _count(b, table) == _count(a, table), table
    assert b.get_setting("clinic_name", "") == a.get_setting("clinic_name", "")
    # Offline now: B signs Dana in from what it received.
    nurse = ChartService(b, FixedClock(NOW)).accounts.authenticate("dana", "bedside-demo")
    assert nurse.username == "dana"


def test_nothing_received_is_sent_back(two: tuple[Store, Store], server: tuple[Conn, Conn]) -> None:
    (a, b), (at_a, at_b) = two, server
    push_clinic_rows(a.conn, at_a)
    pull_clinic_rows(b.conn, at_b)
    before = at_b.execute("SELECT count(*) FROM bedside.clinic_rows").fetchone()
    assert push_clinic_rows(b.conn, at_b) == 0
    assert at_b.execute("SELECT count(*) FROM bedside.clinic_rows").fetchone() == before
    assert push_clinic_rows(a.conn, at_a) == 0  # and a second push sends nothing


def test_an_account_deactivated_at_one_workstation_stops_at_the_other(
    two: tuple[Store, Store], server: tuple[Conn, Conn]
) -> None:
    (a, b), (to_a, to_b) = two, server
    push_clinic_rows(a.conn, to_a)
    pull_clinic_rows(b.conn, to_b)
    at_a = ChartService(a, FixedClock(NOW))
    admin = at_a.accounts.authenticate("admin", "bedside-demo")
    sam = next(u for u in a.users() if u.username == "sam")
    at_a.accounts.set_active(admin, sam.id, active=False)
    at_b = ChartService(b, FixedClock(NOW))
    assert at_b.accounts.authenticate("sam", "bedside-demo").username == "sam"  # not heard yet
    push_clinic_rows(a.conn, to_a)
    pull_clinic_rows(b.conn, to_b)
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        at_b.accounts.authenticate("sam", "bedside-demo")


def test_a_version_that_changes_what_never_changes_is_a_conflict(
    two: tuple[Store, Store], server: tuple[Conn, Conn], server_url: str
) -> None:
    (a, b), (to_a, to_b) = two, server
    push_clinic_rows(a.conn, to_a)
    pull_clinic_rows(b.conn, to_b)
    with psycopg.connect(server_url) as admin:
        patient = a.conn.execute("SELECT id, date_of_birth FROM patients LIMIT 1").fetchone()
        # Someone with the server's administrator account adds a version with another birth date.
        admin.execute(
            "INSERT INTO bedside.clinic_rows (seq, table_name, row_key, content, content_hash,"
            " origin, source_seq) SELECT 0, table_name, row_key,"
            " jsonb_set(content, '{date_of_birth}', '\"1901-01-01\"'), 'forged', '', 999999"
            " FROM bedside.clinic_rows WHERE table_name = 'patients' AND row_key = %s"
            " ORDER BY seq DESC LIMIT 1",
            (patient[0],),
        )
        admin.commit()
    pulled = pull_clinic_rows(b.conn, to_b)
    assert len(pulled.conflicts) == 1
    assert f"patients {patient[0]}" in pulled.conflicts[0]
    dob = b.conn.execute("SELECT date_of_birth FROM patients WHERE id = ?", (patient[0],))
    assert dob.fetchone()[0] == patient[1]  # never applied
