"""The demo clinic never joins a clinic server (issue 13 item 1, with issue 14's server): its
made-up patients would be charted on every workstation, and its accounts, whose password is
public (``bedside-demo``), would sign in at all of them. Checked where a database joins
(``bedside server join``: the background sync runs only on a joined database) and where the
demo is made (never into a database that joined)."""

from __future__ import annotations

import sqlite3

from bedside.demo_mark import DEMO_SETTING, DEMO_VALUE
from bedside.errors import OperationRefused


def refuse_demo(local: sqlite3.Connection) -> None:
    """Refuse, before the server is reached, to join ``local`` to one when it holds the demo.

    Raises
    ------
    OperationRefused
        When the database is the demo clinic's.
    """
    row = local.execute("SELECT value FROM settings WHERE key = ?", (DEMO_SETTING,)).fetchone()
    if row is not None and row[0] == DEMO_VALUE:
        raise OperationRefused(
            "This database holds the DEMO clinic (made-up patients, accounts with a public "
            "password): it never joins a clinic server. Nothing was sent or received. Join the "
            "clinic's own database (bedside server join URL --db FILE)."
        )
