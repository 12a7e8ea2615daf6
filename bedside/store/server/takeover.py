"""Taking a session over at this workstation (issue 14, DESIGN.md §4): online only, by someone
who may chart, once this workstation has received every entry of the session the server has.
The new hold is the server's word (one takeover at a time wins); this workstation keeps it at
once, so its window charts from the next keystroke, and the previous holder hears it at its
next sync (its window turns read-only, and its nurse is told who took the session)."""

from __future__ import annotations

from datetime import datetime

from bedside.accounts import check_permission
from bedside.errors import OperationRefused, StoreError
from bedside.people import Permission, User
from bedside.store import Store
from bedside.store.db import write_transaction
from bedside.store.holds_here import own_login, record_hold
from bedside.store.server.holds import Hold, current_hold, take_over
from bedside.store.server.push import ServerConnection
from bedside.store.server.sync import sync


def take_over_here(
    store: Store, server: ServerConnection, actor: User, session_id: str, *, now: datetime
) -> Hold:
    """Hold ``session_id`` at this workstation for ``actor`` (see the module)."""
    check_permission(store.user(actor.id), Permission.CHART, "take a session over")
    sync(store.conn, server, now=now)  # send what waits here, receive what the others charted
    seen = current_hold(server, session_id)
    if seen is None:
        raise OperationRefused(
            "The clinic server has no record of this session yet: it is taken over once its "
            "workstation has sent it."
        )
    if seen.workstation == own_login(store.conn):
        return seen
    hold = take_over(server, session_id, actor.id, seen=seen, known=_known(store, session_id))
    with write_transaction(store.conn):
        record_hold(store.conn, session_id, hold.epoch, hold.workstation, hold.taken_by,
                    hold.taken_at)  # fmt: skip
    return hold


def _known(store: Store, session_id: str) -> set[str]:
    """The hashes of every entry of the session this workstation holds (its line and the
    entries kept aside)."""
    rows = store.conn.execute(
        "SELECT hash FROM chart_events WHERE session_id = ? UNION ALL"
        " SELECT json_extract(row, '$[11]') FROM received_forks WHERE session_id = ?",
        (session_id, session_id),
    ).fetchall()
    return {str(r[0]) for r in rows}


def take_over_at(store: Store, url: str, actor: User, session_id: str, *, now: datetime) -> Hold:
    """:func:`take_over_here` over a new connection to ``url``; a network or server failure
    is a :class:`StoreError` in words (nothing was taken over)."""
    import psycopg

    from bedside.store.server.setup import connect, first_line

    try:
        with connect(url) as server:
            return take_over_here(store, server, actor, session_id, now=now)
    except psycopg.Error as exc:
        raise StoreError(
            f"The clinic server could not be reached to take the session over "
            f"({first_line(exc)}); "
            "nothing changed. It is still charted at the other workstation."
        ) from exc
