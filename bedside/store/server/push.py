"""Pushing this workstation's record to the clinic server, each event exactly once.

The cursor (``sync_state.pushed_through``: a local ledger seq) moves only after the server has
committed the batch, so a kill, a network cut or a server crash mid-push resends the batch, and
the resend changes nothing: ``ON CONFLICT (id) DO NOTHING``. Each batch is one statement
(server migration 0006, ``bedside.push_chart``): before it keeps anything, the server compares
its hash for every id it already holds with ours; a different event under the same id refuses
the whole batch, in words, and the cursor stays (never overwritten, never skipped).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import psycopg
from psycopg.types.json import Jsonb

from bedside.errors import StoreError
from bedside.store.chart import EVENT_COLUMNS
from bedside.store.db import write_transaction
from bedside.store.server.demo_guard import refuse_demo

CURSOR = "pushed_through"
SESSION_COLUMNS = (
    "id, patient_id, course_id, number_in_course, chair, protocol_id, opened_at, local_date, "
    "opened_by, genesis_hash"
)
ServerConnection = psycopg.Connection[tuple[object, ...]]


@dataclass(frozen=True)
class Pushed:
    """What one push sent: new events and sessions, and the local ledger seq now covered."""

    events: int
    sessions: int
    through: int


def require_autocommit(server: ServerConnection) -> None:
    """Refuse a connection outside autocommit mode: there a batch's ``transaction()`` is only a
    savepoint inside a transaction a read left open, nothing is committed, and the ledger's lock
    is held until the connection closes (every other workstation waits)."""
    if not server.autocommit:
        raise ValueError("the clinic server connection must be in autocommit mode")


def cursor(conn: sqlite3.Connection, key: str = CURSOR) -> int:
    """The local ledger seq this workstation has pushed through (0: nothing yet)."""
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else 0


def waiting(conn: sqlite3.Connection) -> int:
    """Chart entries saved here that the server has not confirmed yet (the status bar's
    "12 entries wait")."""
    row = conn.execute(
        "SELECT count(*) FROM ledger WHERE seq > ? AND record IS NULL", (cursor(conn),)
    ).fetchone()
    return int(row[0])


def push(local: sqlite3.Connection, server: ServerConnection, *, batch: int = 500) -> Pushed:
    """Send every chart event after the cursor, in local ledger order (a parent before its
    child), with its session first; returns what the server did not have. (The ledger's
    bound records — accounts, settings — are the clinic-wide data: :mod:`.clinic_rows`.)"""
    refuse_demo(local)  # the demo's made-up patients never reach a clinic server
    require_autocommit(server)
    events = sessions = 0
    through = cursor(local)
    while True:
        rows = local.execute(
            f"SELECT l.seq, {', '.join('e.' + c for c in EVENT_COLUMNS.split(', '))} "
            "FROM ledger l JOIN chart_events e ON e.id = l.event_id "
            "WHERE l.seq > ? AND l.record IS NULL ORDER BY l.seq LIMIT ?",
            (through, batch),
        ).fetchall()
        if not rows:
            return Pushed(events, sessions, through)
        new_sessions, new_events = _push_batch(local, server, [r[1:] for r in rows])
        sessions += new_sessions
        events += new_events
        through = int(rows[-1][0])
        _set_cursor(local, through)


def _push_batch(
    local: sqlite3.Connection, server: ServerConnection, rows: list[tuple[object, ...]]
) -> tuple[int, int]:
    """One batch (entries in local order, their sessions first) in ONE statement: in autocommit
    it is its own transaction, so the ledger's lock the server takes for the first entry is
    released when the server finishes, never held across a round trip to this workstation
    (which may freeze or lose power mid-push: every other workstation would wait on it)."""
    ids = sorted({str(r[1]) for r in rows})
    found = local.execute(
        f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id IN ({', '.join('?' * len(ids))})",
        ids,
    ).fetchall()
    session_names = SESSION_COLUMNS.split(", ")
    event_names = EVENT_COLUMNS.split(", ")
    try:
        row = server.execute(
            "SELECT new_sessions, new_events FROM bedside.push_chart(%s, %s)",
            (
                Jsonb([dict(zip(session_names, r, strict=True)) for r in found]),
                Jsonb([dict(zip(event_names, r, strict=True)) for r in rows]),
            ),
        ).fetchone()
    except psycopg.Error as exc:
        if exc.sqlstate != "BSD01":  # the function's own code: a different entry, same id
            raise
        event_id = (exc.diag.message_primary or "").rsplit(" ", 1)[-1]
        raise StoreError(
            f"The clinic server holds a different entry under the id {event_id} "
            "(its hash differs from this workstation's): nothing more was pushed. "
            "Run 'bedside verify' here and 'bedside verify --server' and call IT."
        ) from exc
    assert row is not None
    return int(str(row[0])), int(str(row[1]))


def ledger_seq(local: sqlite3.Connection) -> int:
    """The local ledger's newest seq (0 when empty)."""
    row = local.execute("SELECT COALESCE(MAX(seq), 0) FROM ledger").fetchone()
    return int(row[0])


def pass_over_received(local: sqlite3.Connection, key: str, chart: bool, before: int) -> None:
    """After a pull wrote what it received (ledger seqs after ``before``): when nothing of this
    workstation's own of that kind was waiting, the push cursor ``key`` passes over it — it is
    on the server already — so "entries wait" counts only what this workstation saved. Inside
    the pull's transaction."""
    kind = "record IS NULL" if chart else "record IS NOT NULL"
    ours = local.execute(
        f"SELECT count(*) FROM ledger WHERE seq > ? AND seq <= ? AND {kind}",
        (cursor(local, key), before),
    ).fetchone()
    if int(ours[0]) == 0:
        store_cursor(local, ledger_seq(local), key)


def store_cursor(local: sqlite3.Connection, seq: int, key: str) -> None:
    """Move a cursor, inside the caller's transaction (a pull moves it with what it applied)."""
    put_state(local, key, str(seq))


def put_state(local: sqlite3.Connection, key: str, value: str) -> None:
    """Set one of this workstation's sync values (a cursor, a link, its login), inside the
    caller's transaction: ``sync_state`` is the one table a workstation updates in place."""
    local.execute(
        "INSERT INTO sync_state(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def _set_cursor(local: sqlite3.Connection, seq: int, key: str = CURSOR) -> None:
    with write_transaction(local):
        store_cursor(local, seq, key)
