"""Cold start of the real ``bedside`` script to an interactive board (issue 13 item 5), for
``bench/run.py``.

``app_cold_start_smoke``, ``app_cold_start_smoke_board``
    A fresh process running ``python -m ui.launcher --db DB --smoke``: exactly what the
    installed ``bedside --smoke`` runs, in the app's two steps (``ui.app``). First step: the log
    opened, the app's own options read (not the command line's 25 commands), Qt imported, the
    QApplication with the crash handler, theme, icon and shipped fonts, the first window shown;
    second step, once that window is drawn: the record's models and the window stack imported,
    the database opened with the app's start check and this workstation's anchors, the board
    built and shown for the clinic's first account, the full integrity check started in the
    background, and a quit at the loop's next turn. Timed from the spawn
    (``time.monotonic_ns()`` in this process) to the first window's first paint
    (``app_cold_start_smoke``) and to that loop turn with the board shown
    (``app_cold_start_smoke_board``), as the child noted them on the same clock
    (``$BEDSIDE_START_MARKS``). ``DB`` is a new clinic made through the service before timing
    (its settings, one administrator, the shipped protocol; no patients, no sessions); the
    child's config, state and data folders are in the run's scratch folder, so the anchors, the
    log and the settings are this run's own. Floor: a fresh process running
    ``bench/ui_child_floor.py bare`` (QApplication, an empty QWidget of the board's default size
    shown), from its spawn to its first paint. Both offscreen. One untimed warm-up of each (OS
    page cache, bytecode), then 9 of each, alternating; medians. Goals: ratio <= 1.5 (the first
    window), value <= 1000 ms (the board).

Unlike ``app_cold_start`` (``bench/ui_bench.py``: the demo clinic through a test child that
builds the window itself), this row is the start a clinic gets on an empty database, through
the entry point itself; ``--smoke`` signs in no one (no password is hashed), so the sign-in
dialog is not part of it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from bench.common import RunConfig, line, log, median_ms, painted, run_child
from bench.ui_bench import BOARD_GOAL, FLOOR_CHILD, NOW, TIMEZONE, child_env

TIMEOUT_S = 60
MARKS = "BEDSIDE_START_MARKS"  # ui.app.MARKS, named here: the bench's own process loads no Qt


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


def _run(args: list[str], env: dict[str, str]) -> tuple[int, int, str]:
    """One child process to completion from the repository: its spawn moment
    (``time.monotonic_ns()``, the clock the children note their moments on), wall time in ns,
    and stdout."""
    spawned = time.monotonic_ns()
    elapsed, out = run_child(args, env, TIMEOUT_S)
    return spawned, elapsed, out


def bench_cold_start_smoke(cfg: RunConfig) -> list[dict[str, Any]]:
    """``bedside --smoke`` on a new clinic vs a bare QWidget shown, each a fresh process: to the
    first window drawn, and to the board shown."""
    folder = cfg.work / "cold-start-smoke"
    folder.mkdir(parents=True)
    db = empty_clinic(folder)
    marks = folder / "marks.json"
    env = child_env()
    env[MARKS] = str(marks)
    for kind in ("config", "state", "data", "cache"):
        env[f"XDG_{kind.upper()}_HOME"] = str(folder / kind)  # anchors, log, settings: this run's
    app_args = ["-m", "ui.launcher", "--db", str(db), "--smoke"]
    floor_args = [str(FLOOR_CHILD), "bare"]
    _run(app_args, env)  # warm-up: the OS page cache, bytecode, the anchor and settings files
    _run(floor_args, env)
    frame: list[int] = []
    board: list[int] = []
    wall: list[int] = []
    floor: list[int] = []
    floor_wall: list[int] = []
    for r in range(1 if cfg.quick else 9):
        for which in ("app", "floor") if r % 2 == 0 else ("floor", "app"):
            if which == "app":
                marks.unlink(missing_ok=True)
                spawned, elapsed, _ = _run(app_args, env)
                moments = json.loads(marks.read_text(encoding="utf-8"))
                frame.append(painted(moments) - spawned)
                board.append(moments["board_ready_ns"] - spawned)
                wall.append(elapsed)
            else:
                spawned, elapsed, out = _run(floor_args, env)
                floor.append(json.loads(out)["first_painted_ns"] - spawned)
                floor_wall.append(elapsed)
    log(
        f"app_cold_start_smoke: first window drawn {median_ms(frame):.0f} ms, board shown "
        f"{median_ms(board):.0f} ms, process {median_ms(wall):.0f} ms; bare QWidget drawn "
        f"{median_ms(floor):.0f} ms, process {median_ms(floor_wall):.0f} ms"
    )
    return [
        line("app_cold_start_smoke", median_ms(frame), "ms", median_ms(floor), "ratio <= 1.5"),
        line(
            "app_cold_start_smoke_board",
            median_ms(board),
            "ms",
            median_ms(floor),
            BOARD_GOAL,
        ),
    ]
