"""Backups are complete, private, self-contained and never overwrite; a damaged or foreign file
is refused on open with a message that says what to do."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest

from bedside.errors import IntegrityError, StoreError
from bedside.events import Phase
from bedside.store import Store
from tests.store.support import Clinic, Prebuilt, file_mode, raw


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(store: Store) -> dict[str, object]:
    sessions = store.all_sessions()
    return {
        "events": store.event_count(),
        "sessions": [h.id for h in sessions],
        "heads": {h.id: store.head_hash(h.id) for h in sessions},
        "users": [u.username for u in store.users()],
        "audit": len(store.audit_entries()),
    }


# --- backups -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("umask_zero")
def test_backup_is_a_complete_private_self_contained_copy(clinic: Clinic, tmp_path: Path) -> None:
    clinic.reference_session()
    clinic.reference_session(until=Phase.INFUSING)
    wal = clinic.path.with_name(clinic.path.name + "-wal")
    assert wal.stat().st_size > 0, "the newest entries should still be in the WAL"
    expected = _snapshot(clinic.store)

    target = tmp_path / "backups" / "2026-11-24.db"
    assert clinic.store.backup(target) == target

    assert file_mode(target) == 0o600
    assert file_mode(target.parent) == 0o700
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no -wal beside it
    # the file alone is the backup: carried somewhere else, it opens and verifies
    carried = tmp_path / "elsewhere" / "restored.db"
    carried.parent.mkdir()
    shutil.copyfile(target, carried)
    with Store(carried) as restored:
        assert _snapshot(restored) == expected
        assert restored.verify() == []
    with raw(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # and the live store carries on after the backup
    clinic.clock.advance(minutes=1)
    sid = clinic.store.all_sessions()[-1].id
    clinic.service.add_note(clinic.staff.nurse, sid, "after the backup")
    assert clinic.store.event_count() == expected["events"] + 1  # type: ignore[operator]


@pytest.mark.parametrize("existing", ["text-file", "database", "empty-file"])
def test_backup_refuses_to_overwrite_an_existing_file(
    clinic: Clinic, tmp_path: Path, existing: str
) -> None:
    target = tmp_path / "backup.db"
    if existing == "database":
        Store(target).close()
    else:
        target.write_bytes(b"" if existing == "empty-file" else b"last week's backup\n")
    before = _sha(target)
    with pytest.raises(StoreError, match="already exists"):
        clinic.store.backup(target)
    assert _sha(target) == before


# --- damaged and foreign files ---------------------------------------------------------------------


def _corrupt_middle_of_event_page(path: Path, event_id: str, seed: int) -> None:
    """Overwrite 1 KiB of random bytes in the middle of the page that holds ``event_id``."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    at = data.find(event_id.encode())
    assert at > 0, "event id not found in the file"
    page_start = at - at % page_size
    start = page_start + page_size // 2 - 512
    data[start : start + 1024] = random.Random(seed).randbytes(1024)
    path.write_bytes(bytes(data))


@pytest.fixture(params=["live-file", "backup-file"])
def damaged(request: pytest.FixtureRequest, signed_db: Prebuilt, tmp_path: Path) -> Path:
    """A database file with garbage written into one of its chart_events pages: either a copy
    of the closed live file (WAL mode) or a backup made by ``Store.backup`` (rollback mode)."""
    return _damaged(request.param, signed_db, tmp_path)


def _damaged(kind: str, signed_db: Prebuilt, tmp_path: Path) -> Path:
    live = signed_db.copy_to(tmp_path)
    with Store(live) as store:
        middle = store.events(signed_db.session_id)[20].id
        if kind == "backup-file":
            path = store.backup(tmp_path / "backup" / "bedside-backup.db")
    if kind == "live-file":
        path = live
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)) == [
        path.name
    ]
    _corrupt_middle_of_event_page(path, middle, seed=1)
    return path


def test_damaged_database_is_refused_with_restore_advice(damaged: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Store(damaged)
    message = str(caught.value)
    assert "restore" in message.lower()
    assert "backup" in message.lower()
    assert str(damaged) in message


def test_damaged_database_is_reported_as_integrity_error(damaged: Path) -> None:
    with pytest.raises(IntegrityError):
        Store(damaged)


def test_verify_reports_damage_instead_of_raising(damaged: Path) -> None:
    with Store(damaged, check_integrity=False) as store:
        problems = store.verify()
    assert problems != []


def test_truncated_database_is_refused_with_restore_advice(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    path = signed_db.copy_to(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert "restore" in str(caught.value).lower()


def test_refused_damaged_backup_is_left_byte_for_byte_unchanged(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    """Checking a damaged backup must not write to it (the message says "Nothing has been
    changed"): the integrity check runs before the switch to WAL rewrites the header."""
    damaged = _damaged("backup-file", signed_db, tmp_path)
    before = damaged.read_bytes()
    with pytest.raises(StoreError):
        Store(damaged)
    after = damaged.read_bytes()
    assert [i for i in range(len(before)) if before[i] != after[i]] == []


@pytest.mark.parametrize(
    "content",
    [b"this is a shopping list, not a database\n" * 200, bytes(range(256)) * 64],
    ids=["text", "binary"],
)
def test_non_database_file_is_refused_with_a_clear_message(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        Store(path)
    message = str(caught.value)
    assert str(path) in message
    assert "not a database" in message
    assert path.read_bytes() == content
