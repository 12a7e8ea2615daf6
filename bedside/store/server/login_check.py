"""One login, one workstation (issue 14, DESIGN.md §5): the first sync registers this
workstation's database id under its clinic-server login, and every sync checks it. A login
copied to a second machine would hide the two from each other (a pull skips what its own
login sent), so the second is refused in words before it sends or receives anything."""

from __future__ import annotations

import sqlite3

from bedside.errors import StoreError
from bedside.store.db import write_transaction
from bedside.store.holds_here import LOGIN, own_login
from bedside.store.server.push import ServerConnection, put_state


def register_workstation(local: sqlite3.Connection, server: ServerConnection) -> str:
    """This workstation's login, registered to this database (refused when the login belongs
    to another workstation's database); kept locally for the holds."""
    mine = local.execute("SELECT value FROM sync_state WHERE key = 'database_id'").fetchone()
    if mine is None:
        raise StoreError("This database has no id (migration 010 missing): run `bedside verify`")
    _refuse_an_administrator(server)
    found = _registered(server)
    if found is None:
        server.execute(
            "INSERT INTO bedside.workstations (login, database_id) VALUES ('', %s)"
            " ON CONFLICT (login) DO NOTHING",
            (str(mine[0]),),
        )
        found = _registered(server)
    assert found is not None
    login, database_id = found
    if database_id != str(mine[0]):
        raise StoreError(
            f"The clinic server login {login} already belongs to another workstation (database "
            f"{database_id[:8]}); this one ({str(mine[0])[:8]}) sent and received nothing. Each "
            "workstation needs its own login: ask IT to run `bedside server add-workstation "
            "NAME` for this one and join with it."
        )
    if own_login(local) != login:
        with write_transaction(local):
            put_state(local, LOGIN, login)
    return login


def _registered(server: ServerConnection) -> tuple[str, str] | None:
    row = server.execute(
        "SELECT session_user, (SELECT database_id FROM bedside.workstations"
        " WHERE login = session_user)"
    ).fetchone()
    assert row is not None
    return None if row[1] is None else (str(row[0]), str(row[1]))


def _refuse_an_administrator(server: ServerConnection) -> None:
    """A workstation syncs only as a workstation login: IT's administrator login (or any other
    that may change the record) would register as a workstation and hold sessions."""
    row = server.execute(
        "SELECT session_user, rolsuper, pg_has_role(session_user, 'bedside_workstation', 'MEMBER')"
        " FROM pg_roles WHERE rolname = session_user"
    ).fetchone()
    assert row is not None
    login, superuser, member = str(row[0]), bool(row[1]), bool(row[2])
    if superuser or not member:
        raise StoreError(
            f"{login} is not a workstation login (it is an administrator's, or was not made by "
            "'bedside server add-workstation'): nothing was sent or received. Join with the "
            "login IT made for this workstation: postgresql://ws_NAME@HOST:PORT/DATABASE."
        )
