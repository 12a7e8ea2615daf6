"""The app's start in two steps (issue 13 item 5): the first window is drawn before the record's
models load, then the board takes its place; a start that cannot open the board says so in
words and ends with an error; the first window never waits for a paint that does not come; the
garbage collector, off during the start, is always on again."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from ui import app as bedside_app
from ui.board import opening
from ui.board.start_frame import StartFrame

ROOT = Path(__file__).resolve().parents[2]


def _clinic(folder: Path) -> Path:
    db = folder / "clinic.db"
    with Store(db) as store:
        ChartService(store, FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC))).set_up_clinic(
            clinic_name="Two Steps Clinic",
            timezone="Europe/London",
            admin_username="admin",
            admin_full_name="Alex Admin",
            admin_password="two-steps-password",
        )
    return db


def _smoke(db: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BEDSIDE_LOG_DIR=str(folder / "log"))
    env[bedside_app.MARKS] = str(folder / "marks.json")
    for kind in ("config", "state", "data", "cache"):
        env[f"XDG_{kind.upper()}_HOME"] = str(folder / kind)
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--db", str(db), "--smoke"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_first_window_is_drawn_before_the_board_is_shown(tmp_path: Path) -> None:
    result = _smoke(_clinic(tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
    marks = json.loads((tmp_path / "marks.json").read_text(encoding="utf-8"))
    assert marks["frame_painted_ns"] is not None  # drawn, not merely shown
    assert marks["frame_painted_ns"] < marks["board_ready_ns"]


class _App:
    """The second step's view of the QApplication: the code it exits with."""

    def __init__(self) -> None:
        self.ended: list[int] = []

    def exit(self, code: int) -> None:
        self.ended.append(code)


@pytest.fixture(autouse=True)
def _no_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second step's theme is not laid on the tests' whole application."""
    monkeypatch.setattr(bedside_app.theme, "apply", lambda app, theme: None)


def test_a_board_that_cannot_open_is_said_in_words_and_ends_with_an_error(
    qtbot: QtBot,
    qsettings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("a defect in the board's code")

    monkeypatch.setattr(opening, "open_board", broken)
    monkeypatch.setenv("BEDSIDE_LOG_DIR", str(tmp_path / "log"))
    app = _App()
    frame = StartFrame(qsettings)
    qtbot.addWidget(frame)
    opened: list[object] = []
    bedside_app._second_step(app, frame, opened, qsettings, None, True, None)  # type: ignore[arg-type]
    assert app.ended == [1]
    assert opened == []
    words = capsys.readouterr().err
    assert "Nothing in the record was changed" in words
    assert "Traceback" not in words
    assert "RuntimeError" not in words
    logged = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert [str(e) for e in logged] == ["a defect in the board's code"]  # the board's, logged


class _NeverPainted(StartFrame):
    """A first window the system never draws (minimised, no compositor)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        pass


def test_the_first_window_goes_on_without_a_paint(
    qtbot: QtBot, qsettings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shown, never painted: the start still goes on."""
    monkeypatch.setattr(StartFrame, "WAIT_FOR_PAINT_MS", 10)
    frame = _NeverPainted(qsettings)
    qtbot.addWidget(frame)
    with qtbot.waitSignal(frame.on_screen, timeout=5_000):
        frame.show()
    assert frame.first_painted_ns is None


def test_the_wait_for_a_paint_counts_from_the_show(
    qtbot: QtBot, qsettings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow machine between the window's making and its show is not cut short of its paint:
    nothing is told before the window is shown."""
    monkeypatch.setattr(StartFrame, "WAIT_FOR_PAINT_MS", 10)
    frame = _NeverPainted(qsettings)
    qtbot.addWidget(frame)
    with qtbot.assertNotEmitted(frame.on_screen, wait=200):
        pass
    with qtbot.waitSignal(frame.on_screen, timeout=5_000):
        frame.show()


def test_the_first_window_goes_on_once_drawn(
    qtbot: QtBot, qsettings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(StartFrame, "WAIT_FOR_PAINT_MS", 600_000)  # only the paint can tell
    frame = StartFrame(qsettings)
    qtbot.addWidget(frame)
    with qtbot.waitSignal(frame.on_screen, timeout=30_000):
        frame.show()
    assert frame.first_painted_ns is not None


def test_the_collector_is_on_again_after_a_command_and_after_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.launcher import main

    seen: list[bool] = []

    def fake_run_app(
        db_path: Path | None = None, *, smoke: bool = False, demo: bool = False
    ) -> int:
        seen.append(gc.isenabled())  # off on the way in: the app turns it on (second step)
        return 0

    monkeypatch.setattr("ui.app.run_app", fake_run_app)
    assert main(["--smoke", "--db", "x.db"]) == 0
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(SystemExit):
        main(["--version"])
    assert gc.isenabled()


def test_ctrl_c_in_a_terminal_ends_the_app_at_once_while_it_runs(
    qapp: QApplication, qsettings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's own handler would raise at the nurse's next click (lost, with a traceback)."""
    monkeypatch.setattr(StartFrame, "WAIT_FOR_PAINT_MS", 600_000)  # the second step never runs
    monkeypatch.setattr(bedside_app, "QSettings", lambda: qsettings)
    monkeypatch.setattr(bedside_app.crash, "install", lambda: lambda: None)  # hooks: the suite's
    names = qapp.organizationName(), qapp.applicationName()
    during: list[object] = []

    def exec_() -> int:
        during.append(signal.getsignal(signal.SIGINT))
        return 0

    monkeypatch.setattr(qapp, "exec", exec_)
    before = signal.getsignal(signal.SIGINT)
    assert bedside_app.run_app(Path("unused.db"), smoke=True) == 0
    assert during == [signal.SIG_DFL]
    assert signal.getsignal(signal.SIGINT) is before  # a caller's handler is given back
    qapp.setOrganizationName(names[0])
    qapp.setApplicationName(names[1])


def test_a_board_that_fails_after_the_database_opened_closes_the_database(
    qsettings: QSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    closed: list[Path] = []

    class WatchedStore(Store):
        def close(self) -> None:
            closed.append(self.path)
            super().close()

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("a defect in the board's code")

    db = _clinic(tmp_path)
    monkeypatch.setattr(opening, "Store", WatchedStore)
    monkeypatch.setattr(opening, "MainWindow", broken)
    with pytest.raises(RuntimeError):
        opening.open_board(qsettings, db, smoke=True, clock=None)
    assert closed == [db]


def test_the_collector_is_left_as_the_caller_had_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.launcher import main

    monkeypatch.setattr("ui.app.run_app", lambda db_path=None, *, smoke=False, demo=False: 0)
    gc.disable()
    try:
        assert main(["--smoke", "--db", "x.db"]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_first_window_says_when_it_opens_the_demo(qtbot: QtBot, qsettings: QSettings) -> None:
    clinic, demo = StartFrame(qsettings), StartFrame(qsettings, demo=True)
    qtbot.addWidget(clinic)
    qtbot.addWidget(demo)
    assert "DEMO" not in clinic.windowTitle() + clinic.words.text()
    assert "DEMO" in demo.windowTitle()
    assert "not for patient care" in demo.words.text()
