"""The full integrity check off the start path (issue 13 item 5).

The app opens its database after SQLite's quick check of every table but the two big append-only
ones (:mod:`bedside.store.start_check` says why); the full ``PRAGMA integrity_check`` of the
whole file — those two tables too, and the proof that every index holds exactly its table's
rows: tens of seconds on years of data — runs once the board shows, on a connection of its
own opened read-only by the thread that runs it (a connection is never shared by threads).
Nothing here knows about threads or Qt: the app's watcher (``ui.board.integrity_watch``) calls
:func:`full_check` from its worker thread.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from bedside.store import bound_rows
from bedside.store.db import integrity_problems
from bedside.store.failures import BUSY_TIMEOUT_MS, Cause, cause_of
from bedside.text_fold import fold_text


class FullCheck:
    """One full check of the file at ``path``, which another thread may stop at once
    (:meth:`stop` interrupts SQLite mid-check: the app quitting does not wait for it)."""

    def __init__(self, path: Path, retry_pause: Callable[[], None] | None = None) -> None:
        self.path = path
        self._pause = retry_pause or (lambda: time.sleep(0.01))
        """Between two interrupts of :meth:`stop` (a test injects one it can wait on)."""
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._stopped = False

    def stop(self) -> None:
        """Stop the check (from any thread); :meth:`run` then returns ``None``, soon after.

        SQLite forgets an interrupt that arrives before the check's statement has begun (the
        app quitting a few milliseconds after the board shows lands there often enough): so it
        is repeated until :meth:`run` has let go of its connection, rather than leaving a quit
        to wait for a whole check (seconds on years of data; bench: app_start_large_db).
        """
        with self._lock:
            self._stopped = True
        while True:
            with self._lock:
                if self._conn is None:
                    return
                self._conn.interrupt()  # SQLite's own call for stopping from another thread
            self._pause()

    def run(self) -> list[str] | None:
        """``PRAGMA integrity_check`` on a read-only connection of the calling thread's own:
        its problems (empty: sound; a file that cannot be opened or read is a finding too), or
        ``None`` when it did not finish (stopped, or the file locked the whole time)."""
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            return [f"the file could not be opened to check it: {exc}"]
        with self._lock:
            self._conn = conn
        try:
            conn.create_function("fold_text", 1, fold_text, deterministic=True)
            bound_rows.register(conn)
            if self._stopped:
                return None
            problems = integrity_problems(conn)
        except sqlite3.Error as exc:
            if self._stopped or cause_of(exc) is Cause.LOCKED:
                return None
            return [f"the file could not be read to check it: {exc}"]
        finally:
            with self._lock:
                self._conn = None
            conn.close()
        return None if self._stopped else problems


def full_check(path: Path) -> list[str] | None:
    """The full check of the file at ``path`` in the calling thread (:class:`FullCheck`)."""
    return FullCheck(path).run()


@dataclass(frozen=True)
class Backup:
    """A backup file beside the database (``bedside backup`` names them so by default)."""

    path: Path
    made: datetime

    def words(self) -> str:
        """ "/data/bedside-backup-20261203T120000Z.db (made 2026-12-03 12:00 UTC)"."""
        return f"{self.path} (made {self.made.strftime('%Y-%m-%d %H:%M')} UTC)"


def newest_backup(db: Path) -> Backup | None:
    """The newest ``STEM-backup-STAMP.db`` beside ``db`` (what ``bedside backup`` writes when
    no file is named), by the time in its name; ``None`` when there is none. It has not been
    verified here: whoever restores it runs ``bedside verify --db`` on it first."""
    found: list[Backup] = []
    for candidate in db.parent.glob(f"{db.stem}-backup-*.db"):
        stamp = candidate.stem.removeprefix(f"{db.stem}-backup-")
        try:
            made = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            continue
        found.append(Backup(candidate, made))
    return max(found, key=lambda b: b.made, default=None)
