"""The ``bedside`` command line: the same core as the desktop app, no Qt.

Every command takes ``--db PATH`` (default: the platform's user data folder). Exit codes:
0 success, 1 refused or failed (the message says why), 2 usage error, 3 tampering or damage
found by ``verify``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bedside.clock import Clock, SystemClock
from bedside.errors import BedsideError, IntegrityError, StoreError
from bedside.people import Role, User
from bedside.sessions import SessionHeader
from bedside.state import fold
from bedside.store import Store, default_db_path
from bedside.timeutil import local_date, local_text, workstation_timezone

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TAMPERED = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (no subcommand means: open the desktop app)."""
    parser = argparse.ArgumentParser(
        prog="bedside",
        description="Bedside: charting for IV ketamine infusion sessions. "
        "Without a command, opens the desktop app.",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help=f"database file (default: {default_db_path()})"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="start the desktop app and quit at once (installation check)",
    )
    # --db is also accepted after the command ("bedside verify --db FILE"), as people type it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    real_add = sub.add_parser

    def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return real_add(name, parents=[common], **kwargs)

    sub.add_parser = add_parser  # type: ignore[method-assign]

    demo = sub.add_parser("demo", help="create the demo clinic in an empty database")
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (and succeed) when the database already has users",
    )

    sessions = sub.add_parser("sessions", help="list sessions (today's by default)")
    sessions.add_argument(
        "--date", type=date.fromisoformat, default=None, help="clinic-local date YYYY-MM-DD"
    )
    sessions.add_argument("--all", action="store_true", help="every session")
    sessions.add_argument("--json", action="store_true", help="machine-readable output")

    export = sub.add_parser("export", help="export a session, or a patient's course")
    export_sub = export.add_subparsers(dest="format", metavar="FORMAT", required=True)
    ej = export_sub.add_parser("json", help="the session's event log as JSON", parents=[common])
    ej.add_argument("session", help="session id (a unique prefix is enough)")
    ej.add_argument("-o", "--output", type=Path, default=None, help="file (default: stdout)")
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
        help="every session of this clinic-local date YYYY-MM-DD (then -o is a folder)",
    )
    ep.add_argument(
        "-o", "--output", type=Path, required=True, help="PDF file (a folder with --date)"
    )
    ep.add_argument(
        "--paper",
        choices=["a4", "letter"],
        default=None,
        help="paper size (default: the clinic's setting, else a4)",
    )

    ec = export_sub.add_parser(
        "course",
        help="a patient's course summary PDF (sessions, PHQ-9 trend, response and remission)",
        parents=[common],
    )
    ec.add_argument("mrn", metavar="MRN", help="the patient's medical record number")
    ec.add_argument("-o", "--output", type=Path, required=True, help="PDF file")
    ec.add_argument(
        "--paper",
        choices=["a4", "letter"],
        default=None,
        help="paper size (default: the clinic's setting, else a4)",
    )

    imp = sub.add_parser("import", help="import a session log (validated; all or nothing)")
    imp.add_argument("file", type=Path)

    verify = sub.add_parser("verify", help="check database integrity and every hash chain")
    verify.add_argument("--session", default=None, help="check one session only")
    verify.add_argument(
        "--hash",
        default=None,
        help="a record hash from a printout: confirm it is the session's head",
    )

    users = sub.add_parser("users", help="manage user accounts")
    users_sub = users.add_subparsers(dest="action", metavar="ACTION", required=True)
    ua = users_sub.add_parser("add", help="add a user (an admin must authorise)", parents=[common])
    ua.add_argument("username")
    ua.add_argument("--name", required=True, help="full name as printed on signatures")
    ua.add_argument("--role", required=True, choices=[r.value for r in Role])
    ua.add_argument("--credentials", default="", help="e.g. RN, MD")
    ua.add_argument(
        "--as",
        dest="admin",
        default=None,
        help="admin user name (not needed for the first account)",
    )
    ua.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the new password (and then the admin's) from stdin lines",
    )
    users_sub.add_parser("list", help="list accounts", parents=[common])

    sub.add_parser("schema", help="print the JSON Schema of the session log")

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
    return parser


def _open(args: argparse.Namespace, *, check_integrity: bool = True, create: bool = False) -> Store:
    """The store at ``--db`` (or the default). Only commands that write new content create a
    missing database: ``verify`` on a mistyped path must not report an empty new file as OK."""
    path = Path(args.db or default_db_path())
    if not create and not path.exists():
        raise StoreError(f"There is no database at {path} (check --db)")
    return Store(path, check_integrity=check_integrity)


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _read_secret(prompt: str, from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise BedsideError(f"expected a line on standard input for: {prompt.strip()}")
        return line.rstrip("\n")
    try:
        return getpass.getpass(prompt)
    except EOFError as exc:
        raise BedsideError(f"no password given ({prompt.strip()})") from exc


def cmd_demo(args: argparse.Namespace, clock: Clock) -> int:
    """Create the demo clinic."""
    from bedside.demo import DEMO_PASSWORD, build_demo

    with _open(args, create=True) as store:
        if store.has_users():
            if args.if_empty:
                return EXIT_OK
            print(
                "This database already has users; the demo is only created in an empty one.",
                file=sys.stderr,
            )
            return EXIT_FAILED
        build_demo(store, clock.now(), timezone=workstation_timezone())
        print(f"Demo clinic created in {store.path}")
        print(
            f"Accounts (password '{DEMO_PASSWORD}'): admin (admin), dana and sam (nurses), "
            "drlee (clinician)"
        )
    return EXIT_OK


def session_rows(
    store: Store, headers: Sequence[SessionHeader], tz: str
) -> list[dict[str, object]]:
    """What ``sessions`` lists for each header."""
    rows: list[dict[str, object]] = []
    for h in headers:
        state = fold(store.events(h.id))
        patient = store.patient(h.patient_id)
        rows.append(
            {
                "id": h.id,
                "patient": patient.display_name,
                "mrn": patient.mrn,
                "chair": h.chair,
                "date": h.local_date.isoformat(),
                "opened": local_text(h.opened_at, tz, "%H:%M"),
                "session_in_course": h.number_in_course,
                "phase": state.phase.value,
                "phase_label": state.phase.label,
            }
        )
    return rows


def cmd_sessions(args: argparse.Namespace, clock: Clock) -> int:
    """List sessions."""
    with _open(args, check_integrity=False) as store:
        tz = store.get_setting("timezone", "UTC")
        if args.all:
            headers = store.all_sessions()
        else:
            headers = store.sessions_on(args.date or local_date(clock.now(), tz))
        rows = session_rows(store, headers, tz)
    if args.json:
        _print_json(rows)
        return EXIT_OK
    if not rows:
        when = "" if args.all else f" on {args.date or local_date(clock.now(), tz)} (clinic time)"
        print(f"No sessions{when}." + ("" if args.all else " Use --all to list every session."))
        return EXIT_OK
    print(f"{'ID':10} {'DATE':10} {'TIME':5} {'CHAIR':>5}  {'PATIENT':28} {'#':>2}  PHASE")
    for r in rows:
        print(
            f"{str(r['id'])[:8]:10} {r['date']:10} {r['opened']:5} {r['chair']:>5}  "
            f"{str(r['patient'])[:28]:28} {r['session_in_course']:>2}  {r['phase_label']}"
        )
    return EXIT_OK


def _os_user() -> str:
    """Who prints, for the footer: the operating-system account running the command."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a bare container
        return f"uid {os.getuid()}"


def _paper(args: argparse.Namespace, store: Store) -> str:
    """``--paper`` if given, else the clinic's ``paper_size`` setting (A4 by default)."""
    chosen = args.paper or store.get_setting("paper_size", "A4")
    return "Letter" if chosen.lower() == "letter" else "A4"


def cmd_export_pdf(args: argparse.Namespace, clock: Clock) -> int:
    """Session summary PDFs: one session to a file, or a day's sessions into a folder."""
    from bedside.service import ChartService
    from export.session_pdf import load_inputs, pdf_file_name, render_session_pdf, write_bytes

    if (args.session is None) == (args.date is None):
        print("bedside export pdf: give a SESSION or --date YYYY-MM-DD (not both)", file=sys.stderr)
        return EXIT_USAGE
    printed_by = _os_user()
    with _open(args) as store:
        paper = _paper(args, store)
        service = ChartService(store, clock)
        if args.session is not None:
            header = store.find_session(args.session)
            data = render_session_pdf(
                load_inputs(service, header.id),
                printed_at=clock.now(),
                printed_by=printed_by,
                page_size=paper,
            )
            write_bytes(args.output, data)
            print(f"Wrote {args.output}", file=sys.stderr)
            return EXIT_OK
        headers = sorted(store.sessions_on(args.date), key=lambda h: (h.chair, h.opened_at))
        if not headers:
            print(f"No sessions on {args.date} (clinic time); nothing written.", file=sys.stderr)
            return EXIT_OK
        if args.output.exists() and not args.output.is_dir():
            raise BedsideError(f"{args.output} is a file: with --date, -o names a folder")
        args.output.mkdir(parents=True, exist_ok=True)
        total = len(headers)
        for number, header in enumerate(headers, start=1):
            inputs = load_inputs(service, header.id)
            target = args.output / pdf_file_name(inputs)
            data = render_session_pdf(
                inputs, printed_at=clock.now(), printed_by=printed_by, page_size=paper
            )
            write_bytes(target, data)
            patient = inputs.context.patient
            print(
                f"[{number}/{total}] chair {header.chair} – {patient.display_name} – "
                f"{patient.mrn} → {target}",
                flush=True,
            )
    print(f"Wrote {total} summaries to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_export_course(args: argparse.Namespace, clock: Clock) -> int:
    """A patient's course summary PDF, as of now."""
    from bedside.service import ChartService
    from export.course_pdf import write_course_pdf

    with _open(args) as store:
        paper = _paper(args, store)
        patient = store.patient_by_mrn(args.mrn)
        if patient is None:
            raise StoreError(f"no patient with MRN {args.mrn}")
        service = ChartService(store, clock)
        if service.active_course(patient.id) is None:
            raise BedsideError(f"{patient.display_name} ({patient.mrn}) has no course order")
        write_course_pdf(
            service,
            patient.id,
            args.output,
            printed_at=clock.now(),
            printed_by=_os_user(),
            page_size=paper,
        )
    print(f"Wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, clock: Clock) -> int:
    """Export a session, or a patient's course summary."""
    from bedside.eventlog import export_session, to_json

    if args.format == "pdf":
        return cmd_export_pdf(args, clock)
    if args.format == "course":
        return cmd_export_course(args, clock)

    with _open(args) as store:
        header = store.find_session(args.session)
        text = to_json(export_session(store, header.id, now=clock.now()))
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        print(text)
    return EXIT_OK


def cmd_import(args: argparse.Namespace, clock: Clock) -> int:
    """Import a session log."""
    from bedside.eventlog import import_log, parse_log

    try:
        text = args.file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BedsideError(f"There is no file {args.file}") from exc
    except UnicodeDecodeError as exc:
        raise BedsideError(f"{args.file} is not a text (JSON) file") from exc
    except OSError as exc:
        raise BedsideError(f"Cannot read {args.file}: {exc.strerror}") from exc
    log = parse_log(text)
    with _open(args, create=True) as store:
        sid = import_log(store, log, now=clock.now())
        count = len(store.events(sid))
    print(f"Imported session {sid} ({count} events, chain verified).")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, clock: Clock) -> int:
    """Integrity and hash-chain check."""
    try:
        # verify() runs the integrity check itself; checking on open too would double the time.
        store = _open(args, check_integrity=False)
    except IntegrityError as exc:  # too damaged to open at all
        print(str(exc), file=sys.stderr)
        return EXIT_TAMPERED
    with store:
        if args.session:
            header = store.find_session(args.session)
            problems = store.verify_session(header.id)
            scope = f"session {header.id}"
            if args.hash and not problems:
                hashes = [e.hash for e in store.events(header.id)]
                if args.hash not in hashes:
                    problems.append(f"hash {args.hash} is not in this session's record")
                elif args.hash != hashes[-1]:
                    print(
                        f"Note: {args.hash[:12]}… is an earlier state of the record; "
                        f"{len(hashes) - hashes.index(args.hash) - 1} entries were added after it "
                        "(e.g. addenda)."
                    )
        else:
            problems = store.verify()
            scope = f"{len(store.all_sessions())} sessions, {store.event_count()} events"
            if args.hash and not problems:
                found = store.session_with_event(args.hash)
                if found is None:
                    print(f"Hash {args.hash} is not in this database.", file=sys.stderr)
                    return EXIT_FAILED
                head = store.head_hash(found)
                where = "the current record hash" if head == args.hash else "an earlier state"
                print(f"Hash found: it is {where} of session {found}.")
    if problems:
        print(f"VERIFY FAILED ({scope}):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return EXIT_TAMPERED
    print(f"OK: integrity check passed and every hash chain is intact ({scope}).")
    return EXIT_OK


def cmd_users(args: argparse.Namespace, clock: Clock) -> int:
    """Manage accounts."""
    from bedside.accounts import Accounts

    with _open(args, create=args.action == "add") as store:
        accounts = Accounts(store, clock)
        if args.action == "list":
            for u in store.users():
                state = "active" if u.active else "inactive"
                print(f"{u.username:16} {u.role.value:10} {state:9} {u.display_name}")
            return EXIT_OK
        password = _read_secret(f"New password for {args.username}: ", args.password_stdin)
        actor: User | None = None
        if store.has_users():
            if not args.admin:
                print("An admin must authorise: add --as ADMIN_USERNAME", file=sys.stderr)
                return EXIT_USAGE
            admin_pw = _read_secret(f"Password for {args.admin}: ", args.password_stdin)
            actor = accounts.authenticate(args.admin, admin_pw)
        user = accounts.create_user(
            actor,
            username=args.username,
            full_name=args.name,
            role=Role(args.role),
            password=password,
            credentials=args.credentials,
        )
        print(f"Added {user.username} ({user.role.value}).")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, clock: Clock) -> int:
    """Print the session-log JSON Schema."""
    from bedside.eventlog import json_schema

    _print_json(json_schema())
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, clock: Clock) -> int:
    """Online backup."""
    with _open(args) as store:
        stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
        target = args.output or store.path.with_name(f"{store.path.stem}-backup-{stamp}.db")
        store.backup(target)
        count = store.event_count()
    with Store(target) as copy:
        problems = copy.verify()
    if problems:
        print(f"Backup written to {target} but it does not verify: {problems[:3]}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Backup written to {target} ({count} events, verified).")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, clock: Clock) -> int:
    """Replace the database with a backup, keeping the old file aside."""
    target = args.db or default_db_path()
    if not args.backup.is_file():
        raise StoreError(f"There is no backup file {args.backup}; nothing was changed.")
    # Verify a scratch copy: opening a database writes to it, and the backup stays untouched.
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / "restore-check.db"
        shutil.copyfile(args.backup, trial)
        try:
            with Store(trial) as copy:
                problems = copy.verify()
        except BedsideError as exc:
            problems = [str(exc).split(". Restore")[0]]
    if problems:
        print(
            f"{args.backup} is not a sound Bedside backup; nothing was changed: {problems[:3]}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if target.exists():
        aside = target.with_name(target.name + f".replaced-{clock.now():%Y%m%dT%H%M%SZ}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(target) + suffix)
            if src.exists():
                src.rename(Path(str(aside) + suffix))
        print(f"The previous database was kept as {aside}")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copyfile(args.backup, target)
    os.chmod(target, 0o600)
    print(f"Restored {args.backup} to {target}.")
    return EXIT_OK


COMMANDS = {
    "demo": cmd_demo,
    "sessions": cmd_sessions,
    "export": cmd_export,
    "import": cmd_import,
    "verify": cmd_verify,
    "users": cmd_users,
    "schema": cmd_schema,
    "backup": cmd_backup,
    "restore": cmd_restore,
}


def run_command(args: argparse.Namespace, clock: Clock | None = None) -> int:
    """Run a parsed subcommand; core errors become a message and exit code 1."""
    clock = clock or SystemClock()
    try:
        return COMMANDS[args.command](args, clock)
    except BedsideError as exc:
        print(f"bedside {args.command}: {exc}", file=sys.stderr)
        return EXIT_TAMPERED if isinstance(exc, IntegrityError) else EXIT_FAILED
