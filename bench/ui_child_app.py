"""The real Bedside window in a fresh process, for ``bench/ui_bench.py`` (not a test helper).

Usage: ``ui_child_app.py MODE DB NOW_ISO SETTINGS_INI`` with MODE ``cold``, ``cold-full`` or
``memory``.

Every mode starts as ``ui.app.run_app`` does for a signed-in user, offscreen, in its two steps:
import the app the way the ``bedside`` script does (``ui.launcher``, then ``ui.app``), create
the QApplication with the crash handler, the theme's palette, the icon and the shipped fonts,
show the first window (:class:`StartFrame`); once it is drawn,
open the database (``Store(path, quick_check=True)``, as the app does), build and show the
:class:`MainWindow` with the chair board for the demo nurse, close the first window, and start the
full integrity check in the background (``watch_integrity``; quitting stops it). Differences
from ``run_app``, all to make the run repeatable: a :class:`FixedClock` at the demo's "now" (so
the board shows the demo's busy chairs), settings in an INI file in the scratch folder (never
the user's), and the nurse's :class:`User` read from the store instead of signing in, so the
sign-in dialog and its scrypt check (16 MiB, tens of ms; a person typing is slower anyway) are
not part of the figure.

``cold`` quits at the event-loop turn after the board is shown. ``cold-full`` is ``cold`` as
the app started before issue 13: the full integrity check on open, nothing in the background.
``memory`` also opens four :class:`SessionView` windows (the open sessions first, then the most
recent signed ones), lets the event loop lay out and paint, and reports the peak RSS. Stdout:
one JSON object with phase times (ms since the script started), the first window's first paint
and the board's ready moment (``time.monotonic_ns()``), and ``ru_maxrss`` (KiB on Linux).
"""

from __future__ import annotations

import gc
import time

T_START = time.perf_counter()
gc.disable()  # as ui.launcher.main does for the start; the second step turns it on again

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from types import TracebackType  # noqa: E402

os.environ["QT_QPA_PLATFORM"] = "offscreen"
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import ui.launcher  # noqa: E402, F401  (what the ``bedside`` script imports first)
from ui import app as bedside_app  # noqa: E402  (Qt and the app's first step load here)

T_IMPORTED = time.perf_counter()

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.board.start_frame import StartFrame  # noqa: E402
from ui.common import app_icon, crash, settings, theme  # noqa: E402
from ui.common.fonts import register_shipped_fonts  # noqa: E402

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


def fail_fast(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    """An unhandled error in the child: printed, and the child ends (exit 3) at once."""
    sys.__excepthook__(kind, error, trace)
    os._exit(3)


def main(mode: str, db: str, now: str, ini: str) -> int:
    if mode not in ("cold", "cold-full", "memory"):
        raise SystemExit(f"unknown mode {mode!r}")
    app = QApplication(sys.argv)
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationName(settings.APPLICATION)
    crash.install()  # run_app's first step, all of it
    sys.excepthook = fail_fast  # but an error ends the child: the app's dialog would wait
    qsettings = QSettings(ini, QSettings.Format.IniFormat)
    theme.apply_palette(app, settings.THEME.get(qsettings))
    app_icon.apply(app)
    register_shipped_fonts()
    t_app = time.perf_counter()
    frame = StartFrame(qsettings)  # run_app's first step: the first window, then the rest
    report: dict[str, object] = {"app_module": bedside_app.__name__}
    frame.on_screen.connect(lambda: second_step(app, frame, mode, db, now, qsettings, report))
    frame.show()
    code = app.exec()
    report.update(
        {
            "imported_ms": since_start(T_IMPORTED),
            "app_ms": since_start(t_app),
            "frame_painted_ns": frame.first_painted_ns,
            "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "vm_hwm_kib": vm_hwm_kib(),
        }
    )
    print(json.dumps(report), flush=True)
    return int(code)


def second_step(
    app: QApplication,
    frame: StartFrame,
    mode: str,
    db: str,
    now: str,
    qsettings: QSettings,
    report: dict[str, object],
) -> None:
    """run_app's second step (``ui.board.opening``) for the demo nurse at the demo's "now"."""
    from bedside.clock import FixedClock
    from bedside.service import ChartService
    from bedside.store import Store
    from ui.board.integrity_watch import watch_integrity
    from ui.board.main_window import MainWindow

    gc.freeze()  # as ui.app's second step
    gc.enable()
    theme.apply(app, settings.THEME.get(qsettings))
    clock = FixedClock(datetime.fromisoformat(now))
    full = mode == "cold-full"
    store = Store(db, quick_check=not full)  # as run_app opens it (before issue 13: full)
    service = ChartService(store, clock)
    nurse = next(u for u in store.users() if u.username == NURSE)
    t_store = time.perf_counter()
    window = MainWindow(service, nurse, clock, qsettings)
    window.show()
    frame.close()
    if not full:
        watch_integrity(window, store.path)  # as run_app does once the board shows
    t_window = time.perf_counter()
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

    def ready() -> None:
        report.update(
            {
                "store_ms": since_start(t_store),
                "window_ms": since_start(t_window),
                "loop_ms": since_start(time.perf_counter()),
                "board_ready_ns": time.monotonic_ns(),
                "chairs_busy": sum(s.occupied for s in window.source.summaries(clock.now())),
            }
        )
        window.close()  # its session windows first, as Ctrl+Q does: they read the store
        store.close()
        app.quit()

    QTimer.singleShot(0, ready)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
