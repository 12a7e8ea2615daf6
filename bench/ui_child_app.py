"""The real Bedside window in a fresh process, for ``bench/ui_bench.py`` (not a test helper).

Usage: ``ui_child_app.py MODE DB NOW_ISO SETTINGS_INI`` with MODE ``cold``, ``cold-full`` or
``memory``.

Both modes do what ``ui.app.run_app`` does for a signed-in user, offscreen: import the app the
way the ``bedside`` script does (``ui.launcher``, then ``ui.app``), create the QApplication,
apply the theme, open the database (``Store(path, quick_check=True)``, as the app does), build
and show the :class:`MainWindow` with the chair board, and start the full integrity check in the
background (``watch_integrity``; quitting stops it). Differences from ``run_app``, all to
make the run repeatable: a :class:`FixedClock` at the demo's "now" (so the board shows the
demo's busy chairs), settings in an INI file in the scratch folder (never the user's), and the
nurse's :class:`User` read from the store instead of signing in, so the sign-in dialog and its
scrypt check (16 MiB, tens of ms; a person typing is slower anyway) are not part of the figure.

``cold`` quits at the first event-loop turn (``QTimer.singleShot(0, app.quit)``); the parent
times the whole process. ``cold-full`` is ``cold`` as the app started before issue 13: the full
integrity check on open, nothing in the background. ``memory`` also opens four
:class:`SessionView` windows (the open sessions first, then the most recent signed ones), lets
the event loop lay out and paint, and reports the peak RSS. Stdout: one JSON object with phase
times (ms since the script started) and ``ru_maxrss`` (KiB on Linux).
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ["QT_QPA_PLATFORM"] = "offscreen"
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import ui.launcher  # noqa: E402, F401  (what the ``bedside`` script imports first)
from ui import app as bedside_app  # noqa: E402  (Qt and the whole window stack load here)

T_IMPORTED = time.perf_counter()

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bedside.clock import FixedClock  # noqa: E402
from bedside.service import ChartService  # noqa: E402
from bedside.store import Store  # noqa: E402
from ui.board.integrity_watch import watch_integrity  # noqa: E402
from ui.board.main_window import MainWindow  # noqa: E402
from ui.common import settings, theme  # noqa: E402

NURSE = "dana"


def since_start(t: float) -> float:
    """Milliseconds from the script's first line to ``t``."""
    return round((t - T_START) * 1000, 2)


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


def main(mode: str, db: str, now: str, ini: str) -> int:
    if mode not in ("cold", "cold-full", "memory"):
        raise SystemExit(f"unknown mode {mode!r}")
    app = QApplication(sys.argv)
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationName(settings.APPLICATION)
    qsettings = QSettings(ini, QSettings.Format.IniFormat)
    theme.apply(app, settings.THEME.get(qsettings))
    t_app = time.perf_counter()
    clock = FixedClock(datetime.fromisoformat(now))
    full = mode == "cold-full"
    store = Store(db, quick_check=not full)  # as run_app opens it (before issue 13: full)
    service = ChartService(store, clock)
    nurse = next(u for u in store.users() if u.username == NURSE)
    t_store = time.perf_counter()
    window = MainWindow(service, nurse, clock, qsettings)
    window.show()
    if not full:
        watch_integrity(window, store.path)  # as run_app does once the board shows
    t_window = time.perf_counter()
    report: dict[str, object] = {"app_module": bedside_app.__name__}
    if mode == "memory":
        window.ticker.stop()  # no 1 s redraws or idle lock while measuring
        window.idle.stop()
        busy = list(service.busy_chairs(clock.now()).values())
        signed = [h.id for h in reversed(store.all_sessions()) if h.id not in busy]
        chosen = (busy + signed)[:4]
        views = []
        for sid in chosen:
            view = window.open_session(sid)  # as a nurse opens a chair (imports it then)
            view.show()
            views.append(view)
        for _ in range(3):
            app.processEvents()
        report["sessions"] = [service.state(sid).phase.value for sid in chosen]
        report["events"] = sum(len(store.events(sid)) for sid in chosen)
        report["views"] = len(views)
    QTimer.singleShot(0, app.quit)
    code = app.exec()
    t_loop = time.perf_counter()
    busy_tiles = sum(s.occupied for s in window.source.summaries(clock.now()))
    store.close()
    report.update(
        {
            "imported_ms": since_start(T_IMPORTED),
            "app_ms": since_start(t_app),
            "store_ms": since_start(t_store),
            "window_ms": since_start(t_window),
            "loop_ms": since_start(t_loop),
            "chairs_busy": busy_tiles,
            "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "vm_hwm_kib": vm_hwm_kib(),
        }
    )
    print(json.dumps(report), flush=True)
    return int(code)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
