"""The store: every read and write of the SQLite database goes through :class:`Store`.

One ``Store`` owns one connection and is used from one thread. Writes are single transactions
(``write_transaction``); chart events are only ever appended. The methods live by concern:

* :mod:`bedside.store.people` — clinic settings, the audit log, accounts, patients;
* :mod:`bedside.store.orders` — protocol versions and course orders;
* :mod:`bedside.store.chart` — sessions, their hash-chained events and the ledger;
* :mod:`bedside.store.verify` — ``bedside verify``;
* :mod:`bedside.store.imports` — ``bedside import``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bedside.store import db as dbmod
from bedside.store.imports import ImportStore
from bedside.store.in_use import InUseMark
from bedside.store.orders import OrdersStore
from bedside.store.people import PeopleStore
from bedside.store.sign_in import SignInStore
from bedside.store.verify import VerifyStore


class Store(PeopleStore, SignInStore, OrdersStore, VerifyStore, ImportStore):
    """Repository over one Bedside database file."""

    def __init__(self, path: Path | str, *, check_integrity: bool = True) -> None:
        self.path = Path(path)
        self.conn: sqlite3.Connection = dbmod.open_database(path, check_integrity=check_integrity)
        try:
            self._in_use = InUseMark(self.path)
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        self.conn.close()
        self._in_use.release()

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
        return dbmod.backup_to(self.conn, target)
