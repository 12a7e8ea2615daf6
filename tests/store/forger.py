"""A forger with the file and the source: drops the database's triggers and puts them back
exactly as they were, rewrites a session's chain with correct hashes, and rebuilds the whole
ledger with correct links. What such a person can still not hide is what the attack tests
check (``test_attacks.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bedside.store import bound_rows
from bedside.store.hashing import LEDGER_GENESIS, compute_hash, genesis_hash, ledger_hash
from tests.store.support import EVENT_COLUMNS

Row = dict[str, Any]


@contextmanager
def triggers_dropped(conn: sqlite3.Connection, table: str) -> Iterator[None]:
    """Every trigger on ``table`` dropped, then re-created from its own SQL (so the schema,
    and the safeguards hash over it, is exactly as before)."""
    saved = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
    ).fetchall()
    for name, _ in saved:
        conn.execute(f"DROP TRIGGER {name}")
    try:
        yield
    finally:
        for _, sql in saved:
            conn.execute(sql)


def session_rows(conn: sqlite3.Connection, session_id: str) -> list[Row]:
    """A session's stored events as column dicts (payload parsed), in order."""
    cursor = conn.execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM chart_events WHERE session_id = ? ORDER BY seq",
        (session_id,),
    )
    rows = [dict(zip(EVENT_COLUMNS, r, strict=True)) for r in cursor]
    for row in rows:
        row["payload"] = json.loads(row["payload"])
    return rows


def rewrite_session(
    conn: sqlite3.Connection, session_id: str, change: Callable[[list[Row]], list[Row]]
) -> None:
    """Replace a session's events with ``change(events)``, renumbered and re-hashed into a
    chain that is sound on its own."""
    rows = change(session_rows(conn, session_id))
    prev = genesis_hash(session_id)
    for seq, row in enumerate(rows, start=1):
        row["seq"], row["prev_hash"] = seq, prev
        row["hash"] = compute_hash(_model_fields(row))
        prev = row["hash"]
    with triggers_dropped(conn, "chart_events"):
        conn.execute("DELETE FROM chart_events WHERE session_id = ?", (session_id,))
        for row in rows:
            values = dict(row, payload=json.dumps(row["payload"], sort_keys=True))
            conn.execute(
                f"INSERT INTO chart_events({', '.join(EVENT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
                [values[c] for c in EVENT_COLUMNS],
            )


def _model_fields(row: Row) -> Row:
    """The fields an event's hash is taken over (the model's JSON form, not the columns)."""
    return {
        "id": row["id"],
        "session_id": row["session_id"],
        "seq": row["seq"],
        "clinical_time": row["clinical_time"],
        "recorded_time": row["recorded_time"],
        "author": row["author"],
        "supersedes": row["supersedes"],
        "reason": row["reason"],
        "payload": row["payload"],
        "prev_hash": row["prev_hash"],
    }


def rebuild_ledger(conn: sqlite3.Connection) -> None:
    """Rewrite the whole ledger so every link is correct for the file as it now is: entries of
    deleted events dropped, events not in it appended, each bound record's latest entry made to
    hold its current content."""
    entries = conn.execute(
        "SELECT event_id, record, content_hash FROM ledger ORDER BY seq"
    ).fetchall()
    events = {str(r[0]): str(r[1]) for r in conn.execute("SELECT id, hash FROM chart_events")}
    current: dict[str, str] = {}
    for table in bound_rows.BOUND_TABLES:
        current.update(bound_rows.current_contents(conn, table))
    current[bound_rows.SAFEGUARDS] = bound_rows.safeguards_hash(conn)
    last_of = {str(r): i for i, (_, r, _) in enumerate(entries) if r is not None}
    kept: list[tuple[str, str | None, str]] = []
    for i, (entry_id, record, content) in enumerate(entries):
        if record is None:
            if entry_id in events:
                kept.append((entry_id, None, events.pop(entry_id)))
        else:
            fresh = current.get(record, content) if last_of[record] == i else content
            kept.append((entry_id, record, fresh))
    kept.extend((event_id, None, h) for event_id, h in events.items())
    with triggers_dropped(conn, "ledger"):
        conn.execute("DELETE FROM ledger")
        prev = LEDGER_GENESIS
        for seq, (entry_id, record, content) in enumerate(kept, start=1):
            prev = ledger_hash(prev, entry_id, content)
            conn.execute(
                "INSERT INTO ledger(seq, event_id, hash, record, content_hash) "
                "VALUES (?, ?, ?, ?, ?)",
                (seq, entry_id, prev, record, content if record is not None else None),
            )
