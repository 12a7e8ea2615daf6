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
from bedside.store.anchor import Anchor, AnchorFile
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


def test_a_deleted_demo_may_be_made_afresh_where_a_clinics_file_may_not(
    tmp_path: Path, anchors: AnchorFile
) -> None:
    """The demo holds made-up patients only: deleting its file to start it afresh is not the
    wiped clinic the anchor guards against. A clinic's missing file is still refused."""
    from ui.demo import build_demo

    demo, clinic_db = tmp_path / "demo.db", tmp_path / "clinic.db"
    with Store(demo, anchors=anchors) as store:
        build_demo(store, T, timezone="UTC")
    clinic(clinic_db, anchors)
    demo_anchor, clinic_anchor = anchors.get(demo), anchors.get(clinic_db)
    assert demo_anchor is not None
    assert demo_anchor.demo
    assert clinic_anchor is not None
    assert not clinic_anchor.demo
    demo.unlink()
    clinic_db.unlink()
    with Store(demo, anchors=anchors) as store:  # made afresh
        assert not store.has_users()
    with pytest.raises(IntegrityError, match="the file is missing"):
        Store(clinic_db, anchors=anchors)
    assert not clinic_db.exists()


def test_a_demos_anchor_from_before_learns_it_is_a_demo_at_the_next_open(
    tmp_path: Path, anchors: AnchorFile
) -> None:
    from ui.demo import build_demo

    demo = tmp_path / "demo.db"
    with Store(demo, anchors=anchors) as store:
        build_demo(store, T, timezone="UTC")
        head = store.ledger_head()
    anchors.set(demo, head, T)  # as an older Bedside wrote it: no word of a demo
    assert not anchors.get(demo).demo  # type: ignore[union-attr]
    Store(demo, anchors=anchors).close()  # opened, nothing charted
    assert anchors.get(demo) == Anchor(head, T, demo=True)
