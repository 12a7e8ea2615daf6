"""The composition root: ``bedside`` with no command opens the desktop app; with a command it
runs the command line. Qt is imported only when the desktop app is asked for, and the command
line's parsers and commands only when a command is (the app's first window waits for neither)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``bedside`` script."""
    # No garbage collection while the start imports and builds: ~100k objects are made and
    # none is garbage, yet each collection walks them (~30 ms of the app's first window, bench
    # app_cold_start_smoke). A command turns it back on before it runs; the app once it has
    # frozen what the start made (ui.app); every way out of here leaves it as it was found.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    finally:
        (gc.enable if was_enabled else gc.disable)()  # as found: a caller's choice is kept


def _main(words: list[str]) -> int:
    """Parse ``words``, then run the app or the command inside the log."""
    from bedside import app_log  # imported here, with the collector off (see main)
    from ui.app_args import app_args

    args = app_args(words)
    parser = None
    if args is None:  # a command, --help, or something only the full parser can explain
        from ui.cli import build_parser

        parser = build_parser()
        args = parser.parse_args(words)
    what = "app" if args.command is None else f"command {args.command}"
    with app_log.running(what) as run:  # the log file, for the app and every command
        return run.ended(_run(parser, args))


def _run(parser: argparse.ArgumentParser | None, args: argparse.Namespace) -> int:
    """The app or the command ``args`` asks for."""
    if args.command is None:
        from ui.app import run_app  # Qt loads here and nowhere in the core

        db = args.db
        if args.demo:
            from bedside.errors import OperationRefused
            from bedside.store.demo_path import default_demo_db_path, refuse_clinic_path

            # The demo's own file, never the clinic's (refused here, before any window); the
            # app makes the demo in it behind its first window when it is empty.
            db = db or default_demo_db_path()
            try:
                refuse_clinic_path(db)
            except OperationRefused as exc:
                sys.stderr.write(f"bedside --demo: {exc}\n")
                return 1
        return run_app(db_path=db, smoke=args.smoke, demo=args.demo)
    gc.enable()
    from ui.cli import run_command

    if args.demo:
        assert parser is not None  # a command was parsed by the full parser
        parser.error("--demo opens the desktop app; with a command, give the demo's --db")
    return run_command(args)  # --smoke only concerns the desktop app


if __name__ == "__main__":
    sys.exit(main())
