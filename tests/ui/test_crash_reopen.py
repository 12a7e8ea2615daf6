"""Kill the app mid-infusion and open it again: same phase, same clock, every saved entry."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from tests.ui.conftest import NOW
from ui.board.main_window import MainWindow

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def test_killed_app_reopens_where_it_was(qtbot: QtBot, demo_template: Path, tmp_path: Path) -> None:
    db = tmp_path / "clinic.db"
    with Store(demo_template) as store:
        store.backup(db)
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("app_child.py")), str(db), NOW.isoformat()],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged: list[str] = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("saved "):
                acknowledged.append(line.split()[1])
                if len(acknowledged) == 15:
                    break
        child.send_signal(signal.SIGKILL)  # no chance to close anything
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert len(acknowledged) == 15, child.stderr.read() if child.stderr else ""

    # Start again, at the moment of the last acknowledged reading.
    reopen_at = NOW + timedelta(seconds=20 * len(acknowledged))
    store = Store(db)
    try:
        assert store.verify() == []
        service = ChartService(store, FixedClock(reopen_at))
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        window = MainWindow(
            service,
            nurse,
            service.clock,
            QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
        )
        window.ticker.stop()
        qtbot.addWidget(window)
        tile = window.board.tiles[1]
        assert tile.patient.text() == "GARCÍA, Lucía"
        assert tile.clock.text() == "Infusing 27:00"  # 22 min at NOW + 15 × 20 s
        sid = service.busy_chairs(reopen_at)[2]
        stored = {e.id for e in service.state(sid).events}
        assert set(acknowledged) <= stored
        assert service.state(sid).phase.value == "infusing"
    finally:
        store.close()
