"""Commands that set the clinic up and keep it: the demo clinic, accounts, the log's schema,
backups and restores."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bedside.clock import Clock
from bedside.errors import BedsideError, StoreError
from bedside.people import Role, User
from bedside.store import Store, default_db_path
from bedside.timeutil import workstation_timezone
from ui.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, _open, _print_json, _read_secret


def cmd_demo(args: argparse.Namespace, clock: Clock) -> int:
    """Create the demo clinic."""
    from ui.demo import DEMO_PASSWORD, build_demo

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
