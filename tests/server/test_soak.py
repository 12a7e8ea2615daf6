"""The clinic server's soak (issue 14): three workstation processes (``soak_workstation.py``)
chart four sessions against one server through

1. the server stopped hard (``pg_ctl stop -m immediate``) while all three are mid-sync, then
   started again: each sync fails in words, is retried by the workstation, and completes;
2. a workstation SIGKILLed mid-push (the server has its first batch, not its second), then
   started again: its next sync completes with every entry on the server exactly once;
3. a workstation cut off for a long stretch while it charts a session another takes over and
   charts, and two workstations charting one session while both are cut off: everything
   arrives, the takeovers are heard, charting there is refused, and both forks are surfaced;
4. a clinician's sign-off at one workstation.

At the end: no acknowledged entry lost, the same entries (ids and hashes) on every workstation
(its chain and the forks it keeps aside) and on the server, every chain and every signature
verifies, every fork surfaced on the server and at each workstation.

The test decides when things happen without sleeping: it holds the server ledger's advisory
lock (the lock every push of an entry takes) to keep a workstation's push waiting at a known
point, and polls the server's own lock table with a deadline to see it waiting there.

The last test is the bug the soak found, fixed: a workstation frozen in the middle of a push
(its batch sent, waiting for the ledger's lock) no longer stops every other workstation's push —
each batch is one statement that the server finishes on its own (server migration 0006).
"""

from __future__ import annotations

import inspect
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import psycopg
import pytest
from pg_cluster import Cluster
from server_helpers import clinic_from_demo

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.service import ChartService
from bedside.signature_checks import signature_problems, signatures_in
from bedside.state import fold
from bedside.store import Store
from bedside.store.chart import EVENT_COLUMNS, event_from_row
from bedside.store.keys import read_signing_keys
from bedside.store.people import read_users
from bedside.store.server.push import push, waiting
from bedside.store.server.setup import add_workstation
from bedside.store.server.verify import verify_server

pytestmark = pytest.mark.slow

DRIVER = Path(__file__).with_name("soak_workstation.py")
REPO_ROOT = Path(__file__).resolve().parents[2]
ANSWER_S = 120.0
DEADLINE_S = 60.0
POLL_S = 0.005
DEAD_URL = "postgresql://nobody@127.0.0.1:1/none"
LEDGER_LOCK = "hashtext('bedside.ledger')"
PUSH_BATCH = inspect.signature(push).parameters["batch"].default
Conn = psycopg.Connection[tuple[object, ...]]


def poll(condition: Callable[[], bool], what: str, deadline_s: float = DEADLINE_S) -> None:
    """Wait for ``condition``, checking every few milliseconds, or fail saying ``what``. Used
    only for the server's own state (a push waiting on the ledger's lock, a killed
    workstation's session ending), which PostgreSQL announces to no one: a bounded wait on the
    condition, as ``qtbot.waitUntil`` is, never a sleep to let things happen."""
    end = time.monotonic() + deadline_s
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(POLL_S)


class Driver:
    """One workstation process: commands in, JSON answers out, its acknowledged ids on disk."""

    def __init__(self, name: str, folder: Path, role: str, url: str) -> None:
        self.name, self.role, self.url = name, role, url
        self.db, self.acked = folder / f"{name}.db", folder / f"{name}.acked"
        self.log = folder / f"{name}.stderr"
        self.events: list[dict[str, Any]] = []
        self.pending: list[dict[str, Any]] = []

    def start(self) -> None:
        pythonpath = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
        if hasattr(self, "stderr"):
            self.stderr.close()
        self.stderr: IO[str] = self.log.open("a")
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(self.db), str(self.acked)],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONPATH": pythonpath},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(
            target=self._read, args=(self.proc.stdout, self.lines), daemon=True
        ).start()
        assert self._next() == {"ready": True}

    @staticmethod
    def _read(stream: IO[str], lines: queue.Queue[str | None]) -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    def _next(self, within_s: float = ANSWER_S) -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=within_s)
        except queue.Empty:
            raise AssertionError(f"workstation {self.name} did not answer in time") from None
        if line is None:
            self.proc.wait()
            raise AssertionError(
                f"workstation {self.name} ended (exit {self.proc.returncode}):\n"
                + self.log.read_text()[-3000:]
            )
        message: dict[str, Any] = json.loads(line)
        return message

    def send(self, op: str, **args: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.proc.stdin.flush()

    def answer(self, within_s: float = ANSWER_S) -> dict[str, Any]:
        while not self.pending:
            message = self._next(within_s)
            (self.events if "event" in message else self.pending).append(message)
        return self.pending.pop(0)

    def ask(self, op: str, *, fails: bool = False, **args: object) -> dict[str, Any]:
        """Run one command; its answer (with an ``error`` exactly when ``fails``)."""
        self.send(op, **args)
        found = self.answer()
        assert found.get("op") == op, f"{self.name}: {found}"
        assert ("error" in found) == fails, f"{self.name}: {found}"
        return found

    def wait_event(self, kind: str) -> dict[str, Any]:
        """The first ``kind`` event (answers read meanwhile are kept for :meth:`answer`)."""
        while not any(e["event"] == kind for e in self.events):
            message = self._next()
            (self.events if "event" in message else self.pending).append(message)
        return next(e for e in self.events if e["event"] == kind)

    def sync(self, url: str | None = None) -> dict[str, Any]:
        """One complete sync (retried by the workstation until it completes)."""
        report: dict[str, Any] = self.ask("sync", url=url or self.url)["report"]
        assert report["waiting"] == 0, report
        assert report["conflicts"] == [], report
        return report

    def chart(self, session: str, count: int, user: str) -> int:
        acked: int = self.ask("chart", session=session, count=count, user=user)["acked"]
        return acked

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        assert self.proc.wait(timeout=ANSWER_S) == -signal.SIGKILL

    def quit(self) -> None:
        self.send("quit")
        assert self.proc.wait(timeout=ANSWER_S) == 0, self.log.read_text()[-3000:]

    def stop_if_running(self) -> None:
        if hasattr(self, "proc") and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if hasattr(self, "stderr"):
            self.stderr.close()

    def acked_ids(self) -> list[str]:
        text = self.acked.read_text()
        return [line for line in text.split("\n")[:-1] if line]  # a cut-off last line: not acked


@dataclass
class Soak:
    """The clinic: the server (as IT: superuser URL), its cluster, the three workstations."""

    cluster: Cluster
    server_url: str
    a: Driver
    b: Driver
    c: Driver
    sessions: dict[str, str] = field(default_factory=dict)
    reports: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def drivers(self) -> tuple[Driver, Driver, Driver]:
        return self.a, self.b, self.c

    def server(self) -> Conn:
        return psycopg.connect(self.server_url, autocommit=True)

    def sync_all(self, rounds: int = 1) -> None:
        for _ in range(rounds):
            for driver in self.drivers:
                self.reports.setdefault(driver.name, []).append(driver.sync())


def count(conn: Conn, sql: str, *params: object) -> int:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return int(str(row[0]))


def lock_waiters(conn: Conn) -> int:
    """Server backends waiting for an advisory lock (a push waiting for the ledger's)."""
    return count(
        conn,
        "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
        " WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()",
    )


def sent_by(conn: Conn, driver: Driver) -> int:
    return count(conn, "SELECT count(*) FROM bedside.chart_events WHERE origin = %s", driver.role)


@pytest.fixture
def soak(
    tmp_path: Path, cluster: Cluster, server_url: str, workstation_urls: tuple[str, str]
) -> Iterator[Soak]:
    """A (the demo clinic), B and C, each with its own login, not started yet."""
    dbname = server_url.rsplit("/", 1)[1]
    login_c = add_workstation(server_url, f"c_{dbname.rsplit('_', 1)[1]}")
    url_c = cluster.url(dbname, login_c.role, login_c.password)
    a, b, c = (
        Driver(name, tmp_path, urlsplit(url).username or "", url)
        for name, url in zip("abc", (*workstation_urls, url_c), strict=True)
    )
    soak = Soak(cluster, server_url, a, b, c)
    try:
        yield soak
    finally:
        for driver in soak.drivers:
            driver.stop_if_running()


def set_up(soak: Soak) -> None:
    """A builds the demo clinic (Lucía infusing: S1, Sean waiting for sign-off: S2, Priya
    prepared: S3) and sends it; B and C receive it; C opens Alex Doe's next session (S4) and
    so holds it; B takes Sean's over (S2). Holds: A S1 S3, B S2, C S4."""
    now = datetime.now(UTC)
    with Store(soak.a.db) as store:
        clinic_from_demo(store, now)
        service = ChartService(store, FixedClock(now))
        by_phase = {service.state(h.id).phase: h.id for h in store.all_sessions()}
    soak.sessions.update(
        S1=by_phase[Phase.INFUSING], S2=by_phase[Phase.READY_FOR_DISCHARGE],
        S3=by_phase[Phase.PREPARED],
    )  # fmt: skip
    for driver in soak.drivers:
        driver.start()
        driver.sync()
    opened = soak.c.ask("open", mrn="MRN-1001", chair=1, user="dana")
    soak.sessions["S4"] = opened["session"]
    soak.c.sync()
    soak.b.sync()
    taken = soak.b.ask("take_over", session=soak.sessions["S2"], url=soak.b.url, user="sam")
    assert taken["epoch"] == 2


def crash_server_mid_sync(soak: Soak) -> None:
    """Each workstation charts its own session, then all three sync while the test holds the
    ledger's lock: all three pushes wait inside their transaction; the server is stopped hard
    there. Each sync fails in words and is retried until the server is back; then they
    complete, and each entry is on the server once."""
    s = soak.sessions
    for driver, session, user in ((soak.a, "S1", "dana"), (soak.b, "S2", "sam"),
                                  (soak.c, "S4", "dana")):  # fmt: skip
        assert driver.chart(s[session], 60, user) >= 60
    with soak.server() as conn:
        before = {d.name: sent_by(conn, d) for d in soak.drivers}
        conn.execute(f"SELECT pg_advisory_lock({LEDGER_LOCK})")
        for driver in soak.drivers:
            driver.send("sync", url=driver.url)
        poll(lambda: lock_waiters(conn) == 3, "the three pushes to wait for the ledger")
        try:
            soak.cluster.stop("immediate")
            errors = [driver.wait_event("sync_error")["words"] for driver in soak.drivers]
        finally:
            soak.cluster.start()  # pg_ctl -w: accepting connections when it returns
        for driver in soak.drivers:
            driver.send("retry")  # the server is back: each workstation tries again now
    for driver in soak.drivers:
        done = driver.answer()
        assert "report" in done, f"{driver.name}: {done}"
        assert done["errors"], f"{driver.name}'s sync never failed: the stop missed it"
        assert done["report"]["waiting"] == 0
        soak.reports.setdefault(driver.name, []).append(done["report"])
    print("server stopped mid-sync; first errors:", errors)
    # A hears that B took Sean's session over, and charts it no more.
    assert soak.reports["a"][-1]["taken_from_here"] == [s["S2"]]
    refused = soak.a.ask("try_chart", session=s["S2"], user="dana")
    assert "charted at workstation" in refused["refused"], refused
    with soak.server() as conn:
        after = {d.name: sent_by(conn, d) for d in soak.drivers}
    assert all(after[n] - before[n] >= 60 for n in after), (before, after)


def kill_mid_push(soak: Soak) -> None:
    """A charts a backlog of two batches offline, then syncs; the test lets the first batch
    commit and keeps the second waiting for the ledger's lock, SIGKILLs A there, and starts
    it again. A batch is one statement the server finishes on its own (migration 0006), so the
    batch A had sent is kept whole, though A never heard it was: A's next sync resends it and
    the server keeps nothing twice."""
    s, a = soak.sessions, soak.a
    backlog = a.chart(s["S1"], 330, "dana") + a.chart(s["S3"], 330, "dana")
    assert backlog > PUSH_BATCH
    with soak.server() as conn:
        lock = psycopg.connect(soak.server_url, autocommit=True)
        try:
            lock.execute("SET lock_timeout = '60s'")
            base = sent_by(conn, a)
            lock.execute(f"SELECT pg_advisory_lock({LEDGER_LOCK})")
            a.send("sync", url=a.url)
            poll(lambda: lock_waiters(conn) == 1, "A's first batch to wait for the ledger")
            # In one statement: hand the lock to the waiting batch and queue for it again, so
            # the test has it back as soon as that batch commits, before the next one asks.
            lock.execute(
                f"SELECT pg_advisory_unlock({LEDGER_LOCK}), pg_advisory_lock({LEDGER_LOCK})"
            )
            assert sent_by(conn, a) - base == PUSH_BATCH
            poll(lambda: lock_waiters(conn) == 1, "A's second batch to wait for the ledger")
            a.kill()
            assert sent_by(conn, a) - base == PUSH_BATCH  # some, not all: killed mid-push
        finally:
            lock.close()  # the lock goes with the session; the killed push is rolled back
        poll(
            lambda: count(conn, "SELECT count(*) FROM pg_stat_activity WHERE usename = %s",
                          a.role) == 0,
            "the killed workstation's server session to end",
        )  # fmt: skip
        # The second batch was in the server when A died: finished there, all or nothing.
        assert sent_by(conn, a) - base == backlog
        a.start()
        report = a.sync()  # A's cursor is still after the first batch: it sends the second …
        assert report["sent_entries"] == 0  # … and the server keeps none of it twice
        assert report["waiting"] == 0
        assert sent_by(conn, a) - base == backlog
    print(f"A killed mid-push: {PUSH_BATCH} of {backlog} entries on the server at the kill")


def cut_off_and_fork(soak: Soak) -> None:
    """C charts Alex's session (S4) cut off for a long stretch while B takes it over (online)
    and charts it; B takes Priya's (S3) over from A, and then A (not told) and B chart it
    while both are cut off. Reconnected: everything arrives, the takeovers are heard, the old
    holders chart those sessions no more, and both forks are surfaced."""
    s, a, b, c = soak.sessions, soak.a, soak.b, soak.c
    c.chart(s["S4"], 120, "dana")
    assert "Cannot reach the clinic server" in c.ask("sync_once", url=DEAD_URL, fails=True)["error"]
    assert b.ask("take_over", session=s["S4"], url=b.url, user="sam")["epoch"] == 2
    b.chart(s["S4"], 40, "sam")
    b.sync()
    a.sync()
    c.chart(s["S4"], 120, "dana")
    assert "Cannot reach the clinic server" in c.ask("sync_once", url=DEAD_URL, fails=True)["error"]
    assert b.ask("take_over", session=s["S3"], url=b.url, user="sam")["epoch"] == 2
    a.chart(s["S3"], 50, "dana")  # A has not heard: it still holds S3 as far as it knows
    b.chart(s["S3"], 50, "sam")
    c.chart(s["S4"], 60, "dana")
    heard = {d.name: d.sync() for d in (c, a, b)}
    assert heard["c"]["taken_from_here"] == [s["S4"]]
    assert heard["a"]["taken_from_here"] == [s["S3"]]
    assert heard["c"]["forks"] == 40  # B's branch of S4
    assert heard["a"]["forks"] == 300  # C's branch of S4 (A had B's in its line)
    assert heard["b"]["forks"] == 300 + 50  # C's branch of S4, A's of S3
    for driver, session in ((c, "S4"), (a, "S3")):
        refused = driver.ask("try_chart", session=s[session], user="dana")
        assert "charted at workstation" in refused["refused"], refused
    soak.sync_all()
    with soak.server() as conn:
        forked = conn.execute("SELECT DISTINCT session_id FROM bedside.forks").fetchall()
    assert {str(r[0]) for r in forked} == {s["S3"], s["S4"]}


def sign_and_settle(soak: Soak) -> None:
    """B charts and the clinician signs Sean's session off at B; two last rounds of syncs."""
    s = soak.sessions
    soak.b.chart(s["S2"], 10, "sam")
    soak.b.ask("sign", session=s["S2"], user="drlee")
    soak.sync_all(rounds=2)
    for driver in soak.drivers:
        driver.quit()


@dataclass
class Copy:
    """One copy of the record: entries (id → hash) by session, and the forks kept aside."""

    entries: dict[str, dict[str, str]]
    aside: dict[str, set[str]]
    """The entries kept aside (received forks), by session."""


def workstation_copy(store: Store) -> Copy:
    entries: dict[str, dict[str, str]] = {}
    for sid, eid, digest in store.conn.execute("SELECT session_id, id, hash FROM chart_events"):
        entries.setdefault(sid, {})[eid] = digest
    aside: dict[str, set[str]] = {}
    for sid, eid, row in store.conn.execute("SELECT session_id, event_id, row FROM received_forks"):
        assert eid not in entries.get(sid, {}), f"{eid} both in the chain and aside"
        entries.setdefault(sid, {})[eid] = str(json.loads(row)[11])
        aside.setdefault(sid, set()).add(eid)
    return Copy(entries, aside)


def server_copy(conn: Conn) -> Copy:
    entries: dict[str, dict[str, str]] = {}
    for sid, eid, digest in conn.execute("SELECT session_id, id, hash FROM bedside.chart_events"):
        entries.setdefault(str(sid), {})[str(eid)] = str(digest)
    return Copy(entries, {})


def signatures_checked(store: Store) -> int:
    """Check every signature of every entry here, the forks kept aside too; how many."""
    accounts = {u.id: u for u in read_users(store.conn)}
    keys = read_signing_keys(store.conn)
    rows = [list(r) for r in store.conn.execute(f"SELECT {EVENT_COLUMNS} FROM chart_events")]
    rows += [json.loads(r[0]) for r in store.conn.execute("SELECT row FROM received_forks")]
    checked = 0
    for row in rows:
        event = event_from_row(row)
        assert signature_problems(event, accounts, keys) == [], event.id
        checked += len(list(signatures_in(event.payload)))
    return checked


def check_everything(soak: Soak) -> dict[str, Any]:
    """The soak's end (see the module); returns the numbers."""
    acked = {d.name: d.acked_ids() for d in soak.drivers}
    all_acked = [i for ids in acked.values() for i in ids]
    assert len(all_acked) == len(set(all_acked))
    with soak.server() as conn:
        server = server_copy(conn)
        check = verify_server(conn)
        assert check.problems == []
        in_ledger = count(
            conn, "SELECT count(*) FROM bedside.ledger WHERE event_id = ANY(%s)", all_acked
        )
    assert in_ledger == len(all_acked)  # each acknowledged entry once in the server's ledger
    on_server = {eid for entries in server.entries.values() for eid in entries}
    assert set(all_acked) - on_server == set(), "acknowledged entries missing on the server"
    numbers: dict[str, Any] = {
        "acked": {n: len(ids) for n, ids in acked.items()},
        "server_entries": check.events,
        "server_forks": check.forks,
    }
    for driver in soak.drivers:
        with Store(driver.db) as store:
            assert store.verify() == [], driver.name
            mine = workstation_copy(store)
            assert waiting(store.conn) == 0
            signed = fold(store.events(SessionId(soak.sessions["S2"])))
            assert signed.locked, f"{driver.name}: Sean's sign-off did not arrive"
            signatures = signatures_checked(store)
        lost = set(all_acked) - {e for entries in mine.entries.values() for e in entries}
        assert lost == set(), f"{driver.name} lacks {len(lost)} acknowledged entries"
        assert mine.entries == server.entries, f"{driver.name}'s record differs from the server's"
        # Both forks are surfaced here: the other branch of each is kept aside, and said.
        assert set(mine.aside) == {soak.sessions["S3"], soak.sessions["S4"]}, driver.name
        assert soak.reports[driver.name][-1]["forks_waiting"] > 0
        numbers[driver.name] = {
            "aside": {sid[:8]: len(ids) for sid, ids in mine.aside.items()},
            "signatures": signatures,
        }
    return numbers


def test_three_workstations_soak_loses_nothing_and_agree(soak: Soak) -> None:
    started = time.monotonic()
    set_up(soak)
    crash_server_mid_sync(soak)
    kill_mid_push(soak)
    cut_off_and_fork(soak)
    sign_and_settle(soak)
    numbers = check_everything(soak)
    print(f"soak numbers: {numbers}; {time.monotonic() - started:.1f} s")


FROZEN_WAIT_S = 30.0


def test_a_workstation_frozen_mid_push_does_not_stop_the_others(soak: Soak) -> None:
    """A's push gets the ledger's lock and A freezes there (SIGSTOP: a hung workstation; a
    power cut or a pulled cable leaves the server the same open session, until TCP gives up
    hours later). B's next sync should still complete within half a minute."""
    a, b = soak.a, soak.b
    with Store(a.db) as store:
        clinic_from_demo(store, datetime.now(UTC))
        service = ChartService(store, FixedClock(datetime.now(UTC)))
        infusing = next(
            h.id for h in store.all_sessions() if service.state(h.id).phase is Phase.INFUSING
        )
    for driver in (a, b):
        driver.start()
        driver.sync()
    a.chart(infusing, 5, "dana")
    b.ask("open", mrn="MRN-1001", chair=1, user="sam")  # B has an entry of its own to send
    with soak.server() as conn:
        with psycopg.connect(soak.server_url, autocommit=True) as lock:
            lock.execute(f"SELECT pg_advisory_lock({LEDGER_LOCK})")
            a.send("sync", url=a.url)
            poll(lambda: lock_waiters(conn) == 1, "A's push to wait for the ledger")
            os.kill(a.proc.pid, signal.SIGSTOP)
        # The test's lock went with its session: A's push has it now.
        poll(lambda: lock_waiters(conn) == 0, "A's push to get the ledger's lock")
        try:
            b.send("sync", url=b.url)
            done = b.answer(within_s=FROZEN_WAIT_S)
        except AssertionError:
            done = {"error": f"B's sync did not complete in {FROZEN_WAIT_S:.0f} s"}
        finally:
            a.kill()  # its socket closes: the server ends A's push and frees the lock
    assert "report" in done, done
