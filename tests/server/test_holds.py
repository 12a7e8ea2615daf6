"""One holder per session on the clinic server: claimed by the workstation that opened it,
refused to another, taken over only by a workstation that has every entry, and only one
takeover at a time wins."""

from __future__ import annotations

import hashlib

import psycopg
import pytest

from bedside.errors import OperationRefused
from bedside.store.server.holds import SessionHeldElsewhere, claim, current_hold, take_over

GENESIS = "0" * 64
Conn = psycopg.Connection[tuple[object, ...]]


@pytest.fixture
def logins(workstations: tuple[Conn, Conn]) -> tuple[Conn, Conn]:
    """Two workstations' connections to one clinic server holding session s1 with one entry."""
    ca, cb = workstations
    ca.execute(
        "INSERT INTO bedside.sessions (id, patient_id, course_id, number_in_course, chair,"
        " protocol_id, opened_at, local_date, opened_by, genesis_hash, origin) VALUES"
        " ('s1', 'p1', 'c1', 1, 3, 'v1', 't', 'd', 'u1', %s, '')",
        (GENESIS,),
    )
    _entry(ca, "e1", 1, GENESIS)
    return ca, cb


def _entry(conn: Conn, eid: str, seq: int, prev: str) -> str:
    digest = hashlib.sha256(f"{eid}|{prev}".encode()).hexdigest()
    conn.execute(
        "INSERT INTO bedside.chart_events (id, session_id, seq, kind, clinical_time,"
        " recorded_time, author, payload, prev_hash, hash, origin)"
        " VALUES (%s, 's1', %s, 'note', 't', 't', 'u1', '{}', %s, %s, '')",
        (eid, seq, prev, digest),
    )
    return digest


def _head(conn: Conn) -> str:
    row = conn.execute(
        "SELECT hash FROM bedside.chart_events WHERE session_id = 's1' ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert row is not None
    return str(row[0])


def test_the_opener_holds_it_and_another_workstation_is_refused_in_words(
    logins: tuple[Conn, Conn],
) -> None:
    a, b = logins
    held = current_hold(a, "s1")
    assert held is not None  # the workstation that sent the session holds it from then on
    assert (held.epoch, held.taken_by) == (1, "u1")  # the session's opener
    assert claim(a, "s1", "dana") == held  # asking again changes nothing
    with pytest.raises(SessionHeldElsewhere, match=f"charted at workstation {held.workstation}"):
        claim(b, "s1", "sam")
    assert current_hold(b, "s1") == held


def test_a_takeover_needs_every_entry_and_moves_the_hold(logins: tuple[Conn, Conn]) -> None:
    a, b = logins
    held = claim(a, "s1", "dana")
    stale = _head(a)
    _entry(a, "e2", 2, stale)  # charted at A after B last heard
    with pytest.raises(OperationRefused, match="not received every entry"):
        take_over(b, "s1", "sam", seen=held, known={stale})
    assert current_hold(b, "s1") == held
    taken = take_over(b, "s1", "sam", seen=held, known={stale, _head(b)})
    assert (taken.epoch, taken.taken_by) == (2, "sam")
    assert taken.workstation != held.workstation  # the server's word: B's login
    with pytest.raises(SessionHeldElsewhere):
        claim(a, "s1", "dana")  # A is told, and charts no more


def test_two_takeovers_at_once_one_wins_the_other_changes_nothing(
    logins: tuple[Conn, Conn],
) -> None:
    a, b = logins
    held = claim(a, "s1", "dana")
    head = _head(a)
    first = take_over(b, "s1", "sam", seen=held, known={head})
    with pytest.raises(SessionHeldElsewhere, match="took this session over a moment ago"):
        take_over(a, "s1", "dana", seen=held, known={head})  # decided on the old holder
    assert current_hold(a, "s1") == first


def test_holds_are_never_rewritten(logins: tuple[Conn, Conn]) -> None:
    a, _ = logins
    claim(a, "s1", "dana")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        a.execute("UPDATE bedside.session_holds SET taken_by = 'someone else'")
