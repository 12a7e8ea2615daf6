"""The full integrity check off the start path (issue 13 item 5).

The app opens its database after SQLite's quick check only (:func:`bedside.store.db.connect`);
the full ``PRAGMA integrity_check`` — which also proves every index holds exactly its table's
rows, and costs seconds on years of data — runs once the board shows, on a connection of its
own opened read-only by the thread that runs it (a connection is never shared by threads).
Nothing here knows about threads or Qt: the app's watcher (``ui.board.integrity_watch``) calls
:func:`full_check` from its worker thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from bedside.store import bound_rows
from bedside.store.db import integrity_problems
from bedside.store.failures import BUSY_TIMEOUT_MS, Cause, cause_of
from bedside.text_fold import fold_text


def full_check(path: Path, stop: Callable[[], bool] | None = None) -> list[str] | None:
    """``PRAGMA integrity_check`` of the file at ``path`` on a read-only connection of the
    caller's own: its problems (empty: sound; a file that cannot be opened or read is a
    finding too), or ``None`` when it did not finish: ``stop`` said so (the app is quitting;
    asked every few thousand steps) or the file was locked or busy the whole time."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        return [f"the file could not be opened to check it: {exc}"]
    try:
        conn.create_function("fold_text", 1, fold_text, deterministic=True)
        bound_rows.register(conn)
        if stop is not None:
            conn.set_progress_handler(lambda: 1 if stop() else 0, 10_000)
        problems = integrity_problems(conn)
    except sqlite3.Error as exc:
        if (stop is not None and stop()) or cause_of(exc) is Cause.LOCKED:
            return None
        return [f"the file could not be read to check it: {exc}"]
    finally:
        conn.close()
    return None if stop is not None and stop() else problems


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
