"""Helpers shared by the storage tests: a small clinic, raw SQL access, forged rows, workers.

Raw access deliberately uses a plain ``sqlite3`` connection (no Bedside pragmas, default
``recursive_triggers=off``), because that is what a person with a copy of the file and the
``sqlite3`` shell has.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bedside.canonical import canonical_json
from bedside.clock import FixedClock
from bedside.events import ChartEvent, NoteAdded, Phase
from bedside.ids import EventId, SessionId, UserId, new_id
from bedside.people import Patient
from bedside.service import ChartService
from bedside.store import Store, bound_rows
from bedside.store.hashing import event_hash
from bedside.timeutil import iso_utc
from ui.demo import (
    DemoStaff,
    chart_reference_session,
    create_staff,
    order_reference_course,
)

T0 = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
"""The clinic's start of day in every storage test (time is always injected)."""

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).resolve().with_name("append_worker.py")

EVENT_COLUMNS = (
    "id",
    "session_id",
    "seq",
    "kind",
    "clinical_time",
    "recorded_time",
    "author",
    "supersedes",
    "reason",
    "payload",
    "prev_hash",
    "hash",
)


def file_mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return os.stat(path).st_mode & 0o777


@contextmanager
def raw(path: Path, *, with_bedside_functions: bool = True) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection in autocommit mode, closed afterwards.

    By default it has the two functions the ledger's binding triggers call, as a person with
    the file and the source can give it, so the database's own rules still run (the triggers
    are what is tested); without them it is the bare ``sqlite3`` shell, which cannot write a
    bound table at all.
    """
    conn = sqlite3.connect(str(path), isolation_level=None)
    if with_bedside_functions:
        bound_rows.register(conn)
    try:
        yield conn
    finally:
        conn.close()


def trigger_sql(conn: sqlite3.Connection, name: str) -> str:
    """The CREATE statement of a trigger, so a test can put it back after tampering."""
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
    ).fetchone()
    assert row is not None, f"trigger {name} is missing from the schema"
    return str(row[0])


def event_rows(path: Path, session_id: str) -> list[tuple[str, int, str]]:
    """(id, seq, kind) of a session's stored events, read with raw SQL."""
    with raw(path) as conn:
        return [
            (str(r[0]), int(r[1]), str(r[2]))
            for r in conn.execute(
                "SELECT id, seq, kind FROM chart_events WHERE session_id = ? ORDER BY seq",
                (session_id,),
            )
        ]


def forge_event(
    *,
    session_id: str,
    seq: int,
    prev_hash: str,
    author: str,
    at: datetime,
    text: str = "forged note",
) -> ChartEvent:
    """A note event whose own hash is correct for its content, whatever seq/prev_hash say.

    Only the database's chain triggers can then tell that it does not belong where it is put.
    """
    unhashed = ChartEvent(
        id=EventId(new_id()),
        session_id=SessionId(session_id),
        seq=seq,
        clinical_time=at,
        recorded_time=at,
        author=UserId(author),
        payload=NoteAdded(text=text),
        prev_hash=prev_hash,
        hash="0" * 64,
    )
    return unhashed.model_copy(update={"hash": event_hash(unhashed)})


def event_row(event: ChartEvent) -> tuple[object, ...]:
    """The row a stored event has, column by column (see ``EVENT_COLUMNS``)."""
    return (
        event.id,
        event.session_id,
        event.seq,
        event.kind,
        iso_utc(event.clinical_time),
        iso_utc(event.recorded_time),
        event.author,
        event.supersedes,
        event.reason,
        canonical_json(event.payload.model_dump(mode="json")),
        event.prev_hash,
        event.hash,
    )


def insert_event_sql(conn: sqlite3.Connection, event: ChartEvent) -> None:
    """INSERT a forged event with plain SQL."""
    conn.execute(
        f"INSERT INTO chart_events({', '.join(EVENT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
        event_row(event),
    )


# --- a small clinic ------------------------------------------------------------------------------


@dataclass
class Clinic:
    """A store, a service on a FixedClock, the demo staff, and helpers to chart sessions."""

    path: Path
    store: Store
    service: ChartService
    clock: FixedClock
    staff: DemoStaff
    patients: list[Patient] = field(default_factory=list)

    @classmethod
    def create(cls, path: Path) -> Clinic:
        store = Store(path)
        clock = FixedClock(T0)
        service = ChartService(store, clock)
        store.set_settings({"timezone": "America/New_York"}, actor=None, at=clock.now())
        staff = create_staff(service)
        service.ensure_protocol(staff.admin)
        return cls(path, store, service, clock, staff)

    def patient_with_course(self) -> Patient:
        """A new patient with a signed course order of six infusions."""
        n = len(self.patients) + 1
        patient = self.service.register_patient(
            self.staff.nurse,
            mrn=f"MRN-{9000 + n}",
            family_name=f"Testpatient{n}",
            given_name="Alex",
            date_of_birth=date(1984, 3, 12),
            sex="female",
            allergies={"state": "nkda"},
        )
        order_reference_course(self.service, self.staff.clinician, patient.id)
        self.patients.append(patient)
        return patient

    def reference_session(self, *, until: Phase = Phase.SIGNED) -> SessionId:
        """The reference session (CLINICAL numbers, 186/104 pause alert) for a new patient."""
        patient = self.patient_with_course()
        chair = len(self.patients)
        start = self.clock.now() + timedelta(minutes=5)
        return chart_reference_session(
            self.service, self.clock, self.staff, patient, chair=chair, start=start, until=until
        )

    def open_session(self) -> SessionId:
        """A just-opened session (intake phase) for a new patient."""
        patient = self.patient_with_course()
        self.clock.advance(minutes=1)
        return self.service.open_session(
            self.staff.nurse, patient_id=patient.id, chair=len(self.patients)
        ).session_id

    def close(self) -> None:
        self.store.close()


@dataclass(frozen=True)
class Prebuilt:
    """A closed database file (no WAL left beside it) and what is in it."""

    path: Path
    staff: DemoStaff
    session_id: SessionId  # the signed reference session

    def copy_to(self, folder: Path) -> Path:
        target = folder / "copy.db"
        shutil.copyfile(self.path, target)
        target.chmod(0o600)
        return target


# --- worker processes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    """One acknowledged append, as printed by the worker after ``append`` returned."""

    event_id: str
    seq: int


class Worker:
    """``append_worker.py`` in a child process, with a watchdog so a hang cannot stall CI."""

    def __init__(
        self,
        db: Path,
        session_id: str,
        author: str,
        start: datetime,
        *,
        count: int = 0,
        via: str = "service",
        wait_for_go: bool = False,
        gap_ms: float = 0.0,
        timeout_s: float = 60.0,
    ) -> None:
        argv = [
            sys.executable,
            str(WORKER),
            "--db",
            str(db),
            "--session",
            session_id,
            "--author",
            author,
            "--start",
            start.isoformat(),
            "--count",
            str(count),
            "--via",
            via,
        ]
        if wait_for_go:
            argv.append("--wait-for-go")
        if gap_ms:
            argv += ["--gap-ms", str(gap_ms)]
        # the child imports the same bedside/ as this test, installed or not
        pythonpath = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
        self.proc = subprocess.Popen(
            argv,
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONPATH": pythonpath},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.acks: list[Ack] = []
        self._watchdog = threading.Timer(timeout_s, self._kill_quietly)
        self._watchdog.daemon = True
        self._watchdog.start()

    def _kill_quietly(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            stderr = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(
                f"worker ended early (exit {self.proc.returncode}) after {len(self.acks)} acks:"
                f"\n{stderr}"
            )
        return line

    def wait_ready(self) -> None:
        line = self._line()
        assert line == "ready\n", f"expected 'ready', got {line!r}"

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def read_acks(self, n: int) -> None:
        """Block until ``n`` acknowledgements in total have been read."""
        while len(self.acks) < n:
            self.acks.append(_parse_ack(self._line()))

    def kill(self) -> None:
        """SIGKILL, then collect every acknowledgement the child managed to print."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self._watchdog.cancel()
        assert self.proc.returncode == -signal.SIGKILL, self.proc.returncode
        assert self.proc.stdout is not None
        rest = self.proc.stdout.read()
        for line in rest.splitlines(keepends=True):
            if line.endswith("\n"):  # a line cut short by the kill is not an acknowledgement
                self.acks.append(_parse_ack(line))
        self._close_pipes()

    def finish(self) -> None:
        """Wait for a counted run to end on its own; it must exit cleanly."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.acks.append(_parse_ack(line))
        self.proc.wait()
        self._watchdog.cancel()
        stderr = self.proc.stderr.read() if self.proc.stderr else ""
        self._close_pipes()
        assert self.proc.returncode == 0, f"worker failed (exit {self.proc.returncode}):\n{stderr}"

    def _close_pipes(self) -> None:
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()

    def cleanup(self) -> None:
        """Teardown: never leave a child behind."""
        self._watchdog.cancel()
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_pipes()


def _parse_ack(line: str) -> Ack:
    event_id, seq = line.split()
    return Ack(event_id, int(seq))
