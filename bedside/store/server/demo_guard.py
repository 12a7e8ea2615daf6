"""The demo clinic never meets a clinic server (issue 13 item 1, with issue 14's server): its
made-up patients would be charted on every workstation, its accounts, whose password is public
(``bedside-demo``), would sign in at all of them, and a clinic's patients pulled into it would be
open to those accounts. Refused by every way in or out (the chart's push and pull, the
clinic-wide rows' push and pull, the sync), by ``bedside server join`` before the server is
reached, and where the demo is made (never into a database that joined)."""

from __future__ import annotations

import sqlite3

from bedside.demo_mark import DEMO_SETTING, DEMO_VALUE
from bedside.errors import OperationRefused


def refuse_demo(local: sqlite3.Connection) -> None:
    """Refuse, before anything is sent or received, when ``local`` holds the demo.

    Raises
    ------
    OperationRefused
        When the database is the demo clinic's.
    """
    row = local.execute("SELECT value FROM settings WHERE key = ?", (DEMO_SETTING,)).fetchone()
    if row is not None and row[0] == DEMO_VALUE:
        raise OperationRefused(
            "This database holds the DEMO clinic (made-up patients, accounts with a public "
            "password): it never joins nor syncs with a clinic server. Nothing was sent or "
            "received. Join the clinic's own database (bedside server join URL --db FILE)."
        )
