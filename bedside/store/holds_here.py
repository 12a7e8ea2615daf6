"""What this workstation knows of the clinic's session holds (issue 14, DESIGN.md §4), kept in
its own file so the rule holds offline: the highest epoch heard is the holder. Only the holder
charts a session; every write of an entry asks :func:`refuse_if_held_elsewhere` first, inside
its transaction, so no screen and no command can chart past it. A workstation on its own has
no holds at all and charts everything it opens."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bedside.errors import OperationRefused
from bedside.sessions import HeldElsewhere
from bedside.timeutil import parse_iso

LOGIN = "server_login"
"""``sync_state`` key: this workstation's clinic-server login, as the server named it."""


class SessionHeldElsewhere(OperationRefused):
    """Another workstation holds the session (take it over to chart here)."""


def own_login(conn: sqlite3.Connection) -> str:
    """This workstation's clinic-server login ("" before its first sync)."""
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (LOGIN,)).fetchone()
    return str(row[0]) if row else ""


def held_elsewhere(conn: sqlite3.Connection, session_id: str) -> HeldElsewhere | None:
    """Who charts ``session_id`` when it is not this workstation; None when it is."""
    row = conn.execute(
        "SELECT workstation, taken_by, taken_at, epoch FROM session_holds WHERE session_id = ?"
        " ORDER BY epoch DESC LIMIT 1",
        (session_id,),
    ).fetchone()
    if row is None or str(row[0]) == own_login(conn):
        return None
    return HeldElsewhere(str(row[0]), str(row[1]), parse_iso(str(row[2])), int(row[3]))


def held_elsewhere_words(hold: HeldElsewhere, name: str) -> str:
    """The refusal, in the words the session window also shows."""
    return (
        f"This session is charted at workstation {hold.workstation} ({name}): it is read-only "
        "here. Take it over to chart it at this workstation. Nothing was saved."
    )


def refuse_if_held_elsewhere(conn: sqlite3.Connection, session_id: str) -> None:
    """Raise :class:`SessionHeldElsewhere` when another workstation holds the session."""
    hold = held_elsewhere(conn, session_id)
    if hold is not None:
        raise SessionHeldElsewhere(held_elsewhere_words(hold, _name(conn, hold.taken_by)))


def _name(conn: sqlite3.Connection, user_id: str) -> str:
    row = conn.execute("SELECT full_name FROM users WHERE id = ?", (user_id,)).fetchone()
    return str(row[0]) if row else user_id


def record_hold(
    conn: sqlite3.Connection,
    session_id: str,
    epoch: int,
    workstation: str,
    taken_by: str,
    taken_at: datetime,
) -> bool:
    """Keep a hold heard from the server (the caller holds the transaction); False when it
    was already known."""
    cur = conn.execute(
        "INSERT INTO session_holds(session_id, epoch, workstation, taken_by, taken_at)"
        " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM session_holds"
        " WHERE session_id = ? AND epoch = ?)",
        (session_id, epoch, workstation, taken_by, taken_at.isoformat(), session_id, epoch),
    )
    return cur.rowcount > 0
