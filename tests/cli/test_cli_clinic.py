"""Issue 11, item 1 from the command line: ``bedside init`` sets up a clinic with its time zone
and first administrator; ``bedside clinic show|set`` reads and changes the settings (an admin
authorises; audited); ``users add`` on an empty database points to ``init``."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_support import PW, init, run

from bedside.store import Store
from bedside.timeutil import workstation_timezone


def test_init_stores_the_zone_and_the_first_admin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.db"
    code, out, err = init(capsys, monkeypatch, db, "--timezone", "Europe/Dublin")
    assert code == 0, err
    assert "Time zone: Europe/Dublin" in out
    with Store(db) as store:
        assert store.get_setting("timezone") == "Europe/Dublin"
        assert [u.username for u in store.users()] == ["boss"]
    code, out, _ = run(capsys, "--db", str(db), "clinic", "show")
    assert code == 0
    assert "timezone        Europe/Dublin" in out
    assert "clinic_name     Lakeside Infusion Centre" in out


def test_init_defaults_to_this_computers_zone_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.db"
    code, out, _ = init(capsys, monkeypatch, db)
    assert code == 0
    assert f"Time zone: {workstation_timezone()}" in out


def test_init_refuses_a_bad_zone_and_a_second_clinic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.db"
    code, _, err = init(capsys, monkeypatch, db, "--timezone", "CET+1")
    assert code == 1
    assert "'CET+1' is not a known zone name" in err
    with Store(db) as store:
        assert not store.has_users()
    assert init(capsys, monkeypatch, db, "--timezone", "UTC")[0] == 0
    code, _, err = init(capsys, monkeypatch, db, "--timezone", "Asia/Tokyo")
    assert code == 1
    assert "already has a clinic" in err
    with Store(db) as store:
        assert store.get_setting("timezone") == "UTC"


def test_clinic_set_changes_the_zone_with_the_admins_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.db"
    assert init(capsys, monkeypatch, db, "--timezone", "UTC")[0] == 0
    argv = ("--db", str(db), "clinic", "set", "--timezone", "America/Denver", "--as", "boss")
    monkeypatch.setattr(sys, "stdin", io.StringIO("wrong-password\n"))
    code, _, err = run(capsys, *argv, "--password-stdin")
    assert code == 1
    assert "password is wrong" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO(PW + "\n"))
    code, out, err = run(capsys, *argv, "--password-stdin")
    assert code == 0, err
    assert "timezone: UTC → America/Denver" in out
    with Store(db) as store:
        assert store.get_setting("timezone") == "America/Denver"
        assert store.audit_entries()[-1]["detail"]["timezone_before"] == "UTC"


def test_users_add_on_an_empty_database_points_to_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "e.db"
    Store(db).close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(PW + "\n"))
    code, _, err = run(
        capsys,
        "--db",
        str(db),
        "users",
        "add",
        "boss",
        "--name",
        "Pat Boss",
        "--role",
        "admin",
        "--password-stdin",
    )
    assert code == 1
    assert "set it up with 'bedside init'" in err
    with Store(db) as store:
        assert not store.has_users()


def test_it_unlocks_the_only_admin_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bedside.clock import FixedClock
    from bedside.errors import AuthenticationFailed
    from bedside.service import ChartService

    db = tmp_path / "c.db"
    assert init(capsys, monkeypatch, db, "--timezone", "UTC")[0] == 0
    with Store(db) as store:
        clock = FixedClock(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
        accounts = ChartService(store, clock).accounts
        for _ in range(5):
            clock.advance(minutes=1)
            with pytest.raises(AuthenticationFailed):
                accounts.authenticate("boss", "not-it")
        assert accounts.guard(store.users()[0].id).locked_at is not None
    code, out, err = run(capsys, "--db", str(db), "users", "unlock", "boss")
    assert code == 0, err
    assert "Unlocked boss" in out
    with Store(db) as store:
        assert ChartService(store, FixedClock(datetime.now(UTC))).accounts.authenticate("boss", PW)
        entry = store.audit_entries()[-1]
        assert entry["action"] == "account_unlocked"
        assert "command line" in entry["detail"]["by"]


def test_sessions_lists_the_time_in_the_zone_the_session_was_opened_under(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by IT's walk: after a zone change the date came from the session and the time
    # from the clinic's new zone ("2026-11-18 03:00" for a session opened at 13:00 UTC).
    import json

    db = tmp_path / "copy.db"
    with Store(demo_db) as store:
        store.backup(db)
    before = json.loads(run(capsys, "--db", str(db), "sessions", "--all", "--json")[1])
    with Store(db) as store:
        store.set_settings({"timezone": "Pacific/Kiritimati"}, actor=None, at=datetime.now(UTC))
    after = json.loads(run(capsys, "--db", str(db), "sessions", "--all", "--json")[1])
    assert [(r["date"], r["opened"]) for r in after] == [(r["date"], r["opened"]) for r in before]


def test_clinic_alone_shows_the_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.launcher import main

    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["clinic", "--db", str(db)]) == 0
    shown = capsys.readouterr().out
    assert main(["clinic", "show", "--db", str(db)]) == 0
    assert shown == capsys.readouterr().out
    assert "Riverside" in shown
