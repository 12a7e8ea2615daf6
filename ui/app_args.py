"""The desktop app's own options (``--db``, ``--demo``, ``--smoke``, ``--version``), read
without building the command line's 25 commands: ``bedside`` with no command opens the app, and
its first window should not wait for parsers, models and commands it will never use (issue 13
item 5). The full parser (:mod:`ui.cli.parser`) starts from these same options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


def app_parser(*, add_help: bool = True) -> argparse.ArgumentParser:
    """The parser with the app's options; the command line adds its commands to it."""
    parser = argparse.ArgumentParser(
        prog="bedside", description=DESCRIPTION, add_help=add_help, exit_on_error=add_help
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
    names a command, asks for help, or is not understood here (the full parser then reads it,
    and its messages are the ones a user sees)."""
    if any(arg in ("-h", "--help") for arg in argv):
        return None
    parser = app_parser(add_help=False)
    try:
        args, rest = parser.parse_known_args(list(argv))
    except argparse.ArgumentError:  # the full parser says what is wrong, with its usage
        return None
    if rest:
        return None
    args.command = None
    return args
