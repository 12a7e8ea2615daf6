"""Receiving the other workstations' chart entries from the clinic server (issue 14).

In the server ledger's order (commit order: nothing committed later with a smaller number is
missed), after this workstation's cursor, skipping what its own login sent. Each entry is
checked before it is kept — its hash recomputed from its content — and then:

* it follows this file's head of its session: it joins the chain here, with its own id, hash
  and place, and the local ledger (the session's row first, when the session is new here);
* it is already here (sent earlier by this workstation, or received before): nothing;
* it does not follow the head here (this workstation charted the session too while cut off, or
  the session is signed here): it is a fork, kept whole in ``received_forks`` and reported —
  never dropped, never slipped into the chain out of order.

Each batch is applied in one local transaction with the cursor.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from bedside.canonical import canonical_json
from bedside.errors import IntegrityError, StoreError
from bedside.store.chart import EVENT_COLUMNS, LedgerWriter, event_from_row, event_row
from bedside.store.db import write_transaction
from bedside.store.forks_here import sessions_waiting
from bedside.store.hashing import event_hash, genesis_hash
from bedside.store.holds_here import record_hold
from bedside.store.server.continuity import remember_link
from bedside.store.server.demo_guard import refuse_demo
from bedside.store.server.push import CURSOR as PUSHED_CHART
from bedside.store.server.push import (
    SESSION_COLUMNS,
    ServerConnection,
    cursor,
    ledger_seq,
    pass_over_received,
    require_autocommit,
    store_cursor,
)

PULLED = "chart_pulled_through"


@dataclass
class ChartPull:
    """What a pull received: entries joined to their chain, sessions new here, and forks."""

    events: int = 0
    sessions: int = 0
    forks: list[str] = field(default_factory=list)


def pull_chart(
    local: sqlite3.Connection, server: ServerConnection, *, now: datetime, batch: int = 500
) -> ChartPull:
    """Receive every entry after the cursor (see the module)."""
    refuse_demo(local)  # a clinic's patients never go into a demo
    require_autocommit(server)
    pulled = ChartPull()
    through = cursor(local, PULLED)
    columns = ", ".join("e." + c for c in EVENT_COLUMNS.split(", "))
    session_columns = ", ".join("s." + c for c in SESSION_COLUMNS.split(", "))
    while True:
        rows = server.execute(
            f"SELECT l.seq, e.origin, {session_columns}, {columns}, l.link FROM bedside.ledger l"
            " JOIN bedside.chart_events e ON e.id = l.event_id"
            " JOIN bedside.sessions s ON s.id = e.session_id"
            " WHERE l.seq > %s AND e.origin <> session_user ORDER BY l.seq LIMIT %s",
            (through, batch),
        ).fetchall()
        if not rows:
            return pulled
        with write_transaction(local):
            before = ledger_seq(local)
            ledger = LedgerWriter(local)
            for row in rows:
                origin, session, event = str(row[1]), row[2:12], list(row[12:-1])
                _receive(local, ledger, pulled, origin, session, event, now)
            through = int(str(rows[-1][0]))
            store_cursor(local, through, PULLED)
            remember_link(local, str(rows[-1][-1]))  # the server must go on from here
            pass_over_received(local, PUSHED_CHART, chart=True, before=before)


def _receive(
    local: sqlite3.Connection,
    ledger: LedgerWriter,
    pulled: ChartPull,
    origin: str,
    session: tuple[object, ...],
    row: list[object],
    now: datetime,
) -> None:
    event = event_from_row(row)
    if event_hash(event) != event.hash:
        raise IntegrityError(
            f"The clinic server sent entry {event.id} whose content does not match its hash: "
            "nothing more was received. Run 'bedside verify --server' and call IT."
        )
    if local.execute("SELECT 1 FROM chart_events WHERE id = ?", (event.id,)).fetchone():
        return
    if local.execute("SELECT 1 FROM received_forks WHERE event_id = ?", (event.id,)).fetchone():
        return
    if not local.execute("SELECT 1 FROM sessions WHERE id = ?", (event.session_id,)).fetchone():
        _add_session(local, session)
        # Held where it was opened until the holds are heard (the same sync, next).
        record_hold(local, event.session_id, 0, origin, str(session[8]), now)
        pulled.sessions += 1
    head = local.execute(
        "SELECT seq, hash FROM chart_events WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
        (event.session_id,),
    ).fetchone()
    seq, prev = (int(head[0]), str(head[1])) if head else (0, genesis_hash(event.session_id))
    if event.prev_hash == prev and event.seq == seq + 1:
        try:
            with _savepoint(local):
                local.execute(
                    f"INSERT INTO chart_events({EVENT_COLUMNS}) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    event_row(event),
                )
                ledger.add(event)
            pulled.events += 1
            return
        except sqlite3.IntegrityError:
            pass  # signed and locked here: a fork like any other
    local.execute(
        "INSERT INTO received_forks(event_id, session_id, row, origin, received_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            event.id,
            event.session_id,
            canonical_json(list(event_row(event))),
            origin,
            now.isoformat(),
        ),
    )
    pulled.forks.append(
        f"session {event.session_id[:8]}: entry {event.id[:8]} ({event.kind}) from {origin} "
        "does not follow this workstation's record of the session; kept aside for a clinician"
    )


def _add_session(local: sqlite3.Connection, session: tuple[object, ...]) -> None:
    try:
        local.execute(
            f"INSERT INTO sessions({SESSION_COLUMNS}) VALUES ({', '.join('?' * 10)})", session
        )
    except sqlite3.IntegrityError as exc:
        raise StoreError(
            f"Session {str(session[0])[:8]} refers to a patient, course or protocol this "
            "workstation has not received yet: receive the clinic-wide data first (a sync does "
            "both, in that order). Nothing from this batch was kept."
        ) from exc


class _savepoint:
    """A nested transaction: a refused insert leaves the batch's other entries in place."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("SAVEPOINT received_entry")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self.conn.execute("RELEASE received_entry")
        else:
            self.conn.execute("ROLLBACK TO received_entry")
            self.conn.execute("RELEASE received_entry")


def waiting_forks(local: sqlite3.Connection) -> int:
    """Sessions charted at two workstations while cut off that wait for a clinician's
    resolution (entries kept aside that no resolution has merged yet)."""
    return len(sessions_waiting(local))
