"""Quitting stops the background full check even when it asks before SQLite has begun the
check's statement (SQLite forgets an interrupt that arrives while no statement runs): the app
quitting right after the board shows must not wait for a whole check of years of data."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from bedside.store import Store, integrity
from bedside.store.integrity import FullCheck

ENDLESS = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000000000) "
    "SELECT max(x) FROM n"
)  # as long as a full check of a very large file: only an interrupt ends it


def test_a_stop_that_comes_before_the_statement_still_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bedside.db"
    Store(path).close()
    interrupted = threading.Event()

    def pause() -> None:  # stop() has just interrupted: say so, and ask again at once
        interrupted.set()
        os.sched_yield()

    job = FullCheck(path, retry_pause=pause)
    began = threading.Event()

    def late_check(conn: sqlite3.Connection, **_: object) -> list[str]:
        # The stop lands after run() looked at it and before the statement began: SQLite
        # clears an interrupt made while none of the connection's statements runs.
        began.set()
        assert interrupted.wait(10)  # stop() has interrupted, with nothing running
        conn.execute(ENDLESS).fetchall()
        return []

    monkeypatch.setattr(integrity, "integrity_problems", late_check)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(job.run()), daemon=True)
    worker.start()
    assert began.wait(10)
    stopper = threading.Thread(target=job.stop, daemon=True)
    stopper.start()
    worker.join(10)
    try:
        assert not worker.is_alive(), "the check ran on after the app asked it to stop"
        assert result == [None]
        stopper.join(10)
        assert not stopper.is_alive()
    finally:
        conn = job._conn
        if conn is not None:  # the old behaviour: end the endless statement for the next test
            conn.interrupt()
