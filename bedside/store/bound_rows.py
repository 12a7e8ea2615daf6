"""Records bound into the ledger (issue 11, item 4): clinic settings, accounts, patients and
their allergy statements, protocol versions and approvals, course orders, session headers,
signing keys and the audit log, and the database's own safeguards (its triggers).

The ledger chained only chart events, so a person with the file could change a patient's date
of birth, make a nurse a clinician or rewrite the audit log and ``verify`` still passed. Now
every insert or update of one of these rows appends a ledger entry holding the row's content
hash, written by a trigger inside the same transaction, so no write path of the application can
forget it. ``verify`` recomputes each row's hash and compares it with the latest entry for that
row: a row changed, added or deleted behind the application's back no longer matches, and
rewriting the ledger to hide it moves the ledger head away from the anchor kept outside the
file (:mod:`bedside.store.anchor`).

The triggers call two functions every Bedside connection registers (:func:`register`). A
connection without them (the ``sqlite3`` shell) cannot write these tables at all until the
triggers are dropped, and dropping or changing a trigger is itself detected: the safeguards are
a bound record too.

A row's content is SQLite's ``json_array`` of its columns in table order, so the hash is taken
the same way when written and when checked. A row has a fixed part, bound once at insert, and
for settings and accounts a state part bound at each change (:data:`STATE_COLUMNS`). A
migration that adds a column to a bound table must keep the fixed parts already bound as they
are: bind the new column as a part of its own rather than re-binding the row.
"""

from __future__ import annotations

import hashlib
import sqlite3

from bedside.store.hashing import LEDGER_GENESIS, ledger_hash

BOUND_TABLES: dict[str, str] = {
    "settings": "key",
    "users": "id",
    "patients": "id",
    "patient_allergies": "seq",
    "protocols": "id",
    "protocol_approvals": "protocol_id",
    "course_orders": "id",
    "sessions": "id",
    "signing_keys": "id",
    "audit_log": "id",
}
"""Each bound table and the column that names its rows."""

STATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "settings": ("value",),
    "users": ("active", "password_hash"),
}
"""The only columns the application ever updates. A row's other columns are its fixed part,
bound once when it is inserted: a second ledger entry for a fixed part is itself a finding, so
a role or a date of birth cannot be changed even by someone who appends to the ledger as the
application would. The state part (an account deactivated, a password set, the clinic's time
zone) gets an entry each time it changes."""

_NOUNS = {
    "settings": "clinic setting",
    "users": "account",
    "patients": "patient",
    "patient_allergies": "allergy statement",
    "protocols": "protocol version",
    "protocol_approvals": "protocol approval",
    "course_orders": "course order",
    "sessions": "session header",
    "signing_keys": "signing key",
    "audit_log": "audit log entry",
}

SAFEGUARDS = "schema:safeguards"
"""The ledger record holding the hash of every trigger of the database."""

_NOT_APPEND_ONLY = ("settings", "users", "patients")
"""Bound tables without the append-only triggers of their first migrations: their rows must
not be deleted, and only their state columns may be updated."""

STATE = "#state"
"""Suffix of the record that holds a row's state part (``users:<id>#state``)."""


def record_hash(table: str, content: str) -> str:
    """The content hash of one bound row (``content``: its ``json_array`` text)."""
    return hashlib.sha256(f"bedside-record:{table}|{content}".encode()).hexdigest()


def register(conn: sqlite3.Connection) -> None:
    """Give a connection the two functions the binding triggers call."""
    conn.create_function("bedside_record_hash", 2, record_hash, deterministic=True)
    conn.create_function("bedside_ledger_link", 3, ledger_hash, deterministic=True)


def _columns(conn: sqlite3.Connection, table: str, *, state: bool) -> list[str]:
    """The fixed (or, with ``state``, the state) columns of a bound table, in table order."""
    changing = STATE_COLUMNS.get(table, ())
    names = [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]
    return [n for n in names if (n in changing) == state]


def _content_sql(conn: sqlite3.Connection, table: str, row: str, *, state: bool = False) -> str:
    """SQL for the content hash of a row's fixed (or state) part; ``row`` is ``NEW`` or
    ``OLD`` in a trigger, or the table's name in a query."""
    cols = ", ".join(f"{row}.{c}" for c in _columns(conn, table, state=state))
    return f"bedside_record_hash('{table}{STATE if state else ''}', json_array({cols}))"


def _entry_sql(conn: sqlite3.Connection, table: str, key: str, *, state: bool) -> str:
    """The INSERT into the ledger of one entry for the fixed or state part of ``NEW``."""
    record = f"'{table}:' || NEW.{key}" + (f" || '{STATE}'" if state else "")
    entry = f"{record} || '@' || (head.seq + 1)"
    return f"""
          INSERT INTO ledger(seq, event_id, hash, record, content_hash)
          SELECT head.seq + 1, {entry},
                 bedside_ledger_link(head.hash, {entry}, cur.h), {record}, cur.h
          FROM (SELECT COALESCE(MAX(seq), 0) AS seq,
                       COALESCE((SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1),
                                '{LEDGER_GENESIS}') AS hash
                FROM ledger) AS head,
               (SELECT {_content_sql(conn, table, "NEW", state=state)} AS h) AS cur;"""


def _triggers(conn: sqlite3.Connection, table: str, key: str) -> dict[str, str]:
    """The binding triggers of one table, by name."""
    stateful = table in STATE_COLUMNS
    on_insert = _entry_sql(conn, table, key, state=False)
    if stateful:
        on_insert += _entry_sql(conn, table, key, state=True)
    out = {f"{table}_bound_insert": f"AFTER INSERT ON {table} BEGIN {on_insert} END"}
    if stateful:
        old = _content_sql(conn, table, "OLD", state=True)
        new = _content_sql(conn, table, "NEW", state=True)
        # An upsert that writes the same value again changes nothing worth an entry.
        out[f"{table}_bound_update"] = (
            f"AFTER UPDATE ON {table} WHEN {old} IS NOT {new} BEGIN "
            f"{_entry_sql(conn, table, key, state=True)} END"
        )
    if table in _NOT_APPEND_ONLY:
        fixed = ", ".join(_columns(conn, table, state=False))
        out[f"{table}_fixed_part"] = (
            f"BEFORE UPDATE OF {fixed} ON {table} BEGIN SELECT RAISE(ABORT, "
            f"'{table} rows keep what they were created with: only their state may change'); END"
        )
        out[f"{table}_never_deleted"] = (
            f"BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, "
            f"'{table} rows are kept for the record and cannot be deleted'); END"
        )
    return out


def bind_tables(conn: sqlite3.Connection) -> int:
    """Create (or re-create) the binding triggers and bind every row whose content the ledger
    does not hold yet; returns the number of ledger entries written."""
    register(conn)
    for table, key in BOUND_TABLES.items():
        for name, body in _triggers(conn, table, key).items():
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            conn.execute(f"CREATE TRIGGER {name} {body}")
    return bind_unbound_rows(conn) + bind_safeguards(conn)


def bind_unbound_rows(conn: sqlite3.Connection) -> int:
    """Bind every row whose content the ledger does not hold (rows stored before the binding
    existed, or loaded in bulk with the triggers set aside); returns the entries written.
    ``conn`` must have the functions of :func:`register` (every Bedside connection does)."""
    written = 0
    latest = _latest_bound(conn)
    for table in BOUND_TABLES:
        for record, content in current_contents(conn, table).items():
            if latest.get(record) != content:
                _append(conn, record, content)
                written += 1
    return written


def bind_safeguards(conn: sqlite3.Connection) -> int:
    """Bind the database's triggers as they are now (after a migration changed them)."""
    content = safeguards_hash(conn)
    if _latest_bound(conn).get(SAFEGUARDS) == content:
        return 0
    _append(conn, SAFEGUARDS, content)
    return 1


def safeguards_hash(conn: sqlite3.Connection) -> str:
    """The hash of every trigger's name and SQL: the append-only rules, the chain and the
    binding itself."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).fetchall()
    return record_hash("sqlite_master", "\n".join(f"{name}|{sql}" for name, sql in rows))


def _append(conn: sqlite3.Connection, record: str, content: str) -> None:
    head = conn.execute("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (int(head[0]), str(head[1])) if head else (0, LEDGER_GENESIS)
    entry = f"{record}@{seq + 1}"
    conn.execute(
        "INSERT INTO ledger(seq, event_id, hash, record, content_hash) VALUES (?, ?, ?, ?, ?)",
        (seq + 1, entry, ledger_hash(prev, entry, content), record, content),
    )


def _latest_bound(conn: sqlite3.Connection) -> dict[str, str]:
    """The content hash of the latest ledger entry for each bound record."""
    rows = conn.execute(
        "SELECT record, content_hash FROM ledger WHERE record IS NOT NULL ORDER BY seq"
    )
    return {str(record): str(content) for record, content in rows}


def current_contents(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Each row of a bound table as it is now: record name → content hash (fixed part, and
    state part where the table has one)."""
    key = BOUND_TABLES[table]
    parts = [_content_sql(conn, table, table)]
    if table in STATE_COLUMNS:
        parts.append(_content_sql(conn, table, table, state=True))
    out: dict[str, str] = {}
    for name, *hashes in conn.execute(
        f"SELECT {key}, {', '.join(parts)} FROM {table} ORDER BY rowid"
    ):
        out[f"{table}:{name}"] = str(hashes[0])
        if len(hashes) > 1:
            out[f"{table}:{name}{STATE}"] = str(hashes[1])
    return out


def bound_row_problems(conn: sqlite3.Connection) -> list[str]:
    """Every bound row that differs from what the ledger holds for it, in words."""
    latest = _latest_bound(conn)
    problems: list[str] = []
    for table in BOUND_TABLES:
        noun = _NOUNS[table]
        current = current_contents(conn, table)
        for record, content in current.items():
            name = record.split(":", 1)[1].removesuffix(STATE)
            held = latest.get(record)
            if held is None:
                problems.append(
                    f"{noun} {name} was added behind the application's back (not in the ledger)"
                )
            elif held != content:
                problems.append(
                    f"{noun} {name} was changed behind the application's back (it no longer "
                    "matches its latest ledger entry)"
                )
        prefix = f"{table}:"
        for record in latest:
            if record.startswith(prefix) and record not in current:
                problems.append(f"{noun} {record[len(prefix) :]} was deleted from the record")
    problems.extend(
        f"{record} was bound a second time: what it was created with was rewritten"
        for record in _rebound(conn)
    )
    if latest.get(SAFEGUARDS) != safeguards_hash(conn):
        problems.append(
            "the database's safeguards (its append-only, chain and ledger triggers) were "
            "removed or changed behind the application's back"
        )
    return problems


def _rebound(conn: sqlite3.Connection) -> list[str]:
    """Fixed parts with more than one ledger entry: they are bound once, at insert."""
    rows = conn.execute(
        "SELECT record FROM ledger WHERE record IS NOT NULL AND record NOT LIKE ? "
        "AND record != ? GROUP BY record HAVING COUNT(*) > 1 ORDER BY MIN(seq)",
        (f"%{STATE}", SAFEGUARDS),
    )
    return [str(r[0]) for r in rows]
