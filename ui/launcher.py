"""The composition root: ``bedside`` with no command opens the desktop app; with a command it
runs the command line. Qt is imported only when the desktop app is asked for."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bedside import app_log
from bedside.store.demo_path import default_demo_db_path
from ui.cli import build_parser, run_command


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``bedside`` script."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    what = "app" if args.command is None else f"command {args.command}"
    with app_log.running(what) as run:  # the log file, for the app and every command
        return run.ended(_run(parser, args))


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """The app or the command ``args`` asks for."""
    if args.command is None:
        from ui.app import run_app  # Qt loads here and nowhere in the core

        db = args.db
        if args.demo:
            # The demo's own file, made first if empty (``bedside demo --if-empty``): the demo
            # is opened without ever touching the clinic's database.
            db = db or default_demo_db_path()
            made = run_command(argparse.Namespace(command="demo", db=db, if_empty=True))
            if made != 0:
                return made
        return run_app(db_path=db, smoke=args.smoke)
    if args.demo:
        parser.error("--demo opens the desktop app; with a command, give the demo's --db")
    return run_command(args)  # --smoke only concerns the desktop app


if __name__ == "__main__":
    sys.exit(main())
