"""This workstation's record checked against the clinic server (issue 14: "each workstation's
anchor is checked against the server"): every chart entry this file holds up to what it has
sent — its own, confirmed sent, and those it received (its line and the branches it keeps
aside) — must be on the server, with the same hash. The anchor (issue 8: the ledger head this
workstation last wrote) bounds the check: a server that lost or altered what this workstation
anchored is named; entries after the push cursor are counted as waiting, not missing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from bedside.store.server.push import ServerConnection, cursor

_BATCH = 5000


@dataclass
class AgainstServer:
    """What the check found (no problems: the server holds everything this file sent)."""

    problems: list[str] = field(default_factory=list)
    checked: int = 0
    waiting: int = 0
    """Ledger entries after the push cursor, up to the anchor (not sent yet)."""


def check_against_server(
    local: sqlite3.Connection, server: ServerConnection, anchored_seq: int | None
) -> AgainstServer:
    """See the module. ``anchored_seq``: this workstation's anchor of the file (None: it has
    never written into it, so everything up to the push cursor is checked)."""
    found = AgainstServer()
    through = cursor(local)
    if anchored_seq is not None:
        found.waiting = max(0, anchored_seq - through)
        through = min(through, anchored_seq)
    for batch in _batches(_entries_here(local, through)):
        theirs = dict(
            (str(i), str(h))
            for i, h in server.execute(
                "SELECT id, hash FROM bedside.chart_events WHERE id = ANY(%s)", (list(batch),)
            ).fetchall()
        )
        found.checked += len(batch)
        for event_id, ours in batch.items():
            if event_id not in theirs:
                found.problems.append(
                    f"entry {event_id} is in this workstation's record (sent) but not on the "
                    "server: the server's copy was rolled back or restored from an older backup"
                )
            elif theirs[event_id] != ours:
                found.problems.append(
                    f"entry {event_id} differs on the server (its hash): one copy was altered"
                )
    return found


def _entries_here(local: sqlite3.Connection, through: int) -> Iterator[tuple[str, str]]:
    yield from (
        (str(i), str(h))
        for i, h in local.execute(
            "SELECT e.id, e.hash FROM ledger l JOIN chart_events e ON e.id = l.event_id"
            " WHERE l.record IS NULL AND l.seq <= ? ORDER BY l.seq",
            (through,),
        )
    )
    for event_id, row in local.execute("SELECT event_id, row FROM received_forks"):
        yield str(event_id), str(json.loads(row)[11])


def _batches(entries: Iterator[tuple[str, str]]) -> Iterator[dict[str, str]]:
    batch: dict[str, str] = {}
    for event_id, digest in entries:
        batch[event_id] = digest
        if len(batch) >= _BATCH:
            yield batch
            batch = {}
    if batch:
        yield batch
