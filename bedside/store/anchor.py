"""Anchors outside the file (issue 11, item 4): the last ledger head this workstation wrote
into each database, kept in its config folder, so a rollback, a wiped or replaced file, or a
deleted ``-wal`` is reported at the next start instead of looking healthy.

The ledger chains every event of the database in the order it was written; its head (the
number of entries and the last link) names one state of the whole record. A file that does
not hold the anchored head at the anchored position has lost or rewritten history.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs

from bedside.errors import IntegrityError
from bedside.private_files import write_private
from bedside.store.hashing import LEDGER_GENESIS
from bedside.store.paths import APP_NAME
from bedside.timeutil import iso_utc, parse_iso


@dataclass(frozen=True)
class LedgerHead:
    """One state of the whole record: how many ledger entries, and the last link."""

    seq: int
    hash: str

    def words(self) -> str:
        """ "ledger entry 1234, 3f2a9c1d…"."""
        return f"ledger entry {self.seq}, {self.hash[:12]}…"


def ledger_head(conn: sqlite3.Connection) -> LedgerHead:
    """The database's current ledger head (entry 0 and the genesis link when empty)."""
    row = conn.execute("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    return LedgerHead(int(row[0]), str(row[1])) if row else LedgerHead(0, LEDGER_GENESIS)


def extends(conn: sqlite3.Connection, head: LedgerHead) -> str | None:
    """Why the database does not extend the state ``head`` names, or ``None`` when it does
    (it holds that very link at that position, and perhaps more after it)."""
    if head.seq == 0:
        return None
    row = conn.execute("SELECT hash FROM ledger WHERE seq = ?", (head.seq,)).fetchone()
    now = ledger_head(conn)
    if row is None:
        return (
            f"it holds {now.seq} ledger entries, fewer than the {head.seq} of the anchored "
            "state: entries were lost (rolled back, replaced by an older copy, wiped, or its "
            "-wal deleted)"
        )
    if str(row[0]) != head.hash:
        return (
            f"its ledger entry {head.seq} differs from the anchored one: its history was "
            "rewritten or it is another database"
        )
    return None


def default_anchor_path() -> Path:
    """``anchors.json`` in the platform's per-user config folder."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "anchors.json"


@dataclass(frozen=True)
class Anchor:
    """What this workstation last wrote into one database."""

    head: LedgerHead
    at: datetime


class HeadsFile:
    """A JSON file of this workstation holding, per database (by full path), one ledger head
    with when it was recorded: the anchors, and the heads ``verify`` found sound. An unreadable
    file or entry reads as none (it vouches for nothing)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _all(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _entry(self, db: Path) -> tuple[LedgerHead, datetime, dict[str, object]] | None:
        """The head recorded for ``db``, when, and the whole entry (None: none readable)."""
        entry = self._all().get(str(db.resolve()))
        if not isinstance(entry, dict):
            return None
        try:
            head = LedgerHead(int(str(entry["seq"])), str(entry["hash"]))
            return head, parse_iso(str(entry["at"])), entry
        except (KeyError, ValueError):
            return None

    def _put(self, db: Path, head: LedgerHead, at: datetime, **more: object) -> None:
        """Record ``head`` for ``db`` (written whole through a temporary file and a rename, not
        flushed: see :meth:`AnchorFile.set`)."""
        data = self._all()
        data[str(db.resolve())] = {"seq": head.seq, "hash": head.hash, "at": iso_utc(at), **more}
        text = json.dumps(data, indent=1, sort_keys=True).encode("utf-8")
        write_private(self.path, text, durable=False)


class AnchorFile(HeadsFile):
    """The anchors of every database this workstation writes, by the database's full path."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path or default_anchor_path())

    def get(self, db: Path) -> Anchor | None:
        """The anchor of ``db``, if this workstation has written into it."""
        found = self._entry(db)
        return Anchor(found[0], found[1]) if found is not None else None

    def set(self, db: Path, head: LedgerHead, at: datetime) -> None:
        """Record ``head`` as the state this workstation last wrote into ``db``.

        Written whole (temporary file and rename) but not flushed: the anchor is moved only
        after the database committed, so it can lag the database (a power cut loses the last
        move and detection of the last few entries' loss) but never run ahead of it and refuse
        a sound file. Flushing would cost two disk flushes on every chart entry."""
        self._put(db, head, at)

    def check(self, db: Path, conn: sqlite3.Connection | None) -> None:
        """Refuse a database that does not extend what this workstation last wrote into it
        (``conn`` None: the file is missing)."""
        anchor = self.get(db)
        if anchor is None or anchor.head.seq == 0:
            return
        why = "the file is missing" if conn is None else extends(conn, anchor.head)
        if why is None:
            return
        raise IntegrityError(
            f"{db} is not the database this workstation last wrote: {why}. This workstation "
            f"last saved {anchor.head.words()} on {iso_utc(anchor.at)[:16].replace('T', ' ')} "
            "UTC. Nothing was changed. Do not chart on it and do not set up a new clinic: ask "
            "IT to restore the latest backup made after that time (bedside restore), or to "
            "find the right file."
        )
