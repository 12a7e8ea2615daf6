"""Which schema migrations a database must have, readable without loading sqlite-utils.

Opening an up-to-date database (every start of the app) only needs this check; sqlite-utils,
which runs the migrations, is imported only when one is pending. Add a migration's name here
when it lands (``tests/store/test_pragmas.py`` checks this list against the migrations).
"""

from __future__ import annotations

import sqlite3

MIGRATION_SET = "bedside"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' own bookkeeping table
MIGRATION_NAMES: tuple[str, ...] = (
    "m001_core_tables",
    "m002_ledger",
    "m003_patient_allergies",
    "m004_protocol_approvals",
    "m005_sign_in_guard",
    "m006_signing_keys",
    "m007_bound_records",
    "m008_sync_state",
    "m009_received_forks",
    "m010_database_id",
    "m011_session_holds",
)


def is_up_to_date(conn: sqlite3.Connection) -> bool:
    """True when every migration in :data:`MIGRATION_NAMES` is recorded as applied."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if exists is None:
        return False
    applied = {
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", (MIGRATION_SET,)
        )
    }
    return set(MIGRATION_NAMES) <= applied


def unknown_migrations(conn: sqlite3.Connection) -> list[str]:
    """Migrations the database has that this release does not know: it was written by a newer
    release, and this one must not write to it."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if exists is None:
        return []
    applied = [
        str(row[0])
        for row in conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", (MIGRATION_SET,)
        )
    ]
    return sorted(set(applied) - set(MIGRATION_NAMES))
