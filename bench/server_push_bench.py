"""Issue 14's third bench row: ``push_ten_years`` — a workstation's whole record pushed to an
EMPTY clinic server with the real :func:`bedside.store.server.push.push` (what ``bedside server
push`` runs: chart entries and their sessions; the clinic-wide rows are the sync's, not the
push's), on a throwaway PostgreSQL cluster (``tests/server/pg_cluster.py``).

The record is the busy database of ``bench/generate.py`` (ten years: ~20,900 sessions, ~1.55 M
chart entries; ``--quick``: its three months, ~520 sessions, ~38,000 entries), copied first into
the scratch folder (a push moves the file's cursor; the cache stays untouched). Timed: the
``push()`` call only, on a ``Store(copy, check_integrity=False)`` connection and a workstation
login's autocommit connection (both opened before). Every batch reads SQLite, commits one server
transaction and moves the local cursor (``synchronous=FULL``).

Floor: PostgreSQL's own ``COPY`` of the same rows — every session and every chart entry with the
columns ``push()`` sends plus ``origin`` — through psycopg's ``copy()`` (text format,
``write_row``), read by one ``SELECT`` each from the same SQLite file in local ledger order, in
ONE server transaction, by the same login, into a second empty database of the same cluster set
up by ``init_server``: the server's triggers are active there too (chain check, ledger link,
origin stamp, notify), so the ratio is our protocol's overhead (batches, per-batch commits and
cursor moves, the hash check), not the triggers'. The SQLite read alone is logged. One run each
(the floor first); both servers must then hold the same counts. Goal: ratio <= 3. Skipped (said
on stderr) without PostgreSQL's server programs.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg

from bedside.store import Store
from bedside.store.chart import EVENT_COLUMNS
from bedside.store.server.push import SESSION_COLUMNS, push
from bedside.store.server.setup import add_workstation, init_server
from bench import generate
from bench.common import RunConfig, line, log

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "server"))
from pg_cluster import MISSING, Cluster, remove_cluster, start_cluster

OUT_DIR = Path(__file__).resolve().parent / "out"
GOAL = "ratio <= 3"
ENTRIES_SQL = (
    f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS.split(', '))}, '' "
    "FROM ledger l JOIN chart_events e ON e.id = l.event_id "
    "WHERE l.record IS NULL ORDER BY l.seq"
)
SESSIONS_SQL = f"SELECT {SESSION_COLUMNS}, '' FROM sessions ORDER BY rowid"
Counts = tuple[object, ...]


def bench_push_ten_years(cfg: RunConfig) -> list[dict[str, Any]]:
    """See the module."""
    if MISSING is not None:
        log(f"push_ten_years: skipped — {MISSING}")
        return []
    dbs = generate.ensure_databases(OUT_DIR, quick=cfg.quick, today=generate.TODAY)
    local = cfg.work / "push-ten-years.db"
    shutil.copyfile(dbs.busy, local)
    os.sync()  # the copy's dirty pages are not flushed inside either timing
    read_s = _read_only(local)  # also warms the OS page cache for both runs alike
    cluster = start_cluster()
    try:
        push_url, floor_url = _two_servers(cluster)
        floor_s, floor_counts = _copy_floor(local, floor_url)
        value_s, pushed, push_counts = _push_all(local, push_url)
    finally:
        remove_cluster(cluster)
    if push_counts != floor_counts or pushed != floor_counts[:2]:
        raise RuntimeError(
            f"push_ten_years: push left {push_counts} (sent {pushed}), COPY {floor_counts}"
        )
    sessions, entries = pushed
    log(f"push_ten_years: push {value_s:.1f} s for {entries} entries in {sessions} sessions "
        f"({entries / value_s:,.0f}/s); COPY floor {floor_s:.1f} s "
        f"({entries / floor_s:,.0f}/s), of which reading SQLite alone {read_s:.1f} s")  # fmt: skip
    return [line("push_ten_years", value_s, "s", floor_s, GOAL)]


def _two_servers(cluster: Cluster) -> tuple[str, str]:
    """Two empty databases set up by init_server; one workstation login reaches both."""
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        for name in ("bench_push", "bench_copy"):
            admin.execute(f"CREATE DATABASE {name}")
    for name in ("bench_push", "bench_copy"):
        init_server(cluster.url(name))
    login = add_workstation(cluster.url("bench_push"), f"bench_push_{int(time.time())}")
    push_url, copy_url = (
        cluster.url(name, login.role, login.password) for name in ("bench_push", "bench_copy")
    )
    return push_url, copy_url


def _rows(path: Path, sql: str) -> Iterator[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield from conn.execute(sql)
    finally:
        conn.close()


def _read_only(path: Path) -> float:
    start = time.perf_counter()
    for sql in (SESSIONS_SQL, ENTRIES_SQL):
        for _ in _rows(path, sql):
            pass
    return time.perf_counter() - start


def _copy_floor(path: Path, url: str) -> tuple[float, Counts]:
    """Both tables by COPY in one transaction; the seconds and the server's counts."""
    with psycopg.connect(url, autocommit=True) as server:
        start = time.perf_counter()
        with server.transaction(), server.cursor() as cur:
            for table, columns, sql in (
                ("sessions", SESSION_COLUMNS, SESSIONS_SQL),
                ("chart_events", EVENT_COLUMNS, ENTRIES_SQL),
            ):
                with cur.copy(f"COPY bedside.{table} ({columns}, origin) FROM STDIN") as copy:
                    for row in _rows(path, sql):
                        copy.write_row(row)
        elapsed = time.perf_counter() - start
        return elapsed, _counts(server)


def _push_all(path: Path, url: str) -> tuple[float, tuple[int, int], Counts]:
    """The real push of the whole file; the seconds, what it sent and the server's counts."""
    with Store(path, check_integrity=False) as store, psycopg.connect(url, autocommit=True) as s:
        start = time.perf_counter()
        done = push(store.conn, s)
        elapsed = time.perf_counter() - start
        return elapsed, (done.sessions, done.events), _counts(s)


def _counts(server: psycopg.Connection[tuple[object, ...]]) -> Counts:
    row = server.execute(
        "SELECT (SELECT count(*) FROM bedside.sessions), "
        "(SELECT count(*) FROM bedside.chart_events), (SELECT count(*) FROM bedside.ledger)"
    ).fetchone()
    assert row is not None
    return tuple(row)
