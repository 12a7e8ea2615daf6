"""Issue 13, item 1: the demo clinic lives in its own database, never in the clinic's. The
README's ``./run app`` opens it (``bedside --demo``: made on first run); ``bedside demo``
refuses the clinic's database file and any database holding a clinic that is not the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cli_support import NOW, init, run

from bedside.clock import FixedClock
from bedside.errors import OperationRefused
from bedside.service import ChartService
from bedside.store import Store, default_db_path
from bedside.store.demo_path import default_demo_db_path
from ui.demo import build_demo
from ui.launcher import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user data folder (where both default databases live) in a temporary folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def app_opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Each time the desktop app would have opened, with what on (no window is shown)."""
    opened: list[dict[str, Any]] = []

    def fake_run_app(
        db_path: Path | None = None, *, smoke: bool = False, demo: bool = False
    ) -> int:
        opened.append({"db_path": db_path, "smoke": smoke, "demo": demo})
        return 0

    monkeypatch.setattr("ui.app.run_app", fake_run_app)
    return opened


def users_of(path: Path) -> list[str]:
    with Store(path) as store:
        return sorted(u.username for u in store.users())


def test_the_demo_database_is_its_own_file_beside_the_clinics(data_home: Path) -> None:
    assert default_demo_db_path() != default_db_path()
    assert default_demo_db_path().parent == default_db_path().parent
    assert default_db_path().is_relative_to(data_home)


def test_run_app_opens_the_demo_in_its_own_database(data_home: Path) -> None:
    # What ``./run app`` runs: one command, the app on the demo (made first if empty).
    script = (REPO / "run").read_text(encoding="utf-8")
    assert 'bedside --demo "$@"' in script
    assert "demo --if-empty" not in script


def test_bedside_demo_flag_opens_the_app_on_the_demo_file_never_the_clinics(
    data_home: Path, app_opened: list[dict[str, Any]]
) -> None:
    # The demo is made behind the app's first window (tests/ui/test_demo_apart_ui.py), so
    # that window is drawn at once even the first time.
    assert main(["--demo"]) == 0
    assert app_opened == [{"db_path": default_demo_db_path(), "smoke": False, "demo": True}]
    assert not default_db_path().exists()  # the clinic's file is never created


def test_bedside_demo_command_defaults_to_the_demo_file(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert str(default_demo_db_path()) in out
    assert not default_db_path().exists()
    assert run(capsys, "demo", "--if-empty")[0] == 0


def test_the_demo_is_refused_onto_the_clinics_database_file(
    data_home: Path, app_opened: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", str(default_db_path()), "demo")
    assert code == 1
    assert "is the clinic's database" in err
    assert str(default_demo_db_path()) in err
    assert not default_db_path().exists()  # refused before the file was even made
    code, _, err = run(capsys, "--demo", "--db", str(default_db_path()))
    assert code == 1
    assert "is the clinic's database" in err
    assert app_opened == []  # refused before any window
    assert not default_db_path().exists()


def test_the_demo_is_refused_into_a_clinics_database_even_if_empty_is_asked(
    tmp_path: Path,
    app_opened: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clinic = tmp_path / "clinic.db"
    assert init(capsys, monkeypatch, clinic)[0] == 0
    code, _, err = run(capsys, "--db", str(clinic), "demo", "--if-empty")
    assert code == 1
    assert "not the demo" in err
    assert users_of(clinic) == ["boss"]  # and "bedside --demo --db": tests/ui/test_demo_apart_ui


def test_build_demo_refuses_a_clinic_that_is_not_a_demo(tmp_path: Path) -> None:
    with Store(tmp_path / "clinic.db") as store:
        ChartService(store, FixedClock(NOW)).set_up_clinic(
            clinic_name="Lakeside Infusion Centre",
            timezone="Europe/London",
            admin_username="boss",
            admin_full_name="Pat Boss",
            admin_password="first-admin-pw",
        )
        with pytest.raises(OperationRefused, match="not the demo"):
            build_demo(store, NOW)
        assert [u.username for u in store.users()] == ["boss"]
        assert not store.is_demo()


def test_build_demo_refuses_the_clinics_database_file(data_home: Path) -> None:
    with Store(default_db_path()) as store:
        with pytest.raises(OperationRefused, match="is the clinic's database"):
            build_demo(store, NOW)
        assert not store.has_users()
