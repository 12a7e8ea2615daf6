"""The background sync: another workstation's entries arrive without asking; with the server
stopped hard the workstation says it is offline and how many entries wait, keeps charting
into its own file, and sends them when the server is back."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from pg_cluster import Cluster
from server_helpers import clinic_from_demo

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.server.background import BackgroundSync, SyncStatus
from bedside.store.server.setup import connect
from bedside.store.server.sync import sync
from bedside.store.server.takeover import take_over_here

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
WAIT_S = 30.0


class Heard:
    """Every status the loop reported, and a way to wait for one that matters."""

    def __init__(self) -> None:
        self.statuses: list[SyncStatus] = []
        self._changed = threading.Condition()

    def __call__(self, status: SyncStatus) -> None:
        with self._changed:
            self.statuses.append(status)
            self._changed.notify_all()

    def wait_for(self, wanted: Callable[[SyncStatus], bool]) -> SyncStatus:
        with self._changed:
            assert self._changed.wait_for(
                lambda: any(wanted(s) for s in self.statuses), timeout=WAIT_S
            ), f"never heard it; last: {self.statuses[-1:] or 'nothing'}"
            return next(s for s in reversed(self.statuses) if wanted(s))


@pytest.fixture
def joined(
    tmp_path: Path, workstation_urls: tuple[str, str]
) -> Iterator[tuple[Store, Path, str, str]]:
    """A (demo clinic, synced) and B's file and login URL."""
    url_a, url_b = workstation_urls
    a = Store(tmp_path / "a.db")
    clinic_from_demo(a, NOW)
    with psycopg.connect(url_a, autocommit=True) as ca:
        sync(a.conn, ca, now=NOW)
    yield a, tmp_path / "b.db", url_b, url_a
    a.close()


def test_entries_arrive_and_an_outage_is_said_then_caught_up(
    joined: tuple[Store, Path, str, str], cluster: Cluster
) -> None:
    a, b_db, url_b, _ = joined
    events = a.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0]
    heard = Heard()
    loop = BackgroundSync(b_db, url_b, FixedClock(NOW), heard, idle_s=0.2, retry_s=0.2)
    runner = threading.Thread(target=loop.run, daemon=True)
    runner.start()
    try:
        heard.wait_for(
            lambda s: s.online and s.last is not None and s.last.received_entries == events
        )
        with Store(b_db) as b, connect(url_b) as server:  # the session moves to B's chair
            service = ChartService(b, FixedClock(NOW))
            nurse = service.accounts.authenticate("dana", "bedside-demo")
            open_one = next(h.id for h in b.all_sessions() if not service.state(h.id).closed)
            take_over_here(b, server, nurse, open_one, now=NOW)
        cluster.stop("immediate")  # the server dies mid-day
        try:
            down = heard.wait_for(lambda s: not s.online)
            assert down.offline_since == NOW
            with Store(b_db) as b:  # the nurse at B goes on charting into B's own file
                service = ChartService(b, FixedClock(NOW))
                nurse = service.accounts.authenticate("dana", "bedside-demo")
                service.add_note(nurse, open_one, "charted while the server was down")
            heard.wait_for(lambda s: not s.online and s.waiting == 1)
        finally:
            cluster.start()
        back = heard.wait_for(
            lambda s: (
                s.online and s.waiting == 0 and s.last is not None and s.last.sent_entries == 1
            )
        )
        assert back.forks_waiting == 0
    finally:
        loop.stop()
        runner.join(timeout=WAIT_S)
    assert not runner.is_alive()
