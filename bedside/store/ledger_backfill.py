"""Chaining events into the database-wide ledger after the fact: migration 002 (events stored
before the ledger existed) and bulk loaders that insert events directly (``bench/generate.py``)."""

from __future__ import annotations

import sqlite3

from bedside.store.hashing import LEDGER_GENESIS, ledger_hash


def backfill_ledger(conn: sqlite3.Connection, batch: int = 50_000) -> int:
    """Append every event not yet in the ledger, in the order the events were stored.

    Used by migration 002 and by bulk loaders that insert events directly. Returns the number
    of ledger entries written.
    """
    head = conn.execute("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (int(head[0]), str(head[1])) if head else (0, LEDGER_GENESIS)
    rows = conn.execute(
        "SELECT id, hash FROM chart_events "
        "WHERE id NOT IN (SELECT event_id FROM ledger) ORDER BY rowid"
    )
    written = 0
    while chunk := rows.fetchmany(batch):
        links = []
        for event_id, event_hash in chunk:
            seq += 1
            prev = ledger_hash(prev, event_id, event_hash)
            links.append((seq, event_id, prev))
        conn.executemany("INSERT INTO ledger(seq, event_id, hash) VALUES (?, ?, ?)", links)
        written += len(links)
    return written
