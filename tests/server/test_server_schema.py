"""The clinic server's schema on a real PostgreSQL (issue 14): created and migrated once,
append-only whoever asks, the chain enforced by the server itself, the ledger in commit order,
and a workstation's login that can read and add but never change."""

from __future__ import annotations

import hashlib

import psycopg
import pytest
from pg_cluster import Cluster

from bedside.errors import StoreError
from bedside.store.server.migrations import MIGRATIONS
from bedside.store.server.setup import add_workstation, applied_migrations, init_server

GENESIS = "0" * 64


def _session(conn: psycopg.Connection[tuple[object, ...]], sid: str = "s1") -> None:
    conn.execute(
        "INSERT INTO bedside.sessions (id, patient_id, course_id, number_in_course, chair,"
        " protocol_id, opened_at, local_date, opened_by, genesis_hash, origin)"
        " VALUES (%s, 'p1', 'c1', 1, 1, 'v1', '2026-12-03T09:00:00Z', '2026-12-03', 'u1', %s,"
        " 'ws_a')",
        (sid, GENESIS),
    )


def _event(
    conn: psycopg.Connection[tuple[object, ...]],
    eid: str,
    seq: int,
    prev: str,
    sid: str = "s1",
    origin: str = "ws_a",
) -> str:
    digest = hashlib.sha256(f"{eid}|{prev}".encode()).hexdigest()
    conn.execute(
        "INSERT INTO bedside.chart_events (id, session_id, seq, kind, clinical_time,"
        " recorded_time, author, payload, prev_hash, hash, origin)"
        " VALUES (%s, %s, %s, 'note', '2026-12-03T09:05:00Z', '2026-12-03T09:05:00Z', 'u1',"
        " '{}', %s, %s, %s)",
        (eid, sid, seq, prev, digest, origin),
    )
    return digest


def test_init_creates_the_schema_once_and_a_second_init_applies_nothing(server_url: str) -> None:
    assert init_server(server_url) == [m.name for m in MIGRATIONS]
    assert init_server(server_url) == []
    with psycopg.connect(server_url) as conn:
        assert applied_migrations(conn) == [m.name for m in MIGRATIONS]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE bedside.chart_events SET payload = '{\"x\": 1}'",
        "DELETE FROM bedside.chart_events",
        "TRUNCATE bedside.chart_events CASCADE",
        "UPDATE bedside.sessions SET chair = 2",
        "DELETE FROM bedside.ledger",
    ],
)
def test_the_record_is_append_only_even_for_its_owner(server_url: str, statement: str) -> None:
    init_server(server_url)
    with psycopg.connect(server_url) as conn:
        _session(conn)
        _event(conn, "e1", 1, GENESIS)
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute(statement)


def test_an_event_must_extend_its_sessions_chain(server_url: str) -> None:
    init_server(server_url)
    with psycopg.connect(server_url) as conn:
        _session(conn)
        first = _event(conn, "e1", 1, GENESIS)
        _event(conn, "e2", 2, first)
        conn.commit()
        with pytest.raises(psycopg.errors.CheckViolation, match="parent is not on the server"):
            _event(conn, "e3", 3, "f" * 64)
        conn.rollback()
        with pytest.raises(psycopg.errors.CheckViolation, match="seq 5 after a parent at seq 1"):
            _event(conn, "e4", 5, first)


def test_two_children_of_one_parent_are_both_kept_and_listed_as_a_fork(
    server_url: str, cluster: Cluster
) -> None:
    # Two workstations cut off from each other both chart after event 1 of one session.
    init_server(server_url)
    unique = server_url.rsplit("_", 1)[1]
    a, b = (add_workstation(server_url, f"{w}_{unique}") for w in ("a", "b"))
    dbname = server_url.rsplit("/", 1)[1]
    with psycopg.connect(server_url) as conn:
        _session(conn)
        first = _event(conn, "e1", 1, GENESIS)
        conn.commit()
    for login, eid in ((a, "a2"), (b, "b2")):
        with psycopg.connect(cluster.url(dbname, login.role, login.password)) as conn:
            _event(conn, eid, 2, first, origin="claimed by the sender")
            conn.commit()
    with psycopg.connect(server_url) as conn:
        forks = conn.execute("SELECT session_id, event_ids, origins FROM bedside.forks").fetchall()
    # Both kept, in the order received; the origin is the login, not what the sender claimed.
    assert forks == [("s1", ["a2", "b2"], [a.role, b.role])]


def test_the_ledger_chains_every_event_in_the_order_received(server_url: str) -> None:
    init_server(server_url)
    with psycopg.connect(server_url) as conn:
        _session(conn)
        h1 = _event(conn, "e1", 1, GENESIS)
        h2 = _event(conn, "e2", 2, h1)
        conn.commit()
        rows = conn.execute(
            "SELECT seq, event_id, link FROM bedside.ledger ORDER BY seq"
        ).fetchall()
    link1 = hashlib.sha256(f"|e1|{h1}".encode()).hexdigest()
    link2 = hashlib.sha256(f"{link1}|e2|{h2}".encode()).hexdigest()
    assert rows == [(1, "e1", link1), (2, "e2", link2)]


def test_a_workstation_login_reads_and_adds_but_never_changes(
    server_url: str, cluster: Cluster
) -> None:
    init_server(server_url)
    unique = server_url.rsplit("_", 1)[1]  # roles are the cluster's, shared by the tests
    login = add_workstation(server_url, f"Chair room {unique}")
    assert login.role == f"ws_chair_room_{unique}"
    dbname = server_url.rsplit("/", 1)[1]
    with psycopg.connect(cluster.url(dbname, login.role, login.password)) as conn:
        _session(conn)
        first = _event(conn, "e1", 1, GENESIS, origin=login.role)
        conn.commit()
        assert conn.execute("SELECT count(*) FROM bedside.ledger").fetchone() == (1,)
        for statement in (
            "UPDATE bedside.chart_events SET payload = '{}'",
            "INSERT INTO bedside.ledger (seq, event_id, link) VALUES (9, 'e1', 'x')",
            "CREATE TABLE bedside.mine (x int)",
            "DROP TRIGGER chart_events_extend_chain ON bedside.chart_events",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
        assert first


def test_a_second_login_of_the_same_name_is_refused(server_url: str) -> None:
    init_server(server_url)
    office = "office_" + server_url.rsplit("_", 1)[1]
    add_workstation(server_url, office)
    with pytest.raises(StoreError, match=f"already has a workstation login ws_{office}"):
        add_workstation(server_url, office)


def test_an_unreachable_server_is_said_in_words() -> None:
    with pytest.raises(StoreError, match="Cannot reach the clinic server"):
        init_server("postgresql://nobody:x@127.0.0.1:9/none?connect_timeout=2")
