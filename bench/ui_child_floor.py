"""The floor for ``bench/ui_bench.py``: Qt alone in a fresh process (not a test helper).

Usage: ``ui_child_floor.py MODE`` with MODE ``cold``, ``bare`` or ``memory``. Creates a
QApplication (offscreen), shows an empty :class:`QMainWindow` of the app's default size (``bare``:
an empty :class:`QWidget`, for ``bench/cold_start_bench.py``) and quits at the first event-loop
turn, like ``ui_child_app.py`` does with the real window. ``memory`` processes events the same
number of times first. Stdout: one JSON object with ``ru_maxrss`` (KiB on Linux).
"""

from __future__ import annotations

import json
import os
import resource
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


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
    window = QWidget() if mode == "bare" else QMainWindow()
    window.resize(1280, 760)
    window.show()
    if mode == "memory":
        for _ in range(3):
            app.processEvents()
    QTimer.singleShot(0, app.quit)
    code = app.exec()
    report = {
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "vm_hwm_kib": vm_hwm_kib(),
    }
    print(json.dumps(report), flush=True)
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
