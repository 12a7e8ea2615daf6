"""The ``bedside`` command line: the same core as the desktop app, no Qt.

Every command takes ``--db PATH`` (default: the platform's user data folder). Exit codes:
0 success, 1 refused or failed (the message says why), 2 usage error, 3 damage or tampering
(found by ``verify`` or met while reading: every command answers it the same way).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bedside.app_log import refusal
from bedside.clock import Clock, SystemClock
from bedside.errors import BedsideError, IntegrityError
from bedside.store.db import explain_database_error
from ui.cli.admin import (
    cmd_backup,
    cmd_clinic,
    cmd_demo,
    cmd_init,
    cmd_restore,
    cmd_schema,
    cmd_users,
)
from ui.cli.common import EXIT_FAILED, EXIT_OK, EXIT_TAMPERED, EXIT_USAGE
from ui.cli.exports import cmd_export
from ui.cli.parser import build_parser
from ui.cli.records import cmd_import, cmd_sessions, cmd_verify, session_rows
from ui.cli.server import cmd_server

COMMANDS = {
    "demo": cmd_demo,
    "init": cmd_init,
    "clinic": cmd_clinic,
    "sessions": cmd_sessions,
    "export": cmd_export,
    "import": cmd_import,
    "verify": cmd_verify,
    "users": cmd_users,
    "schema": cmd_schema,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "server": cmd_server,
}


def run_command(args: argparse.Namespace, clock: Clock | None = None) -> int:
    """Run a parsed subcommand. A refusal, a file that cannot be written and a database that
    cannot be read each become a message (never a traceback): exit 3 for damage or
    tampering, 1 for anything else refused or failed."""
    clock = clock or SystemClock()
    try:
        return COMMANDS[args.command](args, clock)
    except BedsideError as exc:
        return _refused(args, exc)
    except BrokenPipeError:
        # The reader stopped reading (``bedside sessions --all | head``): quiet, as cat would
        # be. Python's own advice: point stdout at devnull so the flush at exit cannot fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        logging.getLogger(__name__).warning(
            "command %s: a file failed: %s", args.command, exc.strerror or type(exc).__name__
        )
        print(
            f"bedside {args.command}: could not read or write a file{where}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except Exception as exc:
        explained = explain_database_error(exc)
        if explained is None:
            raise
        return _refused(args, explained)


def _refused(args: argparse.Namespace, exc: BedsideError) -> int:
    """The core's words on stderr; exit 3 for damage or tampering, 1 for any other refusal."""
    logging.getLogger(__name__).warning("command %s refused: %s", args.command, refusal(exc))
    print(f"bedside {args.command}: {exc}", file=sys.stderr)
    return EXIT_TAMPERED if isinstance(exc, IntegrityError) else EXIT_FAILED


__all__ = [
    "COMMANDS",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_TAMPERED",
    "EXIT_USAGE",
    "build_parser",
    "run_command",
    "session_rows",
]
