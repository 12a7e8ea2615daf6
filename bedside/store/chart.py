"""Sessions and their append-only, hash-chained records, with the database-wide ledger."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from bedside.canonical import canonical_json
from bedside.errors import ConcurrentChange, IntegrityError, SessionLocked, StoreError
from bedside.events import ChartEvent, EventDraft
from bedside.ids import CourseId, EventId, PatientId, SessionId, UserId, new_id
from bedside.sessions import SessionHeader
from bedside.store.base import StoreBase
from bedside.store.hashing import (
    LEDGER_GENESIS,
    event_hash,
    genesis_hash,
    ledger_hash,
)
from bedside.store.holds_here import refuse_if_held_elsewhere
from bedside.timeutil import iso_utc, parse_iso

EVENT_COLUMNS = (
    "id, session_id, seq, kind, clinical_time, recorded_time, author, supersedes, reason, "
    "payload, prev_hash, hash"
)
_PLACEHOLDER_HASH = "0" * 64


class ChartStore(StoreBase):
    """Session headers and chart events."""

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
        with self._recording(at):
            self.insert_header(header)
            (event,) = self.append_in_transaction(
                header.id, [first], author=header.opened_by, at=at
            )
        return event

    def insert_header(self, header: SessionHeader) -> None:
        """The session row (inside the caller's transaction); its genesis hash starts the
        session's chain."""
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

    def open_headers(self, days: Sequence[date]) -> list[SessionHeader]:
        """Sessions opened on these clinic-local dates that are neither signed nor ended early,
        by date, chair and time (read without folding: a closing entry is never voided)."""
        marks = ",".join("?" * len(days))
        rows = self.conn.execute(
            f"SELECT {self._SESSION_COLS} FROM sessions s WHERE local_date IN ({marks}) "
            "AND NOT EXISTS (SELECT 1 FROM chart_events e WHERE e.session_id = s.id "
            "AND e.kind IN ('session_signed', 'session_ended_early')) "
            "ORDER BY local_date, chair, opened_at",
            [d.isoformat() for d in days],
        )
        return [self._header(r) for r in rows]

    def infusion_started_at(self, session_id: SessionId) -> datetime | None:
        """When the session's pump was started, if it was (read without folding: a start is
        never corrected or voided)."""
        row = self.conn.execute(
            "SELECT clinical_time FROM chart_events WHERE session_id = ? "
            "AND kind = 'infusion_started' ORDER BY seq LIMIT 1",
            (session_id,),
        ).fetchone()
        return parse_iso(row[0]) if row else None

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
        with self._recording(at):
            return self.append_in_transaction(session_id, drafts, author=author, at=at)

    def append_after(
        self,
        session_id: SessionId,
        drafts: list[EventDraft],
        *,
        author: UserId,
        at: datetime,
        expected_head: str,
        recheck: Callable[[list[ChartEvent]], None] | None = None,
        follow_up: Callable[[list[ChartEvent]], list[EventDraft]] | None = None,
    ) -> tuple[list[ChartEvent] | None, list[ChartEvent]]:
        """Append ``drafts``, judged against the record whose last hash was ``expected_head``,
        as one durable transaction.

        If another workstation appended since: with ``recheck``, the record as it is now is
        read under the write lock and handed to ``recheck`` (which raises to refuse), and the
        drafts follow the new head; without it, :class:`ConcurrentChange` is raised and nothing
        is saved. ``follow_up`` may add entries that name the saved ones (an alert naming its
        reading), in the same transaction: both are saved or neither.

        Returns
        -------
        tuple
            The record as re-read under the lock (None when nobody else wrote), and the
            entries saved.
        """
        with self._recording(at):
            current = self.head_hash(session_id)
            fresh = None
            if current != expected_head and recheck is not None:
                fresh = self.events(session_id)
                recheck(fresh)
                expected_head = current
            saved = self.append_in_transaction(
                session_id, drafts, author=author, at=at, expected_head=expected_head
            )
            extra = follow_up(saved) if follow_up is not None else []
            if extra:
                saved += self.append_in_transaction(session_id, extra, author=author, at=at)
        return fresh, saved

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
        refuse_if_held_elsewhere(self.conn, session_id)  # the clinic's one holder (issue 14)
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
        ledger = LedgerWriter(self.conn)
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
                    f"INSERT INTO chart_events({EVENT_COLUMNS}) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    event_row(event),
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
        ledger = LedgerWriter(self.conn)
        for event in events:
            self.conn.execute(
                f"INSERT INTO chart_events({EVENT_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                event_row(event),
            )
            ledger.add(event)

    def events(self, session_id: SessionId) -> list[ChartEvent]:
        """A session's record in order, each event validated on the way out."""
        rows = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM chart_events WHERE session_id = ? ORDER BY seq",
            (session_id,),
        ).fetchall()
        try:
            return [event_from_row(r) for r in rows]
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

    def head_hashes(self, session_ids: Sequence[SessionId]) -> dict[SessionId, str]:
        """Each session's record hash in one query (a screen compares it with what it shows
        to know whether to read the record again)."""
        if not session_ids:
            return {}
        marks = ",".join("?" * len(session_ids))
        rows = self.conn.execute(
            f"SELECT e.session_id, e.hash FROM chart_events e JOIN (SELECT session_id, "
            f"MAX(seq) AS seq FROM chart_events WHERE session_id IN ({marks}) "
            "GROUP BY session_id) last ON last.session_id = e.session_id AND last.seq = e.seq",
            list(session_ids),
        )
        return {SessionId(sid): str(h) for sid, h in rows}

    def event_count(self) -> int:
        """All chart events in the database."""
        return int(self.conn.execute("SELECT COUNT(*) FROM chart_events").fetchone()[0])

    def sign_off_count(self) -> int:
        """Sign-offs charted in the database (a backup follows each one)."""
        row = self.conn.execute(
            "SELECT COUNT(*) FROM chart_events WHERE kind = 'session_signed'"
        ).fetchone()
        return int(row[0])


class LedgerWriter:
    """Appends events to the database-wide ledger inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def add(self, event: ChartEvent) -> None:
        """Chain one event into the ledger, after its current head (read each time: a bound
        record written in the same transaction moves the head too)."""
        head = self.conn.execute(
            "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (int(head[0]), str(head[1])) if head else (0, LEDGER_GENESIS)
        self.conn.execute(
            "INSERT INTO ledger(seq, event_id, hash) VALUES (?, ?, ?)",
            (seq + 1, event.id, ledger_hash(prev, event.id, event.hash)),
        )


def event_row(event: ChartEvent) -> tuple[Any, ...]:
    """The row stored for an event (the payload exactly as first stored, in canonical JSON)."""
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


def event_from_row(row: Sequence[Any]) -> ChartEvent:
    """An event read back from its row and validated (raises ValueError if it does not)."""
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
