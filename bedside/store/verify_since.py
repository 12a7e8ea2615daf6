"""``bedside verify`` from the last head it found sound (issue 13 item 5).

The ledger chains every entry of the database — chart events and bound records — in the order
they were written: the hash of entry ``S`` is a link over every entry up to it. So when entry
``S`` still holds the hash a verification recorded, the ledger up to ``S`` is the ledger that
was verified: rewriting any earlier entry and re-linking forward changes the hash at ``S``,
and no one can find a different history that links to the same hash.

What the ledger entries point at is another matter. A chart event's ledger link is over the
event's stored hash, and the event's hash over its content; only re-reading the events proves
that their rows were not edited since. The incremental check re-reads the events written
after the recorded head and every session they belong to (their whole chains, signatures,
session rows and the protocol and course order they ran under), and every bound record
against the ledger as a whole (clinic settings, accounts, patients, protocols, course orders,
session rows, signing keys, the audit log, the database's triggers). It does **not** re-read
the events of sessions that nothing was added to since the recorded head, nor run SQLite's
full integrity check (the quick check only): an event row of such a session edited behind
the application's back — its content, or its content and hash with its chain re-linked — is
found only by ``bedside verify --full``, which re-hashes every event against the ledger.

Where the recorded heads are kept (``verified.json`` beside this workstation's anchors) is a
file of this workstation: anyone who can rewrite it can move the head forward and so narrow
what the incremental check reads. That is one more reason to run the full check periodically.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bedside.store.anchor import AnchorFile, HeadsFile, LedgerHead, extends
from bedside.store.hashing import LEDGER_GENESIS, ledger_hash
from bedside.timeutil import iso_utc, parse_iso


@dataclass(frozen=True)
class VerifiedMark:
    """The last ledger head ``bedside verify`` found sound in one database, and when."""

    head: LedgerHead
    at: datetime
    full_at: datetime | None
    """When it was last verified in full (``None``: never on this workstation)."""


class VerifiedMarks(HeadsFile):
    """The verified heads of every database this workstation verified, by full path."""

    @classmethod
    def beside(cls, anchors: AnchorFile) -> VerifiedMarks:
        """The marks kept next to this workstation's anchors."""
        return cls(anchors.path.with_name("verified.json"))

    def get(self, db: Path) -> VerifiedMark | None:
        """The mark of ``db``, if this workstation has verified it."""
        found = self._entry(db)
        if found is None:
            return None
        head, at, entry = found
        full = entry.get("full_at")
        try:
            return VerifiedMark(head, at, parse_iso(str(full)) if full else None)
        except ValueError:
            return None

    def set(self, db: Path, head: LedgerHead, at: datetime, *, full: bool) -> None:
        """Record ``head`` as verified at ``at`` (``full``: by the full check)."""
        earlier = self.get(db)
        full_at = at if full else (earlier.full_at if earlier else None)
        self._put(db, head, at, full_at=iso_utc(full_at) if full_at else None)


@dataclass
class LedgerWalk:
    """What walking the ledger found: problems, entries read, sessions they wrote into."""

    problems: list[str] = field(default_factory=list)
    entries: int = 0
    sessions: set[str] = field(default_factory=set)


def walk_ledger(conn: sqlite3.Connection, after: int = 0) -> LedgerWalk:
    """Re-link every ledger entry after entry ``after`` (0: all of them) from the link of
    entry ``after`` as stored: each must follow the one before and match what it binds (the
    event's stored hash, or the record's content hash)."""
    walk = LedgerWalk()
    prev = LEDGER_GENESIS
    if after > 0:
        row = conn.execute("SELECT hash FROM ledger WHERE seq = ?", (after,)).fetchone()
        if row is None:
            walk.problems.append(f"ledger entry {after} is missing (ledger broken)")
            return walk
        prev = str(row[0])
    expected = after + 1
    rows = conn.execute(
        "SELECT l.seq, l.event_id, l.hash, l.record, l.content_hash, e.hash, e.session_id, "
        "e.seq, e.kind FROM ledger l LEFT JOIN chart_events e ON e.id = l.event_id "
        "WHERE l.seq > ? ORDER BY l.seq",
        (after,),
    )
    for seq, entry_id, link, record, content, stored_hash, sid, eseq, kind in rows:
        if seq != expected:
            walk.problems.append(f"ledger entry {expected} is missing (ledger broken)")
            break
        if record is not None:
            if ledger_hash(prev, entry_id, content) != link:
                walk.problems.append(f"ledger entry {seq} ({record}) was altered")
        elif stored_hash is None:
            walk.problems.append(
                f"event {entry_id} (ledger entry {seq}) was deleted from the record"
            )
        else:
            walk.sessions.add(str(sid))
            if ledger_hash(prev, entry_id, stored_hash) != link:
                walk.problems.append(
                    f"session {sid} event #{eseq} ({kind}) no longer matches the ledger entry "
                    f"{seq} written with it (altered)"
                )
        prev, expected = link, expected + 1
        walk.entries += 1
    return walk


def base_problems(conn: sqlite3.Connection, head: LedgerHead) -> list[str]:
    """Why the ledger no longer holds the verified head ``head`` as it was."""
    why = extends(conn, head)
    return [f"the ledger head verified before ({head.words()}) is gone: {why}"] if why else []
