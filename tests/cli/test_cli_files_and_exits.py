"""Issue 11, item 9 from the command line: exported logs are owner-only and written whole; a
damaged database gives the same exit code (3) and words from every command, never a traceback;
a backup that fails leaves no partial file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import run

from bedside.errors import StoreError
from bedside.store import Store
from bedside.store.db import backup_to


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    with Store(demo_db) as store:
        store.backup(target)
    return target


def any_session(db: Path) -> str:
    with Store(db) as store:
        return store.all_sessions()[0].id


def test_an_exported_log_is_owner_only_whatever_the_umask(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "log.json"
    old = os.umask(0o022)
    try:
        code, _, err = run(
            capsys, "--db", str(db), "export", "json", any_session(db), "-o", str(out)
        )
    finally:
        os.umask(old)
    assert code == 0, err
    assert out.stat().st_mode & 0o777 == 0o600
    assert json.loads(out.read_text(encoding="utf-8"))["events"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_an_exported_pdf_is_owner_only(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.pdf"
    code, _, err = run(capsys, "--db", str(db), "export", "pdf", any_session(db), "-o", str(out))
    assert code == 0, err
    assert out.stat().st_mode & 0o777 == 0o600


def damage(db: Path) -> None:
    """Overwrite pages in the middle of the file (the header stays a SQLite header)."""
    with Store(db):
        pass  # checkpointed: everything is in the main file
    data = bytearray(db.read_bytes())
    for offset in range(8192, min(len(data), 8192 * 6), 4096):
        data[offset : offset + 512] = b"\xff" * 512
    db.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize(
    "argv",
    [("sessions", "--all"), ("verify",), ("users", "list"), ("backup",), ("clinic", "show")],
)
def test_damage_gets_exit_3_and_words_from_every_command(
    db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    damage(db)
    code, _, err = run(capsys, "--db", str(db), *argv)
    assert code == 3, err
    assert "Traceback" not in err
    assert "malformed" in err or "damaged" in err


def test_a_backup_that_cannot_be_written_leaves_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    os.chmod(folder, 0o500)
    try:
        if os.access(folder, os.W_OK):  # running as root: permissions do not stop us
            pytest.skip("the folder stays writable for this user")
        code, _, err = run(capsys, "--db", str(db), "backup", "-o", str(folder / "b.db"))
    finally:
        os.chmod(folder, 0o700)
    assert code == 1
    assert "Traceback" not in err
    assert list(folder.iterdir()) == []


class FullDiskSource:
    """A source whose online backup fails half-way, as SQLite reports a full disk."""

    def backup(self, dest: sqlite3.Connection) -> None:
        dest.execute("CREATE TABLE half(x)")  # something was written before the disk filled
        raise sqlite3.OperationalError("database or disk is full")


def test_a_backup_on_a_full_disk_leaves_nothing_partial(tmp_path: Path) -> None:
    target = tmp_path / "out" / "b.db"
    with pytest.raises(StoreError, match="nothing was left there"):
        backup_to(FullDiskSource(), target)  # type: ignore[arg-type]
    assert list(target.parent.iterdir()) == []


def test_a_reader_that_stops_reading_gets_no_error_message(tmp_path: Path) -> None:
    # `bedside sessions --all | head -1`: the pipe closes before the list is written. Shell
    # tools stay quiet there; "could not read or write a file: Broken pipe" was printed.
    db = tmp_path / "demo.db"
    env = {**os.environ, "BEDSIDE_LOG_DIR": str(tmp_path / "log")}
    made = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "demo", "--db", str(db)],
        capture_output=True,
        check=False,
        env=env,
    )
    assert made.returncode == 0, made.stderr
    reader = subprocess.Popen(
        [sys.executable, "-m", "ui.launcher", "sessions", "--all", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert reader.stdout is not None
    assert reader.stderr is not None
    reader.stdout.close()  # nobody reads
    errors = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 1
    assert errors == ""
