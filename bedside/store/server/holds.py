"""One holder per session (issue 14, DESIGN.md §4): the workstation that holds a session is the
only one that charts it; another takes it over only online, only once it has every entry of the
session the server has, and only one takeover wins at a time. A hold is a row, never rewritten:
the highest epoch is the holder, the rows before it are the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg

from bedside.errors import OperationRefused

ServerConnection = psycopg.Connection[tuple[object, ...]]


class SessionHeldElsewhere(OperationRefused):
    """Another workstation holds the session (take it over to chart here)."""


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
    conn: ServerConnection, session_id: str, taken_by: str, *, seen: Hold, head_hash: str
) -> Hold:
    """Take the session over from ``seen``'s holder. Refused when the server has an entry of
    the session this workstation has not pulled (``head_hash`` is its newest), or when someone
    took it over since ``seen`` (nothing changes; look again)."""
    heads = _heads(conn, session_id)
    if heads and heads != [head_hash]:
        raise OperationRefused(
            "This workstation has not received every entry of the session yet (the server "
            "has newer ones): wait for it to catch up, then take the session over."
        )
    return _insert(conn, session_id, seen.epoch + 1, taken_by)


def _insert(conn: ServerConnection, session_id: str, epoch: int, taken_by: str) -> Hold:
    try:
        with conn.transaction():
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
