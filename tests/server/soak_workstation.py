"""One workstation of the clinic-server soak (``test_soak.py``), run as its own process.

``python soak_workstation.py DB ACKED`` charts into the SQLite file DB through the service, as
a nurse at that workstation would, and syncs with the clinic server when told. It reads one
JSON command a line on stdin and answers each with one JSON line on stdout; while a sync
retries it also prints ``{"event": "sync_error", ...}`` lines, so the test sees the server go
down before the command ends. Every entry the service acknowledged (its call returned) is
appended to ACKED, one id a line, flushed and fsync'd before the next entry is charted.

Commands (``op``): ``chart`` (session, count, user), ``open`` (mrn, chair, user),
``try_chart`` (session, user), ``take_over`` (session, url, user), ``sign`` (session, user),
``sync`` (url: after a failure, retried when a ``retry`` line comes), ``sync_once`` (url: one attempt), ``quit``.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import psycopg

from bedside.clock import SystemClock
from bedside.context import SessionChange
from bedside.errors import BedsideError
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.holds_here import SessionHeldElsewhere
from bedside.store.server.setup import connect
from bedside.store.server.sync import SyncReport, sync
from bedside.store.server.takeover import take_over_at

PASSWORD = "bedside-demo"


def say(message: dict[str, Any]) -> None:
    print(json.dumps(message), flush=True)


def words(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"


def described(report: SyncReport) -> dict[str, Any]:
    return {
        "sent_entries": report.sent_entries,
        "received_entries": report.received_entries,
        "conflicts": list(report.conflicts),
        "forks": len(report.forks),
        "forks_waiting": report.forks_waiting,
        "waiting": report.waiting,
        "taken_from_here": [sid for sid, _ in report.taken_from_here],
    }


class Workstation:
    """The workstation's file, its service and its acknowledged-entries log."""

    def __init__(self, db: Path, acked: Path) -> None:
        self.store = Store(db)
        self.service = ChartService(self.store, SystemClock())
        self.acked: IO[str] = acked.open("a", encoding="utf-8")
        self.users: dict[str, User] = {}

    def user(self, name: str) -> User:
        if name not in self.users:
            self.users[name] = self.service.accounts.authenticate(name, PASSWORD)
        return self.users[name]

    def ack(self, change: SessionChange) -> int:
        for event in change.events:
            self.acked.write(event.id + "\n")
        self.acked.flush()
        os.fsync(self.acked.fileno())
        return len(change.events)

    def entry(self, session: SessionId, user: User, n: int) -> SessionChange:
        """A note, or vitals where the pump runs (every other entry)."""
        if n % 2 and self.service.state(session).phase == Phase.INFUSING:
            return self.service.record_vitals(
                user, session, systolic=118 + n % 7, diastolic=76, heart_rate=72, spo2=98
            )
        return self.service.add_note(user, session, f"soak entry {n} at {self.store.path.stem}")

    def run(self, cmd: dict[str, Any]) -> dict[str, Any]:
        op = cmd["op"]
        if op == "chart":
            user, session = self.user(cmd["user"]), SessionId(cmd["session"])
            acked = sum(self.ack(self.entry(session, user, n)) for n in range(cmd["count"]))
            return {"acked": acked}
        if op == "open":
            patient = self.store.patient_by_mrn(cmd["mrn"])
            assert patient is not None
            change = self.service.open_session(
                self.user(cmd["user"]), patient_id=patient.id, chair=cmd["chair"]
            )
            return {"session": change.session_id, "acked": self.ack(change)}
        if op == "try_chart":
            try:
                change = self.entry(SessionId(cmd["session"]), self.user(cmd["user"]), 0)
            except SessionHeldElsewhere as exc:
                return {"refused": str(exc)}
            return {"acked": self.ack(change)}
        if op == "take_over":
            hold = take_over_at(
                self.store, cmd["url"], self.user(cmd["user"]), cmd["session"], now=_now()
            )
            return {"epoch": hold.epoch, "workstation": hold.workstation}
        if op == "sign":
            change = self.service.sign_off(self.user(cmd["user"]), cmd["session"], PASSWORD)
            return {"signed": change.event.id, "acked": self.ack(change)}
        if op == "sync_once":
            try:
                return {"report": self.sync(cmd["url"])}
            except (BedsideError, psycopg.Error) as exc:
                return {"error": words(exc)}
        if op == "sync":
            return self.sync_until_done(cmd["url"])
        raise ValueError(f"unknown command {op!r}")

    def sync(self, url: str) -> dict[str, Any]:
        with connect(url) as server:
            return described(sync(self.store.conn, server, now=_now()))

    def sync_until_done(self, url: str) -> dict[str, Any]:
        """Sync; on a failure in words (server down, connection cut) say so, wait for the
        test's word that the server is back (a ``retry`` line on stdin, not a sleep), and try
        again; any other line gives up."""
        errors: list[str] = []
        while True:
            try:
                return {"report": self.sync(url), "errors": errors}
            except (BedsideError, psycopg.Error) as exc:
                errors.append(words(exc))
                say({"event": "sync_error", "words": errors[-1]})
                if json.loads(sys.stdin.readline() or "{}").get("op") != "retry":
                    return {"error": "gave up", "errors": errors}


def _now() -> datetime:
    return SystemClock().now()


def main(db: str, acked: str) -> None:
    workstation = Workstation(Path(db), Path(acked))
    say({"ready": True})
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "quit":
            break
        say({"op": cmd["op"], **workstation.run(cmd)})
    workstation.store.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
