"""Issue 11, item 4 from the command line: a 0-byte database fails verify; ``verify --against``
proves the file extends a backup's state (or a printed ledger head); a restore moves this
workstation's anchor to the restored state, so the next start accepts it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_support import run

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.anchor import AnchorFile

NOW = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "live.db"
    with Store(demo_db) as store:
        store.backup(target)
    return target


def test_a_zero_byte_database_fails_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "wiped.db"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "--db", str(empty), "verify")
    assert code == 3
    assert "holds no clinic" in err


def test_verify_against_a_backup_and_a_printed_head(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "b.db"
    code, out, err = run(capsys, "--db", str(db), "backup", "-o", str(backup))
    assert code == 0, err
    printed = re.search(r"check a database against it later: (\d+:[0-9a-f]{64})", out)
    assert printed is not None
    for against in (str(backup), printed.group(1)):
        code, out, err = run(capsys, "--db", str(db), "verify", "--against", against)
        assert code == 0, err
        assert "extends the anchored state" in out
    seq, digest = printed.group(1).split(":")
    code, _, err = run(capsys, "--db", str(db), "verify", "--against", f"{int(seq) + 50}:{digest}")
    assert code == 3
    assert "entries were lost" in err
    code, _, err = run(capsys, "--db", str(db), "verify", "--against", f"{seq}:{'0' * 64}")
    assert code == 3
    assert "history was rewritten" in err


def test_a_restore_moves_the_anchor_so_the_next_start_accepts_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = tmp_path / "older.db"
    with Store(db) as store:
        store.backup(older)
    anchors = AnchorFile()  # this workstation's (the tests' config folder)
    with Store(db, anchors=anchors) as store:
        anchors.set(db, store.ledger_head(), NOW)
    # Move the live file on (as charting would), then restore the older backup.
    with Store(db, anchors=anchors) as store:
        service = ChartService(store, FixedClock(NOW))
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        sid = next(h.id for h in store.all_sessions() if not service.state(h.id).closed)
        service.add_note(nurse, sid, "after the backup")
    code, out, err = run(capsys, "--db", str(db), "restore", str(older))
    assert "Restored" in out
    # The entry saved after the backup is named as not held by the restored database.
    assert "WARNING: this workstation had saved up to ledger entry" in out
    assert "what was saved after it is not in the restored database" in out
    assert code == 0, err
    code, _, err = run(capsys, "--db", str(db), "sessions", "--all")
    assert code == 0, err  # the restored (older) state is the anchored one now
