"""The desktop app's own options (``--db``, ``--demo``, ``--smoke``, ``--version``), read
without building the command line's 25 commands: ``bedside`` with no command opens the app, and
its first window should not wait for parsers, models and commands it will never use (issue 13
item 5). The full parser (:mod:`ui.cli.parser`) starts from these same options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from bedside.store.demo_path import default_demo_db_path
from bedside.store.paths import default_db_path

DESCRIPTION = (
    "Bedside: charting for IV ketamine infusion sessions. Without a command, opens the desktop app."
)


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked (package metadata is
    slow to import)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        kwargs.update(nargs=0, default=argparse.SUPPRESS)
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from bedside.version import version_line

        sys.stdout.write(version_line() + "\n")
        parser.exit()


class _NotHere(Exception):
    """The light parser did not understand: the full parser reads the words again."""


class _LightParser(argparse.ArgumentParser):
    """Never prints nor exits: whatever it cannot read (a missing value, an ambiguous
    abbreviation: argparse sends every one to ``error``) is left to the full parser and its
    usage."""

    def error(self, message: str) -> NoReturn:
        raise _NotHere(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _NotHere(message or "")


def app_parser(*, add_help: bool = True) -> argparse.ArgumentParser:
    """The parser with the app's options; the command line adds its commands to it.
    ``add_help=False``: the light one, which takes no abbreviation and never exits."""
    kind = argparse.ArgumentParser if add_help else _LightParser
    parser = kind(
        prog="bedside",
        description=DESCRIPTION,
        add_help=add_help,
        allow_abbrev=add_help,
    )
    parser.add_argument(
        "--db", type=Path, default=None, help=f"database file (default: {default_db_path()})"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the desktop app on the demo clinic, in its own database "
        f"(default: {default_demo_db_path()}), creating it first if it is empty; "
        "never the clinic's database",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="start the desktop app and quit at once (installation check)",
    )
    return parser


def app_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The app's options when ``argv`` asks for the desktop app and nothing else; None when it
    names a command, asks for help or the version, or is not understood here (the full parser
    then reads it, and its messages are the ones a user sees: ``bedside bogus --version`` is a
    mistake to be told, not a version to print)."""
    if any(arg in ("-h", "--help", "--version") for arg in argv):
        return None
    parser = app_parser(add_help=False)
    try:
        args, rest = parser.parse_known_args(list(argv))
    except _NotHere:  # the full parser says what is wrong, with its usage
        return None
    if rest:
        return None
    args.command = None
    return args
