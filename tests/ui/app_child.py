"""A real Bedside window in a child process, charting vitals until it is killed.

Usage: app_child.py DB NOW_ISO. Prints "saved EVENT_ID" after each reading is durably saved
(that line is the acknowledgement the parent checks against after SIGKILL).
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from ui.board.main_window import MainWindow
from ui.session.window import SessionView


def main(db: str, now: str) -> int:
    app = QApplication(sys.argv)
    clock = FixedClock(datetime.fromisoformat(now))
    store = Store(db)
    service = ChartService(store, clock)
    nurse = service.accounts.authenticate("dana", "bedside-demo")
    settings = QSettings(str(Path(db).with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(service, nurse, clock, settings)
    window.show()
    sid = service.busy_chairs(clock.now())[2]
    view = SessionView(service, sid, clock, "dim", window, nurse)
    view.show()
    count = 0

    def chart() -> None:
        nonlocal count
        count += 1
        clock.advance(seconds=20)
        saved = service.record_vitals(
            nurse,
            sid,
            systolic=130 + count % 10,
            diastolic=80,
            heart_rate=80,
            spo2=97,
            resp_rate=14,
        ).events
        view.refresh()
        print("saved", saved[0].id, flush=True)

    timer = QTimer()
    timer.timeout.connect(chart)
    timer.start(5)
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
