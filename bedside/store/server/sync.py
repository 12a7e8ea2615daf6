"""One sync with the clinic server (issue 14): send what this workstation saved, then receive
what the others saved — the clinic-wide data before the chart, so a session arrives after its
patient, course and protocol, and the holds after the sessions. The workstation's login is
checked first (one login, one workstation). Each step is exactly once and resumable (its own
cursor), so a sync cut anywhere is finished by the next one. The app's background sync and
``bedside server sync`` both call this."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bedside.store.server.clinic_rows import pull_clinic_rows, push_clinic_rows
from bedside.store.server.continuity import check_continues
from bedside.store.server.demo_guard import refuse_demo
from bedside.store.server.holds import Hold, pull_holds
from bedside.store.server.login_check import register_workstation
from bedside.store.server.pull import pull_chart, waiting_forks
from bedside.store.server.push import ServerConnection, push, waiting


@dataclass(frozen=True)
class SyncReport:
    """What one sync sent and received, and what is left for people to look at."""

    sent_entries: int
    sent_sessions: int
    sent_clinic_rows: int
    received_entries: int
    received_sessions: int
    received_clinic_rows: int
    conflicts: tuple[str, ...]
    """Clinic-wide versions refused (a fixed part differs)."""
    forks: tuple[str, ...]
    """Entries received that do not follow this workstation's record (this sync's)."""
    forks_waiting: int
    """Sessions charted at two workstations while cut off, still to be resolved."""
    waiting: int
    """Entries saved here the server has not confirmed (0 after a complete sync)."""
    holds_received: int = 0
    """Holds heard (a session opened or taken over somewhere)."""
    taken_from_here: tuple[tuple[str, Hold], ...] = ()
    """Sessions another workstation took over from this one: (session id, the new hold)."""


def sync(local: sqlite3.Connection, server: ServerConnection, *, now: datetime) -> SyncReport:
    """Push, then pull (see the module); the holds last, after the sessions they name. A demo
    database is refused before the server is touched (:mod:`.demo_guard`)."""
    refuse_demo(local)
    register_workstation(local, server)
    check_continues(local, server)  # a server restored from an older backup stops it here
    sent_rows = push_clinic_rows(local, server)
    sent = push(local, server)
    received_rows = pull_clinic_rows(local, server)
    received = pull_chart(local, server, now=now)
    holds = pull_holds(local, server)
    return SyncReport(
        sent_entries=sent.events,
        sent_sessions=sent.sessions,
        sent_clinic_rows=sent_rows,
        received_entries=received.events,
        received_sessions=received.sessions,
        received_clinic_rows=received_rows.applied,
        conflicts=tuple(received_rows.conflicts),
        forks=tuple(received.forks),
        forks_waiting=waiting_forks(local),
        waiting=waiting(local),
        holds_received=holds.received,
        taken_from_here=tuple(holds.taken_from_here),
    )
