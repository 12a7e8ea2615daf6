"""What the app's start checks of the database file, and what it leaves to the background.

The app opens its database after SQLite's quick check of every table **except the two big
append-only ones**, ``chart_events`` and ``ledger`` (:data:`LEFT_TO_THE_FULL_CHECK`); the full
``PRAGMA integrity_check`` of the whole file, those two tables included, runs on a worker
thread once the board shows (:mod:`bedside.store.integrity`, ``ui.board.integrity_watch``),
and a failure puts a red banner over the board.

Why those two: on years of data they are nearly the whole file (ten years: ~1.5 M events and
as many ledger entries, 1.2 GB), so a quick check that reads them reads the whole file before
the board can show (bench: ``app_start_large_db``), while every other table is small (the
clinic's settings, accounts, patients, orders, sessions: milliseconds). Checking them seconds
later rather than first is the trade: SQLite refuses most damage on a page as it reads it
(a write or a read then fails as a damaged database, nothing is written over), and an entry
whose content changed no longer matches its hash (``bedside verify``).

What the start check does not see, besides those two tables and their indexes: pages that no
table uses or that two tables share, and the free-page list (SQLite's partial check, one table
at a time, leaves them out; a page both free and in use could be handed out by the next write
before the full check names it). The full check sees all of it, and the command line
(``bedside verify``, every command) keeps the whole-file checks.
"""

from __future__ import annotations

import sqlite3

LEFT_TO_THE_FULL_CHECK = frozenset({"chart_events", "ledger"})


def start_check_pragmas(conn: sqlite3.Connection) -> list[str]:
    """``PRAGMA quick_check(TABLE)`` for the schema table and every table of the file except
    :data:`LEFT_TO_THE_FULL_CHECK` (each checks the table and its indexes)."""
    names = [
        str(row[0])
        for row in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    ]
    checked = ["sqlite_schema", *(n for n in names if n not in LEFT_TO_THE_FULL_CHECK)]
    return [f'PRAGMA quick_check("{name.replace(chr(34), chr(34) * 2)}")' for name in checked]
