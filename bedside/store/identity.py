"""Which database a file is (issue 13, found in a newcomer walk): its own random id
(migration 010), its clinic's name and whether it is the demo — read from the file as it is,
read-only and without migrating it, so a backup can be judged before anything is replaced."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bedside.demo_mark import DEMO_SETTING, DEMO_VALUE


@dataclass(frozen=True)
class DatabaseIdentity:
    """Enough to tell two databases apart and to name them to a person."""

    database_id: str
    """Empty for a file made before migration 010 (its backups predate the id)."""
    clinic: str
    demo: bool

    def words(self) -> str:
        """ "the demo clinic (Riverside …)" or "Lakeside Ketamine Clinic"."""
        name = self.clinic or "a clinic with no name"
        return f"the demo clinic ({name})" if self.demo else name


def _value(conn: sqlite3.Connection, sql: str, key: str) -> str:
    try:
        row = conn.execute(sql, (key,)).fetchone()
    except sqlite3.DatabaseError:  # no such table (an older file): unknown
        return ""
    return str(row[0]) if row else ""


def identity_of(path: Path) -> DatabaseIdentity | None:
    """The identity of the database file at ``path``, or None when there is no file or it
    holds no clinic yet (nothing to protect)."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        settings = "SELECT value FROM settings WHERE key = ?"
        clinic = _value(conn, settings, "clinic_name")
        demo = _value(conn, settings, DEMO_SETTING) == DEMO_VALUE
        database_id = _value(conn, "SELECT value FROM sync_state WHERE key = ?", "database_id")
    finally:
        conn.close()
    if not (clinic or database_id):
        return None
    return DatabaseIdentity(database_id, clinic, demo)


def another_database(backup: DatabaseIdentity | None, target: DatabaseIdentity | None) -> str:
    """Why ``backup`` is not a backup of ``target``, in words ("" when it may be: same id, or
    no id to compare and the same clinic and kind)."""
    if backup is None or target is None:
        return ""
    if backup.database_id and target.database_id:
        same = backup.database_id == target.database_id
    else:  # a backup made before the ids: the clinic and whether it is the demo must agree
        same = (backup.clinic, backup.demo) == (target.clinic, target.demo)
    if same and backup.demo == target.demo:
        return ""
    return (
        f"This backup is of another database — {backup.words()} — not of this one "
        f"({target.words()}); nothing was changed. Choose a backup of this database."
    )
