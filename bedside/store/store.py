"""The store: every read and write of the SQLite database goes through :class:`Store`.

One ``Store`` owns one connection and is used from one thread. Writes are single transactions
(``write_transaction``); chart events are only ever appended.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bedside.canonical import canonical_json, stored_body_hash
from bedside.course import CourseOrder
from bedside.errors import ConcurrentChange, IntegrityError, SessionLocked, StoreError
from bedside.events import ChartEvent, EventDraft, SessionOpened
from bedside.ids import CourseId, EventId, PatientId, ProtocolId, SessionId, UserId, new_id
from bedside.people import Patient, User
from bedside.protocol import Protocol, protocol_hash
from bedside.protocol_settings import ProtocolVersion
from bedside.sessions import SessionHeader
from bedside.store import db as dbmod
from bedside.store.hashing import (
    LEDGER_GENESIS,
    chain_problems,
    event_hash,
    genesis_hash,
    ledger_hash,
)
from bedside.timeutil import iso_utc, parse_iso

_EVENT_COLUMNS = (
    "id, session_id, seq, kind, clinical_time, recorded_time, author, supersedes, reason, "
    "payload, prev_hash, hash"
)
_PLACEHOLDER_HASH = "0" * 64


class Store:
    """Repository over one Bedside database file."""

    def __init__(self, path: Path | str, *, check_integrity: bool = True) -> None:
        self.path = Path(path)
        self.conn: sqlite3.Connection = dbmod.open_database(path, check_integrity=check_integrity)

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- settings and audit ------------------------------------------------------------------

    def get_setting(self, key: str, default: str = "") -> str:
        """A clinic setting (clinic name, address, time zone ...)."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_settings(self, values: dict[str, str], *, actor: UserId | None, at: datetime) -> None:
        """Set several clinic settings in one transaction, with an audit row."""
        with dbmod.write_transaction(self.conn):
            for key, value in values.items():
                self.conn.execute(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            self._audit(actor, "settings_changed", values, at)

    def _audit(self, actor: str | None, action: str, detail: dict[str, Any], at: datetime) -> None:
        self.conn.execute(
            "INSERT INTO audit_log(at, actor, action, detail) VALUES (?, ?, ?, ?)",
            (iso_utc(at), actor, action, canonical_json(detail)),
        )

    def audit_entries(self) -> list[dict[str, Any]]:
        """The administrative audit log, oldest first."""
        rows = self.conn.execute("SELECT at, actor, action, detail FROM audit_log ORDER BY id")
        return [
            {"at": r[0], "actor": r[1], "action": r[2], "detail": json.loads(r[3])} for r in rows
        ]

    # --- users --------------------------------------------------------------------------------

    def add_user(
        self, user: User, password_hash: str, *, actor: UserId | None, at: datetime
    ) -> None:
        """Create an account (the caller checked the actor's permission)."""
        with dbmod.write_transaction(self.conn):
            if self.conn.execute(
                "SELECT 1 FROM users WHERE username = ?", (user.username,)
            ).fetchone():
                raise StoreError(f"user name {user.username!r} is already taken")
            self.conn.execute(
                "INSERT INTO users(id, username, full_name, role, credentials, active, "
                "password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user.id,
                    user.username,
                    user.full_name,
                    user.role.value,
                    user.credentials,
                    int(user.active),
                    password_hash,
                    iso_utc(at),
                ),
            )
            self._audit(actor, "user_added", {"user": user.username, "role": user.role}, at)

    def update_user(
        self,
        user_id: UserId,
        *,
        actor: UserId | None,
        at: datetime,
        active: bool | None = None,
        password_hash: str | None = None,
    ) -> None:
        """Deactivate/reactivate an account or set a new password hash, with an audit row."""
        with dbmod.write_transaction(self.conn):
            if active is not None:
                self.conn.execute(
                    "UPDATE users SET active = ? WHERE id = ?", (int(active), user_id)
                )
                self._audit(actor, "user_active_set", {"user_id": user_id, "active": active}, at)
            if password_hash is not None:
                self.conn.execute(
                    "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id)
                )
                self._audit(actor, "password_set", {"user_id": user_id}, at)

    def _user_from_row(self, row: Sequence[Any]) -> User:
        return User(
            id=row[0],
            username=row[1],
            full_name=row[2],
            role=row[3],
            credentials=row[4] or "",
            active=bool(row[5]),
        )

    _USER_COLS = "id, username, full_name, role, credentials, active, password_hash"

    def user(self, user_id: UserId) -> User:
        """The account with this id."""
        row = self.conn.execute(
            f"SELECT {self._USER_COLS} FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no user with id {user_id}")
        return self._user_from_row(row)

    def user_with_hash(self, username: str) -> tuple[User, str] | None:
        """The account and its password hash, for authentication only."""
        row = self.conn.execute(
            f"SELECT {self._USER_COLS} FROM users WHERE username = ?", (username,)
        ).fetchone()
        return (self._user_from_row(row), str(row[6])) if row else None

    def users(self) -> list[User]:
        """All accounts, by user name."""
        rows = self.conn.execute(f"SELECT {self._USER_COLS} FROM users ORDER BY username")
        return [self._user_from_row(r) for r in rows]

    def has_users(self) -> bool:
        """False on a brand-new database (the app then offers first-admin setup or the demo)."""
        return self.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    # --- patients -----------------------------------------------------------------------------

    def add_patient(self, patient: Patient, *, actor: UserId | None, at: datetime) -> None:
        """Register a patient; the MRN must be unique."""
        with dbmod.write_transaction(self.conn):
            if self.conn.execute("SELECT 1 FROM patients WHERE mrn = ?", (patient.mrn,)).fetchone():
                raise StoreError(f"a patient with MRN {patient.mrn} already exists")
            self.conn.execute(
                "INSERT INTO patients(id, mrn, family_name, given_name, date_of_birth, sex, body,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    patient.id,
                    patient.mrn,
                    patient.family_name,
                    patient.given_name,
                    patient.date_of_birth.isoformat(),
                    patient.sex,
                    canonical_json(patient.model_dump(mode="json")),
                    iso_utc(at),
                ),
            )
            self._audit(actor, "patient_added", {"patient_id": patient.id, "mrn": patient.mrn}, at)

    def patient(self, patient_id: PatientId) -> Patient:
        """The patient with this id."""
        row = self.conn.execute("SELECT body FROM patients WHERE id = ?", (patient_id,)).fetchone()
        if row is None:
            raise StoreError(f"no patient with id {patient_id}")
        return Patient.model_validate_json(row[0])

    def patient_by_mrn(self, mrn: str) -> Patient | None:
        """The patient with this MRN, if registered."""
        row = self.conn.execute("SELECT body FROM patients WHERE mrn = ?", (mrn,)).fetchone()
        return Patient.model_validate_json(row[0]) if row else None

    def find_patients(self, text: str, limit: int = 50) -> list[Patient]:
        """Patients whose MRN or name starts with ``text`` (case-insensitive)."""
        like = text.strip() + "%"
        rows = self.conn.execute(
            "SELECT body FROM patients WHERE mrn LIKE ? OR family_name LIKE ? OR given_name LIKE ?"
            " ORDER BY family_name, given_name LIMIT ?",
            (like, like, like, limit),
        )
        return [Patient.model_validate_json(r[0]) for r in rows]

    # --- protocols and course orders ----------------------------------------------------------

    def add_protocol(self, protocol: Protocol, *, actor: UserId | None, at: datetime) -> ProtocolId:
        """Store a new protocol version (versions are never edited)."""
        pid = ProtocolId(new_id())
        with dbmod.write_transaction(self.conn):
            latest = self.conn.execute("SELECT MAX(version) FROM protocols").fetchone()[0] or 0
            if protocol.version <= latest:
                raise StoreError(
                    f"protocol version {protocol.version} is not newer than stored version {latest}"
                )
            self.conn.execute(
                "INSERT INTO protocols(id, version, name, body, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    pid,
                    protocol.version,
                    protocol.name,
                    canonical_json(protocol.model_dump(mode="json")),
                    iso_utc(at),
                    actor,
                ),
            )
            self._audit(
                actor, "protocol_added", {"protocol_id": pid, "version": protocol.version}, at
            )
        return pid

    def protocol(self, protocol_id: ProtocolId) -> Protocol:
        """A stored protocol version."""
        row = self.conn.execute(
            "SELECT body FROM protocols WHERE id = ?", (protocol_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no protocol with id {protocol_id}")
        return Protocol.model_validate_json(row[0])

    def current_protocol(self) -> tuple[ProtocolId, Protocol] | None:
        """The newest protocol version, if any."""
        row = self.conn.execute(
            "SELECT id, body FROM protocols ORDER BY version DESC LIMIT 1"
        ).fetchone()
        return (ProtocolId(row[0]), Protocol.model_validate_json(row[1])) if row else None

    def protocol_versions(self) -> list[ProtocolVersion]:
        """Every stored protocol version, newest first (read-only: the admin screen's history)."""
        rows = self.conn.execute(
            "SELECT id, body, created_at, created_by FROM protocols ORDER BY version DESC"
        )
        out = []
        for pid, body, created_at, created_by in rows:
            protocol = Protocol.model_validate_json(body)
            out.append(
                ProtocolVersion(
                    id=ProtocolId(pid),
                    protocol=protocol,
                    hash=protocol_hash(protocol),
                    created_at=parse_iso(created_at),
                    created_by=UserId(created_by) if created_by else None,
                )
            )
        return out

    def add_course(self, order: CourseOrder, *, at: datetime) -> None:
        """Store a signed course order."""
        with dbmod.write_transaction(self.conn):
            self.conn.execute(
                "INSERT INTO course_orders(id, patient_id, body, created_at, supersedes) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    order.id,
                    order.patient_id,
                    canonical_json(order.model_dump(mode="json")),
                    iso_utc(at),
                    order.supersedes,
                ),
            )

    def course(self, course_id: CourseId) -> CourseOrder:
        """A stored course order."""
        row = self.conn.execute(
            "SELECT body FROM course_orders WHERE id = ?", (course_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no course order with id {course_id}")
        return CourseOrder.model_validate_json(row[0])

    def courses_for(self, patient_id: PatientId) -> list[CourseOrder]:
        """A patient's course orders, oldest first."""
        rows = self.conn.execute(
            "SELECT body FROM course_orders WHERE patient_id = ? ORDER BY created_at",
            (patient_id,),
        )
        return [CourseOrder.model_validate_json(r[0]) for r in rows]

    # --- sessions and events ------------------------------------------------------------------

    def sessions_in_course(self, course_id: CourseId) -> int:
        """How many sessions the course already has."""
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM sessions WHERE course_id = ?", (course_id,)
            ).fetchone()[0]
        )

    def create_session(
        self, header: SessionHeader, first: EventDraft, *, at: datetime
    ) -> ChartEvent:
        """Insert the session header and its ``session_opened`` event in one transaction."""
        with dbmod.write_transaction(self.conn):
            self.conn.execute(
                "INSERT INTO sessions(id, patient_id, course_id, number_in_course, chair, "
                "protocol_id, opened_at, local_date, opened_by, genesis_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    header.id,
                    header.patient_id,
                    header.course_id,
                    header.number_in_course,
                    header.chair,
                    header.protocol_id,
                    iso_utc(header.opened_at),
                    header.local_date.isoformat(),
                    header.opened_by,
                    genesis_hash(header.id),
                ),
            )
            (event,) = self.append_in_transaction(
                header.id, [first], author=header.opened_by, at=at
            )
        return event

    _SESSION_COLS = (
        "id, patient_id, course_id, number_in_course, chair, protocol_id, opened_at, local_date,"
        " opened_by"
    )

    def _header(self, row: Sequence[Any]) -> SessionHeader:
        return SessionHeader(
            id=row[0],
            patient_id=row[1],
            course_id=row[2],
            number_in_course=row[3],
            chair=row[4],
            protocol_id=row[5],
            opened_at=parse_iso(row[6]),
            local_date=date.fromisoformat(row[7]),
            opened_by=row[8],
        )

    def session(self, session_id: SessionId) -> SessionHeader:
        """The header of one session."""
        row = self.conn.execute(
            f"SELECT {self._SESSION_COLS} FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no session with id {session_id}")
        return self._header(row)

    def find_session(self, prefix: str) -> SessionHeader:
        """A session by its id or a unique prefix of it (what staff type at the command line)."""
        prefix = prefix.strip().lower()
        # A range on the primary key (ids are lowercase hex and dashes, all below "~") uses the
        # index; LIKE would scan every session.
        rows = self.conn.execute(
            f"SELECT {self._SESSION_COLS} FROM sessions WHERE id >= ? AND id < ? LIMIT 2",
            (prefix, prefix + "~"),
        ).fetchall()
        if not rows:
            raise StoreError(f"no session id starts with {prefix!r}")
        if len(rows) > 1:
            raise StoreError(f"{prefix!r} matches more than one session; type more of the id")
        return self._header(rows[0])

    def sessions_on(self, day: date) -> list[SessionHeader]:
        """Sessions opened on a clinic-local date, by chair then time."""
        rows = self.conn.execute(
            f"SELECT {self._SESSION_COLS} FROM sessions WHERE local_date = ? "
            "ORDER BY chair, opened_at",
            (day.isoformat(),),
        )
        return [self._header(r) for r in rows]

    def all_sessions(self) -> list[SessionHeader]:
        """Every session, oldest first."""
        rows = self.conn.execute(f"SELECT {self._SESSION_COLS} FROM sessions ORDER BY opened_at")
        return [self._header(r) for r in rows]

    def sessions_for_patient(self, patient_id: PatientId) -> list[SessionHeader]:
        """A patient's sessions, oldest first."""
        rows = self.conn.execute(
            f"SELECT {self._SESSION_COLS} FROM sessions WHERE patient_id = ? ORDER BY opened_at",
            (patient_id,),
        )
        return [self._header(r) for r in rows]

    def append(
        self, session_id: SessionId, drafts: Iterable[EventDraft], *, author: UserId, at: datetime
    ) -> list[ChartEvent]:
        """Append events to a session's record as one durable transaction.

        When this returns, the events are on disk (WAL, ``synchronous=FULL``).
        """
        drafts = list(drafts)
        with dbmod.write_transaction(self.conn):
            return self.append_in_transaction(session_id, drafts, author=author, at=at)

    def append_in_transaction(
        self,
        session_id: SessionId,
        drafts: list[EventDraft],
        *,
        author: UserId,
        at: datetime,
        expected_head: str | None = None,
    ) -> list[ChartEvent]:
        """Append inside a transaction the caller already holds (``write_transaction``).

        ``expected_head`` is the record hash the caller checked its rules against; if another
        workstation appended in between, the append is refused rather than judged on a stale
        record (the write lock is held, so nothing can slip in after this check).
        """
        head = self.conn.execute(
            "SELECT seq, hash FROM chart_events WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
            (session_id,),
        ).fetchone()
        seq, prev = (int(head[0]), str(head[1])) if head else (0, genesis_hash(session_id))
        if expected_head is not None and expected_head != prev:
            raise ConcurrentChange(
                "Someone else charted on this session at the same moment, so this entry was "
                "NOT saved. Look at the record again, then enter it if it is still needed."
            )
        ledger = _LedgerWriter(self.conn)
        out: list[ChartEvent] = []
        for draft in drafts:
            seq += 1
            unhashed = ChartEvent(
                id=EventId(new_id()),
                session_id=session_id,
                seq=seq,
                clinical_time=draft.clinical_time,
                recorded_time=at,
                author=author,
                payload=draft.payload,
                supersedes=draft.supersedes,
                reason=draft.reason,
                prev_hash=prev,
                hash=_PLACEHOLDER_HASH,
            )
            event = unhashed.model_copy(update={"hash": event_hash(unhashed)})
            try:
                self.conn.execute(
                    f"INSERT INTO chart_events({_EVENT_COLUMNS}) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _event_row(event),
                )
            except sqlite3.IntegrityError as exc:
                if "signed and locked" in str(exc):
                    raise SessionLocked(
                        "This session is signed and locked: only an addendum can be added."
                    ) from exc
                raise
            ledger.add(event)
            prev = event.hash
            out.append(event)
        return out

    def insert_verbatim(self, events: list[ChartEvent]) -> None:
        """Insert already-hashed events as they are (import); the caller holds the transaction
        and the database's own triggers still check the sequence and the chain."""
        ledger = _LedgerWriter(self.conn)
        for event in events:
            self.conn.execute(
                f"INSERT INTO chart_events({_EVENT_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _event_row(event),
            )
            ledger.add(event)

    def events(self, session_id: SessionId) -> list[ChartEvent]:
        """A session's record in order, each event validated on the way out."""
        rows = self.conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM chart_events WHERE session_id = ? ORDER BY seq",
            (session_id,),
        ).fetchall()
        try:
            return [_event_from_row(r) for r in rows]
        except (ValueError, json.JSONDecodeError) as exc:  # pydantic's ValidationError too
            raise IntegrityError(
                f"A stored entry of session {session_id} cannot be read ("
                f"{str(exc).splitlines()[0]}). Run `bedside verify` and restore from a backup "
                "if it reports damage."
            ) from exc

    def head_hash(self, session_id: SessionId) -> str:
        """The hash of the session's latest event: the record hash printed on summaries."""
        row = self.conn.execute(
            "SELECT hash FROM chart_events WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
            (session_id,),
        ).fetchone()
        return str(row[0]) if row else genesis_hash(session_id)

    def event_count(self) -> int:
        """All chart events in the database."""
        return int(self.conn.execute("SELECT COUNT(*) FROM chart_events").fetchone()[0])

    # --- verification and backup ----------------------------------------------------------------

    def verify(self) -> list[str]:
        """Every integrity or hash-chain problem in the database, in words (empty = sound)."""
        problems = dbmod.integrity_problems(self.conn)
        if problems:
            # A damaged file cannot be trusted page by page; reading on would only raise again.
            return [f"database integrity check failed: {p}" for p in problems]
        try:
            return self._verify_records()
        except sqlite3.DatabaseError as exc:
            return [f"the database could not be read while verifying: {exc}"]

    def _verify_records(self) -> list[str]:
        problems: list[str] = []
        session_ids = [r[0] for r in self.conn.execute("SELECT id FROM sessions ORDER BY rowid")]
        for sid in session_ids:
            problems.extend(self.verify_session(SessionId(sid)))
        orphans = self.conn.execute(
            "SELECT COUNT(*) FROM chart_events WHERE session_id NOT IN (SELECT id FROM sessions)"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} chart events belong to no session")
        problems.extend(self.ledger_problems())
        return problems

    def ledger_problems(self) -> list[str]:
        """Breaks in the database-wide ledger, and events missing from it or it from them."""
        problems: list[str] = []
        prev, expected = LEDGER_GENESIS, 1
        rows = self.conn.execute(
            "SELECT l.seq, l.event_id, l.hash, e.hash, e.session_id, e.seq, e.kind "
            "FROM ledger l LEFT JOIN chart_events e ON e.id = l.event_id ORDER BY l.seq"
        )
        for seq, event_id, link, stored_hash, sid, eseq, kind in rows:
            if seq != expected:
                problems.append(f"ledger entry {expected} is missing (ledger broken)")
                break
            if stored_hash is None:
                problems.append(
                    f"event {event_id} (ledger entry {seq}) was deleted from the record"
                )
            elif ledger_hash(prev, event_id, stored_hash) != link:
                problems.append(
                    f"session {sid} event #{eseq} ({kind}) no longer matches the ledger entry "
                    f"{seq} written with it (altered)"
                )
            prev, expected = link, expected + 1
        unledgered = self.conn.execute(
            "SELECT COUNT(*) FROM chart_events WHERE id NOT IN (SELECT event_id FROM ledger)"
        ).fetchone()[0]
        if unledgered:
            problems.append(
                f"{unledgered} chart events are missing from the ledger (inserted "
                "behind the application's back)"
            )
        return problems

    def verify_session(self, session_id: SessionId) -> list[str]:
        """Problems in one session's chain (stored rows are re-validated and re-hashed)."""
        rows = self.conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM chart_events WHERE session_id = ? ORDER BY seq",
            (session_id,),
        ).fetchall()
        events: list[ChartEvent] = []
        problems: list[str] = []
        for row in rows:
            try:
                events.append(_event_from_row(row))
            except Exception as exc:  # a tampered row may no longer even validate
                problems.append(
                    f"session {session_id} event #{row[2]} ({row[3]}) is not a valid event: "
                    f"{str(exc).splitlines()[0]}"
                )
        if problems:
            return problems
        problems = chain_problems(session_id, events)
        problems.extend(self._header_problems(session_id, events))
        problems.extend(self._bound_records_problems(session_id, events))
        return problems

    def _header_problems(self, session_id: SessionId, events: list[ChartEvent]) -> list[str]:
        """The session row must say what its hash-chained opening event says."""
        if not events or not isinstance(events[0].payload, SessionOpened):
            return [f"session {session_id} does not begin with its opening event"]
        opened, header = events[0].payload, self.session(session_id)
        expected = (
            opened.patient_id,
            opened.course_id,
            opened.number_in_course,
            opened.chair,
            opened.protocol_id,
            events[0].clinical_time,
        )
        actual = (
            header.patient_id,
            header.course_id,
            header.number_in_course,
            header.chair,
            header.protocol_id,
            header.opened_at,
        )
        if expected != actual:
            return [
                f"session {session_id}: the session row (patient, course, chair, protocol or "
                "opening time) was altered and no longer matches its opening event"
            ]
        return []

    def _body(self, table: str, row_id: str) -> str:
        """A protocol's or course order's stored JSON body ("" when the row is missing)."""
        row = self.conn.execute(f"SELECT body FROM {table} WHERE id = ?", (row_id,)).fetchone()
        return str(row[0]) if row else ""

    def _bound_records_problems(self, session_id: SessionId, events: list[ChartEvent]) -> list[str]:
        """The protocol version and course order a session ran under must be unchanged.

        Each body is read once, checked to be readable, and hashed exactly as stored (canonical
        JSON), not as today's model would write it: a field added to ``Protocol`` or
        ``CourseOrder`` in a later release must not make every earlier session look altered.
        """
        out: list[str] = []
        header = self.session(session_id)
        opened = events[0].payload if events else None
        if isinstance(opened, SessionOpened):
            body = self._body("protocols", header.protocol_id)
            try:
                Protocol.model_validate_json(body)
            except Exception as exc:  # an altered body may no longer validate
                out.append(f"session {session_id}: its protocol cannot be read ({exc})")
            else:
                if stored_body_hash(body) != opened.protocol_hash:
                    out.append(
                        f"session {session_id}: protocol version {opened.protocol_version} was "
                        "altered after the session ran under it"
                    )
        body = self._body("course_orders", header.course_id)
        try:
            order = CourseOrder.model_validate_json(body)
        except Exception as exc:
            out.append(f"session {session_id}: its course order cannot be read ({exc})")
        else:
            # What the ordering clinician signed: every field but the signature.
            if stored_body_hash(body, without="signature") != order.signature.content_hash:
                out.append(
                    f"session {session_id}: the course order was altered after it was signed"
                )
        return out

    def backup(self, target: Path) -> Path:
        """An online backup of the whole database to ``target``."""
        return dbmod.backup_to(self.conn, target)


class _LedgerWriter:
    """Appends events to the database-wide ledger inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        head = conn.execute("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
        self.seq, self.prev = (int(head[0]), str(head[1])) if head else (0, LEDGER_GENESIS)

    def add(self, event: ChartEvent) -> None:
        self.seq += 1
        self.prev = ledger_hash(self.prev, event.id, event.hash)
        self.conn.execute(
            "INSERT INTO ledger(seq, event_id, hash) VALUES (?, ?, ?)",
            (self.seq, event.id, self.prev),
        )


def _event_row(event: ChartEvent) -> tuple[Any, ...]:
    return (
        event.id,
        event.session_id,
        event.seq,
        event.kind,
        iso_utc(event.clinical_time),
        iso_utc(event.recorded_time),
        event.author,
        event.supersedes,
        event.reason,
        canonical_json(event.raw_payload),
        event.prev_hash,
        event.hash,
    )


def _event_from_row(row: Sequence[Any]) -> ChartEvent:
    event = ChartEvent.model_validate(
        {
            "id": row[0],
            "session_id": row[1],
            "seq": row[2],
            "clinical_time": row[4],
            "recorded_time": row[5],
            "author": row[6],
            "supersedes": row[7],
            "reason": row[8],
            "payload": json.loads(row[9]),
            "prev_hash": row[10],
            "hash": row[11],
        }
    )
    if event.kind != row[3]:
        raise ValueError(f"stored kind {row[3]!r} does not match the payload ({event.kind!r})")
    return event
