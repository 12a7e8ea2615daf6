"""The command line, run in-process through ``ui.launcher.main`` and once as a real process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import NOW, import_confirmed, init, run

from bedside.clock import FixedClock
from bedside.store import Store
from ui.demo import DEMO_PASSWORD, build_demo


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database for tests that write."""
    target = tmp_path / "copy.db"
    with Store(demo_db) as store:
        store.backup(target)
    return target


def signed_session_id(db: Path) -> str:
    with Store(db) as store:
        for header in store.all_sessions():
            from bedside.state import fold

            if fold(store.events(header.id)).locked:
                return header.id
    raise AssertionError("demo has no signed session")


def test_sessions_lists_json_with_phase(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(demo_db), "sessions", "--all", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 8
    assert {r["phase"] for r in rows} == {"signed", "infusing", "ready_for_discharge", "prepared"}
    assert {"id", "patient", "chair", "date", "phase"} <= set(rows[0])


def test_sessions_by_date(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(demo_db), "sessions", "--date", "2026-11-24", "--json")
    assert code == 0
    assert [r["patient"] for r in json.loads(out)] == [
        "NGUYEN, Minh",
        "GARCÍA, Lucía",
        "O'BRIEN, Sean",
        "SHAH, Priya",
    ]
    code, out, _ = run(capsys, "--db", str(demo_db), "sessions", "--date", "2001-01-01")
    assert code == 0
    assert out.startswith("No sessions on 2001-01-01")


def test_verify_refuses_a_missing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.db"
    code, _, err = run(capsys, "verify", "--db", str(missing))
    assert code == 1
    assert "There is no database" in err
    assert not missing.exists()


def test_verify_ok(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(demo_db), "verify")
    assert code == 0
    assert "8 sessions" in out


def test_verify_printed_hash(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sid = signed_session_id(demo_db)
    with Store(demo_db) as store:
        head = store.head_hash(sid)  # type: ignore[arg-type]
    code, out, _ = run(capsys, "--db", str(demo_db), "verify", "--session", sid[:8], "--hash", head)
    assert code == 0
    assert out.startswith("OK")
    code, _, err = run(
        capsys, "--db", str(demo_db), "verify", "--session", sid, "--hash", "ab" * 32
    )
    assert code == 3
    assert "not in this session's record" in err


def test_export_import_into_another_clinic(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = signed_session_id(db)
    log = tmp_path / "session.json"
    code, _, _ = run(capsys, "--db", str(db), "export", "json", sid[:8], "-o", str(log))
    assert code == 0
    target = tmp_path / "other.db"
    # No clinic there yet: refused, and no file made.
    code, _, err = run(capsys, "--db", str(target), "import", str(log))
    assert code == 1
    assert "Set the clinic up first" in err
    assert not target.exists()
    assert init(capsys, monkeypatch, target)[0] == 0
    # The people the log names are unknown there: an administrator must confirm them.
    code, _, err = run(capsys, "--db", str(target), "import", str(log))
    assert code == 1
    assert "Jordan Lee, MD (clinician, user name drlee)" in err
    assert "--confirm-authors" in err
    code, out, err = import_confirmed(capsys, monkeypatch, target, log)
    assert code == 0, err
    assert "chain verified" in out
    code, out, _ = run(capsys, "--db", str(target), "export", "json", sid)
    assert json.loads(out)["events"] == json.loads(log.read_text())["events"]
    with Store(target) as store:
        (confirmed,) = [
            e for e in store.audit_entries() if e["action"] == "import_authors_confirmed"
        ]
        assert {a["user"] for a in confirmed["detail"]["authors"]} >= {"drlee", "dana"}
        assert store.verify() == []
    # Importing the same session again is refused.
    code, _, err = import_confirmed(capsys, monkeypatch, target, log)
    assert code == 1
    assert "already in this database" in err


def _tampered(log: Path, out: Path, change) -> Path:  # type: ignore[no-untyped-def]
    data = json.loads(log.read_text())
    change(data)
    out.write_text(json.dumps(data))
    return out


def test_import_refuses_tampered_and_invalid_logs(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = signed_session_id(db)
    log = tmp_path / "session.json"
    assert run(capsys, "--db", str(db), "export", "json", sid, "-o", str(log))[0] == 0

    def bump_bp(data: dict) -> None:  # type: ignore[type-arg]
        for event in data["events"]:
            if event["payload"]["kind"] == "vitals_recorded":
                event["payload"]["systolic"] -= 40  # hide the peak of the infusion
                return
        raise AssertionError("no vitals reading")

    def drop_event(data: dict) -> None:  # type: ignore[type-arg]
        del data["events"][5]

    def impossible_value(data: dict) -> None:  # type: ignore[type-arg]
        for event in data["events"]:
            if event["payload"]["kind"] == "vitals_recorded":
                event["payload"]["spo2"] = 101
                return

    def sign_as_nurse(data: dict) -> None:  # type: ignore[type-arg]
        # Re-hashing can hide an edit from the chain, but not from the role rules.
        from bedside.store.hashing import compute_hash

        nurse = next(u for u in data["users"] if u["role"] == "nurse")
        prev = None
        for event in data["events"]:
            if event["payload"]["kind"] == "session_signed":
                event["author"] = nurse["id"]
            if prev is not None:
                event["prev_hash"] = prev
            event["hash"] = compute_hash(event)
            prev = event["hash"]

    cases = {
        "altered": (bump_bp, "altered after it was recorded"),
        "deleted": (drop_event, "out of sequence"),
        "impossible": (impossible_value, "SpO2 101 % is not possible (allowed 50–100 %)"),
        "role": (sign_as_nurse, "may not sign the discharge"),
    }
    for name, (change, expected) in cases.items():
        target = tmp_path / f"{name}.db"
        bad = _tampered(log, tmp_path / f"{name}.json", change)
        code, _, err = run(capsys, "--db", str(target), "import", str(bad))
        assert code == 1, name
        assert expected in err, (name, err)
        assert not target.exists(), name


def test_import_refuses_non_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    code, _, err = run(capsys, "--db", str(tmp_path / "d.db"), "import", str(bad))
    assert code == 1
    assert "Not a Bedside session log" in err


def test_users_add_and_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "u.db")
    monkeypatch.setattr(sys, "stdin", io.StringIO("first-admin-pw\n"))
    code, _, err = run(
        capsys,
        "--db",
        db,
        "init",
        "--clinic-name",
        "Lakeside",
        "--timezone",
        "Europe/London",
        "--admin",
        "boss",
        "--name",
        "Pat Boss",
        "--password-stdin",
    )
    assert code == 0, err
    monkeypatch.setattr(sys, "stdin", io.StringIO("nurse-password\nfirst-admin-pw\n"))
    code, _, err = run(
        capsys,
        "--db",
        db,
        "users",
        "add",
        "kim",
        "--name",
        "Kim Lo",
        "--role",
        "nurse",
        "--credentials",
        "RN",
        "--as",
        "boss",
        "--password-stdin",
    )
    assert code == 0, err
    monkeypatch.setattr(sys, "stdin", io.StringIO("another-pass\nwrong-password\n"))
    code, _, err = run(
        capsys,
        "--db",
        db,
        "users",
        "add",
        "eve",
        "--name",
        "Eve",
        "--role",
        "admin",
        "--as",
        "boss",
        "--password-stdin",
    )
    assert code == 1
    assert "User name or password is wrong" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("another-pass\nnurse-password\n"))
    code, _, err = run(
        capsys,
        "--db",
        db,
        "users",
        "add",
        "eve",
        "--name",
        "Eve",
        "--role",
        "admin",
        "--as",
        "kim",
        "--password-stdin",
    )
    assert code == 1
    assert "not allowed to manage user accounts" in err
    code, out, _ = run(capsys, "--db", db, "users", "list")
    assert [line.split()[0] for line in out.splitlines()] == ["boss", "kim"]


def test_demo_refuses_non_empty_db(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(demo_db), "demo")
    assert code == 1
    assert "already has users" in err
    assert run(capsys, "--db", str(demo_db), "demo", "--if-empty")[0] == 0


def test_backup_and_restore(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backup = tmp_path / "b.db"
    code, out, _ = run(capsys, "--db", str(db), "backup", "-o", str(backup))
    assert code == 0
    assert "verified" in out
    assert backup.stat().st_mode & 0o777 == 0o600
    target = tmp_path / "restored" / "bedside.db"
    code, out, _ = run(capsys, "--db", str(target), "restore", str(backup))
    assert code == 0
    with Store(target) as a, Store(db) as b:
        assert a.event_count() == b.event_count() > 0
        assert a.verify() == []


def test_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["title"] == "Bedside session log"
    kinds = json.dumps(schema)
    for kind in ("vitals_recorded", "session_signed", "waste_recorded", "entry_voided"):
        assert kind in kinds


def test_entry_point_as_a_process(demo_db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--db", str(demo_db), "verify"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_fixed_clock_is_injectable() -> None:
    # The CLI accepts an injected clock (used by tests and replays), never the wall clock inside.
    from ui.cli import build_parser, run_command

    args = build_parser().parse_args(["schema"])
    assert run_command(args, FixedClock(NOW)) == 0
    assert DEMO_PASSWORD


def test_restore_refuses_a_missing_backup_and_leaves_the_database(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = db.read_bytes()
    code, _, err = run(capsys, "--db", str(db), "restore", str(tmp_path / "typo.db"))
    assert code == 1
    assert "There is no backup file" in err
    assert not (tmp_path / "typo.db").exists()
    assert db.read_bytes() == before


def test_restore_refuses_a_damaged_backup_untouched(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    code, _, err = run(capsys, "--db", str(db), "restore", str(bad))
    assert code == 1
    assert "not a sound Bedside backup; nothing was changed" in err
    assert bad.read_bytes() == b"not a database at all" * 100


def test_verify_hash_without_session_searches_every_session(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = signed_session_id(demo_db)
    with Store(demo_db) as store:
        head = store.head_hash(sid)  # type: ignore[arg-type]
    code, out, _ = run(capsys, "--db", str(demo_db), "verify", "--hash", head)
    assert code == 0
    assert f"current record hash of session {sid}" in out
    code, _, err = run(capsys, "--db", str(demo_db), "verify", "--hash", "cd" * 32)
    assert code == 1
    assert "not in this database" in err


def test_db_option_after_nested_commands(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "users", "list", "--db", str(demo_db))
    assert code == 0
    assert "drlee" in out
    sid = signed_session_id(demo_db)
    code, out, _ = run(capsys, "export", "json", sid[:8], "--db", str(demo_db))
    assert code == 0
    assert json.loads(out)["session"]["id"] == sid


def test_import_of_a_missing_or_binary_file_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "d.db"), "import", str(tmp_path / "no"))
    assert (code, "There is no file" in err) == (1, True)
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    code, _, err = run(capsys, "--db", str(tmp_path / "d.db"), "import", str(binary))
    assert (code, "is not a text (JSON) file" in err) == (1, True)


def test_second_import_with_same_author_names_keeps_valid_user_names(
    demo_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two clinics (two demo builds) have staff with the same user names but different ids.
    other_clinic = tmp_path / "other.db"
    with Store(other_clinic) as store:
        build_demo(store, NOW)
    target = tmp_path / "t.db"
    assert init(capsys, monkeypatch, target)[0] == 0
    for n, (source, mrn) in enumerate(((demo_db, "MRN-1001"), (other_clinic, "MRN-1002"))):
        with Store(source) as store:
            patient = store.patient_by_mrn(mrn)
            assert patient is not None
            sid = store.sessions_for_patient(patient.id)[0].id
        log = tmp_path / f"{n}.json"
        assert run(capsys, "--db", str(source), "export", "json", sid, "-o", str(log))[0] == 0
        code, _, err = import_confirmed(capsys, monkeypatch, target, log)
        assert code == 0, err
    code, out, err = run(capsys, "--db", str(target), "users", "list")
    assert code == 0, err
    names = [line.split()[0] for line in out.splitlines()]
    assert "dana" in names
    assert "dana-imported" in names
    with Store(target) as store:
        assert len(store.all_sessions()) == 2
