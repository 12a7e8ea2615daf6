"""The clinic-wide data on the clinic server (issue 14, DESIGN.md §5): accounts (with their
password hashes), signing keys, patients and their allergy statements, protocol versions and
their approvals, course orders and clinic settings go up as versions and come down into every
workstation's own tables, so each keeps working offline — sign-in included — and an account
deactivated anywhere stops working everywhere at the next pull.

What a workstation sends is what its ledger says changed (the bound records): each change is
sent once, idempotent by the workstation's own ledger seq, and only when its content differs
from the server's newest version of that row (so a row received from the server is not sent
back). What it receives is applied in the server's order, in one local transaction with the
cursor. A received row whose fixed part (a patient's date of birth, an account's role)
differs from the same row here is never applied: it is returned as a conflict, for IT.

Kept on each workstation: the backup settings (each workstation backs up to its own disk);
its audit log goes up for the clinic's auditors but is never merged into another's.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from psycopg.types.json import Jsonb

from bedside.canonical import canonical_json
from bedside.demo_mark import DEMO_SETTING
from bedside.store.bound_rows import BOUND_TABLES, STATE, STATE_COLUMNS
from bedside.store.db import write_transaction
from bedside.store.server.demo_guard import refuse_demo
from bedside.store.server.push import (
    ServerConnection,
    cursor,
    ledger_seq,
    pass_over_received,
    require_autocommit,
    store_cursor,
)

PUSHED = "clinic_pushed_through"
PULLED = "clinic_pulled_through"
SHARED = (
    "settings",
    "users",
    "signing_keys",
    "patients",
    "patient_allergies",
    "protocols",
    "protocol_approvals",
    "course_orders",
    "audit_log",
)
"""Sessions travel with their chart entries (:mod:`.push`), not here."""
SENT_ONLY = frozenset({"audit_log"})
LOCAL_SETTING_PREFIXES = ("backup_", "server_", DEMO_SETTING)
"""Settings each workstation keeps for itself: where it backs up, which server it syncs with,
and the demo's mark (a demo never syncs: :mod:`.demo_guard`; nor does its mark travel)."""


@dataclass(frozen=True)
class ClinicRow:
    """One version of one row, as the server holds it."""

    table: str
    key: str
    content: dict[str, Any]

    @property
    def content_hash(self) -> str:
        """The version's identity: the table, the key and the content, canonical."""
        text = canonical_json([self.table, self.key, self.content])
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class ClinicPull:
    """What a pull applied, and the versions it refused to apply (fixed parts that differ)."""

    applied: int = 0
    conflicts: list[str] = field(default_factory=list)


def _row(local: sqlite3.Connection, table: str, key: str) -> dict[str, Any] | None:
    local_cursor = local.execute(f"SELECT * FROM {table} WHERE {BOUND_TABLES[table]} = ?", (key,))
    found = local_cursor.fetchone()
    if found is None:
        return None
    return {d[0]: v for d, v in zip(local_cursor.description, found, strict=True)}


def _stays_here(table: str, content: dict[str, Any]) -> bool:
    """A setting this workstation keeps for itself (never sent, never taken from the server)."""
    return table == "settings" and str(content["key"]).startswith(LOCAL_SETTING_PREFIXES)


def _version(table: str, content: dict[str, Any]) -> ClinicRow | None:
    """The row as the server keys it, or None when it stays on this workstation."""
    if _stays_here(table, content):
        return None
    if table == "patient_allergies":
        # The local seq is this file's own numbering: a statement is who said what, when.
        content = {k: v for k, v in content.items() if k != "seq"}
        body = hashlib.sha256(str(content["body"]).encode()).hexdigest()[:16]
        return ClinicRow(table, f"{content['patient_id']}|{content['recorded_at']}|{body}", content)
    return ClinicRow(table, str(content[BOUND_TABLES[table]]), content)


def push_clinic_rows(local: sqlite3.Connection, server: ServerConnection, batch: int = 500) -> int:
    """Send every clinic-wide change after the cursor; returns the versions the server took."""
    refuse_demo(local)  # the demo's accounts (public password) never reach a clinic server
    require_autocommit(server)
    sent = 0
    through = cursor(local, PUSHED)
    while True:
        entries = local.execute(
            "SELECT seq, record FROM ledger WHERE seq > ? AND record IS NOT NULL "
            "ORDER BY seq LIMIT ?",
            (through, batch),
        ).fetchall()
        if not entries:
            return sent
        versions: dict[tuple[str, str], tuple[int, ClinicRow]] = {}
        for seq, record in entries:
            table, _, key = str(record).partition(":")
            if table not in SHARED:
                continue
            content = _row(local, table, key.removesuffix(STATE))
            version = _version(table, content) if content is not None else None
            if version is not None:
                versions[(version.table, version.key)] = (int(seq), version)  # newest wins
        sent += _send(server, list(versions.values()))
        through = int(entries[-1][0])
        with write_transaction(local):
            store_cursor(local, through, PUSHED)


def _send(server: ServerConnection, versions: list[tuple[int, ClinicRow]]) -> int:
    if not versions:
        return 0
    newest = dict(
        ((str(t), str(k)), str(h))
        for t, k, h in server.execute(
            "SELECT DISTINCT ON (table_name, row_key) table_name, row_key, content_hash"
            " FROM bedside.clinic_rows WHERE (table_name || ':' || row_key) = ANY(%s)"
            " ORDER BY table_name, row_key, seq DESC",
            ([f"{v.table}:{v.key}" for _, v in versions],),
        ).fetchall()
    )
    fresh = [(s, v) for s, v in versions if newest.get((v.table, v.key)) != v.content_hash]
    if not fresh:
        return 0
    # One statement, its own transaction in autocommit: the numbering lock the server takes
    # for the first row is released when the server finishes, never held across a round trip
    # to this workstation (a workstation frozen mid-push would stop every other one).
    cur = server.execute(
        "INSERT INTO bedside.clinic_rows (seq, table_name, row_key, content, content_hash,"
        " origin, source_seq) SELECT 0, t, k, c, h, '', s FROM unnest("
        "%s::text[], %s::text[], %s::jsonb[], %s::text[], %s::bigint[])"
        " WITH ORDINALITY AS u(t, k, c, h, s, n) ORDER BY n"
        " ON CONFLICT (origin, source_seq) DO NOTHING",
        (
            [v.table for _, v in fresh],
            [v.key for _, v in fresh],
            [Jsonb(v.content) for _, v in fresh],
            [v.content_hash for _, v in fresh],
            [s for s, _ in fresh],
        ),
    )
    return max(cur.rowcount, 0)


def pull_clinic_rows(
    local: sqlite3.Connection, server: ServerConnection, batch: int = 500
) -> ClinicPull:
    """Apply every other workstation's clinic-wide version after the cursor, in the server's
    order, each batch in one local transaction with the cursor."""
    refuse_demo(local)  # a clinic's accounts and patients never go into a demo
    require_autocommit(server)
    pulled = ClinicPull()
    through = cursor(local, PULLED)
    if through == 0:
        through = _pull_newest(local, server, pulled)
    while True:
        rows = server.execute(
            "SELECT seq, table_name, row_key, content FROM bedside.clinic_rows"
            " WHERE seq > %s AND origin <> session_user ORDER BY seq LIMIT %s",
            (through, batch),
        ).fetchall()
        if not rows:
            return pulled
        through = int(str(rows[-1][0]))
        _keep(local, rows, through, pulled)


def _pull_newest(local: sqlite3.Connection, server: ServerConnection, pulled: ClinicPull) -> int:
    """A first pull (a new workstation, or after ``--after-restore``): only the version in
    force of each row — never an older one put back over a newer one here — in the order the
    rows first appeared (a course after its patient), with the cursor, from one snapshot."""
    with server.transaction():
        server.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        rows = server.execute(
            "SELECT first_seq, table_name, row_key, content FROM ("
            " SELECT DISTINCT ON (table_name, row_key) table_name, row_key, content,"
            " min(seq) OVER (PARTITION BY table_name, row_key) AS first_seq"
            " FROM bedside.clinic_rows WHERE origin <> session_user"
            " ORDER BY table_name, row_key, seq DESC) newest ORDER BY first_seq"
        ).fetchall()
        top = server.execute("SELECT coalesce(max(seq), 0) FROM bedside.clinic_rows").fetchone()
    through = int(str(top[0])) if top else 0
    _keep(local, rows, through, pulled)
    return through


def _keep(
    local: sqlite3.Connection, rows: list[tuple[object, ...]], through: int, pulled: ClinicPull
) -> None:
    """Apply received versions in order, in one local transaction with the cursor."""
    with write_transaction(local):
        before = ledger_seq(local)
        for _, table, key, content in rows:
            if str(table) in SENT_ONLY:
                continue
            data = content if isinstance(content, dict) else json.loads(str(content))
            problem = _apply(local, ClinicRow(str(table), str(key), data))
            if problem:
                pulled.conflicts.append(problem)
            else:
                pulled.applied += 1
        store_cursor(local, through, PULLED)
        pass_over_received(local, PUSHED, chart=False, before=before)


def _apply(local: sqlite3.Connection, version: ClinicRow) -> str | None:
    """Put one received version in place here; a conflict in words, or None."""
    table, content = version.table, version.content
    if _stays_here(table, content):
        return None
    if table == "patient_allergies":
        known = local.execute(
            "SELECT 1 FROM patient_allergies WHERE patient_id = ? AND recorded_at = ? AND body = ?",
            (content["patient_id"], content["recorded_at"], content["body"]),
        ).fetchone()
        if known is None:
            _insert(local, table, content)
        return None
    here = _row(local, table, str(content[BOUND_TABLES[table]]))
    if here is None:
        _insert(local, table, content)
        return None
    state = STATE_COLUMNS.get(table, ())
    fixed_here = {k: v for k, v in here.items() if k not in state}
    fixed_there = {k: v for k, v in content.items() if k not in state}
    if fixed_here != fixed_there:
        return (
            f"{table} {version.key}: the server's version differs from this workstation's in "
            "what can never change; not applied (call IT: one of the two was altered)"
        )
    changed = {k: content[k] for k in state if here.get(k) != content.get(k)}
    if changed:
        sets = ", ".join(f"{k} = ?" for k in changed)
        local.execute(
            f"UPDATE {table} SET {sets} WHERE {BOUND_TABLES[table]} = ?",
            (*changed.values(), content[BOUND_TABLES[table]]),
        )
    return None


def _insert(local: sqlite3.Connection, table: str, content: dict[str, Any]) -> None:
    columns = ", ".join(content)
    marks = ", ".join("?" * len(content))
    local.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(content.values()))


def waiting_clinic_rows(local: sqlite3.Connection) -> int:
    """Clinic-wide changes made here not yet confirmed by the server."""
    row = local.execute(
        "SELECT count(*) FROM ledger WHERE seq > ? AND record IS NOT NULL",
        (cursor(local, PUSHED),),
    ).fetchone()
    return int(row[0])
