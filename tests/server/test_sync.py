"""Two workstations and one clinic server: a new workstation receives the whole clinic and its
record verifies; two workstations that chart one session while cut off keep every entry, the
fork reported on both; an entry altered on the server is refused before anything is kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from server_helpers import clinic_from_demo

from bedside.clock import FixedClock
from bedside.errors import IntegrityError
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.server.sync import sync
from bedside.store.server.takeover import take_over_here

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
Conn = psycopg.Connection[tuple[object, ...]]


@pytest.fixture
def clinic(
    tmp_path: Path, workstations: tuple[Conn, Conn]
) -> Iterator[tuple[Store, Store, Conn, Conn]]:
    """A (the demo clinic) and B (new), each with its own login to one server."""
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    clinic_from_demo(a, NOW)
    yield a, b, *workstations
    a.close()
    b.close()


def _record(store: Store) -> dict[str, list[str]]:
    return {h.id: [e.hash for e in store.events(h.id)] for h in store.all_sessions()}


def test_a_new_workstation_receives_every_session_and_its_record_verifies(
    clinic: tuple[Store, Store, Conn, Conn],
) -> None:
    a, b, ca, cb = clinic
    sent = sync(a.conn, ca, now=NOW)
    assert sent.waiting == 0
    assert sent.sent_entries > 0
    got = sync(b.conn, cb, now=NOW)
    assert (got.received_entries, got.received_sessions) == (sent.sent_entries, sent.sent_sessions)
    assert got.forks == ()
    assert got.conflicts == ()
    assert _record(b) == _record(a)
    assert b.verify() == []
    again = sync(b.conn, cb, now=NOW)
    assert (again.sent_entries, again.received_entries, again.sent_clinic_rows) == (0, 0, 0)


def test_two_workstations_chart_one_session_while_cut_off_and_nothing_is_lost(
    clinic: tuple[Store, Store, Conn, Conn],
) -> None:
    a, b, ca, cb = clinic
    sync(a.conn, ca, now=NOW)
    sync(b.conn, cb, now=NOW)
    later = NOW + timedelta(minutes=5)
    session = next(
        h.id for h in a.all_sessions() if not ChartService(a, FixedClock(later)).state(h.id).closed
    )
    # A is cut off; B takes the session over (online), and A, not yet told, charts on.
    at_b_service = ChartService(b, FixedClock(later))
    sam = at_b_service.accounts.authenticate("sam", "bedside-demo")
    take_over_here(b, cb, sam, session, now=later)
    for store, words in ((a, "charted at A while cut off"), (b, "charted at B while cut off")):
        service = ChartService(store, FixedClock(later))
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        service.add_note(nurse, session, words)
    at_a = sync(a.conn, ca, now=later)  # A reconnects first: its note goes up
    at_b = sync(b.conn, cb, now=later)  # B's note goes up too, and A's comes down as a fork
    assert at_a.sent_entries == 1
    assert [sid for sid, _ in at_a.taken_from_here] == [session]  # A's nurse is told
    assert a.held_elsewhere(session) is not None  # and A charts it no more
    assert at_b.sent_entries == 1
    assert len(at_b.forks) == 1
    assert "does not follow" in at_b.forks[0]
    at_a = sync(a.conn, ca, now=later)
    assert len(at_a.forks) == 1
    assert at_a.forks_waiting == 1
    forks = ca.execute("SELECT session_id FROM bedside.forks").fetchall()
    assert forks == [(session,)]
    # Every acknowledged entry is somewhere on each workstation: its chain or its forks.
    for store in (a, b):
        kept = store.conn.execute(
            "SELECT count(*) FROM chart_events WHERE session_id = ? AND kind = 'note'"
            " AND payload LIKE '%cut off%'",
            (session,),
        ).fetchone()[0]
        aside = store.conn.execute("SELECT count(*) FROM received_forks").fetchone()[0]
        assert (kept, aside) == (1, 1)
        assert store.verify() == []


def test_an_entry_altered_on_the_server_is_refused_and_nothing_is_kept(
    clinic: tuple[Store, Store, Conn, Conn], server_url: str
) -> None:
    a, b, ca, cb = clinic
    sync(a.conn, ca, now=NOW)
    with psycopg.connect(server_url) as admin:
        admin.execute("ALTER TABLE bedside.chart_events DISABLE TRIGGER USER")
        admin.execute(
            "UPDATE bedside.chart_events SET payload = replace(payload, '\"spo2\":9', "
            "'\"spo2\":8') WHERE kind = 'vitals_recorded'"
        )
        admin.execute("ALTER TABLE bedside.chart_events ENABLE TRIGGER USER")
    with pytest.raises(IntegrityError, match="does not match its hash"):
        sync(b.conn, cb, now=NOW)
    # The whole batch (the demo's entries fit in one) was rolled back with its cursor.
    assert b.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0] == 0
    assert b.conn.execute("SELECT count(*) FROM received_forks").fetchone()[0] == 0
