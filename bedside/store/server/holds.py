"""One holder per session (issue 14, DESIGN.md §4): the workstation that holds a session is the
only one that charts it; another takes it over only online, only once it has every entry of the
session the server has, and only one takeover wins at a time. A hold is a row, never rewritten:
the highest epoch is the holder, the rows before it are the history."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from bedside.errors import OperationRefused
from bedside.store.db import write_transaction
from bedside.store.holds_here import SessionHeldElsewhere, own_login, record_hold
from bedside.store.server.push import cursor, require_autocommit, store_cursor

ServerConnection = psycopg.Connection[tuple[object, ...]]
PULLED = "holds_pulled_through"
__all__ = ["Hold", "HoldsHeard", "SessionHeldElsewhere", "claim", "current_hold", "pull_holds"]


@dataclass(frozen=True)
class Hold:
    """Who charts a session now."""

    session_id: str
    epoch: int
    workstation: str
    taken_by: str
    taken_at: datetime


def current_hold(conn: ServerConnection, session_id: str) -> Hold | None:
    """The session's holder, or None before anyone claimed it."""
    row = conn.execute(
        "SELECT session_id, epoch, workstation, taken_by, taken_at FROM bedside.session_holds"
        " WHERE session_id = %s ORDER BY epoch DESC LIMIT 1",
        (session_id,),
    ).fetchone()
    if row is None:
        return None
    sid, epoch, workstation, taken_by, taken_at = row
    assert isinstance(taken_at, datetime)
    return Hold(str(sid), int(str(epoch)), str(workstation), str(taken_by), taken_at)


def claim(conn: ServerConnection, session_id: str, taken_by: str) -> Hold:
    """Hold a session this workstation opened (epoch 1), or confirm it already does; refused in
    words when another workstation holds it."""
    held = current_hold(conn, session_id)
    me = _me(conn)
    if held is not None:
        if held.workstation == me:
            return held
        raise SessionHeldElsewhere(_held_words(held))
    return _insert(conn, session_id, 1, taken_by)


def take_over(
    conn: ServerConnection,
    session_id: str,
    taken_by: str,
    *,
    seen: Hold,
    known: Collection[str],
) -> Hold:
    """Take the session over from ``seen``'s holder. Refused when the server has an entry of
    the session this workstation has not received (``known``: the hashes of every entry of
    the session it holds, its own line and the forks kept aside), or when someone took it
    over since ``seen`` (nothing changes; look again)."""
    if any(head not in known for head in _heads(conn, session_id)):
        raise OperationRefused(
            "This workstation has not received every entry of the session yet (the server "
            "has newer ones): wait for it to catch up, then take the session over."
        )
    return _insert(conn, session_id, seen.epoch + 1, taken_by)


def _insert(conn: ServerConnection, session_id: str, epoch: int, taken_by: str) -> Hold:
    require_autocommit(conn)  # one statement, its own transaction: no lock held across a trip
    try:
        conn.execute(
            "INSERT INTO bedside.session_holds (session_id, epoch, workstation, taken_by)"
            " VALUES (%s, %s, '', %s)",
            (session_id, epoch, taken_by),
        )
    except (psycopg.errors.UniqueViolation, psycopg.errors.SerializationFailure) as exc:
        now = current_hold(conn, session_id)
        raise SessionHeldElsewhere(
            "Another workstation took this session over a moment ago; nothing was changed. "
            + (_held_words(now) if now else "")
        ) from exc
    hold = current_hold(conn, session_id)
    assert hold is not None
    return hold


def _heads(conn: ServerConnection, session_id: str) -> list[str]:
    """The session's newest entries on the server: one, or several where it forked."""
    rows = conn.execute(
        "SELECT e.hash FROM bedside.chart_events e WHERE e.session_id = %s AND NOT EXISTS ("
        " SELECT 1 FROM bedside.chart_events c WHERE c.session_id = e.session_id"
        " AND c.prev_hash = e.hash) ORDER BY e.hash",
        (session_id,),
    ).fetchall()
    return [str(r[0]) for r in rows]


def _me(conn: ServerConnection) -> str:
    row = conn.execute("SELECT session_user").fetchone()
    assert row is not None
    return str(row[0])


def _held_words(hold: Hold) -> str:
    return (
        f"This session is charted at workstation {hold.workstation} (held by {hold.taken_by} "
        f"since {hold.taken_at:%H:%M} UTC); take it over to chart it here."
    )


@dataclass
class HoldsHeard:
    """What a pull of the holds brought: how many, and the sessions taken from this
    workstation (its windows turn read-only; the nurse is told who took them)."""

    received: int = 0
    taken_from_here: list[tuple[str, Hold]] = field(default_factory=list)


def pull_holds(local: sqlite3.Connection, server: ServerConnection) -> HoldsHeard:
    """Receive every hold after this workstation's cursor, in the server's commit order, in
    one local transaction with the cursor."""
    heard = HoldsHeard()
    through = cursor(local, PULLED)
    rows = server.execute(
        "SELECT o.seq, h.session_id, h.epoch, h.workstation, h.taken_by, h.taken_at"
        " FROM bedside.hold_order o JOIN bedside.session_holds h"
        " ON h.session_id = o.session_id AND h.epoch = o.epoch"
        " WHERE o.seq > %s ORDER BY o.seq",
        (through,),
    ).fetchall()
    if not rows:
        return heard
    me = own_login(local)
    with write_transaction(local):
        for _, sid, epoch, workstation, taken_by, taken_at in rows:
            assert isinstance(taken_at, datetime)
            hold = Hold(str(sid), int(str(epoch)), str(workstation), str(taken_by), taken_at)
            before = local.execute(
                "SELECT workstation FROM session_holds WHERE session_id = ?"
                " ORDER BY epoch DESC LIMIT 1",
                (hold.session_id,),
            ).fetchone()
            if record_hold(local, hold.session_id, hold.epoch, hold.workstation,
                           hold.taken_by, hold.taken_at):  # fmt: skip
                heard.received += 1
                here = local.execute(
                    "SELECT 1 FROM sessions WHERE id = ?", (hold.session_id,)
                ).fetchone()
                # No hold heard yet for a session this file has: it was opened here.
                was_mine = here is not None and (before is None or str(before[0]) == me)
                if hold.epoch > 1 and was_mine and hold.workstation != me:
                    heard.taken_from_here.append((hold.session_id, hold))
        store_cursor(local, int(str(rows[-1][0])), PULLED)
    return heard
