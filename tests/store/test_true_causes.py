"""Issue 11, item 6: a full disk, a read-only folder, a lock held by another program and real
damage each get their own words and advice — only damage says to restore a backup, because
restoring throws away everything since the backup — and nothing is saved half-way."""

from __future__ import annotations

import errno
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bedside.clock import FixedClock
from bedside.errors import IntegrityError, StoreError
from bedside.people import Patient
from bedside.service import ChartService
from bedside.store import Store
from bedside.store import db as dbmod
from bedside.store.failures import Cause, cause_of, explain
from ui.demo import create_staff

T = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def clinic(path: Path) -> ChartService:
    service = ChartService(Store(path), FixedClock(T))
    service.store.set_settings({"timezone": "UTC"}, actor=None, at=T)
    create_staff(service)
    return service


def register(service: ChartService, n: int) -> Patient:
    nurse = next(u for u in service.store.users() if u.username == "dana")
    return service.register_patient(
        nurse,
        mrn=f"MRN-{n:05d}",
        family_name="Doe" + "x" * 60,
        given_name="Alex",
        date_of_birth=date(1984, 3, 12),
        sex="female",
        allergies={"state": "listed", "allergies": ["penicillin (rash) " + "y" * 50]},
    )


def patients(service: ChartService) -> int:
    return int(service.store.conn.execute("SELECT COUNT(*) FROM patients").fetchone()[0])


def test_a_full_disk_is_named_and_nothing_is_half_saved(tmp_path: Path) -> None:
    service = clinic(tmp_path / "full.db")
    pages = service.store.conn.execute("PRAGMA page_count").fetchone()[0]
    service.store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full now
    saved: list[int] = [patients(service)]

    def fill_the_disk() -> None:
        for n in range(500):
            register(service, n)
            saved.append(patients(service))

    with pytest.raises(StoreError) as refused:
        fill_the_disk()
    words = str(refused.value)
    assert "is full" in words
    assert "do not restore a backup" in words
    assert not isinstance(refused.value, IntegrityError)
    assert patients(service) == saved[-1]  # the refused one left nothing behind
    service.store.conn.execute("PRAGMA max_page_count = 1073741823")
    register(service, 999)  # space again: the next save works
    service.store.close()


def test_a_lock_held_by_another_program_is_waited_for_then_refused_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 150)
    path = tmp_path / "locked.db"
    service = clinic(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        before = patients(service)
        with pytest.raises(StoreError) as refused:
            register(service, 1)
        words = str(refused.value)
        assert "Another program is holding" in words
        assert "still on screen" in words
        assert "do not restore a backup" in words
        assert patients(service) == before
    finally:
        other.execute("ROLLBACK")
        other.close()
    register(service, 2)  # released: saved
    service.store.close()


@pytest.mark.parametrize(
    ("exc", "cause"),
    [
        (sqlite3.OperationalError("database or disk is full"), Cause.FULL),
        (OSError(errno.ENOSPC, "No space left on device"), Cause.FULL),
        (sqlite3.OperationalError("attempt to write a readonly database"), Cause.READ_ONLY),
        (OSError(errno.EROFS, "Read-only file system"), Cause.READ_ONLY),
        (OSError(errno.EACCES, "Permission denied"), Cause.READ_ONLY),
        (sqlite3.OperationalError("database is locked"), Cause.LOCKED),
        (sqlite3.DatabaseError("database disk image is malformed"), Cause.DAMAGED),
        (sqlite3.DatabaseError("file is not a database"), Cause.DAMAGED),
    ],
)
def test_each_cause_is_told_apart(exc: BaseException, cause: Cause) -> None:
    assert cause_of(exc) is cause
    explained = explain(exc, Path("/clinic/bedside.db"), outcome="this change was NOT saved")
    words = str(explained)
    assert "this change was NOT saved" in words
    if cause is Cause.DAMAGED:
        assert isinstance(explained, IntegrityError)
        assert "restore the most recent backup" in words
    else:
        assert not isinstance(explained, IntegrityError)
        assert "do not restore a backup" in words


def test_a_read_only_folder_at_open_is_not_called_damage(tmp_path: Path) -> None:
    # As root the permission bits do not stop a write: the folder is made read-only to SQLite
    # by opening through a read-only URI, which fails exactly where the folder would.
    path = tmp_path / "ro.db"
    Store(path).close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as raw:
        conn.execute("CREATE TABLE x(y)")
    conn.close()
    explained = explain(raw.value, path, outcome="the database was not opened")
    assert "may not write in" in str(explained)
    assert not isinstance(explained, IntegrityError)
