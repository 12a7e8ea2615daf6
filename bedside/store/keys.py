"""Each account's signing keys (append-only; see :mod:`bedside.signing_keys`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bedside.ids import UserId, new_id
from bedside.signing_keys import SealedKey
from bedside.store.base import StoreBase
from bedside.timeutil import iso_utc, parse_iso


@dataclass(frozen=True)
class StoredKey:
    """One signing key of one account, as stored."""

    id: str
    user_id: UserId
    key: SealedKey
    created_at: datetime


class KeyStore(StoreBase):
    """Adding and reading signing keys."""

    def add_signing_key(
        self, user_id: UserId, key: SealedKey, *, at: datetime, reason: str
    ) -> StoredKey:
        """Store a new key for ``user_id`` (it becomes their current one); audited."""
        key_id = new_id()
        with self._recording(at):
            self.conn.execute(
                "INSERT INTO signing_keys(id, user_id, public_key, sealed, created_at, reason) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (key_id, user_id, key.public_key, key.sealed, iso_utc(at), reason),
            )
            self._audit(None, "signing_key_added", {"user_id": user_id, "reason": reason}, at)
        return StoredKey(key_id, user_id, key, at)

    def current_signing_key(self, user_id: UserId) -> StoredKey | None:
        """The account's newest key, if it has one."""
        row = self.conn.execute(
            "SELECT id, user_id, public_key, sealed, created_at FROM signing_keys "
            "WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
            (user_id,),
        ).fetchone()
        return _key(row) if row else None

    def signing_keys(self) -> dict[str, StoredKey]:
        """Every key, by id (``verify`` checks seals against them)."""
        return read_signing_keys(self.conn)


def read_signing_keys(conn: sqlite3.Connection) -> dict[str, StoredKey]:
    """Every signing key in the database, by id."""
    rows = conn.execute(
        "SELECT id, user_id, public_key, sealed, created_at FROM signing_keys"
    ).fetchall()
    return {str(r[0]): _key(r) for r in rows}


def _key(row: tuple[object, ...]) -> StoredKey:
    return StoredKey(
        str(row[0]),
        UserId(str(row[1])),
        SealedKey(str(row[2]), str(row[3])),
        parse_iso(str(row[4])),
    )
