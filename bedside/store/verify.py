"""Verification: the integrity check, every session's chain, the ledger, the session rows,
the protocol and course order each session is bound to, and how each protocol version took
effect (a clinician's signature over it, or no clinical change)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from bedside.canonical import stored_body_hash
from bedside.course import CourseOrder
from bedside.errors import StoreError
from bedside.events import ChartEvent, SessionOpened
from bedside.ids import SessionId
from bedside.people import ROLE_PERMISSIONS, Permission
from bedside.protocol import Protocol
from bedside.protocol_approval import EffectBasis, ProtocolApproval, clinical_changes
from bedside.signature_checks import signature_problems
from bedside.store import db as dbmod
from bedside.store.anchor import LedgerHead
from bedside.store.bound_rows import bound_row_problems
from bedside.store.chart import EVENT_COLUMNS, ChartStore, event_from_row
from bedside.store.hashing import chain_problems
from bedside.store.keys import read_signing_keys
from bedside.store.orders import approval_from_row
from bedside.store.people import read_users
from bedside.store.verify_since import base_problems, walk_ledger


class VerifyStore(ChartStore):
    """Checks that the record still proves itself."""

    def verify(self) -> list[str]:
        """Every integrity or hash-chain problem in the database, in words (empty = sound)."""
        return self._checked(self._verify_records)

    def verify_since(self, head: LedgerHead) -> tuple[list[str], int]:
        """The incremental check from a head verified before (:mod:`bedside.store.verify_since`
        says what it reads and what only :meth:`verify` finds): the problems, and how many
        ledger entries were read (the verified one and those after it)."""
        read: list[int] = [0]

        def records() -> list[str]:
            problems = base_problems(self.conn, head)
            if problems:
                return problems
            walk = walk_ledger(self.conn, max(head.seq - 1, 0))  # the verified entry too
            read[0] = walk.entries
            problems = walk.problems
            for sid in sorted(walk.sessions):
                try:
                    problems.extend(self.verify_session(SessionId(sid)))
                except StoreError:
                    problems.append(f"session {sid} was deleted from the record")
            return problems + self._record_wide_problems(incremental=True)

        return self._checked(records, quick=True), read[0]

    def _deleted_events_problems(self, unledgered: int) -> list[str]:
        """Chart events the ledger names that are no longer stored, counted (the incremental
        check does not walk the entries before its head, each of which names its event)."""
        named, stored = self.conn.execute(
            "SELECT (SELECT COUNT(*) FROM ledger) "
            "- (SELECT COUNT(*) FROM ledger WHERE record IS NOT NULL), "
            "(SELECT COUNT(*) FROM chart_events)"
        ).fetchone()
        deleted = named - (stored - unledgered)
        if deleted > 0:
            return [f"{deleted} chart events the ledger names were deleted from the record"]
        return []

    def _checked(self, records: Callable[[], list[str]], *, quick: bool = False) -> list[str]:
        """SQLite's integrity (or quick) check, then ``records`` on a file that passed it."""
        problems = dbmod.integrity_problems(self.conn, quick=quick)
        if problems:
            # A damaged file cannot be trusted page by page; reading on would only raise again.
            check = "quick" if quick else "integrity"
            return [f"database {check} check failed: {p}" for p in problems]
        try:
            if self.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is None:
                # A 0-byte or emptied file opens as a fresh database: not a healthy record.
                return [
                    "the database holds no clinic (no accounts, no entries): if it held one, "
                    "it was wiped or replaced — restore the latest backup"
                ]
            return records()
        except sqlite3.DatabaseError as exc:
            return [f"the database could not be read while verifying: {exc}"]

    def _verify_records(self) -> list[str]:
        problems: list[str] = []
        session_ids = [r[0] for r in self.conn.execute("SELECT id FROM sessions ORDER BY rowid")]
        for sid in session_ids:
            problems.extend(self.verify_session(SessionId(sid)))
        return problems + walk_ledger(self.conn).problems + self._record_wide_problems()

    def _record_wide_problems(self, *, incremental: bool = False) -> list[str]:
        """What both checks read whole: events outside any session or the ledger, the bound
        records against the ledger, and how each protocol version took effect; ``incremental``
        also counts events deleted (the full check's walk of the ledger names each one)."""
        problems: list[str] = []
        # The sessions first (one pass over the session index), then their events if any.
        gone = [
            r[0]
            for r in self.conn.execute(
                "SELECT session_id FROM (SELECT DISTINCT session_id FROM chart_events) "
                "WHERE session_id NOT IN (SELECT id FROM sessions)"
            )
        ]
        orphans = sum(
            self.conn.execute(
                "SELECT COUNT(*) FROM chart_events WHERE session_id = ?", (sid,)
            ).fetchone()[0]
            for sid in gone
        )
        if orphans:
            problems.append(f"{orphans} chart events belong to no session")
        unledgered = self._unledgered_count()
        problems.extend(self._unledgered_problems(unledgered))
        if incremental:
            problems.extend(self._deleted_events_problems(unledgered))
        problems.extend(bound_row_problems(self.conn))
        return problems + self.protocol_approval_problems()

    def entries_with_hash(self, prefix: str, limit: int = 2) -> list[tuple[SessionId, str]]:
        """The entries whose hash begins with ``prefix`` (a hash as printed, in full or its
        first characters), as (session, full hash); at most ``limit``."""
        rows = self.conn.execute(
            "SELECT session_id, hash FROM chart_events WHERE substr(hash, 1, ?) = ? LIMIT ?",
            (len(prefix), prefix, limit),
        )
        return [(SessionId(str(sid)), str(digest)) for sid, digest in rows]

    def protocol_approval_problems(self) -> list[str]:
        """Each version in effect, oldest first: an approval must be a clinician's signature
        over the version exactly as stored, not by its preparer; a version that took effect
        without one must change no clinical setting from the version in effect before it."""
        rows = self.conn.execute(
            "SELECT p.id, p.version, p.body, p.created_by, a.basis, a.effective_at, "
            "a.effective_by, a.reason, a.signature FROM protocol_approvals a "
            "JOIN protocols p ON p.id = a.protocol_id ORDER BY p.version"
        ).fetchall()
        problems: list[str] = []
        previous: Protocol | None = None
        bases: set[EffectBasis] = set()
        for pid, version, body, created_by, *row in rows:
            try:
                approval = approval_from_row(pid, tuple(row))
                protocol = Protocol.model_validate_json(body)
            except ValueError as exc:  # an altered row may no longer validate
                first = str(exc).splitlines()[0]
                problems.append(f"protocol version {version}: cannot be read ({first})")
                continue
            problems.extend(_effect_problems(version, body, created_by, approval))
            problems.extend(_basis_problems(version, approval.basis, protocol, previous, bases))
            previous = protocol
            bases.add(approval.basis)
        return problems

    def ledger_problems(self) -> list[str]:
        """Breaks in the database-wide ledger, events missing from it or it from them, and
        bound records that no longer match it (:mod:`bedside.store.bound_rows`)."""
        problems = walk_ledger(self.conn).problems
        problems += self._unledgered_problems(self._unledgered_count())
        return problems + bound_row_problems(self.conn)

    def _unledgered_count(self) -> int:
        """Chart events no ledger entry names."""
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM chart_events WHERE id NOT IN (SELECT event_id FROM ledger)"
            ).fetchone()[0]
        )

    def _unledgered_problems(self, unledgered: int) -> list[str]:
        if unledgered:
            return [
                f"{unledgered} chart events are missing from the ledger (inserted "
                "behind the application's back)"
            ]
        return []

    def verify_session(self, session_id: SessionId) -> list[str]:
        """Problems in one session's chain (stored rows are re-validated and re-hashed)."""
        rows = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM chart_events WHERE session_id = ? ORDER BY seq",
            (session_id,),
        ).fetchall()
        events: list[ChartEvent] = []
        problems: list[str] = []
        for row in rows:
            try:
                events.append(event_from_row(row))
            except ValueError as exc:  # a tampered row may no longer validate (pydantic, JSON)
                problems.append(
                    f"session {session_id} event #{row[2]} ({row[3]}) is not a valid event: "
                    f"{str(exc).splitlines()[0]}"
                )
        if problems:
            return problems
        problems = chain_problems(session_id, events)
        accounts = {u.id: u for u in read_users(self.conn)}
        keys = read_signing_keys(self.conn)
        for event in events:
            problems.extend(
                f"session {session_id} {p}" for p in signature_problems(event, accounts, keys)
            )
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
            except ValueError as exc:  # an altered body may no longer validate
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
        except ValueError as exc:
            out.append(f"session {session_id}: its course order cannot be read ({exc})")
        else:
            # What the ordering clinician signed: every field but the signature.
            if stored_body_hash(body, without="signature") != order.signature.content_hash:
                out.append(
                    f"session {session_id}: the course order was altered after it was signed"
                )
        return out


def _basis_problems(
    version: int,
    basis: EffectBasis,
    protocol: Protocol,
    previous: Protocol | None,
    earlier: set[EffectBasis],
) -> list[str]:
    """A version in effect without a signature must have been entitled to it: no clinical
    change from the version before, the first version of a new database, or a version from
    before approvals existed (all of which come before any other)."""
    unapproved = f"protocol version {version} took effect without a clinician's approval"
    if basis is EffectBasis.NO_CLINICAL_CHANGE:
        changed = clinical_changes(previous, protocol) if previous is not None else ["all"]
        if changed:
            return [f"{unapproved} although it changes clinical settings: {', '.join(changed)}"]
    if basis is EffectBasis.SHIPPED_DEFAULT and previous is not None:
        return [f"{unapproved} as the shipped default, although a version was in effect"]
    if basis is EffectBasis.BEFORE_APPROVALS and earlier - {EffectBasis.BEFORE_APPROVALS}:
        return [f"{unapproved}, marked as in use before approvals were required"]
    return []


def _effect_problems(
    version: int,
    body: str,
    created_by: str | None,
    approval: ProtocolApproval,
) -> list[str]:
    """What is wrong with one clinician's approval (nothing for the other bases)."""
    sig = approval.signature
    if sig is None:
        return []
    out = []
    if stored_body_hash(body) != sig.content_hash:
        out.append(f"protocol version {version} was altered after {sig.signer_name} approved it")
    if Permission.APPROVE_PROTOCOL not in ROLE_PERMISSIONS[sig.signer_role]:
        out.append(
            f"protocol version {version} was approved by a {sig.signer_role.value}, who may not "
            "approve clinical changes"
        )
    if created_by is not None and sig.signer_id == created_by:
        out.append(f"protocol version {version} was approved by the person who prepared it")
    return out
