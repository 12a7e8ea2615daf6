"""Numbered schema migrations. Never edit or reorder one that has landed: add a new one."""

from __future__ import annotations

import secrets

from sqlite_utils import Database, Migrations

from bedside.store.bound_rows import bind_tables
from bedside.store.ledger_backfill import backfill_ledger
from bedside.store.migrations_holds import m011_session_holds
from bedside.store.schema import MIGRATION_SET

migrations = Migrations(MIGRATION_SET)

_APPEND_ONLY = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: record a correction instead'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} rows are append-only and cannot be deleted'); END;
CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table}
WHEN EXISTS (SELECT 1 FROM {table} WHERE {pk} = NEW.{pk})
BEGIN SELECT RAISE(ABORT, '{table} rows are append-only and cannot be replaced'); END;
"""
# INSERT OR REPLACE deletes the old row without firing delete triggers (unless
# recursive_triggers is on), so a BEFORE INSERT check on the key closes that door too.


@migrations()
def m001_core_tables(db: Database) -> None:
    """Why: the first schema: people, protocol versions, course orders, sessions, chart events."""
    db.table("settings").create({"key": str, "value": str}, pk="key", strict=True)
    db.table("users").create(
        {
            "id": str,
            "username": str,
            "full_name": str,
            "role": str,
            "credentials": str,
            "active": int,
            "password_hash": str,
            "created_at": str,
        },
        pk="id",
        not_null={"username", "full_name", "role", "active", "password_hash", "created_at"},
        strict=True,
    )
    db.table("users").create_index(["username"], unique=True)
    db.table("patients").create(
        {
            "id": str,
            "mrn": str,
            "family_name": str,
            "given_name": str,
            "date_of_birth": str,
            "sex": str,
            "body": str,
            "created_at": str,
        },
        pk="id",
        not_null={"mrn", "family_name", "given_name", "date_of_birth", "body", "created_at"},
        strict=True,
    )
    db.table("patients").create_index(["mrn"], unique=True)
    db.table("patients").create_index(["family_name", "given_name"])
    db.table("protocols").create(
        {"id": str, "version": int, "name": str, "body": str, "created_at": str, "created_by": str},
        pk="id",
        not_null={"version", "name", "body", "created_at"},
        strict=True,
    )
    db.table("protocols").create_index(["version"])
    db.table("course_orders").create(
        {"id": str, "patient_id": str, "body": str, "created_at": str, "supersedes": str},
        pk="id",
        not_null={"patient_id", "body", "created_at"},
        foreign_keys=[("patient_id", "patients", "id")],
        strict=True,
    )
    db.table("course_orders").create_index(["patient_id"])
    db.table("sessions").create(
        {
            "id": str,
            "patient_id": str,
            "course_id": str,
            "number_in_course": int,
            "chair": int,
            "protocol_id": str,
            "opened_at": str,
            "local_date": str,
            "opened_by": str,
            "genesis_hash": str,
        },
        pk="id",
        not_null={
            "patient_id",
            "course_id",
            "number_in_course",
            "chair",
            "protocol_id",
            "opened_at",
            "local_date",
            "opened_by",
            "genesis_hash",
        },
        foreign_keys=[
            ("patient_id", "patients", "id"),
            ("course_id", "course_orders", "id"),
            ("protocol_id", "protocols", "id"),
        ],
        strict=True,
    )
    db.table("sessions").create_index(["local_date"])
    # Two workstations opening "session 3" of one course at once: the second is refused.
    db.table("sessions").create_index(["course_id", "number_in_course"], unique=True)
    db.table("sessions").create_index(["patient_id", "opened_at"])
    db.table("chart_events").create(
        {
            "id": str,
            "session_id": str,
            "seq": int,
            "kind": str,
            "clinical_time": str,
            "recorded_time": str,
            "author": str,
            "supersedes": str,
            "reason": str,
            "payload": str,
            "prev_hash": str,
            "hash": str,
        },
        pk="id",
        not_null={
            "session_id",
            "seq",
            "kind",
            "clinical_time",
            "recorded_time",
            "author",
            "payload",
            "prev_hash",
            "hash",
        },
        foreign_keys=[("session_id", "sessions", "id")],
        strict=True,
    )
    db.table("chart_events").create_index(["session_id", "seq"], unique=True)
    db.table("audit_log").create(
        {"id": int, "at": str, "actor": str, "action": str, "detail": str},
        pk="id",
        not_null={"at", "action", "detail"},
        strict=True,
    )
    for table, pk in (
        ("protocols", "id"),
        ("course_orders", "id"),
        ("sessions", "id"),
        ("chart_events", "id"),
        ("audit_log", "id"),
    ):
        db.executescript(_APPEND_ONLY.format(table=table, pk=pk))
    # The chain and the lock are enforced by the database itself, so a bug in any caller (or a
    # second process) cannot break them: each event must follow the session's current head, and
    # once a session is signed only addenda may follow.
    db.executescript(
        """
        CREATE TRIGGER chart_events_in_sequence BEFORE INSERT ON chart_events
        WHEN NEW.seq != (SELECT COALESCE(MAX(seq), 0) + 1 FROM chart_events
                         WHERE session_id = NEW.session_id)
          OR NEW.prev_hash != COALESCE(
               (SELECT hash FROM chart_events WHERE session_id = NEW.session_id
                ORDER BY seq DESC LIMIT 1),
               (SELECT genesis_hash FROM sessions WHERE id = NEW.session_id))
        BEGIN SELECT RAISE(ABORT, 'chart event does not follow the session head (hash chain)'); END;

        CREATE TRIGGER chart_events_locked_after_signing BEFORE INSERT ON chart_events
        WHEN NEW.kind != 'addendum' AND EXISTS (
            SELECT 1 FROM chart_events WHERE session_id = NEW.session_id
            AND kind IN ('session_signed', 'session_ended_early'))
        BEGIN SELECT RAISE(ABORT, 'session is signed and locked: only addenda are accepted'); END;
        """
    )


@migrations()
def m002_ledger(db: Database) -> None:
    """Why: a per-session chain cannot show that a session's last events were deleted. The
    ledger chains every event of the database in the order it was written, so removing any
    event (a signature, say) breaks the ledger unless everything written after it is removed too.

    Each link is ``sha256(previous link | event id | event hash)``; the event hash is read from
    the event itself when verifying, so the ledger stores only the order and the links.
    """
    db.table("ledger").create(
        {"seq": int, "event_id": str, "hash": str},
        pk="seq",
        not_null={"event_id", "hash"},
        strict=True,
    )
    db.table("ledger").create_index(["event_id"], unique=True)
    db.executescript(_APPEND_ONLY.format(table="ledger", pk="seq"))
    db.executescript(
        """
        CREATE TRIGGER ledger_in_sequence BEFORE INSERT ON ledger
        WHEN NEW.seq != (SELECT COALESCE(MAX(seq), 0) + 1 FROM ledger)
        BEGIN SELECT RAISE(ABORT, 'ledger entry does not follow the ledger head'); END;
        """
    )
    # Events written before this migration join the ledger in the order they were stored.
    backfill_ledger(db.conn)


@migrations()
def m003_patient_allergies(db: Database) -> None:
    """Why: a patient's allergies are a fact with a state (unknown, no known drug allergies,
    or a list) and a history of who stated or confirmed them and when (at registration and at
    every intake). Each statement is a new row, never an edit, so the history is kept; the
    patient's allergies are the latest row.

    Patients registered before this migration have no row: their record's plain list is read
    as it always meant (an empty list is *unknown*, never "no known drug allergies"; a
    non-empty one a list not yet confirmed) until an intake confirms them.
    """
    db.table("patient_allergies").create(
        {
            "seq": int,
            "patient_id": str,
            "body": str,
            "recorded_at": str,
            "recorded_by": str,
            "session_id": str,
            "event_id": str,
        },
        pk="seq",
        not_null={"patient_id", "body", "recorded_at"},
        foreign_keys=[("patient_id", "patients", "id")],
        strict=True,
    )
    db.table("patient_allergies").create_index(["patient_id", "seq"])
    db.executescript(_APPEND_ONLY.format(table="patient_allergies", pk="seq"))


@migrations()
def m004_protocol_approvals(db: Database) -> None:
    """Why: changing clinical limits is a clinical act. A protocol version that changes a
    clinical setting takes effect only when a clinician approves it with their password and a
    reason; one that changes only administrative settings takes effect at once. Each version
    taking effect is a row here (basis, when, by whom; reason and signature for an approval),
    never an edit of the version: the protocol in effect is the newest version with a row.

    Versions stored before this migration were in effect as soon as they were saved: each gets
    a row saying so, so the version sessions open under does not change on upgrade.
    """
    db.table("protocol_approvals").create(
        {
            "protocol_id": str,
            "basis": str,
            "effective_at": str,
            "effective_by": str,
            "reason": str,
            "signature": str,
        },
        pk="protocol_id",
        not_null={"basis", "effective_at"},
        foreign_keys=[("protocol_id", "protocols", "id")],
        strict=True,
    )
    db.executescript(_APPEND_ONLY.format(table="protocol_approvals", pk="protocol_id"))
    db.execute(
        "INSERT INTO protocol_approvals(protocol_id, basis, effective_at, effective_by) "
        "SELECT id, 'before_approvals', created_at, created_by FROM protocols"
    )


@migrations()
def m005_sign_in_guard(db: Database) -> None:
    """Why: wrong passwords were retried at full speed with no trace. Each account's run of
    failed sign-ins and signing attempts is kept here (how many, the last one), with when the
    account was locked for too many, and whether an admin's reset obliges the user to choose a
    new password at the next sign-in. Mutable state, not the record: the audit log keeps the
    history of every failure, lock, unlock and reset."""
    db.table("sign_in_guard").create(
        {
            "user_id": str,
            "failures": int,
            "last_failed_at": str,
            "locked_at": str,
            "must_change": int,
        },
        pk="user_id",
        not_null={"failures", "must_change"},
        defaults={"failures": 0, "must_change": 0},
        foreign_keys=[("user_id", "users", "id")],
        strict=True,
    )


@migrations()
def m006_signing_keys(db: Database) -> None:
    """Why: a signature was a hash anyone with the source could recompute. Each account now
    has Ed25519 signing keys, a new one each time its password is set: the public key in the
    clear (``verify`` checks every seal against it), the private key sealed by the password.
    Append-only: a key is never changed or removed, so signatures stay bound to the key that
    made them."""
    db.table("signing_keys").create(
        {
            "id": str,
            "user_id": str,
            "public_key": str,
            "sealed": str,
            "created_at": str,
            "reason": str,
        },
        pk="id",
        not_null={"user_id", "public_key", "sealed", "created_at", "reason"},
        foreign_keys=[("user_id", "users", "id")],
        strict=True,
    )
    db.table("signing_keys").create_index(["user_id", "created_at"])
    db.executescript(_APPEND_ONLY.format(table="signing_keys", pk="id"))


@migrations()
def m007_bound_records(db: Database) -> None:
    """Why: only chart events were in the ledger, so demographics, roles, protocols, course
    orders, session headers and the audit log could be edited in the file with ``verify``
    still passing. Each ledger entry may now name a bound record (``record``, e.g.
    ``users:<id>``) and the hash of its content at that moment; triggers add one for every
    insert or update of a bound row, and every row already stored is bound now
    (:mod:`bedside.store.bound_rows`)."""
    db.execute("ALTER TABLE ledger ADD COLUMN record TEXT")
    db.execute("ALTER TABLE ledger ADD COLUMN content_hash TEXT")
    # Only bound-record entries are indexed: chart entries (most of the ledger) leave the
    # column empty and must not pay for an index on every append.
    db.execute("CREATE INDEX ledger_bound_records ON ledger(record, seq) WHERE record IS NOT NULL")
    bind_tables(db.conn)


@migrations()
def m008_sync_state(db: Database) -> None:
    """Why: a workstation that shares a clinic server (issue 14) must know how far it has
    pushed and pulled, durably and in the same transaction as what it pulled. Cursors, not the
    record: this small table is the one a workstation updates in place."""
    db.table("sync_state").create({"key": str, "value": str}, pk="key", strict=True)


@migrations()
def m009_received_forks(db: Database) -> None:
    """Why: two workstations cut off from each other may both chart one session (issue 14).
    An entry received from the clinic server that does not follow this file's head of its
    session cannot join the chain here; it is kept whole, as received, until a clinician
    resolves the fork — never dropped, never reordered into the chain."""
    db.table("received_forks").create(
        {
            "event_id": str,
            "session_id": str,
            "row": str,
            "origin": str,
            "received_at": str,
        },
        pk="event_id",
        not_null={"session_id", "row", "origin", "received_at"},
        strict=True,
    )
    db.executescript(_APPEND_ONLY.format(table="received_forks", pk="event_id"))


@migrations()
def m010_database_id(db: Database) -> None:
    """Why: the demo's backups and a clinic's shared one folder, looked alike, and the demo's
    could be restored over the clinic's database (a newcomer walk did it). Each database file
    now has its own random id, copied into its backups (and their notes), so a backup of
    another database is refused, in words, before anything is replaced. Local, like the sync
    cursors: never sent to the clinic server (each workstation's file is its own database)."""
    db.execute(
        "INSERT OR IGNORE INTO sync_state(key, value) VALUES ('database_id', ?)",
        (secrets.token_hex(16),),  # not uuid4: tests seed that for repeatable records
    )


# Later migrations live in their own modules (this one is near its size limit), registered
# here so the order stays one list.
migrations()(m011_session_holds)
