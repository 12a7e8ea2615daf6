"""``bedside server``: set up the clinic server (issue 14) — the schema, and a login for each
workstation. The URL is a libpq connection string; leave its password out and keep it in
``~/.pgpass`` (mode 0600), where libpq finds it, so it is never on a command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bedside.clock import Clock
from bedside.errors import StoreError
from bedside.store import Store, default_db_path
from ui.cli.common import EXIT_OK, EXIT_TAMPERED

if TYPE_CHECKING:
    from bedside.store.server.against import AgainstServer
    from bedside.store.server.push import ServerConnection

# psycopg (~60 ms) is loaded by the server commands only, never on the app's way to the board
# (tests/ui/test_start_imports.py): the imports of bedside.store.server are in the functions.


def cmd_server(args: argparse.Namespace, clock: Clock) -> int:
    """``server init URL``, ``server add-workstation NAME --url URL``, ``server push URL`` or
    ``server sync URL``."""
    from bedside.store.server.setup import add_workstation, init_server

    if args.server_command == "push":
        return _push(Path(args.db or default_db_path()), args.url)
    if args.server_command == "sync":
        db = Path(args.db or default_db_path())
        url = args.url or _joined_url(db)
        if args.after_restore:
            _start_again(db)
        return _sync(db, url, clock)
    if args.server_command == "join":
        return _join(Path(args.db or default_db_path()), args.url, clock)
    if args.server_command == "init":
        applied = init_server(args.url)
        if applied:
            print(f"Clinic server schema ready: applied {', '.join(applied)}.")
        else:
            print("Clinic server schema already up to date; nothing applied.")
        return EXIT_OK
    login = add_workstation(args.url, args.name)
    where = urlsplit(args.url)
    host, port = where.hostname or "localhost", where.port or 5432
    database = where.path.lstrip("/") or "postgres"
    print(f"Workstation login {login.role} created (read the record and add to it; no changes).")
    print("Its password is shown once. On that workstation, as the user who runs Bedside:")
    print(f"  echo '{host}:{port}:{database}:{login.role}:{login.password}' >> ~/.pgpass")
    print("  chmod 600 ~/.pgpass")
    return EXIT_OK


def _push(db: Path, url: str) -> int:
    from bedside.store.server.demo_guard import refuse_demo
    from bedside.store.server.push import push
    from bedside.store.server.setup import connect

    with Store(db) as store:
        refuse_demo(store.conn)  # before the server is even reached
        with connect(url) as server:
            done = push(store.conn, server)
    print(
        f"Pushed {done.events} chart entries in {done.sessions} new sessions from {db} "
        "(entries the server already had were not sent twice)."
    )
    return EXIT_OK


def _joined_url(db: Path) -> str:
    """The server this workstation joined (its own setting), or a refusal in words."""
    from bedside.store.server import SERVER_URL_SETTING

    if db.exists():
        with Store(db) as store:
            url = store.get_setting(SERVER_URL_SETTING, "")
        if url:
            return url
    raise StoreError(
        f"{db} has not joined a clinic server: give the URL "
        "(bedside server sync postgresql://LOGIN@HOST:PORT/DATABASE)"
    )


def _start_again(db: Path) -> None:
    """``--after-restore``: send everything again and receive the server's record afresh."""
    from bedside.store.server.continuity import start_again

    if not db.exists():
        raise StoreError(f"There is no database at {db} (check --db)")
    with Store(db) as store:
        start_again(store.conn)
    print("After a restore of the server: sending everything this workstation holds again "
          "(the server keeps nothing twice) and receiving the server's record afresh.")  # fmt: skip


def _sync(db: Path, url: str, clock: Clock) -> int:
    from bedside.store.server.demo_guard import refuse_demo
    from bedside.store.server.setup import connect
    from bedside.store.server.sync import sync

    with Store(db) as store:
        refuse_demo(store.conn)  # before the server is even reached
        with connect(url) as server:
            done = sync(store.conn, server, now=clock.now())
    print(
        f"Sent {done.sent_entries} chart entries ({done.sent_sessions} new sessions) and "
        f"{done.sent_clinic_rows} clinic-wide changes; received {done.received_entries} entries "
        f"({done.received_sessions} new sessions) and {done.received_clinic_rows} changes. "
        f"{_entries(done.waiting)} to be sent."
    )
    for line in (*done.conflicts, *done.forks):
        print(f"  - {line}")
    if done.forks_waiting:
        print(
            f"{done.forks_waiting} session(s) charted at two workstations while cut off wait for "
            "a clinician to resolve them."
        )
    return EXIT_OK


def _entries(n: int) -> str:
    return "1 entry waits" if n == 1 else f"{n} entries wait"


def _join(db: Path, url: str, clock: Clock) -> int:
    from bedside.errors import InputRejected
    from bedside.store.server import SERVER_URL_SETTING

    if urlsplit(url).password:
        raise InputRejected(
            "Server URL: leave the password out (it would be stored in the database and its "
            "backups); put it in ~/.pgpass, mode 600, as 'bedside server add-workstation' showed"
        )
    code = _sync(db, url, clock)  # the first sync proves the login (a demo: refused first)
    with Store(db) as store:
        store.set_settings({SERVER_URL_SETTING: url}, actor=None, at=clock.now())
    print(
        f"Joined: the app on {db} syncs with the clinic server in the background from its next start."
    )
    return code


def verify_server_copy(url: str, db: Path | None = None) -> int:
    """``bedside verify --server URL [--db FILE]``: exit 0 when sound, 3 when anything is wrong.
    With a workstation's database (``--db``), its record is checked against the server's too,
    up to this workstation's anchor."""
    from bedside.store.server.setup import connect
    from bedside.store.server.verify import verify_server

    with connect(url) as server:
        check = verify_server(server)
        here = _against(server, db) if db is not None else None
    if here is not None and here.problems:
        print(f"VERIFY FAILED (this workstation's {db} against the server):", file=sys.stderr)
        for problem in here.problems[:50]:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_TAMPERED
    if here is not None:
        waits = f"; {here.waiting} ledger entries wait to be sent" if here.waiting else ""
        print(f"OK: the {here.checked} entries this workstation sent or received are on the "
              f"server, unchanged{waits}.")  # fmt: skip
    if check.problems:
        print(f"VERIFY FAILED (clinic server, {check.events} entries):", file=sys.stderr)
        for problem in check.problems[:50]:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_TAMPERED
    forks = (
        f"; {check.forks} session(s) charted at two workstations while cut off wait for a "
        "clinician to resolve them"
        if check.forks
        else ""
    )
    print(
        f"OK: the clinic server's {check.events} entries in {check.sessions} sessions verify "
        f"(every hash, every chain, the ledger){forks}."
    )
    return EXIT_OK


def _against(server: ServerConnection, db: Path) -> AgainstServer:
    """This workstation's file checked against the server, bounded by its anchor."""
    from bedside.store.anchor import AnchorFile
    from bedside.store.server.against import check_against_server

    if not db.exists():  # never a new empty file reported as checked
        raise StoreError(f"There is no database at {db} (check --db)")
    anchor = AnchorFile().get(db)
    with Store(db, check_integrity=False) as store:
        return check_against_server(
            store.conn, server, anchor.head.seq if anchor is not None else None
        )


WORKSTATION_URL = "postgresql://WORKSTATION_LOGIN@HOST:PORT/DATABASE"


def _url_and_db(parser: argparse.ArgumentParser, url_help: str, *, joined: bool = False) -> None:
    """The server and this workstation's database file (``--db`` after the command too, as
    people type it; the default is the clinic's database). ``joined``: the URL may be left
    out, and the one this workstation joined with is used."""
    if joined:
        parser.add_argument("url", nargs="?", default=None, help=url_help + " (default: the "
                            "server this workstation joined)")  # fmt: skip
    else:
        parser.add_argument("url", help=url_help)
    parser.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")


def add_server_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``server`` command's arguments."""
    server = sub.add_parser("server", help="set up the clinic server (PostgreSQL)")
    what = server.add_subparsers(dest="server_command", metavar="SERVER_COMMAND", required=True)
    init = what.add_parser(
        "init", help="create or migrate the clinic's schema (as the server's administrator)"
    )
    init.add_argument("url", help="postgresql://USER@HOST:PORT/DATABASE (password in ~/.pgpass)")
    add = what.add_parser(
        "add-workstation", help="a login for one workstation: read and add, never change"
    )
    add.add_argument("name", help="the workstation's name, e.g. chair_room_2")
    add.add_argument("--url", required=True, help="the server, as the administrator")
    up = what.add_parser(
        "push",
        help="send this database's chart to the server (once, to start a clinic server from a "
        "single workstation; safe to repeat: nothing is sent twice)",
    )
    _url_and_db(up, "postgresql://USER@HOST:PORT/DATABASE")
    both = what.add_parser(
        "sync",
        help="send what this workstation saved, then receive what the others saved (resumable; "
        "nothing twice)",
    )
    _url_and_db(both, WORKSTATION_URL, joined=True)
    both.add_argument(
        "--after-restore",
        action="store_true",
        help="after the server was restored from a backup: send everything this workstation "
        "holds again and receive the server's record afresh (nothing is kept twice)",
    )
    join = what.add_parser(
        "join",
        help="this workstation joins the clinic server: a first sync (the clinic comes down), "
        "then the app syncs in the background",
    )
    _url_and_db(join, WORKSTATION_URL)
