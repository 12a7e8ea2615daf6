"""What every part of the store shares: one connection, used from one thread, and the
administrative audit log written inside the caller's transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from bedside.canonical import canonical_json
from bedside.store import db as dbmod
from bedside.timeutil import iso_utc


class StoreBase:
    """The connection every part of :class:`bedside.store.Store` reads and writes through."""

    conn: sqlite3.Connection

    def ledger_written(self, at: datetime) -> None:
        """After a committed write to the ledger (the store anchors it outside the file)."""

    @contextmanager
    def _recording(self, at: datetime) -> Iterator[sqlite3.Connection]:
        """One write transaction that may move the ledger (a bound record or an audit row is
        written), followed by moving this workstation's anchor to the new head."""
        with dbmod.write_transaction(self.conn) as conn:
            yield conn
        self.ledger_written(at)

    def _audit(self, actor: str | None, action: str, detail: dict[str, Any], at: datetime) -> None:
        self.conn.execute(
            "INSERT INTO audit_log(at, actor, action, detail) VALUES (?, ?, ?, ?)",
            (iso_utc(at), actor, action, canonical_json(detail)),
        )
