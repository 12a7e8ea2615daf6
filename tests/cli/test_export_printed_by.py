"""Issue 12, item 7, at the command line: "printed by" is a Bedside account proved by its
password (``--as``) or "command line (OS user NAME)"; every export is in the audit log; the
print time can be pinned (``--printed-at``) so the same export twice gives the same bytes."""

from __future__ import annotations

import getpass
import io
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_support import NOW, copy_of, run, text_of, with_password

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.state import fold
from bedside.store import Store
from ui.demo import DEMO_PASSWORD
from ui.launcher import main

PINNED = "2026-11-24T18:00:00-05:00"


def exports(db: Path) -> list[dict[str, Any]]:
    """The audit rows of exports, oldest first."""
    with Store(db) as store:
        return [e for e in store.audit_entries() if e["action"].startswith("record_export")]


def signed_session(db: Path) -> tuple[str, str]:
    """Today's signed session (chair 1) and its record hash."""
    with Store(db) as store:
        for header in store.sessions_on(NOW.date()):
            state = fold(store.events(header.id))
            if state.locked:
                return header.id, state.head_hash
    raise AssertionError("the demo has no signed session today")


def user_id(db: Path, username: str) -> str:
    with Store(db) as store:
        return next(u.id for u in store.users() if u.username == username)


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo clinic (exports write to the audit log)."""
    return copy_of(demo_db, tmp_path / "clinic.db")


def test_as_prints_the_accounts_name_and_audits_who_what_how_when(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sid, head = signed_session(db)
    target = tmp_path / "summary.pdf"
    argv = ("--db", str(db), "export", "pdf", sid[:8], "-o", str(target), "--as", "dana")
    code, _, err = with_password(capsys, monkeypatch, DEMO_PASSWORD, *argv, "--printed-at", PINNED)
    assert code == 0, err
    text = text_of(target)
    assert "Printed 2026-11-24 18:00 EST by Dana Reyes, RN" in text
    assert "OS user" not in text
    [row] = exports(db)
    assert row["action"] == "record_exported"
    assert row["actor"] == user_id(db, "dana")
    assert row["detail"] == {
        "printed_by": "Dana Reyes, RN",
        "kind": "session summary",
        "session_id": sid,
        "how": f"saved to {target.resolve()}",
        "printed_at": PINNED,
        "record_hashes": {sid: head},
        "draft": False,
    }


@pytest.mark.parametrize(
    ("who", "password", "why"),
    [
        ("dana", "not-her-password", "User name or password is wrong"),
        ("nobody", DEMO_PASSWORD, "User name or password is wrong"),
        ("sam", DEMO_PASSWORD, "The account sam is deactivated"),
        ("dana", None, "expected a line on standard input"),
    ],
    ids=["wrong-password", "unknown-user", "inactive-user", "no-password"],
)
def test_as_is_refused_in_one_line_and_nothing_is_written(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    who: str,
    password: str | None,
    why: str,
) -> None:
    with Store(db) as store:
        store.update_user(user_id(db, "sam"), actor=None, at=NOW, active=False)
    sid, _ = signed_session(db)
    target = tmp_path / "summary.pdf"
    argv = ("--db", str(db), "export", "pdf", sid, "-o", str(target), "--as", who)
    if password is None:  # --password-stdin, and nothing on it
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code, _, err = run(capsys, *argv, "--password-stdin")
    else:
        code, _, err = with_password(capsys, monkeypatch, password, *argv)
    assert code == 1
    assert err.count("\n") == 1, err  # one line
    assert err.startswith(f"bedside export: --as {who}: "), err
    assert why in err
    assert err.rstrip().endswith("nothing was written")
    assert not target.exists()
    assert list(tmp_path.glob("*.pdf*")) == []
    assert exports(db) == []


def test_password_stdin_without_as_is_a_usage_error(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sid, _ = signed_session(db)
    target = tmp_path / "summary.pdf"
    argv = ("--db", str(db), "export", "pdf", sid, "-o", str(target))
    code, _, err = with_password(capsys, monkeypatch, DEMO_PASSWORD, *argv)
    assert code == 2
    assert "give --as USER" in err
    assert not target.exists()


def test_without_as_the_command_line_and_the_os_user_print_and_are_audited(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "course.pdf"
    code, _, err = run(capsys, "--db", str(db), "export", "course", "MRN-1001", "-o", str(target))
    assert code == 0, err
    who = f"command line (OS user {getpass.getuser()})"
    assert f"by {who}" in text_of(target)  # the course footer has the room for all of it
    with Store(db) as store:
        alex = store.patient_by_mrn("MRN-1001")
        assert alex is not None
        hashes = {
            h.id: fold(store.events(h.id)).head_hash for h in store.sessions_for_patient(alex.id)
        }
    [row] = exports(db)
    assert row["actor"] is None
    detail = row["detail"]
    assert detail["printed_by"] == who
    assert (detail["kind"], detail["patient_id"]) == ("course summary", alex.id)
    assert detail["record_hashes"] == hashes
    assert len(hashes) == 4
    assert detail["how"] == f"saved to {target.resolve()}"


def test_the_session_footer_shows_the_whole_command_line_name(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid, _ = signed_session(db)
    target = tmp_path / "summary.pdf"
    assert run(capsys, "--db", str(db), "export", "pdf", sid, "-o", str(target))[0] == 0
    assert "by command line (" in text_of(target)  # never a bare login
    assert f"by command line (OS user {getpass.getuser()})" in text_of(target)


def test_a_log_to_standard_output_is_audited(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sid, head = signed_session(db)
    code, out, _ = run(capsys, "--db", str(db), "export", "json", sid)
    assert code == 0
    assert head in out
    [row] = exports(db)
    assert row["detail"]["kind"] == "session event log"
    assert row["detail"]["how"] == "written to standard output"
    assert row["detail"]["record_hashes"] == {sid: head}


@pytest.mark.parametrize("what", ["session", "course"])
def test_the_same_printed_at_and_as_give_the_same_bytes(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    what: str,
) -> None:
    sid, _ = signed_session(db)
    subject = ("pdf", sid) if what == "session" else ("course", "MRN-1002")

    def export(name: str, when: str) -> bytes:
        target = tmp_path / name
        argv = ("--db", str(db), "export", *subject, "-o", str(target), "--as", "dana")
        code, _, err = with_password(
            capsys, monkeypatch, DEMO_PASSWORD, *argv, "--printed-at", when
        )
        assert code == 0, err
        return target.read_bytes()

    first, second = export("first.pdf", PINNED), export("second.pdf", PINNED)
    assert first == second
    # The same moment written in another zone prints in the clinic's zone: the same bytes.
    assert export("utc.pdf", "2026-11-24T23:00:00+00:00") == first
    assert export("later.pdf", "2026-11-24T18:01:00-05:00") != first
    rows = exports(db)
    assert len(rows) == 4  # each export is audited, and none changed what the next printed
    assert [r["detail"]["printed_at"] for r in rows[:2]] == [PINNED, PINNED]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2026-11-24T18:00:00", "has no UTC offset"),
        ("2026-11-24", "has no UTC offset"),
        ("tomorrow at six", "is not a time"),
    ],
)
def test_printed_at_needs_an_iso_time_with_its_offset(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, why: str
) -> None:
    target = tmp_path / "x.pdf"
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(demo_db), "export", "course", "MRN-1001", "-o", str(target),
              "--printed-at", value])  # fmt: skip
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --printed-at:" in err
    assert why in err
    assert "ISO 8601 time with its UTC offset, e.g. 2026-11-24T18:00:00-05:00" in err
    assert not target.exists()


def test_an_export_whose_audit_row_cannot_be_written_is_not_handed_out(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "add_export_entry", full)
    folder = tmp_path / "day"
    code, out, err = run(
        capsys, "--db", str(db), "export", "pdf", "--date", "2026-11-24", "-o", str(folder)
    )
    assert code == 1
    assert "the audit log could not be written (database or disk is full)" in err
    assert "not handed out" in err
    assert out == ""
    assert list(folder.iterdir()) == []  # not even the staged copy is left


def test_the_printed_ledger_head_skips_exports_but_not_new_entries(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def printed_head(name: str, sid: str) -> str:
        target = tmp_path / name
        assert run(capsys, "--db", str(db), "export", "pdf", sid, "-o", str(target))[0] == 0
        found = re.search(r"bedside verify --against (\d+:[0-9a-f]{64})", text_of(target))
        assert found
        return found[1]

    with Store(db) as store:
        sid = next(h.id for h in store.all_sessions() if not fold(store.events(h.id)).locked)
        before = store.ledger_head()
    first = printed_head("first.pdf", sid)
    assert first == f"{before.seq}:{before.hash}"
    assert printed_head("again.pdf", sid) == first  # the first export's row is not a change
    with Store(db) as store:
        service = ChartService(store, FixedClock(NOW))
        nurse = service.accounts.authenticate("dana", DEMO_PASSWORD)
        service.add_note(nurse, sid, "Escort arrived.")
        after = store.ledger_head()
    assert printed_head("later.pdf", sid) == f"{after.seq}:{after.hash}" != first
    code, _, err = run(capsys, "--db", str(db), "verify", "--against", first)
    assert code == 0, err
