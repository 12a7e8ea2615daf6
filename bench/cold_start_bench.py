"""Cold start of the real ``bedside`` script to an interactive board (issue 13 item 5), for
``bench/run.py``.

``app_cold_start_smoke``
    Wall time of a fresh process running ``python -m ui.launcher --db DB --smoke``: exactly
    what the installed ``bedside --smoke`` runs (the log opened, the command line parsed, Qt
    and the window stack imported, the QApplication with the crash handler, theme and shipped
    fonts, the database opened with the app's start check and this workstation's anchors, the
    board built and shown for the clinic's first account, the full integrity check started in
    the background), quitting at the first turn of the event loop (``QTimer.singleShot(0,
    app.quit)``: Qt runs a zero timer once the pending events, the first paint included, are
    processed; the window's own zero timers, posted when it was shown, run before it: its
    frame kept on the screen, the idle lock's and the wheel guard's app-wide input filters
    installed), then the process's exit, which is part of the wall time. ``DB`` is a new
    clinic made through the service before timing (its settings, one administrator, the
    shipped protocol; no patients, no sessions); the child's config, state and data folders
    are in the run's scratch folder, so the anchors, the log and the settings are this run's
    own. Floor: a fresh process running ``bench/ui_child_floor.py
    bare`` (QApplication, an empty QWidget of the board's default size shown, the same quit).
    Both offscreen. One untimed warm-up of each (OS page cache, bytecode), then 5 of each,
    alternating; medians. Goal: ratio <= 1.5.

Unlike ``app_cold_start`` (``bench/ui_bench.py``: the demo clinic through a test child that
builds the window itself), this row is the start a clinic gets on an empty database, through
the entry point itself; ``--smoke`` signs in no one (no password is hashed), so the sign-in
dialog is not part of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from bench.common import RunConfig, line, log, median_ms, run_child
from bench.ui_bench import FLOOR_CHILD, NOW, TIMEZONE, child_env

TIMEOUT_S = 60


def empty_clinic(folder: Path) -> Path:
    """A new clinic with one administrator and nothing charted, made through the service."""
    path = folder / "clinic.db"
    with Store(path) as store:
        ChartService(store, FixedClock(NOW)).set_up_clinic(
            clinic_name="Cold Start Clinic",
            timezone=TIMEZONE,
            admin_username="admin",
            admin_full_name="Alex Admin",
            admin_password="cold-start-bench-password",
        )
    return path


def _run(args: list[str], env: dict[str, str]) -> int:
    """One child process to completion from the repository; its wall time in ns."""
    return run_child(args, env, TIMEOUT_S)[0]


def bench_cold_start_smoke(cfg: RunConfig) -> list[dict[str, Any]]:
    """``bedside --smoke`` on a new clinic vs a bare QWidget shown, each a fresh process."""
    folder = cfg.work / "cold-start-smoke"
    folder.mkdir(parents=True)
    db = empty_clinic(folder)
    env = child_env()
    for kind in ("config", "state", "data", "cache"):
        env[f"XDG_{kind.upper()}_HOME"] = str(folder / kind)  # anchors, log, settings: this run's
    app_args = ["-m", "ui.launcher", "--db", str(db), "--smoke"]
    floor_args = [str(FLOOR_CHILD), "bare"]
    _run(app_args, env)  # warm-up: the OS page cache, bytecode, the anchor and settings files
    _run(floor_args, env)
    app_samples: list[int] = []
    floor_samples: list[int] = []
    for r in range(1 if cfg.quick else 5):
        pair = [(app_args, app_samples), (floor_args, floor_samples)]
        for args, samples in pair if r % 2 == 0 else reversed(pair):
            samples.append(_run(args, env))
    value, floor = median_ms(app_samples), median_ms(floor_samples)
    log(f"app_cold_start_smoke: bedside --smoke {value:.0f} ms, bare QWidget {floor:.0f} ms")
    return [line("app_cold_start_smoke", value, "ms", floor, "ratio <= 1.5")]
