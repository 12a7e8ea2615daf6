"""The entries this workstation received that do not follow its own line of their session
(issue 14: a session charted at two workstations while they were cut off), read back for the
session's fold (:func:`bedside.branches.fold_branches`). They stay in ``received_forks`` as
received, for good: a resolution is a new entry, never a move."""

from __future__ import annotations

import json
import sqlite3

from bedside.errors import IntegrityError
from bedside.events import ChartEvent
from bedside.ids import EventId
from bedside.store.chart import EVENT_COLUMNS, event_from_row
from bedside.store.hashing import event_hash


def received_entries(
    conn: sqlite3.Connection, session_id: str
) -> tuple[list[ChartEvent], dict[EventId, str]]:
    """The session's entries kept aside, each checked against its hash, and the workstation
    each came from (empty for a session charted at one workstation)."""
    rows = conn.execute(
        "SELECT row, origin FROM received_forks WHERE session_id = ? ORDER BY rowid",
        (session_id,),
    ).fetchall()
    events: list[ChartEvent] = []
    origins: dict[EventId, str] = {}
    for text, origin in rows:
        event = event_from_row(json.loads(text))
        if event_hash(event) != event.hash:
            raise IntegrityError(
                f"An entry received from workstation {origin} for session {session_id[:8]} "
                "does not match its hash: run `bedside verify` and call IT."
            )
        events.append(event)
        origins[event.id] = str(origin)
    return events, origins


def sessions_waiting(conn: sqlite3.Connection) -> list[str]:
    """The sessions whose branches wait for a clinician's resolution (the status bar's and the
    board's count): those with entries kept aside that no resolution has merged yet."""
    # Asked at every sync (twice a second when idle): the forked sessions are folded again
    # only when this file changed since (its ledger moved, or an entry was kept aside).
    moved = conn.execute(
        "SELECT (SELECT coalesce(max(seq), 0) FROM ledger), (SELECT count(*) FROM received_forks),"
        " (SELECT file FROM pragma_database_list WHERE name = 'main')"
    ).fetchone()
    mark = (int(moved[0]), int(moved[1]))
    path = str(moved[2] or "")  # "" for a database in memory: never cached
    known = _WAITING.get(path) if path else None
    if known is not None and known[0] == mark:
        return list(known[1])
    waiting = _fold_waiting(conn)
    if path:
        _WAITING[path] = (mark, tuple(waiting))
    return waiting


_WAITING: dict[str, tuple[tuple[int, int], tuple[str, ...]]] = {}
"""Per database file: the mark it was last folded at, and the sessions that waited then."""


def _fold_waiting(conn: sqlite3.Connection) -> list[str]:
    from bedside.branches import fold_branches  # the fold, only for the few forked sessions

    waiting = []
    for (session_id,) in conn.execute("SELECT DISTINCT session_id FROM received_forks"):
        rows = conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM chart_events WHERE session_id = ? ORDER BY seq",
            (session_id,),
        ).fetchall()
        received, origins = received_entries(conn, session_id)
        if not rows:
            continue
        fork = fold_branches([event_from_row(r) for r in rows], received, origins).fork
        if fork is not None and fork.pending:
            waiting.append(str(session_id))
    return waiting
