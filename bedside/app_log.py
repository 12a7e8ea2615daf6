"""The workstation's own log (issue 13 item 3): what was done, by which account, on which
workstation, and every error with its traceback, for the clinic's IT.

One size-rotated file, ``bedside.log`` (owner-only, in an owner-only folder), in the platform's
per-user log folder (``~/.local/state/Bedside/log`` on Linux), or in ``$BEDSIDE_LOG_DIR``.
A hard crash (a segfault in Qt, a deadlock dumped on a signal) is written by
:mod:`faulthandler` to ``crash.log`` beside it.

What is logged: start and stop, the database opened, sign-in and its failures, every chart
entry (its kind, session id, event id and author's user id), refusals (their kind and finding
codes, never their words), exports, backups, errors. What is never logged: patient names,
record numbers, dates of birth, anything typed into a chart entry, passwords. Only the
composition root (``ui.launcher.main``) calls :func:`setup`; a library or test that does not
call it writes nothing.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import logging
import logging.handlers
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NamedTuple

import platformdirs

from bedside.errors import OperationRefused
from bedside.store.paths import APP_NAME
from bedside.version import version_line

ENV_FOLDER = "BEDSIDE_LOG_DIR"
LOG_NAME = "bedside.log"
CRASH_NAME = "crash.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
OUR_LOGGERS = ("bedside", "charting", "export", "ui")
log = logging.getLogger(__name__)
FORMAT = "%(asctime)s %(levelname)s %(name)s ws=%(workstation)s %(message)s"


def log_folder() -> Path:
    """``$BEDSIDE_LOG_DIR``, else the platform's per-user log folder."""
    chosen = os.environ.get(ENV_FOLDER)
    if chosen:
        return Path(chosen)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def workstation_id() -> str:
    """The name this computer goes by on the network (the same in every line)."""
    return socket.gethostname() or "unknown"


def label_workstation(name: str) -> str:
    """This workstation as people call it: the name an admin gave it, else its id. From now on
    the log's lines say ``ws=<id> (<name>)``, so IT can match a nurse's "Chair room PC 2" to
    its lines (the id stays first: it is what the other tools know the computer by)."""
    if _current is not None:
        for stamp in _current.handler.filters:
            if isinstance(stamp, _Workstation):
                stamp.workstation = f"{stamp.id} ({name})" if name else stamp.id
    return name or workstation_id()


class _UtcFormatter(logging.Formatter):
    """Times as UTC ISO 8601 with milliseconds: ``2026-12-03T13:45:01.123Z``."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


class _Workstation(logging.Filter):
    """Stamps every record with this workstation's id."""

    def __init__(self, workstation: str) -> None:
        super().__init__()
        self.id = workstation
        self.workstation = workstation

    def filter(self, record: logging.LogRecord) -> bool:
        record.workstation = self.workstation
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file created owner-only (0600) whatever the umask; rotation renames, so the
    older files keep that mode."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)
        stream = os.fdopen(fd, "a", encoding=self.encoding or "utf-8", errors=self.errors)
        assert isinstance(stream, io.TextIOWrapper)
        return stream


class LogSetup(NamedTuple):
    """Where this process logs, and the open crash file ``faulthandler`` writes to."""

    folder: Path
    path: Path
    crash_path: Path
    handler: logging.Handler
    crash_file: IO[str]
    faulthandler_before: bool = False


_current: LogSetup | None = None


def current() -> LogSetup | None:
    """The log this process writes, if :func:`setup` was called."""
    return _current


def setup(
    folder: Path | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    backups: int = BACKUPS,
    workstation: str | None = None,
) -> LogSetup:
    """Send our loggers (INFO and up) and everyone else's warnings to the rotating file, and
    point :mod:`faulthandler` at ``crash.log``. Called again (a test), it replaces the first."""
    global _current
    shutdown()
    folder = Path(folder) if folder is not None else log_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / LOG_NAME
    handler = PrivateRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )
    handler.setFormatter(_UtcFormatter(FORMAT))
    handler.addFilter(_Workstation(workstation or workstation_id()))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    for name in OUR_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    crash_path = folder / CRASH_NAME
    before = faulthandler.is_enabled()
    fd = os.open(crash_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(fd, 0o600)
    crash_file = os.fdopen(fd, "a", encoding="utf-8")  # open for the life of the process
    faulthandler.enable(crash_file)
    _current = LogSetup(folder, path, crash_path, handler, crash_file, before)
    return _current


def shutdown() -> None:
    """Detach the file handler and close the crash file (the end of a test; a process that
    ends need not call it)."""
    global _current
    if _current is None:
        return
    logging.getLogger().removeHandler(_current.handler)
    _current.handler.close()
    faulthandler.disable()  # before its file closes: a crash must not write to a stale fd
    _current.crash_file.close()
    if _current.faulthandler_before and sys.__stderr__ is not None:
        faulthandler.enable(sys.__stderr__)
    _current = None


def refusal(error: BaseException) -> str:
    """A refusal as the log keeps it: its kind and finding codes, never its words (they may
    quote what was typed, or a patient's name)."""
    codes = sorted(error.report.codes()) if isinstance(error, OperationRefused) else []
    return type(error).__name__ + (f" codes={','.join(codes)}" if codes else "")


class Run:
    """One run of the app or a command, as the log tells it."""

    def __init__(self, what: str) -> None:
        self.what = what

    def ended(self, code: int) -> int:
        """Log the exit code and hand it back (``return run.ended(main_work())``)."""
        log.info("%s ended: exit code %s", self.what, code)
        return code


@contextlib.contextmanager
def running(what: str, folder: Path | None = None) -> Iterator[Run]:
    """Log to the file for the life of ``what`` (``app``, ``command verify``): its start, its
    end, and an error nothing else caught, with its traceback. A log folder that cannot be
    written costs the log, never the run."""
    with contextlib.suppress(OSError):  # no log rather than no app: nothing depends on it
        setup(folder)
    log.info("%s started (%s, pid %s)", what, version_line(), os.getpid())
    try:
        yield Run(what)
    except BaseException as exc:
        if not isinstance(exc, SystemExit | KeyboardInterrupt):
            log.critical("%s stopped by an unhandled error", what, exc_info=exc)
        else:
            log.info("%s stopped (%s)", what, type(exc).__name__)
        raise
