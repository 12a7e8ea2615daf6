"""Issue 11, item 4: the workstation keeps the last ledger head it wrote outside the database,
so a rollback, a wiped or missing file, or a lost -wal is reported at the next start instead of
looking healthy; ``verify --against`` proves a file extends a backup's state; a restore moves
the anchor to the restored state."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bedside.clock import FixedClock
from bedside.errors import IntegrityError
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.anchor import AnchorFile
from tests.bedside.clinic_support import patient_with_course
from ui.demo import create_staff

T = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def clinic(db: Path, anchors: AnchorFile) -> None:
    with Store(db, anchors=anchors) as store:
        service = ChartService(store, FixedClock(T))
        store.set_settings({"timezone": "UTC"}, actor=None, at=T)
        staff = create_staff(service)
        service.ensure_protocol(staff.admin)
        patient = patient_with_course(service, staff, "MRN-A1")
        service.open_session(staff.nurse, patient_id=patient.id, chair=1)


def chart_notes(db: Path, anchors: AnchorFile, n: int) -> None:
    with Store(db, anchors=anchors) as store:
        service = ChartService(store, FixedClock(T))
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        sid = store.all_sessions()[0].id
        for i in range(n):
            service.add_note(nurse, sid, f"note {i}")


@pytest.fixture
def anchors(tmp_path: Path) -> AnchorFile:
    return AnchorFile(tmp_path / "config" / "anchors.json")


def test_a_rolled_back_file_is_refused_at_the_next_start(
    tmp_path: Path, anchors: AnchorFile
) -> None:
    db = tmp_path / "clinic.db"
    clinic(db, anchors)
    with Store(db) as store:
        store.backup(tmp_path / "older.db")
    chart_notes(db, anchors, 3)
    shutil.copyfile(tmp_path / "older.db", db)  # someone copies an older file over it
    with pytest.raises(IntegrityError) as refused:
        Store(db, anchors=anchors)
    words = str(refused.value)
    assert "not the database this workstation last wrote" in words
    assert "entries were lost" in words
    assert "Do not chart on it and do not set up a new clinic" in words


def test_a_wiped_or_missing_file_is_refused_not_recreated(
    tmp_path: Path, anchors: AnchorFile
) -> None:
    db = tmp_path / "clinic.db"
    clinic(db, anchors)
    db.write_bytes(b"")  # wiped to 0 bytes
    with pytest.raises(IntegrityError, match="entries were lost"):
        Store(db, anchors=anchors)
    db.unlink()
    with pytest.raises(IntegrityError, match="the file is missing"):
        Store(db, anchors=anchors)
    assert not db.exists()  # not silently recreated empty


def test_a_lost_wal_is_reported(tmp_path: Path, anchors: AnchorFile) -> None:
    db = tmp_path / "clinic.db"
    clinic(db, anchors)
    with Store(db, anchors=anchors) as store:
        service = ChartService(store, FixedClock(T))
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        sid = store.all_sessions()[0].id
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(db, tmp_path / "main-only.db")  # the main file, before the new entries
        for i in range(5):
            service.add_note(nurse, sid, f"acknowledged entry {i}")
        shutil.copyfile(tmp_path / "main-only.db", tmp_path / "without-wal.db")
    shutil.copyfile(tmp_path / "without-wal.db", db)  # as if the -wal had been deleted
    with pytest.raises(IntegrityError, match="entries were lost"):
        Store(db, anchors=anchors)


def test_a_store_without_anchors_and_a_sound_file_open_as_before(
    tmp_path: Path, anchors: AnchorFile
) -> None:
    db = tmp_path / "clinic.db"
    clinic(db, anchors)
    chart_notes(db, anchors, 2)
    with Store(db, anchors=anchors) as store:
        anchor = anchors.get(db)
        assert anchor is not None
        assert anchor.head == store.ledger_head()
