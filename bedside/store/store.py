"""The store: every read and write of the SQLite database goes through :class:`Store`.

One ``Store`` owns one connection and is used from one thread. Writes are single transactions
(``write_transaction``); chart events are only ever appended. The methods live by concern:

* :mod:`bedside.store.people` — clinic settings, the audit log, accounts, patients;
* :mod:`bedside.store.orders` — protocol versions and course orders;
* :mod:`bedside.store.chart` — sessions, their hash-chained events and the ledger;
* :mod:`bedside.store.verify` — ``bedside verify``;
* :mod:`bedside.store.imports` — ``bedside import``;
* :mod:`bedside.store.exports` — exports in the audit log.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from bedside.events import ChartEvent
from bedside.ids import EventId
from bedside.sessions import HeldElsewhere
from bedside.store import db as dbmod
from bedside.store import forks_here, holds_here
from bedside.store.anchor import AnchorFile, LedgerHead, extends, ledger_head
from bedside.store.exports import ExportStore
from bedside.store.imports import ImportStore
from bedside.store.in_use import InUseMark
from bedside.store.keys import KeyStore
from bedside.store.orders import OrdersStore
from bedside.store.people import PeopleStore
from bedside.store.sign_in import SignInStore
from bedside.store.verify import VerifyStore

log = logging.getLogger(__name__)


class Store(PeopleStore, SignInStore, KeyStore, OrdersStore, VerifyStore, ImportStore, ExportStore):
    """Repository over one Bedside database file."""

    def __init__(
        self,
        path: Path | str,
        *,
        check_integrity: bool = True,
        quick_check: bool = False,
        anchors: AnchorFile | None = None,
    ) -> None:
        """Open (creating if needed) the database at ``path``. With ``anchors`` (the app and
        the command line pass this workstation's), a database that does not extend what this
        workstation last wrote into it — missing, wiped, rolled back — is refused, and every
        write moves the anchor on. ``quick_check``: the file is checked on open by SQLite's
        quick check only (the app, which runs the full one in the background once shown)."""
        self.path = Path(path)
        self._anchors = anchors
        if anchors is not None and str(path) != ":memory:" and not self.path.exists():
            anchors.check(self.path, None)
        self.conn: sqlite3.Connection = dbmod.open_database(
            path, check_integrity=check_integrity, quick=quick_check
        )
        try:
            if anchors is not None:
                anchors.check(self.path, self.conn)
            self._in_use = InUseMark(self.path)
        except BaseException:
            self.conn.close()
            raise
        log.info("database opened %s", self.path)

    def ledger_written(self, at: datetime) -> None:
        """Move this workstation's anchor to the head just committed."""
        if self._anchors is not None:
            self._anchors.set(self.path, ledger_head(self.conn), at)

    def ledger_head(self) -> LedgerHead:
        """The database's ledger head: the state of the whole record (backups and anchors)."""
        return ledger_head(self.conn)

    def database_id(self) -> str:
        """This file's own random id (migration 010): carried by its backups, so a backup of
        another database is never taken for one of this one."""
        try:
            row = self.conn.execute(
                "SELECT value FROM sync_state WHERE key = 'database_id'"
            ).fetchone()
        except sqlite3.DatabaseError:  # a damaged file (the banner is being shown): unknown
            return ""
        return str(row[0]) if row else ""

    def held_elsewhere(self, session_id: str) -> HeldElsewhere | None:
        """Who charts the session when another workstation does (issue 14); None here."""
        return holds_here.held_elsewhere(self.conn, session_id)

    def server_login(self) -> str:
        """This workstation's clinic-server login ("" for a workstation on its own)."""
        return holds_here.own_login(self.conn)

    def received_entries(self, session_id: str) -> tuple[list[ChartEvent], dict[EventId, str]]:
        """The session's entries received from other branches, and where each came from."""
        return forks_here.received_entries(self.conn, session_id)

    def extends_state(self, head: LedgerHead) -> str | None:
        """Why this database does not extend the state ``head`` names (None: it does)."""
        return extends(self.conn, head)

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        self.conn.close()
        self._in_use.release()
        log.info("database closed %s", self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def data_version(self) -> int:
        """SQLite's ``data_version``: it moves when another connection (another workstation or
        process) commits, so a screen knows to re-read; our own commits do not move it."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def backup(self, target: Path) -> Path:
        """An online backup of the whole database to ``target``."""
        written = dbmod.backup_to(self.conn, target)
        log.info("backup of %s written to %s", self.path, written)
        return written
