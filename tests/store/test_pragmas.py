"""Every Store connection is durable (WAL, synchronous=FULL), enforces foreign keys, and the
files it creates are private to the user."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bedside.store import Store
from tests.store.support import T0, Clinic, file_mode, forge_event, insert_event_sql, raw

SYNCHRONOUS_FULL = 2


def _fresh(tmp_path: Path) -> Path:
    return tmp_path / "new" / "bedside.db"


def _reopened(tmp_path: Path) -> Path:
    path = tmp_path / "bedside.db"
    Store(path).close()
    return path


def _rollback_journal_file(tmp_path: Path) -> Path:
    """An existing Bedside database in rollback-journal mode (as a backup file is)."""
    path = _reopened(tmp_path)
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    return path


@pytest.mark.parametrize(
    "make_path",
    [_fresh, _reopened, _rollback_journal_file],
    ids=["new-file", "reopened", "was-delete-journal"],
)
def test_connection_pragmas(tmp_path: Path, make_path: Callable[[Path], Path]) -> None:
    with Store(make_path(tmp_path)) as store:
        conn = store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == SYNCHRONOUS_FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_wal_mode_is_persistent_in_the_file(tmp_path: Path) -> None:
    """A plain connection opened later (another process, a backup tool) also sees WAL."""
    path = tmp_path / "bedside.db"
    Store(path).close()
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_foreign_keys_are_enforced_on_the_store_connection(clinic: Clinic) -> None:
    """An event for a session that does not exist passes the chain trigger (no head, no
    genesis) and must be stopped by the foreign key."""
    orphan = forge_event(
        session_id="no-such-session",
        seq=1,
        prev_hash="a" * 64,
        author=clinic.staff.nurse.id,
        at=T0,
    )
    before = clinic.store.event_count()
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        insert_event_sql(clinic.store.conn, orphan)
    clinic.store.conn.rollback()
    assert clinic.store.event_count() == before
    assert clinic.store.verify() == []


@pytest.mark.usefixtures("umask_zero")
def test_new_database_file_and_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "missing" / "Bedside"
    path = folder / "bedside.db"
    with Store(path):
        pass
    assert file_mode(path) == 0o600
    assert file_mode(folder) == 0o700


@pytest.mark.usefixtures("umask_zero")
def test_wal_and_shm_files_are_not_readable_by_others(clinic: Clinic) -> None:
    clinic.clock.advance(minutes=1)
    sid = clinic.open_session()
    clinic.service.add_note(clinic.staff.nurse, sid, "WAL exists now")
    wal = clinic.path.with_name(clinic.path.name + "-wal")
    shm = clinic.path.with_name(clinic.path.name + "-shm")
    assert wal.exists()
    assert shm.exists()
    for path in (clinic.path, wal, shm):
        assert file_mode(path) & 0o077 == 0, f"{path.name} is {oct(file_mode(path))}"


def test_append_is_on_disk_when_it_returns(clinic: Clinic) -> None:
    """What ``append`` returned is visible to a brand-new connection at once (committed, not
    held in an open transaction)."""
    sid = clinic.open_session()
    clinic.clock.advance(minutes=1)
    event = clinic.service.add_note(clinic.staff.nurse, sid, "saved").event
    assert not clinic.store.conn.in_transaction
    with raw(clinic.path) as conn:
        row = conn.execute("SELECT seq FROM chart_events WHERE id = ?", (event.id,)).fetchone()
    assert row == (event.seq,)


def test_schema_list_names_every_migration() -> None:
    from sqlite_utils import Database

    from bedside.store.migrations import migrations
    from bedside.store.schema import MIGRATION_NAMES, is_up_to_date

    conn = sqlite3.connect(":memory:")
    assert [m.name for m in migrations.pending(Database(conn))] == list(MIGRATION_NAMES)
    assert not is_up_to_date(conn)
    migrations.apply(Database(conn))
    assert is_up_to_date(conn)


def test_opening_an_up_to_date_database_does_not_load_sqlite_utils(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = _reopened(tmp_path)
    probe = (
        "import sys; from bedside.store import Store; s = Store(sys.argv[1]); "
        "print(s.get_setting('x', 'ok'), 'sqlite_utils' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", probe, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    ).stdout.split()
    assert out == ["ok", "False"]
