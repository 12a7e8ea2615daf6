"""``bedside verify --server URL``: the clinic server's copy proves itself as a workstation's
file does — every event's hash recomputed from its content, every event's parent present in its
session (genesis or an earlier event), the ledger's links recomputed in order with no gap, and
every event in the ledger exactly once. Forks are not damage: they are counted for a clinician
to resolve."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from bedside.store.chart import EVENT_COLUMNS, event_from_row
from bedside.store.hashing import event_hash, genesis_hash, ledger_hash

_BATCH = 5000
SERVER_LEDGER_GENESIS = ""
"""The link before the server ledger's first (migration 0001's trigger: ``coalesce(previous,
'')``); a workstation's own ledger starts from ``LEDGER_GENESIS`` instead."""


@dataclass
class ServerCheck:
    """What the check found: problems (empty: the copy is sound), and what it counted."""

    problems: list[str] = field(default_factory=list)
    events: int = 0
    sessions: int = 0
    forks: int = 0


def verify_server(conn: psycopg.Connection[tuple[object, ...]]) -> ServerCheck:
    """Check the server's record (read-only; a workstation's login is enough), in one snapshot:
    entries pushed while it runs are neither half-seen nor counted as missing."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return _verify(conn)


def _verify(conn: psycopg.Connection[tuple[object, ...]]) -> ServerCheck:
    check = ServerCheck()
    genesis: dict[str, str] = {}
    for sid, stored in conn.execute("SELECT id, genesis_hash FROM bedside.sessions"):
        check.sessions += 1
        genesis[str(sid)] = str(stored)
        if stored != genesis_hash(str(sid)):
            check.problems.append(f"session {sid}: its genesis hash is not its own")
    seen: dict[str, set[str]] = {}
    link, expected_seq = SERVER_LEDGER_GENESIS, 1
    columns = ", ".join("e." + c for c in EVENT_COLUMNS.split(", "))
    with conn.cursor(name="bedside_verify") as rows:  # server-side: a ten-year record streams
        rows.itersize = _BATCH
        rows.execute(
            f"SELECT l.seq, l.link, {columns} FROM bedside.ledger l "
            "JOIN bedside.chart_events e ON e.id = l.event_id ORDER BY l.seq"
        )
        for seq, stored_link, *row in rows:
            check.events += 1
            if seq != expected_seq:
                check.problems.append(f"ledger: entry {expected_seq} is missing (next is {seq})")
            expected_seq = int(str(seq)) + 1
            _check_event(check, row, genesis, seen)
            link = ledger_hash(link, str(row[0]), str(row[11]))
            if link != stored_link:
                check.problems.append(f"ledger: link {seq} does not chain (event {row[0]})")
                link = str(stored_link)  # report each break once, not every link after it
    total = conn.execute("SELECT count(*) FROM bedside.chart_events").fetchone()
    if total is not None and total[0] != check.events:
        check.problems.append(f"{total[0]} events on the server, {check.events} in its ledger")
    check.forks = _forks_waiting(conn)
    return check


def _check_event(
    check: ServerCheck, row: list[object], genesis: dict[str, str], seen: dict[str, set[str]]
) -> None:
    eid, sid, prev, stored = str(row[0]), str(row[1]), str(row[10]), str(row[11])
    try:
        recomputed = event_hash(event_from_row(row))
    except ValueError as exc:
        check.problems.append(f"event {eid}: unreadable ({exc})")
        return
    if recomputed != stored:
        check.problems.append(f"event {eid}: its content does not match its hash")
    known = seen.setdefault(sid, set())
    if prev != genesis.get(sid) and prev not in known:
        check.problems.append(f"event {eid}: its parent is not in session {sid} before it")
    known.add(stored)


def _forks_waiting(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    """Sessions whose branches no clinician's resolution has merged yet: more than one newest
    entry, counting a resolution's merged heads as followed (``bedside.branches``)."""
    waiting = 0
    forked = conn.execute("SELECT DISTINCT session_id FROM bedside.forks").fetchall()
    for (session_id,) in forked:
        rows = conn.execute(
            "SELECT hash, prev_hash, CASE WHEN kind = 'fork_resolved'"
            " THEN payload::jsonb -> 'merged_heads' END FROM bedside.chart_events"
            " WHERE session_id = %s",
            (session_id,),
        ).fetchall()
        followed = {str(r[1]) for r in rows}
        followed |= {str(h) for r in rows if isinstance(r[2], list) for h in r[2]}
        if sum(1 for r in rows if str(r[0]) not in followed) > 1:
            waiting += 1
    return waiting
