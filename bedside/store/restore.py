"""Restoring a backup without losing anything.

* The backup is verified on a scratch copy first (opening a database writes to it).
* Refused while any process on this computer has the database open
  (:func:`~bedside.store.in_use.held_alone`): a running workstation would go on writing into the
  file set aside, and its entries would be absent from the restored one.
* Atomic: the backup is copied to a temporary file beside the database, fsynced, and renamed
  over it; a full disk or a kill leaves the database as it was, never a partial file.
* The database it replaces is kept beside it (``….replaced-<time>``, its write-ahead log
  checkpointed into it first), and every entry it holds that the backup does not is listed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bedside.errors import BedsideError
from bedside.private_files import sync_folder
from bedside.store.failures import explain
from bedside.store.in_use import held_alone


@dataclass(frozen=True)
class LaterEntries:
    """A session with entries in the replaced database that the backup does not have."""

    session_id: str
    entries: int
    in_backup: bool
    """The session exists in the backup (only its later entries are missing)."""


@dataclass(frozen=True)
class Restored:
    """What a restore did: where the replaced database was kept, and what it held beyond the
    backup (to re-import or re-enter)."""

    kept_as: Path | None
    later: tuple[LaterEntries, ...]


def backup_problems(backup: Path) -> list[str]:
    """What is wrong with ``backup`` as a Bedside database (empty: sound), judged on a scratch
    copy so the backup itself is never written to."""
    from bedside.store.store import Store  # the store's module imports nothing from here

    if not backup.is_file():
        return [f"there is no backup file {backup}"]
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / "restore-check.db"
        shutil.copyfile(backup, trial)
        try:
            with Store(trial) as copy:
                return copy.verify()
        except BedsideError as exc:
            return [str(exc)]


def restore(backup: Path, target: Path, *, now: datetime) -> Restored:
    """Replace ``target`` with ``backup`` (already verified), atomically, keeping the replaced
    file aside and listing what it held beyond the backup."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with held_alone(target):
        tmp = _copy_beside(backup, target)
        _stage("copied")
        kept: Path | None = None
        try:
            if target.exists():
                kept = target.with_name(f"{target.name}.replaced-{now:%Y%m%dT%H%M%SZ}")
                _checkpoint(target)
                os.link(target, kept)  # the old file keeps its name until the swap
                for suffix in ("-wal", "-shm"):
                    side = Path(f"{target}{suffix}")
                    if side.exists():
                        side.rename(Path(f"{kept}{suffix}"))
            _stage("set aside")
            os.replace(tmp, target)
            _stage("replaced")
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        sync_folder(target.parent)
    later = _entries_beyond(kept, target) if kept is not None else ()
    return Restored(kept, later)


STAGES_ENV = "BEDSIDE_TEST_RESTORE_STAGES"
"""Set only by the killed-restore test: each stage is announced and waits for a go-ahead, so
the test kills the process at a known point instead of after a guessed delay."""


def _stage(name: str) -> None:
    if os.environ.get(STAGES_ENV):
        sys.stdout.write(f"stage {name}\n")
        sys.stdout.flush()
        sys.stdin.readline()


def _copy_beside(backup: Path, target: Path) -> Path:
    """The backup copied whole to a 0600 temporary file in the target's folder, fsynced."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".restore", dir=target.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, open(backup, "rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise explain(exc, target, outcome="nothing was restored and nothing changed") from exc
    return tmp


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so the copy kept aside holds every entry (a
    damaged file may refuse: its -wal is then kept beside it instead)."""
    with suppress(sqlite3.Error):
        conn = sqlite3.connect(str(path))
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()


def _entries_beyond(kept: Path, restored: Path) -> tuple[LaterEntries, ...]:
    """Sessions whose entries in the replaced file are missing from the restored one."""
    try:
        conn = sqlite3.connect(f"file:{kept}?mode=ro", uri=True)
    except sqlite3.Error:
        return ()
    try:
        conn.execute("ATTACH DATABASE ? AS restored", (f"file:{restored}?mode=ro",))
        rows = conn.execute(
            "SELECT e.session_id, COUNT(*), "
            "EXISTS (SELECT 1 FROM restored.sessions s WHERE s.id = e.session_id) "
            "FROM main.chart_events e "
            "WHERE e.id NOT IN (SELECT id FROM restored.chart_events) "
            "GROUP BY e.session_id ORDER BY MIN(e.recorded_time)"
        ).fetchall()
    except sqlite3.Error:
        return ()
    finally:
        conn.close()
    return tuple(LaterEntries(str(r[0]), int(r[1]), bool(r[2])) for r in rows)


__all__ = ["LaterEntries", "Restored", "backup_problems", "restore"]
