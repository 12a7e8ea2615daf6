"""The desktop app's way to the board does not import what only later actions need (issue 13
item 5, bench ``app_cold_start_smoke``): cryptography (signing keys: made, unsealed or checked
when someone signs or verifies), reportlab (printing), sqlite-utils (a pending migration) and
the first-run dialog (an empty database only); the imported modules are kept out of the
garbage collector's reach (the collections at exit walked them: ~200 ms of every start); and
the board's window is styled once and watches input only from the event loop's first turn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bedside.clock import FixedClock
from bedside.people import User
from bedside.service import ChartService
from bedside.store import Store
from ui.board.chair_board import tile_tone
from ui.board.idle_lock import IdleLock
from ui.board.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
LATER = (
    "cryptography",
    "reportlab",
    "sqlite_utils",
    "ui.board.first_run_dialog",
    "psycopg",  # the clinic server's commands only
)

PROBE = """
import json, sys
import ui.launcher, ui.app  # the bedside script's way to the board: its first step,
import ui.board.opening  # then its second
later = sys.argv[1:]
print(json.dumps(sorted(m for m in later if any(
    name == m or name.startswith(m + ".") for name in sys.modules))))
"""


def test_starting_the_app_leaves_later_imports_for_later() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *LATER],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


FROZEN = """
import atexit, gc, runpy, sys
atexit.register(lambda: print(gc.get_freeze_count(), flush=True))
sys.argv = ["bedside", "--db", sys.argv[1], "--smoke"]
runpy.run_module("ui.launcher", run_name="__main__")
"""


FIRST_STEP = """
import json, sys
import ui.launcher, ui.app, ui.app_args, bedside.app_log  # the app's first step
print(json.dumps(sorted(m for m in sys.argv[1:] if m in sys.modules)))
"""
SECOND_STEP = ("pydantic", "bedside.events", "bedside.service", "ui.board.main_window", "ui.cli")


def test_the_first_window_waits_for_no_model_command_or_board() -> None:
    """What the first window is shown with (issue 13 item 5): Qt, the log and the app's own
    options; the record's models, the service, the board and the command line's parsers load
    in the second step, with the window on the screen."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", FIRST_STEP, *SECOND_STEP],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_the_app_keeps_what_it_imported_out_of_the_garbage_collector(tmp_path: Path) -> None:
    db = tmp_path / "clinic.db"
    with Store(db) as store:
        ChartService(store, FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC))).set_up_clinic(
            clinic_name="Freeze Clinic",
            timezone="Europe/London",
            admin_username="admin",
            admin_full_name="Alex Admin",
            admin_password="freeze-test-password",
        )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BEDSIDE_LOG_DIR=str(tmp_path / "log"))
    for kind in ("config", "state", "data", "cache"):
        env[f"XDG_{kind.upper()}_HOME"] = str(tmp_path / kind)
    result = subprocess.run(
        [sys.executable, "-c", FROZEN, str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) > 10_000  # the modules, not a handful of objects


def test_the_board_is_styled_once_and_watches_input_from_the_first_turn(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    """Also on the way to the board (issue 13 item 5): the tiles take their look before the
    stack polishes them (no re-styling of a widget never shown), and the idle lock's app-wide
    filter goes in at the event loop's first turn after the show: through a filter in Python,
    every event of the show crossed into Python."""
    moment = [0.0]
    idle = IdleLock(60, monotonic=lambda: moment[0])
    window = MainWindow(ui_service, nurse, ui_service.clock, qsettings, idle_lock=idle)
    window.ticker.stop()
    qtbot.addWidget(window)
    tile = window.board.tiles[0]
    assert tile.property("tone") == tile_tone(tile.summary)
    assert tile.property("flash") == "off"

    def key() -> None:
        moment[0] += 1
        press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(window.board, press)

    key()
    assert idle._last == 0.0  # not watched yet: no input reaches an app whose loop never ran
    window.show()

    def watched() -> bool:
        key()
        return idle._last == moment[0]

    qtbot.waitUntil(watched)  # the first turn of the loop
    assert tile.testAttribute(Qt.WidgetAttribute.WA_WState_Polished)
    assert tile.property("tone") == tile_tone(tile.summary)
