"""A backup of another database is never restored over this one (a newcomer walk restored the
demo's backup over a clinic's database: it then opened as the demo, with the demo's public
accounts). Each file has its own id (migration 010), carried by its backups and their notes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bedside.backups import BackupPolicy, last_good, make_backup, notes_in
from bedside.clock import FixedClock
from bedside.errors import StoreError
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.anchor import AnchorFile
from bedside.store.identity import identity_of
from bedside.store.restore_flow import restore_backup
from ui.demo import build_demo

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def _clinic(path: Path, name: str) -> Store:
    """A real clinic (its first admin too: a backup of a file with no accounts fails)."""
    store = Store(path)
    ChartService(store, FixedClock(NOW)).set_up_clinic(
        clinic_name=name,
        timezone="UTC",
        admin_username="admin",
        admin_full_name="Maria Rivera",
        admin_password="a long enough password",
    )
    return store


def test_each_file_has_its_own_id_and_a_backup_keeps_it(tmp_path: Path) -> None:
    with _clinic(tmp_path / "a.db", "Lakeside") as a, _clinic(tmp_path / "b.db", "Lakeside") as b:
        assert a.database_id()
        assert b.database_id()
        assert a.database_id() != b.database_id()
        a.backup(tmp_path / "a-copy.db")
    copy = identity_of(tmp_path / "a-copy.db")
    assert copy is not None
    assert copy.database_id == identity_of(tmp_path / "a.db").database_id  # type: ignore[union-attr]


def test_the_demos_backup_is_refused_over_the_clinics_database(tmp_path: Path) -> None:
    folder = tmp_path / "shared"  # an admin pointed both at one folder
    with Store(tmp_path / "demo.db") as demo:
        build_demo(demo, NOW)
        demo_backup = make_backup(demo, BackupPolicy(folder), NOW, "scheduled")
    clinic_db = tmp_path / "bedside.db"
    with _clinic(clinic_db, "Lakeside Ketamine Clinic") as clinic:
        mine = make_backup(
            clinic,
            BackupPolicy(folder, database_id=clinic.database_id()),
            NOW.replace(minute=5),
            "by hand",
        )
        clinic_id = clinic.database_id()
    with pytest.raises(StoreError, match="another database — the demo clinic") as refused:
        restore_backup(
            demo_backup.path, clinic_db, now=NOW, anchors=AnchorFile(tmp_path / "a.json"),
            restored_by=(None, "test"),
        )  # fmt: skip
    assert "nothing was changed" in str(refused.value)
    assert identity_of(clinic_db).clinic == "Lakeside Ketamine Clinic"  # type: ignore[union-attr]
    # In the shared folder the clinic sees, counts and retires only its own backups.
    assert [n.path for n in notes_in(folder, clinic_id)] == [mine.path]
    assert last_good(folder, clinic_id) == mine


def test_a_backup_made_before_the_ids_is_judged_by_its_clinic(tmp_path: Path) -> None:
    with _clinic(tmp_path / "old.db", "Riverside") as old:
        old.backup(tmp_path / "old-backup.db")
    with Store(tmp_path / "old-backup.db") as backup:  # as a release before 010 made it
        backup.conn.execute("DELETE FROM sync_state WHERE key = 'database_id'")
        backup.conn.commit()
    with _clinic(tmp_path / "bedside.db", "Lakeside") as _:
        pass
    with pytest.raises(StoreError, match="another database — Riverside"):
        restore_backup(
            tmp_path / "old-backup.db", tmp_path / "bedside.db", now=NOW,
            anchors=AnchorFile(tmp_path / "a.json"), restored_by=(None, "test"),
        )  # fmt: skip


def test_it_can_put_another_databases_backup_on_purpose(tmp_path: Path) -> None:
    # IT moves a lost workstation's last backup onto a new machine's file: same clinic, another
    # file, so refused unless asked for by name.
    for name in ("lost-workstation.db", "bedside.db"):
        with Store(tmp_path / name) as store:
            build_demo(store, NOW)
    with Store(tmp_path / "lost-workstation.db") as lost:
        lost.backup(tmp_path / "its-backup.db")
    with pytest.raises(StoreError, match="another database"):
        restore_backup(
            tmp_path / "its-backup.db", tmp_path / "bedside.db", now=NOW,
            anchors=AnchorFile(tmp_path / "a.json"), restored_by=(None, "IT"),
        )  # fmt: skip
    outcome = restore_backup(
        tmp_path / "its-backup.db", tmp_path / "bedside.db", now=NOW,
        anchors=AnchorFile(tmp_path / "a.json"), restored_by=(None, "IT"), another_database=True,
    )  # fmt: skip
    assert outcome.done.kept_as is not None
