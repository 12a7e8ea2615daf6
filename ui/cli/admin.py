"""Commands that set the clinic up and keep it: the demo clinic, accounts, the log's schema,
backups and restores."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bedside.clock import Clock
from bedside.people import Role
from bedside.store import Store, default_db_path
from bedside.store.anchor import AnchorFile
from bedside.timeutil import workstation_timezone
from ui.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    _open,
    _os_user,
    _print_json,
    _read_secret,
)


def cmd_demo(args: argparse.Namespace, clock: Clock) -> int:
    """Create the demo clinic in its own database (``--db``, else the demo's default file,
    never the clinic's): refused onto the clinic's database file or any database with a clinic
    that is not the demo; with ``--if-empty`` an existing demo is left as it is."""
    from bedside.store.demo_path import default_demo_db_path, refuse_clinic_path
    from ui.demo import DEMO_PASSWORD, build_demo, demo_kept_or_built

    path = Path(args.db) if args.db else default_demo_db_path()
    refuse_clinic_path(path)  # before Store() would create the clinic's file
    with Store(path, anchors=AnchorFile()) as store:
        if args.if_empty:
            if not demo_kept_or_built(store, clock.now(), workstation_timezone()):
                return EXIT_OK
        else:
            build_demo(store, clock.now(), timezone=workstation_timezone())
        print(f"Demo clinic created in {store.path} (its own database, not the clinic's)")
        print(
            f"Accounts (password '{DEMO_PASSWORD}'): admin (admin), dana and sam (nurses), "
            "drlee (clinician)"
        )
    return EXIT_OK


def cmd_init(args: argparse.Namespace, clock: Clock) -> int:
    """A new clinic in an empty database: its settings and first administrator."""
    from bedside.service import ChartService

    zone = args.timezone or workstation_timezone()
    with _open(args, create=True) as store:
        if store.has_users():
            print(
                f"{store.path} already has a clinic; nothing was changed. "
                "Change its settings with 'bedside clinic set'.",
                file=sys.stderr,
            )
            return EXIT_FAILED
        password = _read_secret(f"Password for {args.admin}: ", args.password_stdin)
        admin = ChartService(store, clock).set_up_clinic(
            clinic_name=args.clinic_name,
            clinic_address=args.address,
            timezone=zone,
            paper_size=args.paper,
            admin_username=args.admin,
            admin_full_name=args.name,
            admin_password=password,
        )
        print(f"Clinic {args.clinic_name!r} set up in {store.path}")
        print(f"Time zone: {zone}. Administrator: {admin.username}.")
    return EXIT_OK


def cmd_clinic(args: argparse.Namespace, clock: Clock) -> int:
    """Show or change the clinic settings."""
    from bedside.service import ChartService

    with _open(args) as store:
        service = ChartService(store, clock)
        if args.action in (None, "show"):  # `bedside clinic` alone shows them
            for key, value in service.clinic_settings().items():
                shown = value.replace("\n", ", ") if value else "(not set)"
                print(f"{key:15} {shown}")
            return EXIT_OK
        wanted = {
            "clinic_name": args.clinic_name,
            "clinic_address": args.address,
            "paper_size": args.paper,
            "timezone": args.timezone,
        }
        values = {k: v for k, v in wanted.items() if v is not None}
        if not values:
            print(
                "Nothing to change: give --clinic-name, --address, --paper or --timezone",
                file=sys.stderr,
            )
            return EXIT_USAGE
        password = _read_secret(f"Password for {args.admin}: ", args.password_stdin)
        admin = service.accounts.authenticate(args.admin, password)
        changed = service.update_clinic_settings(admin, **values)
        for key, (before, after) in changed.items():
            print(f"{key}: {before or '(not set)'} → {after}")
        if not changed:
            print("Nothing changed: the settings already had these values.")
    return EXIT_OK


def cmd_users(args: argparse.Namespace, clock: Clock) -> int:
    """Manage accounts."""
    from bedside.accounts import Accounts

    with _open(args) as store:
        accounts = Accounts(store, clock)
        if args.action == "list":
            for u in store.users():
                state = "active" if u.active else "inactive"
                print(f"{u.username:16} {u.role.value:10} {state:9} {u.display_name}")
            return EXIT_OK
        if args.action == "unlock":
            found = store.user_with_hash(args.username.strip().lower())
            if found is None:
                print(f"There is no account {args.username!r}.", file=sys.stderr)
                return EXIT_FAILED
            who = f"command line, operating-system user {_os_user()}"
            store.unlock_account(found[0].id, actor=None, at=clock.now(), by=who)
            print(f"Unlocked {found[0].username} (recorded in the audit log: {who}).")
            return EXIT_OK
        if not store.has_users():
            print(
                "This database has no clinic yet: set it up with 'bedside init' (its name, "
                "time zone and first administrator); nothing was changed.",
                file=sys.stderr,
            )
            return EXIT_FAILED
        if not args.admin:
            print("An admin must authorise: add --as ADMIN_USERNAME", file=sys.stderr)
            return EXIT_USAGE
        password = _read_secret(f"New password for {args.username}: ", args.password_stdin)
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
    with Store(target) as copy:
        head = copy.ledger_head()
    print(f"Backup written to {target} ({count} events, verified; {head.words()}).")
    print(f"Its ledger head, to check a database against it later: {head.seq}:{head.hash}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, clock: Clock) -> int:
    """Replace the database with a verified backup: refused while Bedside has the file open,
    atomic, the replaced file kept aside and what it held beyond the backup listed."""
    from bedside.store.restore_flow import BackupUnsound, restore_backup

    target = Path(args.db or default_db_path())
    try:
        outcome = restore_backup(
            args.backup,
            target,
            now=clock.now(),
            anchors=AnchorFile(),
            restored_by=(None, f"command line, operating-system user {_os_user()}"),
            another_database=args.another_database,
        )
    except BackupUnsound as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED
    with Store(target, check_integrity=False) as restored:
        timezone = restored.get_setting("timezone", "UTC")  # times as the clinic reads them
    for line in outcome.report(timezone=timezone):
        print(line)
    return EXIT_OK
