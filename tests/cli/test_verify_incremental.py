"""``bedside verify`` is incremental after a first full check (issue 13 item 5): it re-reads what
was written since the head it last found sound, every bound record, and proves the verified
entry is unchanged; ``--full`` re-reads everything. These tests pin down what each finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_support import NOW, copy_of, run

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.anchor import AnchorFile
from bedside.store.verify_since import VerifiedMarks
from tests.store.support import raw, trigger_sql

OK, TAMPERED = 0, 3


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = copy_of(demo_db, tmp_path / "live.db")
    return path


def _verify(capsys: pytest.CaptureFixture[str], db: Path, *more: str) -> tuple[int, str, str]:
    return run(capsys, "--db", str(db), "verify", *more)


def _update(db: Path, table: str, sql: str, params: tuple[object, ...]) -> int:
    """An UPDATE behind the application's back, its append-only trigger put back after."""
    with raw(db) as conn:
        create = trigger_sql(conn, f"{table}_no_update")
        conn.execute(f"DROP TRIGGER {table}_no_update")
        changed = conn.execute(sql, params).rowcount
        conn.execute(create)
    return int(changed)


def _note(db: Path, text: str) -> tuple[str, str]:
    """A note charted through the service into the first running session: (session, event)."""
    with Store(db) as store:
        service = ChartService(store, FixedClock(NOW))
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        sid = next(iter(service.busy_chairs(NOW).values()))
        change = service.add_note(nurse, sid, text)
        return str(sid), str(change.events[-1].id)


def _first_full(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = _verify(capsys, db)
    assert code == OK, err
    assert "every hash chain is intact" in out  # never verified here: the full check
    mark = VerifiedMarks.beside(AnchorFile()).get(db)
    assert mark is not None
    assert mark.full_at is not None


def test_after_a_full_check_verify_is_incremental_and_says_so(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _first_full(capsys, db)
    _note(db, "after the full check")
    code, out, err = _verify(capsys, db)
    assert code == OK, err
    found = re.search(r"checked (\d+) ledger entries since the head verified on (\S+ \S+ UTC)", out)
    assert found is not None, out
    assert int(found.group(1)) >= 2  # the verified entry and what was charted after it
    assert "verified in full on" in out
    assert "bedside verify --full" in out
    code, out, err = _verify(capsys, db, "--full")
    assert code == OK, err
    assert "every hash chain is intact" in out


def test_incremental_finds_an_entry_altered_after_the_verified_head(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _first_full(capsys, db)
    sid, event = _note(db, "charted after the check")
    changed = _update(
        db,
        "chart_events",
        "UPDATE chart_events SET payload = replace(payload, 'after', 'before') WHERE id = ?",
        (event,),
    )
    assert changed == 1
    code, _, err = _verify(capsys, db)
    assert code == TAMPERED
    assert "VERIFY FAILED (" in err
    assert "ledger entries since the verified ledger entry" in err
    assert sid in err


def test_incremental_finds_an_older_entry_of_a_session_written_into_since(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _first_full(capsys, db)
    sid, _ = _note(db, "charted after the check")
    # An entry made BEFORE the verified head, in the session charted into after it.
    changed = _update(
        db,
        "chart_events",
        "UPDATE chart_events SET payload = replace(payload, '\"spo2\":9', "
        "'\"spo2\":8') WHERE session_id = ? AND kind = 'vitals_recorded'",
        (sid,),
    )
    assert changed > 0
    code, _, err = _verify(capsys, db)
    assert code == TAMPERED
    assert sid in err


def test_incremental_finds_the_verified_entry_changed(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _first_full(capsys, db)
    mark = VerifiedMarks.beside(AnchorFile()).get(db)
    assert mark is not None
    _update(db, "ledger", "UPDATE ledger SET hash = ? WHERE seq = ?", ("0" * 64, mark.head.seq))
    code, _, err = _verify(capsys, db)
    assert code == TAMPERED
    assert f"the ledger head verified before (ledger entry {mark.head.seq}" in err
    assert "history was rewritten" in err


def test_incremental_finds_an_edited_session_row_and_a_deleted_entry_before_the_head(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session rows are bound records, read whole by both checks; a deleted entry is counted."""
    _first_full(capsys, db)
    with raw(db) as conn:
        sid, chair = conn.execute("SELECT id, chair FROM sessions ORDER BY rowid").fetchone()
    _update(db, "sessions", "UPDATE sessions SET chair = ? WHERE id = ?", (chair % 4 + 1, sid))
    with raw(db) as conn:
        create = trigger_sql(conn, "chart_events_no_delete")
        conn.execute("DROP TRIGGER chart_events_no_delete")
        conn.execute(
            "DELETE FROM chart_events WHERE id = (SELECT id FROM chart_events "
            "WHERE kind = 'note' ORDER BY rowid LIMIT 1)"
        )
        conn.execute(create)
    code, _, err = _verify(capsys, db)
    assert code == TAMPERED
    assert f"session header {sid} was changed behind the application's back" in err
    assert "1 chart events the ledger names were deleted from the record" in err


def test_only_the_full_check_finds_an_old_entry_edited_in_an_untouched_session(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The documented limit: nothing was written into the session since the verified head, and
    its event row was edited in the file without touching the ledger."""
    _first_full(capsys, db)
    changed = _update(
        db,
        "chart_events",
        "UPDATE chart_events SET payload = "
        "replace(payload, '\"systolic\":186', '\"systolic\":146') WHERE kind = 'vitals_recorded'",
        (),
    )
    assert changed > 0
    code, out, err = _verify(capsys, db)
    assert code == OK, err  # incremental: not re-read
    assert "were not re-read" in out
    code, _, err = _verify(capsys, db, "--full")
    assert code == TAMPERED
    assert "altered" in err
    code, _, err = _verify(capsys, db)  # a failed check moved nothing: the base is still full
    assert code == OK, err
