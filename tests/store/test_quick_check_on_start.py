"""The app's start runs SQLite's quick check, not the full integrity check (issue 13 item 5):
a file the quick check refuses is still refused in the same words; the full check runs later
on a read-only connection of its own (:func:`bedside.store.integrity.full_check`)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bedside.errors import IntegrityError, StoreError
from bedside.store import Store
from bedside.store.integrity import FullCheck, full_check, newest_backup
from tests.store.index_damage import damage_an_index
from tests.store.support import Prebuilt


@pytest.fixture
def index_damaged(signed_db: Prebuilt, tmp_path: Path) -> Path:
    path = signed_db.copy_to(tmp_path)
    damage_an_index(path)
    return path


def test_quick_check_opens_what_only_the_full_check_finds(index_damaged: Path) -> None:
    with pytest.raises(IntegrityError):
        Store(index_damaged)  # the full check on open (the command line) still refuses it
    with Store(index_damaged, quick_check=True) as store:
        assert store.event_count() > 0
    problems = full_check(index_damaged)
    assert problems is not None
    assert any("missing from index scratch_a" in p for p in problems)


def test_full_check_of_a_sound_file_finds_nothing_and_writes_nothing(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    path = signed_db.copy_to(tmp_path)
    with Store(path, quick_check=True) as store:  # open, as the app holds it
        before = path.stat().st_mtime_ns
        assert full_check(path) == []
        assert path.stat().st_mtime_ns == before
        assert store.event_count() > 0


def test_full_check_stopped_says_it_did_not_finish(index_damaged: Path) -> None:
    job = FullCheck(index_damaged)
    job.stop()  # before it began, or from another thread while it runs: the same answer
    assert job.run() is None


def test_full_check_of_a_missing_file_is_a_finding(tmp_path: Path) -> None:
    problems = full_check(tmp_path / "gone.db")
    assert problems
    assert "could not be opened" in problems[0]


def test_quick_check_still_refuses_a_damaged_page_in_the_same_words(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    path = signed_db.copy_to(tmp_path)
    # A page of a table the start check reads: not chart_events or ledger, which it leaves to
    # the full check in the background (tests/store/test_start_check.py).
    conn = sqlite3.connect(str(path))
    (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'sessions'").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range((root - 1) * page, root * page):
        data[offset] = (offset * 37) % 256
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as caught:
        Store(path, quick_check=True)
    message = str(caught.value)
    assert str(path) in message
    assert "restore" in message.lower()


def test_newest_backup_is_found_by_the_time_in_its_name(tmp_path: Path) -> None:
    db = tmp_path / "bedside.db"
    assert newest_backup(db) is None
    for name in (
        "bedside-backup-20261201T080000Z.db",
        "bedside-backup-20261203T070000Z.db",
        "bedside-backup-20261202T230000Z.db",
        "bedside-backup-notastamp.db",
        "other-backup-20261231T000000Z.db",
    ):
        (tmp_path / name).write_bytes(b"")
    os.utime(tmp_path / "bedside-backup-20261201T080000Z.db")  # touched last: not what counts
    found = newest_backup(db)
    assert found is not None
    assert found.path.name == "bedside-backup-20261203T070000Z.db"
    assert "2026-12-03 07:00 UTC" in found.words()
