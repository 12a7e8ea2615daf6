"""Issue 13, item 1 on screen: the clinic's first run offers no demo and makes no demo
accounts; a demo database says DEMO in the main window's title and the sign-in dialog's, a
clinic's does not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from bedside.clock import FixedClock
from bedside.demo_mark import DEMO_SETTING
from bedside.people import User
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.anchor import AnchorFile, LedgerHead
from tests.conftest import T0
from ui.board import opening
from ui.board.first_run_dialog import FirstRunDialog, NewClinic
from ui.board.integrity_watch import IntegrityWatch
from ui.board.login_dialog import LoginDialog
from ui.board.main_window import MainWindow
from ui.demo import build_demo


def window(qtbot: QtBot, service: ChartService, user: User, qsettings: QSettings) -> MainWindow:
    made = MainWindow(service, user, service.clock, qsettings)
    made.ticker.stop()
    qtbot.addWidget(made)
    return made


def test_the_first_run_offers_no_demo_only_where_it_lives(qtbot: QtBot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    buttons = [b.text() for b in dialog.findChildren(QPushButton)]
    assert buttons == ["Set up the clinic"]
    assert not hasattr(dialog, "demo_button")
    assert any("bedside --demo" in label.text() for label in dialog.findChildren(QLabel))


@pytest.mark.parametrize("closed", [True, False])
def test_the_clinics_first_run_makes_no_demo_accounts(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closed: bool
) -> None:
    choice = (
        None
        if closed
        else NewClinic(
            clinic_name="Lakeside Infusion Centre",
            clinic_address="",
            timezone="Europe/Berlin",
            paper_size="A4",
            username="boss",
            full_name="Pat Boss",
            password="long-enough-pw-1",
        )
    )
    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(lambda cls, parent=None: choice))
    with Store(tmp_path / "clinic.db") as store:
        service = ChartService(store, FixedClock(T0))
        opening.first_run(service, service.clock)
        assert [u.username for u in store.users()] == ([] if closed else ["boss"])
        assert not store.is_demo()


def test_a_demo_database_says_demo_in_the_titles(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    assert ui_service.is_demo()
    assert window(qtbot, ui_service, nurse, qsettings).windowTitle().startswith("DEMO — Bedside")
    login = LoginDialog(ui_service.accounts, clinic_name="Riverside")
    qtbot.addWidget(login)
    assert login.windowTitle() == "DEMO — Sign in — Riverside"
    assert "bedside-demo" in login.message.text()


def test_a_clinics_database_has_no_demo_in_its_titles(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    ui_service.store.set_settings({DEMO_SETTING: ""}, actor=None, at=ui_service.clock.now())
    assert "DEMO" not in window(qtbot, ui_service, nurse, qsettings).windowTitle()
    login = LoginDialog(ui_service.accounts, clinic_name="Riverside")
    qtbot.addWidget(login)
    assert login.windowTitle() == "Sign in — Riverside"
    assert login.message.text() == ""


def _accounts(path: Path) -> list[str]:
    with Store(path) as store:
        return sorted(u.username for u in store.users())


def test_bedside_demo_makes_the_demo_behind_the_first_window_once(
    qtbot: QtBot, qsettings: QSettings, tmp_path: Path
) -> None:
    demo = tmp_path / "demo.db"
    for _ in range(2):  # made the first time, kept as it is the second
        board = opening.open_board(qsettings, demo, smoke=True, clock=FixedClock(T0), demo=True)
        assert isinstance(board, MainWindow)
        qtbot.addWidget(board)
        assert board.service.store.is_demo()
        assert "DEMO" in board.windowTitle()
        for watch in board.findChildren(IntegrityWatch):
            watch.stop()  # its thread ends before the window is freed
        board.close()
        board.service.store.close()
        assert _accounts(demo) == ["admin", "dana", "drlee", "sam"]


def _lakeside(path: Path) -> Path:
    """A clinic's database (not the demo) with its one administrator, ``boss``."""
    with Store(path) as store:
        ChartService(store, FixedClock(T0)).set_up_clinic(
            clinic_name="Lakeside Infusion Centre",
            timezone="Europe/London",
            admin_username="boss",
            admin_full_name="Pat Boss",
            admin_password="first-admin-pw",
        )
    return path


def test_bedside_demo_on_a_clinics_database_is_refused_and_changes_nothing(
    qsettings: QSettings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clinic = _lakeside(tmp_path / "clinic.db")
    code = opening.open_board(qsettings, clinic, smoke=True, clock=FixedClock(T0), demo=True)
    assert code == 1
    assert "not the demo" in capsys.readouterr().err
    assert _accounts(clinic) == ["boss"]


def test_bedside_demo_refused_on_screen_says_why_in_a_message(
    qsettings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path a user sees (no --smoke): the refusal in a message over the first window."""
    clinic = _lakeside(tmp_path / "clinic.db")
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(
        opening.QMessageBox, "critical", lambda parent, title, text: said.append((title, text))
    )
    assert opening.open_board(qsettings, clinic, smoke=False, clock=FixedClock(T0), demo=True) == 1
    assert len(said) == 1
    assert said[0][0] == "Bedside cannot open its database"
    assert "not the demo" in said[0][1]


def test_a_full_disk_while_making_the_demo_is_said_in_words(
    qsettings: QSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def full(*args: object) -> bool:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("ui.demo.demo_kept_or_built", full)
    code = opening.open_board(
        qsettings, tmp_path / "demo.db", smoke=True, clock=FixedClock(T0), demo=True
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "is full" in err
    assert "OperationalError" not in err


def test_a_rolled_back_demo_is_refused_as_tampered(
    qsettings: QSettings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = tmp_path / "demo.db"
    with Store(demo) as store:
        build_demo(store, T0)
        head = store.ledger_head()
    AnchorFile().set(demo, LedgerHead(head.seq + 5, head.hash), T0)  # it once held more
    code = opening.open_board(qsettings, demo, smoke=True, clock=FixedClock(T0), demo=True)
    assert code == 3  # as the command line says damage or tampering
    assert "not the database this workstation last wrote" in capsys.readouterr().err
