"""Helpers shared by ``bench/run.py`` and ``bench/ui_bench.py``: the result line, progress on
stderr, timing, and the bare-SQLite floor connection (no Qt here)."""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from bedside.store import db as dbmod


class RunConfig(Protocol):
    """What a benchmark needs from the runner's configuration."""

    @property
    def quick(self) -> bool:
        """Small N: a smoke test, not a measurement."""
        ...

    @property
    def work(self) -> Path:
        """A scratch folder for this run (removed afterwards)."""
        ...


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def line(name: str, value: float, unit: str, floor: float, goal: str) -> dict[str, Any]:
    """One result line; ``ratio`` is ``value / floor``."""
    return {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "floor": round(floor, 4),
        "ratio": round(value / floor, 3) if floor else None,
        "goal": goal,
    }


def ms(ns: float) -> float:
    """Nanoseconds to milliseconds."""
    return ns / 1e6


def timed(fn: Callable[[], object]) -> int:
    """Wall time of one call in ns."""
    t0 = time.perf_counter_ns()
    fn()
    return time.perf_counter_ns() - t0


def painted(moments: dict[str, Any]) -> int:
    """The app's first window's first paint (``time.monotonic_ns()``) from a child's moments;
    a clear error, not a ``TypeError``, where the window went on without being drawn."""
    value = moments.get("frame_painted_ns")
    if not isinstance(value, int):
        raise RuntimeError(
            "the app's first window was never drawn (it went on after StartFrame's wait for a "
            "paint): this machine or its display is too slow to time the cold start"
        )
    return value


def median_ms(samples: list[int]) -> float:
    """Median of ns samples, in ms."""
    return ms(statistics.median(samples))


def floor_connection(path: Path) -> sqlite3.Connection:
    """A bare connection with the store's pragmas and a table shaped like chart_events."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {dbmod.BUSY_TIMEOUT_MS}")
    if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
        raise RuntimeError("floor database is not in WAL mode")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY, session_id TEXT NOT NULL, seq INTEGER NOT NULL,
            kind TEXT NOT NULL, clinical_time TEXT NOT NULL, recorded_time TEXT NOT NULL,
            author TEXT NOT NULL, supersedes TEXT, reason TEXT, payload TEXT NOT NULL,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX events_session_seq ON events(session_id, seq);
        """
    )
    return conn


def run_child(args: list[str], env: dict[str, str], timeout_s: float) -> tuple[int, str]:
    """``python ARGS`` to completion from the repository: its wall time in ns and its stdout
    (a failure raises, with its stderr)."""
    t0 = time.perf_counter_ns()
    result = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout_s,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    elapsed = time.perf_counter_ns() - t0
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed ({result.returncode}):\n{result.stderr}")
    return elapsed, result.stdout
