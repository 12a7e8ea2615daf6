"""Start and verify on ten years of data (issue 13 item 5), for ``bench/run.py``.

``app_start_large_db``
    Wall time of a fresh process running ``bench/ui_child_app.py cold`` (the app's start up to
    the chair board shown, the database opened after SQLite's quick check and the full check
    started in the background, then quit at the first event-loop turn, which stops it) on the
    busy database (ten years, ~20,000 sessions, ~1.5 M events, 1.2 GB); floor: the same on the
    small database (today's 8 sessions only). Goal: ratio <= 1.2.
``app_start_large_db_full_check``
    The same with ``cold-full``: the full ``integrity_check`` on open, as the app started before
    issue 13. Floor: the small database. Information only (the "before" figure).
``verify_incremental_large_db``
    ``bedside verify`` (a fresh process, its own config folder) on a copy of the busy database
    after a passing ``bedside verify --full`` recorded its head and a day's charting was added
    (:data:`NOTES` notes through the service); ``verified.json`` is put back before each
    repetition so each checks the same entries. Floor: that ``bedside verify --full`` itself
    (once: minutes on the busy database). Goal: value <= 10 s.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from bench import generate
from bench.common import RunConfig, line, log, median_ms, run_child
from bench.ui_bench import APP_CHILD, NOW, NURSE, child_env

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
NOTES = 200
TIMEOUT_S = 1800


def _run(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """One child process to completion: its wall time in ns and its stdout."""
    return run_child(args, env, TIMEOUT_S)


def bench_app_start_large(cfg: RunConfig) -> list[dict[str, Any]]:
    """The app's start on the busy database vs the small one."""
    return [_start_row(cfg, "cold", "app_start_large_db", "ratio <= 1.2", 5)]


def bench_app_start_large_full(cfg: RunConfig) -> list[dict[str, Any]]:
    """The same as the app started before issue 13 (the full check on open): minutes."""
    name = "app_start_large_db_full_check"
    return [_start_row(cfg, "cold-full", name, "information only (no goal)", 3)]


def _start_row(cfg: RunConfig, mode: str, name: str, goal: str, reps: int) -> dict[str, Any]:
    """``ui_child_app.py MODE`` on the busy database vs the small one, alternating."""
    dbs = generate.ensure_databases(OUT_DIR, quick=cfg.quick, today=generate.TODAY)
    ini = str(cfg.work / "large-start.ini")
    env = child_env()

    def args(db: Path) -> list[str]:
        return [str(APP_CHILD), mode, str(db), NOW.isoformat(), ini]

    _run(args(dbs.busy), env)  # warm-up: the OS page cache holds both files
    _run(args(dbs.small), env)
    busy: list[int] = []
    small: list[int] = []
    for r in range(1 if cfg.quick else reps):
        pair = [(dbs.busy, busy), (dbs.small, small)]
        for db, samples in pair if r % 2 == 0 else reversed(pair):
            samples.append(_run(args(db), env)[0])
    value, floor = median_ms(busy), median_ms(small)
    log(f"{name}: busy {value:.0f} ms, small {floor:.0f} ms ({mode})")
    return line(name, value, "ms", floor, goal)


def _chart_a_day(db: Path) -> int:
    """:data:`NOTES` notes into today's running sessions, through the service."""
    with Store(db, check_integrity=False) as store:
        service = ChartService(store, FixedClock(NOW))
        nurse = next(u for u in store.users() if u.username == NURSE)
        sessions = list(service.busy_chairs(NOW).values())
        for i in range(NOTES):
            service.add_note(nurse, sessions[i % len(sessions)], f"bench note {i}")
    return NOTES


def bench_verify_incremental(cfg: RunConfig) -> list[dict[str, Any]]:
    """``bedside verify`` after a full check and a day's charting vs ``verify --full``."""
    dbs = generate.ensure_databases(OUT_DIR, quick=cfg.quick, today=generate.TODAY)
    folder = cfg.work / "verify-large"
    folder.mkdir(parents=True)
    db = folder / "busy.db"
    t0 = time.perf_counter()
    shutil.copyfile(dbs.busy, db)
    log(
        f"verify_incremental_large_db: copied the busy database in {time.perf_counter() - t0:.1f} s"
    )
    env = child_env()
    env["XDG_CONFIG_HOME"] = str(folder / "config")  # this run's anchors and verified heads
    env["XDG_STATE_HOME"] = str(folder / "state")  # and its log
    command = ["-m", "ui.launcher", "--db", str(db), "verify"]
    full_ns, out = _run([*command, "--full"], env)
    log(f"verify_incremental_large_db: verify --full {full_ns / 1e9:.1f} s: {out.strip()}")
    marks = folder / "config" / "Bedside" / "verified.json"
    saved = marks.read_bytes()
    notes = _chart_a_day(db)
    samples: list[int] = []
    for _ in range(1 if cfg.quick else 3):
        marks.write_bytes(saved)
        elapsed, out = _run(command, env)
        samples.append(elapsed)
        log(
            f"verify_incremental_large_db: {elapsed / 1e9:.2f} s after {notes} notes: {out.strip()}"
        )
    value, floor = median_ms(samples), full_ns / 1e6
    return [line("verify_incremental_large_db", value, "ms", floor, "value <= 10 s")]
