"""A database whose index no longer holds every row of its table: SQLite's quick check passes
(it does not compare indexes with their tables), the full integrity check fails."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def damage_an_index(path: Path) -> None:
    """Add a table with an index, then hide the index while a row is added behind its back."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("CREATE TABLE scratch(a)")
        conn.execute("CREATE INDEX scratch_a ON scratch(a)")
        conn.executemany("INSERT INTO scratch VALUES (?)", [(i,) for i in range(50)])
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'scratch_a'").fetchone()[0]
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET type = 'table', name = 'hidden', tbl_name = 'hidden', "
            "sql = 'CREATE TABLE hidden(x)' WHERE name = 'scratch_a'"
        )
    finally:
        conn.close()
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("INSERT INTO scratch VALUES (1000)")  # the hidden index does not get it
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET type = 'index', name = 'scratch_a', tbl_name = 'scratch', "
            "sql = ? WHERE name = 'hidden'",
            (sql,),
        )
    finally:
        conn.close()
