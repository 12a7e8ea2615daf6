"""What every part of the store shares: one connection, used from one thread, and the
administrative audit log written inside the caller's transaction."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from bedside.canonical import canonical_json
from bedside.timeutil import iso_utc


class StoreBase:
    """The connection every part of :class:`bedside.store.Store` reads and writes through."""

    conn: sqlite3.Connection

    def _audit(self, actor: str | None, action: str, detail: dict[str, Any], at: datetime) -> None:
        self.conn.execute(
            "INSERT INTO audit_log(at, actor, action, detail) VALUES (?, ?, ?, ?)",
            (iso_utc(at), actor, action, canonical_json(detail)),
        )
