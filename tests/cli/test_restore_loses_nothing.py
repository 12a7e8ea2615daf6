"""Issue 11, item 5: a restore that cannot lose anything — refused while Bedside has the
database open, atomic (a failure or a kill leaves the old file or the new one, never a partial
one), the replaced file kept with every entry, and the entries newer than the backup listed."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_support import run

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from bedside.store import restore as restore_mod

REPO = Path(__file__).resolve().parents[2]
LATER = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)


@pytest.fixture
def live(demo_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "live" / "bedside.db"
    target.parent.mkdir()
    with Store(demo_db) as store:
        store.backup(target)
    return target


def events(path: Path) -> int:
    with Store(path) as store:
        return store.event_count()


def backup_of(live: Path, tmp_path: Path) -> Path:
    out = tmp_path / "backups" / "b.db"
    out.parent.mkdir(exist_ok=True)
    with Store(live) as store:
        store.backup(out)
    return out


def chart_a_note_in_every_open_session(live: Path) -> int:
    with Store(live) as store:
        service = ChartService(store, FixedClock(LATER))
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        n = 0
        for header in store.all_sessions():
            if not service.state(header.id).closed:
                service.add_note(nurse, header.id, "charted after the backup")
                n += 1
        return n


def test_a_restore_is_refused_while_bedside_has_the_file_open(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = backup_of(live, tmp_path)
    before = events(live)
    with Store(live):  # a workstation running on this database
        code, _, err = run(capsys, "--db", str(live), "restore", str(backup))
    assert code == 1
    assert "is open in Bedside on this computer" in err
    assert events(live) == before
    assert sorted(p.name for p in live.parent.iterdir() if "replaced" in p.name) == []


def test_newer_entries_are_kept_and_listed(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = backup_of(live, tmp_path)
    notes = chart_a_note_in_every_open_session(live)
    assert notes > 0
    before = events(live)
    code, out, err = run(capsys, "--db", str(live), "restore", str(backup))
    assert code == 0, err
    assert f"It holds {notes} entries the backup does not have, in {notes} session(s)" in out
    assert "later entries; print them with 'bedside export pdf" in out
    kept = next(
        p
        for p in live.parent.iterdir()
        if p.name.startswith("bedside.db.replaced-") and not p.name.endswith(("-wal", "-shm"))
    )
    assert events(kept) == before  # every entry is in the file kept aside
    assert events(live) == before - notes
    assert live.stat().st_mode & 0o777 == 0o600


def test_a_full_disk_during_the_copy_changes_nothing(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = backup_of(live, tmp_path)
    chart_a_note_in_every_open_session(live)
    before = live.read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(restore_mod.shutil, "copyfileobj", full)
    code, _, err = run(capsys, "--db", str(live), "restore", str(backup))
    assert code == 1
    assert "is full" in err
    assert "Traceback" not in err
    assert live.read_bytes() == before
    assert [p.name for p in live.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("stage", "ends_new"),
    [("copied", False), ("set aside", False), ("replaced", True)],
)
def test_a_killed_restore_leaves_the_old_database_or_the_new_one(
    live: Path, tmp_path: Path, stage: str, ends_new: bool
) -> None:
    backup = backup_of(live, tmp_path)
    chart_a_note_in_every_open_session(live)
    old, new = events(live), events(backup)
    # The restore announces each stage and waits: the test kills it at a known point (no
    # guessed delays), before the copy is swapped in, between, and after.
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.launcher", "--db", str(live), "restore", str(backup)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, restore_mod.STAGES_ENV: "1"},
    )
    assert proc.stdout is not None
    assert proc.stdin is not None
    for line in proc.stdout:
        if line.strip() == f"stage {stage}":
            break
        if line.startswith("stage "):
            proc.stdin.write("\n")
            proc.stdin.flush()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(live) as store:
        assert store.verify() == []
        assert store.event_count() == (new if ends_new else old)
