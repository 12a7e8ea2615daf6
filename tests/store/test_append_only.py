"""The record is append-only and chained, and the DATABASE enforces it (triggers), so neither a
bug in a caller nor someone with the sqlite3 shell can edit, delete, reorder or extend it
out of turn; once signed, only addenda may follow."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bedside.clock import FixedClock
from bedside.errors import SessionLocked
from bedside.events import EventDraft, NoteAdded
from bedside.ids import SessionId, UserId
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.hashing import genesis_hash
from tests.store.support import (
    T0,
    Clinic,
    Prebuilt,
    event_rows,
    forge_event,
    insert_event_sql,
    raw,
)
from ui.demo import DEMO_PASSWORD

APPEND_ONLY_TABLES = ["chart_events", "sessions", "protocols", "course_orders", "audit_log"]
NO_EDIT_TABLES = [*APPEND_ONLY_TABLES, "ledger"]  # the ledger is chained: upserts never conflict

# A column to change in each table (NOT NULL, so the value below is accepted by the schema).
_EDIT = {
    "chart_events": ("payload", '{"kind":"note","text":"edited"}'),
    "sessions": ("chair", 7),
    "protocols": ("name", "edited protocol"),
    "course_orders": ("body", "{}"),
    "audit_log": ("action", "edited"),
    "ledger": ("hash", "0" * 64),
}


@pytest.fixture
def signed_copy(signed_db: Prebuilt, tmp_path: Path) -> Path:
    return signed_db.copy_to(tmp_path)


def _table_dump(path: Path, table: str) -> list[tuple[object, ...]]:
    with raw(path) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


@pytest.mark.parametrize("table", NO_EDIT_TABLES)
def test_update_is_refused_by_the_database(signed_copy: Path, table: str) -> None:
    before = _table_dump(signed_copy, table)
    assert before, f"{table} should have rows in the reference database"
    column, value = _EDIT[table]
    with raw(signed_copy) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = 1", (value,))
    assert _table_dump(signed_copy, table) == before


@pytest.mark.parametrize("table", NO_EDIT_TABLES)
def test_delete_is_refused_by_the_database(signed_copy: Path, table: str) -> None:
    before = _table_dump(signed_copy, table)
    with raw(signed_copy) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(f"DELETE FROM {table}")
    assert _table_dump(signed_copy, table) == before


def _conflicting_row(
    conn: sqlite3.Connection, table: str
) -> tuple[list[str], dict[str, object], object]:
    """(columns, values, new value) of a row that collides with row 1 of ``table`` on its
    primary key and differs in one column. For chart_events the row also passes the INSERT
    triggers (it follows the head and is an addendum), so that only the append-only triggers
    can stop an upsert or a replace."""
    column, value = _EDIT[table]
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    row = dict(
        zip(cols, conn.execute(f"SELECT * FROM {table} WHERE rowid = 1").fetchone(), strict=True)
    )
    row[column] = value
    if table == "chart_events":
        seq, head = conn.execute(
            "SELECT seq, hash FROM chart_events WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
            (row["session_id"],),
        ).fetchone()
        row.update(seq=seq + 1, prev_hash=head, kind="addendum")
    return cols, row, value


def _insert_sql(table: str, cols: list[str], verb: str = "INSERT") -> str:
    return f"{verb} INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_upsert_is_refused_by_the_database(signed_copy: Path, table: str) -> None:
    """``INSERT ... ON CONFLICT DO UPDATE`` is an update and fires the update trigger."""
    before = _table_dump(signed_copy, table)
    column, _ = _EDIT[table]
    with raw(signed_copy) as conn:
        cols, row, value = _conflicting_row(conn, table)
        sql = _insert_sql(table, cols) + f" ON CONFLICT DO UPDATE SET {column} = ?"
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql, (*row.values(), value))
    assert _table_dump(signed_copy, table) == before


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_replace_through_the_store_connection_is_refused(signed_copy: Path, table: str) -> None:
    """``INSERT OR REPLACE`` deletes the old row; on the store's own connection (recursive
    triggers on) the delete trigger stops it."""
    before = _table_dump(signed_copy, table)
    with Store(signed_copy) as store:
        cols, row, _ = _conflicting_row(store.conn, table)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute(_insert_sql(table, cols, "INSERT OR REPLACE"), tuple(row.values()))
        store.conn.rollback()
    assert _table_dump(signed_copy, table) == before


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_replace_through_a_plain_connection_is_refused(signed_copy: Path, table: str) -> None:
    """INSERT OR REPLACE deletes the old row WITHOUT firing delete triggers when
    recursive_triggers is off, as it is on a plain connection: it must be refused anyway."""
    before = _table_dump(signed_copy, table)
    with raw(signed_copy) as conn:
        assert conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 0
        cols, row, _ = _conflicting_row(conn, table)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(_insert_sql(table, cols, "INSERT OR REPLACE"), tuple(row.values()))
    assert _table_dump(signed_copy, table) == before


# --- the chain triggers ----------------------------------------------------------------------------


def _head(path: Path, session_id: str) -> tuple[int, str]:
    with raw(path) as conn:
        seq, head = conn.execute(
            "SELECT seq, hash FROM chart_events WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
            (session_id,),
        ).fetchone()
    return int(seq), str(head)


@pytest.fixture
def open_session_db(tmp_path: Path) -> tuple[Path, str, str]:
    """(database, session id, nurse id): a session in progress with a few notes, store closed."""
    clinic = Clinic.create(tmp_path / "bedside.db")
    sid = clinic.open_session()
    for i in range(3):
        clinic.clock.advance(minutes=1)
        clinic.service.add_note(clinic.staff.nurse, sid, f"note {i}")
    clinic.close()
    return clinic.path, sid, clinic.staff.nurse.id


@pytest.mark.parametrize(
    ("seq_offset", "use_head_hash"),
    [(2, True), (0, True), (-3, True), (1, False)],
    ids=["seq-gap", "seq-repeated", "seq-earlier", "wrong-prev-hash"],
)
def test_out_of_turn_insert_is_refused_by_the_database(
    open_session_db: tuple[Path, str, str], seq_offset: int, use_head_hash: bool
) -> None:
    path, sid, nurse = open_session_db
    seq, head = _head(path, sid)
    forged = forge_event(
        session_id=sid,
        seq=seq + seq_offset,
        prev_hash=head if use_head_hash else genesis_hash(sid),
        author=nurse,
        at=T0,
    )
    before = event_rows(path, sid)
    with raw(path) as conn, pytest.raises(sqlite3.IntegrityError, match="hash chain"):
        insert_event_sql(conn, forged)
    assert event_rows(path, sid) == before
    with Store(path) as store:
        assert store.verify() == []


def test_first_event_must_follow_the_genesis_hash(open_session_db: tuple[Path, str, str]) -> None:
    """A new session's first event must carry the genesis hash stored with the session."""
    path, sid, nurse = open_session_db
    with raw(path) as conn:
        cols = [r[1] for r in conn.execute("PRAGMA table_info(sessions)")]
        header = dict(zip(cols, conn.execute("SELECT * FROM sessions").fetchone(), strict=True))
        header["id"] = new_sid = "forged-session"
        header["genesis_hash"] = genesis_hash(new_sid)
        header["number_in_course"] += 1  # (course, number) is unique
        conn.execute(
            f"INSERT INTO sessions({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            tuple(header.values()),
        )
        wrong = forge_event(
            session_id=new_sid, seq=1, prev_hash=genesis_hash(sid), author=nurse, at=T0
        )
        with pytest.raises(sqlite3.IntegrityError, match="hash chain"):
            insert_event_sql(conn, wrong)
        right = forge_event(
            session_id=new_sid, seq=1, prev_hash=genesis_hash(new_sid), author=nurse, at=T0
        )
        insert_event_sql(conn, right)  # the control: the trigger is not refusing everything
    assert [r[0] for r in event_rows(path, new_sid)] == [right.id]


def test_raw_insert_that_follows_the_head_passes_the_triggers(
    open_session_db: tuple[Path, str, str],
) -> None:
    """Control for the refusals above: a forged row that does follow the head gets past the
    chain triggers, so the refusals really are about seq and prev_hash. (Written behind the
    application's back, it is still reported by verify().)"""
    path, sid, nurse = open_session_db
    seq, head = _head(path, sid)
    good = forge_event(session_id=sid, seq=seq + 1, prev_hash=head, author=nurse, at=T0)
    with raw(path) as conn:
        insert_event_sql(conn, good)
    with Store(path) as store:
        assert store.events(SessionId(sid))[-1] == good
        assert store.verify() != []


# --- signed sessions are locked ----------------------------------------------------------------------


def test_store_append_after_signing_raises_session_locked(
    signed_copy: Path, signed_db: Prebuilt
) -> None:
    sid = signed_db.session_id
    with Store(signed_copy) as store:
        events = store.events(sid)
        assert events[-1].kind == "session_signed"
        at = events[-1].recorded_time
        draft = EventDraft(payload=NoteAdded(text="late note"), clinical_time=at)
        with pytest.raises(SessionLocked):
            store.append(sid, [draft], author=signed_db.staff.nurse.id, at=at)
        assert not store.conn.in_transaction
        assert store.events(sid) == events
        assert store.verify() == []


def test_raw_insert_after_signing_is_refused_by_the_database(
    signed_copy: Path, signed_db: Prebuilt
) -> None:
    """A row that follows the head perfectly is still refused: the session is signed."""
    sid = signed_db.session_id
    seq, head = _head(signed_copy, sid)
    late = forge_event(
        session_id=sid, seq=seq + 1, prev_hash=head, author=signed_db.staff.nurse.id, at=T0
    )
    before = event_rows(signed_copy, sid)
    with raw(signed_copy) as conn, pytest.raises(sqlite3.IntegrityError, match="signed and locked"):
        insert_event_sql(conn, late)
    assert event_rows(signed_copy, sid) == before


def test_addendum_after_signing_is_accepted_and_chain_verifies(
    signed_copy: Path, signed_db: Prebuilt
) -> None:
    sid = signed_db.session_id
    with Store(signed_copy) as store:
        signed_at = store.events(sid)[-1].recorded_time
        service = ChartService(store, FixedClock(signed_at + timedelta(minutes=30)))
        before = len(store.events(sid))
        addendum = service.add_addendum(
            signed_db.staff.nurse,
            sid,
            text="Patient phoned: home safely, no further nausea.",
            reason="Follow-up call after discharge",
            password=DEMO_PASSWORD,
        ).event
        events = store.events(sid)
        assert [e.kind for e in events[-2:]] == ["session_signed", "addendum"]
        assert events[-1] == addendum
        assert addendum.seq == before + 1
        assert addendum.prev_hash == events[-2].hash
        assert store.verify() == []
        # and after the addendum the session is still locked for anything else
        with pytest.raises(SessionLocked):
            store.append(
                sid,
                [EventDraft(payload=NoteAdded(text="x"), clinical_time=addendum.recorded_time)],
                author=signed_db.staff.nurse.id,
                at=addendum.recorded_time,
            )


def test_two_stores_interleaving_appends_stay_in_order(
    open_session_db: tuple[Path, str, str],
) -> None:
    """Two stores on one file, alternating: each reads the head inside its own write
    transaction, so both land in order and nothing forks."""
    path, sid, nurse = open_session_db
    with Store(path) as a, Store(path) as b:
        start = len(a.events(SessionId(sid)))
        for i in range(5):
            for store in (a, b):
                store.append(
                    SessionId(sid),
                    [EventDraft(payload=NoteAdded(text=f"n{i}"), clinical_time=T0)],
                    author=UserId(nurse),
                    at=T0,
                )
        assert [e.seq for e in b.events(SessionId(sid))] == list(range(1, start + 11))
        assert a.verify() == []
