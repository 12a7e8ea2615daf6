"""Issue 14's first bench row: ``sync_entry_a_to_b`` — an entry charted at workstation A until it
is in workstation B's own file, both running the app's background sync (``BackgroundSync`` with
the app's idle time, ``ui.board.sync_watch.IDLE_S``) against a throwaway PostgreSQL cluster
(``tests/server/pg_cluster.py``). Timed from just before A's save to B's file holding the entry
(a separate reader polls B every 2 ms); B's board redraws on the same signal. Floor: the least
any sync can do — an INSERT committed on the server by one connection and seen by another's
SELECT. Goal: value <= 1000 ms. Skipped (said on stderr) without PostgreSQL's server programs.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bedside.clock import FixedClock, SystemClock
from bedside.demo_mark import DEMO_SETTING
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.server.background import BackgroundSync
from bedside.store.server.setup import add_workstation, init_server
from bedside.store.server.sync import sync
from bench.common import RunConfig, line, log
from ui.board.sync_watch import IDLE_S
from ui.demo import build_demo
from ui.demo.clinic import PATIENTS
from ui.demo.reference import chart_reference_session, order_reference_course
from ui.demo.staff import demo_settings, set_up_clinic

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "server"))
from pg_cluster import MISSING, Cluster, remove_cluster, start_cluster


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _floor(url: str, reps: int) -> float:
    """One INSERT committed by one connection until another connection's SELECT sees it."""
    with psycopg.connect(url, autocommit=True) as w, psycopg.connect(url, autocommit=True) as r:
        w.execute("CREATE TABLE IF NOT EXISTS bench_floor (n int)")
        times = []
        for n in range(reps):
            start = time.perf_counter()
            w.execute("INSERT INTO bench_floor VALUES (%s)", (n,))
            while r.execute("SELECT 1 FROM bench_floor WHERE n = %s", (n,)).fetchone() is None:
                pass
            times.append((time.perf_counter() - start) * 1000)
    return _median(times)


def _arrived(db: Path, words: str, deadline_s: float = 10.0) -> float:
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        end = time.perf_counter() + deadline_s
        while time.perf_counter() < end:
            found = reader.execute(
                "SELECT 1 FROM chart_events WHERE kind = 'note' AND payload LIKE ?",
                (f"%{words}%",),
            ).fetchone()
            if found:
                return time.perf_counter()
            time.sleep(0.002)
    finally:
        reader.close()
    raise TimeoutError(f"the entry {words!r} never reached B")


def _logins(cluster: Cluster, url: str) -> tuple[str, str]:
    dbname = url.rsplit("/", 1)[1]
    a, b = (add_workstation(url, f"bench_{w}_{int(time.time())}") for w in ("a", "b"))
    return cluster.url(dbname, a.role, a.password), cluster.url(dbname, b.role, b.password)


def bench_sync_latency(cfg: RunConfig) -> list[dict[str, Any]]:
    """See the module."""
    if MISSING is not None:
        log(f"sync_entry_a_to_b: skipped — {MISSING}")
        return []
    cluster = start_cluster()
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE bench_clinic")
        url = cluster.url("bench_clinic")
        init_server(url)
        url_a, url_b = _logins(cluster, url)
        a_db, b_db = cfg.work / "sync-a.db", cfg.work / "sync-b.db"
        Store(b_db).close()  # B's file exists before its reader looks
        with Store(a_db) as a:
            build_demo(a, SystemClock().now())
            # As a clinic's database: a demo never meets a server (bedside.store.server.demo_guard).
            a.set_settings({DEMO_SETTING: ""}, actor=None, at=SystemClock().now())
            with psycopg.connect(url_a, autocommit=True) as server:
                sync(a.conn, server, now=SystemClock().now())
        loops = [BackgroundSync(db, u, SystemClock(), lambda s: None, idle_s=IDLE_S)
                 for db, u in ((a_db, url_a), (b_db, url_b))]  # fmt: skip
        runners = [threading.Thread(target=loop.run, daemon=True) for loop in loops]
        for runner in runners:
            runner.start()
        try:
            _arrived(b_db, "", deadline_s=60.0)  # B has received the clinic's day
            times = _charted_at_a_seen_at_b(a_db, b_db, 3 if cfg.quick else 9)
        finally:
            for loop in loops:
                loop.stop()
            for runner in runners:
                runner.join(timeout=30)
        floor = _floor(url, 9)
    finally:
        remove_cluster(cluster)
    value = _median(times)
    log(f"sync_entry_a_to_b: {value:.0f} ms (each: {', '.join(f'{t:.0f}' for t in times)}), "
        f"floor {floor:.1f} ms")  # fmt: skip
    return [line("sync_entry_a_to_b", value, "ms", floor, "value <= 1000 ms")]


def _charted_at_a_seen_at_b(a_db: Path, b_db: Path, reps: int) -> list[float]:
    times = []
    with Store(a_db) as a:
        service = ChartService(a, SystemClock())
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        session = next(h.id for h in a.all_sessions() if not service.state(h.id).closed)
        for n in range(reps):
            words = f"bench entry {n} {time.time_ns()}"
            start = time.perf_counter()
            service.add_note(nurse, session, words)
            times.append((_arrived(b_db, words) - start) * 1000)
            time.sleep(0.3)  # not in step with the idle loop
    return times


def _day_of_twelve(store: Store, day: datetime) -> int:
    """At A: the clinic with 12 patients, then 4 chairs × 3 reference sessions over 8 hours
    (each signed off), charted through the service. Returns the entries charted that day."""
    clock = FixedClock(day - timedelta(days=1))
    service = ChartService(store, clock)
    staff = set_up_clinic(service, demo_settings("UTC"))
    patients = []
    for n in range(12):
        fields = {**PATIENTS[1], "mrn": f"MRN-2{n:03d}", "given_name": f"Patient {n + 1}"}
        patients.append(service.register_patient(staff.nurse, **fields))
        order_reference_course(service, staff.clinician, patients[-1].id)
    before = int(store.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0])
    for n, patient in enumerate(patients):
        chair, turn = n % 4 + 1, n // 4  # three sessions a chair, 2 h 40 min apart
        start = day + timedelta(minutes=160 * turn + 5 * chair)
        chart_reference_session(service, clock, staff, patient, chair=chair, start=start)
    return int(store.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0]) - before


def bench_catch_up(cfg: RunConfig) -> list[dict[str, Any]]:
    """``sync_catch_up_8h``: workstation B, cut off for a clinic day of 4 chairs × 3 sessions
    charted at A, syncs once back online; timed: B's whole sync (the clinic-wide changes and
    every entry checked against its hash and joined to its chain). Floor: reading the same
    entries from the server in one SELECT. Goal: value <= 5 s."""
    if MISSING is not None:
        log(f"sync_catch_up_8h: skipped — {MISSING}")
        return []
    cluster = start_cluster()
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE bench_day")
        url = cluster.url("bench_day")
        init_server(url)
        url_a, url_b = _logins(cluster, url)
        day = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
        with Store(cfg.work / "day-a.db") as a, Store(cfg.work / "day-b.db") as b:
            charted = _day_of_twelve(a, day)
            with psycopg.connect(url_a, autocommit=True) as server:
                sync(a.conn, server, now=day)
            with psycopg.connect(url_b, autocommit=True) as server:
                start = time.perf_counter()
                done = sync(b.conn, server, now=day)
                value = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                server.execute("SELECT * FROM bedside.chart_events").fetchall()
                floor = (time.perf_counter() - start) * 1000
    finally:
        remove_cluster(cluster)
    log(f"sync_catch_up_8h: {value:.0f} ms for {done.received_entries} entries "
        f"({charted} charted that day, {done.received_sessions} sessions, "
        f"{done.received_clinic_rows} clinic-wide rows); floor {floor:.1f} ms")  # fmt: skip
    return [line("sync_catch_up_8h", value, "ms", floor, "value <= 5000 ms")]
