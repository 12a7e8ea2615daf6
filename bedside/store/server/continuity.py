"""A clinic server that no longer continues what a workstation received from it — restored
from an older backup, or replaced — is noticed before anything is sent or received: the
workstation remembers the server ledger's link at its pull cursor, and each sync first checks
the server still has that link at that place. Syncing stops, in words, with nothing lost (every
entry is still in the workstation's own file). After IT has restored the server, ``bedside
server sync URL --after-restore`` at each workstation sends again everything it holds (the
server keeps nothing twice) and receives the server's record afresh."""

from __future__ import annotations

import sqlite3

from bedside.errors import StoreError
from bedside.store.db import write_transaction
from bedside.store.server.push import ServerConnection, cursor, put_state

PULLED = "chart_pulled_through"
LINK = "chart_pulled_link"
RESET = (
    "pushed_through",
    PULLED,
    LINK,
    "holds_pulled_through",
    "clinic_pushed_through",
    "clinic_pulled_through",  # received afresh as the versions in force, never older ones
)
"""The cursors ``--after-restore`` starts again from nothing (sending and receiving are
exactly once, so doing them again changes nothing that is already there)."""


class ServerNotContinued(StoreError):
    """The server's record does not continue what this workstation received from it."""


def remember_link(local: sqlite3.Connection, link: str) -> None:
    """Keep the server ledger's link at the pull cursor (inside the pull's transaction)."""
    put_state(local, LINK, link)


def check_continues(local: sqlite3.Connection, server: ServerConnection) -> None:
    """Raise :class:`ServerNotContinued` when the server lacks the link this workstation
    received last, at its place."""
    through = cursor(local, PULLED)
    row = local.execute("SELECT value FROM sync_state WHERE key = ?", (LINK,)).fetchone()
    if through == 0 or row is None:
        return
    found = server.execute("SELECT link FROM bedside.ledger WHERE seq = %s", (through,)).fetchone()
    if found is None or str(found[0]) != str(row[0]):
        raise ServerNotContinued(
            f"The clinic server's record does not continue what this workstation received from "
            f"it (server entry {through}): it was restored from an older backup or replaced. "
            "Nothing was sent or received, and nothing is lost: every entry is in this "
            "workstation's file. IT: check with 'bedside verify --server URL --db FILE', then "
            "run 'bedside server sync URL --after-restore' at each workstation."
        )


def start_again(local: sqlite3.Connection) -> None:
    """Forget how far this workstation sent and received, so the next sync does both again
    from the start (``--after-restore``)."""
    marks = ", ".join("?" * len(RESET))
    with write_transaction(local):
        local.execute(f"DELETE FROM sync_state WHERE key IN ({marks})", RESET)
