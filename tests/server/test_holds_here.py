"""One holder per session, at the workstations (issue 14, DESIGN.md §4): a session opened at A
is read-only at B — its window offers nothing and the store refuses an entry in words — until
B takes it over (online, by someone who may chart); then A hears it at its next sync, is told,
and charts it no more. A login copied to a second workstation is refused before anything is
sent or received."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from server_helpers import open_session

from bedside.clock import FixedClock
from bedside.errors import PermissionDenied, StoreError
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.holds_here import SessionHeldElsewhere
from bedside.store.server.setup import connect
from bedside.store.server.sync import sync
from bedside.store.server.takeover import take_over_at

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)


def test_a_session_opened_at_a_is_read_only_at_b_until_taken_over(
    synced_clinic: tuple[Store, Store], workstation_urls: tuple[str, str]
) -> None:
    a, b = synced_clinic
    at_a, at_b = ChartService(a, FixedClock(LATER)), ChartService(b, FixedClock(LATER))
    session = open_session(at_b)
    assert at_a.context(session).held_elsewhere is None
    held = at_b.context(session).held_elsewhere
    assert held is not None
    assert held.workstation.startswith("ws_a_")
    sam = at_b.accounts.authenticate("sam", "bedside-demo")
    before = b.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0]
    with pytest.raises(SessionHeldElsewhere, match=f"charted at workstation {held.workstation}"):
        at_b.add_note(sam, session, "typed at the wrong workstation")
    assert b.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0] == before

    hold = take_over_at(b, workstation_urls[1], sam, session, now=LATER)
    assert (hold.epoch, hold.taken_by, hold.workstation) == (2, sam.id, _login(b))
    assert at_b.context(session).held_elsewhere is None
    at_b.add_note(sam, session, "charted at B after taking over")
    with connect(workstation_urls[1]) as server:
        assert sync(b.conn, server, now=LATER).sent_entries == 1

    with connect(workstation_urls[0]) as server:
        heard = sync(a.conn, server, now=LATER)
    assert [(sid, h.workstation) for sid, h in heard.taken_from_here] == [(session, _login(b))]
    dana = at_a.accounts.authenticate("dana", "bedside-demo")
    with pytest.raises(SessionHeldElsewhere):
        at_a.add_note(dana, session, "A's nurse, not yet looking")
    assert heard.received_entries == 1  # B's note, in A's own line: nothing forked
    assert heard.forks_waiting == 0


def test_a_takeover_needs_the_server_and_someone_who_may_chart(
    synced_clinic: tuple[Store, Store], workstation_urls: tuple[str, str]
) -> None:
    _, b = synced_clinic
    at_b = ChartService(b, FixedClock(LATER))
    session = open_session(at_b)
    sam = at_b.accounts.authenticate("sam", "bedside-demo")
    dead = "postgresql://nobody@127.0.0.1:1/none"
    with pytest.raises(StoreError, match="Cannot reach the clinic server"):
        take_over_at(b, dead, sam, session, now=LATER)
    admin = at_b.accounts.authenticate("admin", "bedside-demo")
    with pytest.raises(PermissionDenied, match="not allowed to take a session over"):
        take_over_at(b, workstation_urls[1], admin, session, now=LATER)
    assert at_b.context(session).held_elsewhere is not None  # nothing changed


def test_a_login_copied_to_a_second_workstation_is_refused(
    tmp_path: Path, synced_clinic: tuple[Store, Store], workstation_urls: tuple[str, str]
) -> None:
    a, _ = synced_clinic
    with Store(tmp_path / "c.db") as c, connect(workstation_urls[0]) as server:
        with pytest.raises(StoreError, match="already belongs to another workstation"):
            sync(c.conn, server, now=NOW)
        assert c.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0] == 0
        assert c.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    with connect(workstation_urls[0]) as server:
        assert sync(a.conn, server, now=NOW).waiting == 0  # A itself goes on


def _login(store: Store) -> str:
    row = store.conn.execute("SELECT value FROM sync_state WHERE key = 'server_login'").fetchone()
    return str(row[0])


def test_an_administrator_login_cannot_sync_as_a_workstation(
    tmp_path: Path, server_url: str, workstation_urls: tuple[str, str]
) -> None:
    with Store(tmp_path / "c.db") as c, connect(server_url) as server:
        with pytest.raises(StoreError, match="is not a workstation login"):
            sync(c.conn, server, now=NOW)
        registered = server.execute("SELECT count(*) FROM bedside.workstations").fetchone()
    assert registered == (0,)
