"""The workstation's background sync with the clinic server (issue 14, DESIGN.md §1 and §3):
a loop that syncs, then waits for the server to say something changed (LISTEN/NOTIFY) or for
a few seconds, and again — on its own SQLite connection, never on the path of a save. When the
server or the network is down it says so (offline since when, how many entries wait) and tries
again; charting goes on into the local file meanwhile. No Qt: the app runs it on a thread and
shows what it reports (:mod:`ui.board.sync_watch`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg

from bedside import model_config
from bedside.clock import Clock
from bedside.errors import BedsideError
from bedside.store import Store
from bedside.store.server.push import waiting
from bedside.store.server.setup import connect, first_line
from bedside.store.server.sync import SyncReport, sync

log = logging.getLogger(__name__)
CHANNELS = ("bedside_chart", "bedside_clinic", "bedside_hold")
_SLICE_S = 0.25


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar says about the clinic server."""

    online: bool
    waiting: int
    """Entries saved here that the server has not confirmed."""
    offline_since: datetime | None = None
    problem: str = ""
    forks_waiting: int = 0
    last: SyncReport | None = None


class BackgroundSync:
    """Sync ``db`` with ``url`` until :meth:`stop`; ``report`` hears every status."""

    def __init__(
        self,
        db: Path,
        url: str,
        clock: Clock,
        report: Callable[[SyncStatus], None],
        *,
        idle_s: float = 5.0,
        retry_s: float = 5.0,
    ) -> None:
        self.db, self.url, self.clock, self.report = db, url, clock, report
        self.idle_s, self.retry_s = idle_s, retry_s
        # On the thread that makes the loop, before the loop's own thread validates anything.
        model_config.build_all()
        self._stop = threading.Event()
        self._wake = threading.Event()

    def stop(self) -> None:
        """End the loop (it finishes the step it is in)."""
        self._stop.set()
        self._wake.set()

    def nudge(self) -> None:
        """Sync now (an entry was just saved here)."""
        self._wake.set()

    def run(self) -> None:
        """The loop (call on a thread of its own)."""
        offline_since: datetime | None = None
        with Store(self.db, check_integrity=False) as store:
            while not self._stop.is_set():
                try:
                    with connect(self.url) as server:
                        for channel in CHANNELS:
                            server.execute(f"LISTEN {channel}")
                        offline_since = None
                        self._online(store, server)
                except (BedsideError, psycopg.Error, OSError) as exc:
                    if offline_since is None:
                        offline_since = self.clock.now()
                        log.warning("clinic server unreachable: %s", type(exc).__name__)
                    self.report(
                        SyncStatus(False, waiting(store.conn), offline_since, first_line(exc))
                    )
                    self._wake.wait(self.retry_s)
                    self._wake.clear()

    def _online(self, store: Store, server: psycopg.Connection[tuple[object, ...]]) -> None:
        while not self._stop.is_set():
            done = sync(store.conn, server, now=self.clock.now())
            self.report(SyncStatus(True, done.waiting, forks_waiting=done.forks_waiting, last=done))
            self._wait(server)

    def _wait(self, server: psycopg.Connection[tuple[object, ...]]) -> None:
        """Until another workstation's news (NOTIFY), a save here (nudge: seen within a quarter
        of a second) or the idle time — whichever comes first."""
        waited = 0.0
        while waited < self.idle_s and not self._wake.is_set():
            if any(True for _ in server.notifies(timeout=_SLICE_S, stop_after=1)):
                break
            waited += _SLICE_S
        self._wake.clear()
