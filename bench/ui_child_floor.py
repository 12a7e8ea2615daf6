"""The floor for ``bench/ui_bench.py``: Qt alone in a fresh process (not a test helper).

Usage: ``ui_child_floor.py MODE`` with MODE ``cold``, ``bare`` or ``memory``. Creates a
QApplication (offscreen) and shows an empty window of the app's default size: ``cold`` an empty
:class:`QMainWindow` (for ``app_cold_start``), ``bare`` an empty :class:`QWidget` (for
``bench/cold_start_bench.py``), each noting its first paint's ``time.monotonic_ns()`` and
quitting at the loop's next turn, as the app's first window goes on once drawn; ``memory`` an
empty QMainWindow, events processed as often as ``ui_child_app.py`` does, then quits. Stdout:
one JSON object with ``ru_maxrss`` (KiB on Linux) and ``first_painted_ns``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


class PaintedWidget(QWidget):
    """An empty QWidget that notes when its first paint was done (``time.monotonic_ns()``), as
    the app's first window does (``ui.board.start_frame.StartFrame``), and quits at the next
    turn of the loop."""

    first_painted_ns: int | None = None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.first_painted_ns is None:
            self.first_painted_ns = time.monotonic_ns()
            QTimer.singleShot(0, QApplication.quit)  # as the app goes on once drawn


class PaintedMainWindow(QMainWindow):
    """:class:`PaintedWidget` as an empty QMainWindow (the floor of ``app_cold_start``)."""

    first_painted_ns: int | None = None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.first_painted_ns is None:
            self.first_painted_ns = time.monotonic_ns()
            QTimer.singleShot(0, QApplication.quit)  # as the app goes on once drawn


def vm_hwm_kib() -> int | None:
    """The kernel's own peak RSS of this process image (Linux), to cross-check ``ru_maxrss``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for text in status:
                if text.startswith("VmHWM:"):
                    return int(text.split()[1])
    except OSError:
        pass
    return None


def main(mode: str) -> int:
    if mode not in ("cold", "bare", "memory"):
        raise SystemExit(f"unknown mode {mode!r}")
    app = QApplication(sys.argv)
    window: QWidget = {"bare": PaintedWidget, "cold": PaintedMainWindow}.get(mode, QMainWindow)()
    window.resize(1280, 760)
    window.show()
    if mode == "memory":
        for _ in range(3):
            app.processEvents()
    if mode == "memory":  # (bare and cold: once drawn, as above)
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    report = {
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "vm_hwm_kib": vm_hwm_kib(),
        "first_painted_ns": getattr(window, "first_painted_ns", None),
    }
    print(json.dumps(report), flush=True)
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
