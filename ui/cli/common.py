"""What every command shares: exit codes, opening the database, secrets from the terminal or
standard input, JSON output, who prints, and the paper size."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from bedside.errors import BedsideError, StoreError
from bedside.store import Store, default_db_path
from bedside.store.anchor import AnchorFile

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TAMPERED = 0, 1, 2, 3


def _open(args: argparse.Namespace, *, check_integrity: bool = True, create: bool = False) -> Store:
    """The store at ``--db`` (or the default). Only commands that write new content create a
    missing database: ``verify`` on a mistyped path must not report an empty new file as OK."""
    path = Path(args.db or default_db_path())
    anchors = AnchorFile()
    if not create and not path.exists():
        anchors.check(path, None)  # a file this workstation wrote into is missing: say so
        raise StoreError(f"There is no database at {path} (check --db)")
    return Store(path, check_integrity=check_integrity, anchors=anchors)


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
