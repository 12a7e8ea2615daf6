"""The ``bedside`` command line's arguments (no subcommand means: open the desktop app)."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bedside.people import Role
from bedside.store.demo_path import default_demo_db_path
from bedside.timeutil import workstation_timezone
from ui.app_args import app_parser
from ui.cli.server import add_server_parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (no subcommand means: open the desktop app)."""
    parser = app_parser()
    # --db is also accepted after the command ("bedside verify --db FILE"), as people type it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    real_add = sub.add_parser

    def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return real_add(name, parents=[common], **kwargs)

    sub.add_parser = add_parser  # type: ignore[method-assign]
    _add_demo_and_sessions(sub)
    _add_clinic(sub, common)
    _add_export(sub, common)
    _add_records_and_users(sub, common)
    _add_backup(sub)
    add_server_parser(sub)
    return parser


def _add_demo_and_sessions(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``demo`` and ``sessions``."""
    demo = sub.add_parser(
        "demo",
        help="create the demo clinic in its own database "
        f"(default: {default_demo_db_path()}; never the clinic's)",
    )
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (and succeed) when the database already holds the demo clinic",
    )

    sessions = sub.add_parser("sessions", help="list sessions (today's by default)")
    sessions.add_argument(
        "--date", type=date.fromisoformat, default=None, help="clinic-local date YYYY-MM-DD"
    )
    sessions.add_argument("--all", action="store_true", help="every session")
    sessions.add_argument("--json", action="store_true", help="machine-readable output")


def _add_clinic(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``init`` (a new clinic and its first admin) and ``clinic show|set``."""
    init = sub.add_parser(
        "init", help="set up a new clinic in an empty database: name, time zone, first admin"
    )
    init.add_argument("--clinic-name", required=True, help="printed on every summary")
    init.add_argument(
        "--timezone",
        default=None,
        help=f"the clinic's IANA time zone, e.g. Europe/London "
        f"(default: this computer's, {workstation_timezone()})",
    )
    init.add_argument("--address", default="", help="printed under the name")
    init.add_argument("--paper", choices=["A4", "Letter"], default="A4")
    init.add_argument("--admin", required=True, help="the first administrator's user name")
    init.add_argument("--name", required=True, help="the administrator's full name")
    init.add_argument(
        "--password-stdin", action="store_true", help="read the admin's password from stdin"
    )

    clinic = sub.add_parser("clinic", help="show (the default) or change the clinic settings")
    # No ACTION shows them, as the help promises (it failed: "ACTION required").
    clinic_sub = clinic.add_subparsers(dest="action", metavar="ACTION")
    clinic_sub.add_parser("show", help="name, address, paper size, time zone", parents=[common])
    cs = clinic_sub.add_parser(
        "set", help="change settings (an admin authorises; audited)", parents=[common]
    )
    cs.add_argument("--clinic-name", default=None)
    cs.add_argument("--address", default=None)
    cs.add_argument("--paper", choices=["A4", "Letter"], default=None)
    cs.add_argument(
        "--timezone",
        default=None,
        help="IANA zone, e.g. Europe/London (sessions already opened keep theirs)",
    )
    cs.add_argument("--as", dest="admin", required=True, help="admin user name")
    cs.add_argument(
        "--password-stdin", action="store_true", help="read the admin's password from stdin"
    )


def _add_export(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``export json``, ``export pdf`` and ``export course``; each is written to the audit log
    with who printed it (``--as``), and the PDFs can pin their print time (``--printed-at``)."""
    export = sub.add_parser("export", help="export a session, or a patient's course (audited)")
    export_sub = export.add_subparsers(dest="format", metavar="FORMAT", required=True)
    ej = export_sub.add_parser("json", help="the session's event log as JSON", parents=[common])
    ej.add_argument("session", help="session id (a unique prefix is enough)")
    ej.add_argument("-o", "--output", type=Path, default=None, help="file (default: stdout)")
    _add_printer(ej, pdf=False)
    ep = export_sub.add_parser(
        "pdf",
        help="the session summary PDF (one session, or every session of a day)",
        parents=[common],
    )
    ep.add_argument("session", nargs="?", help="session id (a unique prefix is enough)")
    ep.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="every session of this clinic-local date YYYY-MM-DD (then -o is a folder; "
        "drafts are named ..._DRAFT.pdf)",
    )
    ep.add_argument(
        "-o", "--output", type=Path, required=True, help="PDF file (a folder with --date)"
    )
    _add_paper(ep)
    _add_printer(ep, pdf=True)

    ec = export_sub.add_parser(
        "course",
        help="a patient's course summary PDF (sessions, PHQ-9 trend, response and remission)",
        parents=[common],
    )
    ec.add_argument("mrn", metavar="MRN", help="the patient's medical record number")
    ec.add_argument("-o", "--output", type=Path, required=True, help="PDF file")
    _add_paper(ec)
    _add_printer(ec, pdf=True)


def _add_paper(parser: argparse.ArgumentParser) -> None:
    """``--paper``."""
    parser.add_argument(
        "--paper",
        choices=["a4", "letter"],
        default=None,
        help="paper size (default: the clinic's setting, else a4)",
    )


def _add_printer(parser: argparse.ArgumentParser, *, pdf: bool) -> None:
    """``--as USER`` and ``--password-stdin`` (who prints), and for a PDF ``--printed-at``."""
    named = "named on the page and in the audit log" if pdf else "named in the audit log"
    parser.add_argument(
        "--as",
        dest="as_user",
        default=None,
        metavar="USER",
        help=f"the Bedside account exporting, {named} once its password is given (asked "
        "for, or read with --password-stdin). Without it: 'command line (OS user NAME)'",
    )
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the --as user's password from stdin"
    )
    if pdf:
        parser.add_argument(
            "--printed-at",
            type=printed_at_arg,
            default=None,
            metavar="TIME",
            help="the print time on the page, ISO 8601 with its UTC offset, e.g. "
            f"{PRINTED_AT_EXAMPLE} (default: now); the same record printed with the same "
            "--printed-at and --as gives the same bytes",
        )


PRINTED_AT_EXAMPLE = "2026-11-24T18:00:00-05:00"


def printed_at_arg(text: str) -> datetime:
    """``--printed-at``: an ISO 8601 time with its UTC offset (a naive time would be printed
    as a moment nobody can place)."""
    expected = f"give an ISO 8601 time with its UTC offset, e.g. {PRINTED_AT_EXAMPLE}"
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time: {expected}") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no UTC offset: {expected}")
    return value


VERIFY_DESCRIPTION = (
    "Check the database. The first time on this workstation, or with --full: SQLite's full "
    "integrity check and every entry re-read, re-hashed and re-linked. After that, by default, "
    "incrementally from the ledger head the last passing check recorded (in verified.json "
    "beside this workstation's anchors): SQLite's quick check; the verified ledger entry must "
    "still hold the hash it had (so any rewrite of the history up to it, even re-hashed "
    "forward, is found); every ledger entry after it re-linked; every session those entries "
    "wrote into re-read whole (chain, signatures, session row, protocol and course order); and "
    "every bound record (accounts, patients, settings, protocols, course orders, session rows, "
    "signing keys, audit log, triggers) against the ledger. Only --full finds: an entry of a "
    "session nothing was added to since the verified head whose row was edited in the file "
    "(its content, or its content and hash with that session's chain re-linked, leaving the "
    "ledger alone), an index that no longer matches its table, or a verified.json edited to "
    "skip entries. Run --full periodically (e.g. weekly, and before restoring or archiving)."
)


def _add_verify(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``verify``: incremental by default after a first full check, ``--full`` on request."""
    verify = sub.add_parser(
        "verify",
        help="check database integrity and every hash chain",
        description=VERIFY_DESCRIPTION,
    )
    verify.add_argument(
        "--full",
        action="store_true",
        help="re-read every entry and run SQLite's full integrity check (the default after "
        "a first full check is incremental: see above)",
    )
    verify.add_argument("--session", default=None, help="check one session only")
    verify.add_argument(
        "--server",
        default=None,
        metavar="URL",
        help="check the clinic server's copy instead (postgresql://USER@HOST:PORT/DATABASE); "
        "with --db, that workstation's record is checked against it too",
    )
    verify.add_argument(
        "--against",
        default=None,
        metavar="BACKUP|SEQ:HASH",
        help="prove the database extends a backup's state, or a ledger head printed by "
        "'bedside backup' (SEQ:HASH)",
    )
    verify.add_argument(
        "--hash",
        default=None,
        help="a record hash from a printout: confirm it is the session's head",
    )


def _add_records_and_users(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``import``, ``verify``, ``users add`` and ``users list``, ``schema``."""
    imp = sub.add_parser("import", help="import a session log (validated; all or nothing)")
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--confirm-authors",
        action="store_true",
        help="as an administrator (--as), confirm the people the log names that this clinic "
        "has no account for, with the roles the log gives them (audited)",
    )
    imp.add_argument("--as", dest="admin", default=None, help="administrator's user name")
    imp.add_argument(
        "--password-stdin", action="store_true", help="read the administrator's password from stdin"
    )

    _add_verify(sub)

    users = sub.add_parser("users", help="manage user accounts")
    users_sub = users.add_subparsers(dest="action", metavar="ACTION", required=True)
    ua = users_sub.add_parser("add", help="add a user (an admin authorises)", parents=[common])
    ua.add_argument("username")
    ua.add_argument("--name", required=True, help="full name as printed on signatures")
    ua.add_argument("--role", required=True, choices=[r.value for r in Role])
    ua.add_argument("--credentials", default="", help="e.g. RN, MD")
    ua.add_argument(
        "--as",
        dest="admin",
        default=None,
        help="admin user name (the first admin is made by 'bedside init')",
    )
    ua.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the new password (and then the admin's) from stdin lines",
    )
    users_sub.add_parser("list", help="list accounts", parents=[common])
    uu = users_sub.add_parser(
        "unlock",
        help="unlock an account locked after wrong passwords (for IT, e.g. when the only "
        "administrator is locked out; audited with this computer's user name)",
        parents=[common],
    )
    uu.add_argument("username")

    sub.add_parser("schema", help="print the JSON Schema of the session log")


def _add_backup(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``backup`` and ``restore``."""
    backup = sub.add_parser("backup", help="online backup of the whole database")
    backup.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="backup file (default: next to the database, timestamped)",
    )
    restore = sub.add_parser("restore", help="replace the database with a verified backup")
    restore.add_argument("backup", type=Path)
    restore.add_argument(
        "--another-database",
        action="store_true",
        help="restore a backup of another database over this file (refused without it: the "
        "demo's over the clinic's, another workstation's over this one)",
    )
