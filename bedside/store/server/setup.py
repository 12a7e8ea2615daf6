"""Setting up the clinic server: ``bedside server init URL`` creates or migrates the schema,
``bedside server add-workstation`` gives a workstation its own least-privileged login."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from bedside.errors import StoreError
from bedside.store.server.migrations import MIGRATIONS

_LOCK = "bedside.schema"  # two `server init` at once: the second waits, then finds nothing to do
WORKSTATION_ROLE = "bedside_workstation"
_ROLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


LIVENESS: dict[str, int] = {
    "connect_timeout": 10,
    # A network cut without a word (a pulled cable, a switch off) is noticed within about
    # 20 s, not the operating system's two hours: the workstation says OFFLINE and retries.
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 20_000,
}
"""libpq's own connection options for every connection to the clinic server (where the URL
names one, the URL's value is used)."""


def connect(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """A connection to the clinic server, or a :class:`StoreError` in words. In autocommit
    mode: every step of a sync opens and commits its own transaction, and a read never leaves
    one open (an open one would hold the ledger's lock and stop every other workstation)."""
    try:
        given = conninfo_to_dict(url)
        extra = {k: v for k, v in LIVENESS.items() if k not in given}  # IT's URL wins
    except psycopg.ProgrammingError as exc:
        raise StoreError(f"The clinic server's address cannot be read: {first_line(exc)}") from exc
    try:
        return psycopg.connect(make_conninfo(url, **extra), autocommit=True)
    except psycopg.OperationalError as exc:
        text = first_line(exc)
        hint = ""
        if "password" in text:  # no ~/.pgpass line, a wrong one, or a login IT disabled
            hint = (
                " — check this workstation's ~/.pgpass line (HOST:PORT:DATABASE:LOGIN:PASSWORD, "
                "mode 600) as 'bedside server add-workstation' printed it, and that IT has not "
                "disabled the login"
            )
        raise StoreError(f"Cannot reach the clinic server: {text}{hint}") from exc


def first_line(exc: BaseException) -> str:
    """An error's first line (the rest of psycopg's is context a nurse cannot use)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def applied_migrations(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    """The migrations this server has, in order (empty on a new database)."""
    found = conn.execute("SELECT to_regclass('bedside.schema_migrations') IS NOT NULL").fetchone()
    if not found or not found[0]:
        return []
    rows = conn.execute("SELECT name FROM bedside.schema_migrations ORDER BY name").fetchall()
    return [str(r[0]) for r in rows]


def init_server(url: str) -> list[str]:
    """Create or migrate the clinic's schema on the server at ``url`` (as a role that may
    create schemas and roles: the clinic's IT). Returns the migrations applied now; each runs
    in its own transaction, so a failure leaves the server at the last complete one."""
    with connect(url) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (_LOCK,))
        try:
            done = set(applied_migrations(conn))
            conn.commit()
            applied: list[str] = []
            for migration in MIGRATIONS:
                if migration.name in done:
                    continue
                with conn.transaction():
                    conn.execute("CREATE SCHEMA IF NOT EXISTS bedside")
                    conn.execute(
                        "CREATE TABLE IF NOT EXISTS bedside.schema_migrations ("
                        " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
                    )
                    conn.execute(migration.sql.encode())  # several statements, no parameters
                    conn.execute(
                        "INSERT INTO bedside.schema_migrations (name) VALUES (%s)",
                        (migration.name,),
                    )
                applied.append(migration.name)
            conn.execute(
                sql.SQL("GRANT SELECT ON bedside.schema_migrations TO {}").format(
                    sql.Identifier(WORKSTATION_ROLE)
                )
            )
            conn.commit()
            return applied
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (_LOCK,))
            conn.commit()


@dataclass(frozen=True)
class WorkstationLogin:
    """A workstation's own login on the server: shown once, to be put in its pgpass file."""

    role: str
    password: str


def add_workstation(url: str, name: str) -> WorkstationLogin:
    """A login role for one workstation, member of ``bedside_workstation`` (read the record,
    add to it, never change it), with a new random password."""
    role = "ws_" + re.sub(r"[^a-z0-9_]", "_", name.strip().lower())
    if not _ROLE_NAME.match(role) or role == "ws_":
        raise StoreError(
            f"Workstation name {name!r}: use letters, digits and underscores (1–37 characters)"
        )
    password = secrets.token_urlsafe(24)
    with connect(url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if exists:
            raise StoreError(f"The server already has a workstation login {role}; nothing changed")
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(role), sql.Literal(password), sql.Identifier(WORKSTATION_ROLE)
            )
        )
        database = conn.info.dbname
        conn.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(database), sql.Identifier(role)
            )
        )
        conn.commit()
    return WorkstationLogin(role, password)
