"""Who has the database open on this computer: every :class:`~bedside.store.Store` holds a
shared ``flock`` on the database file while open, and a restore takes it exclusively, so a
restore is refused while the app (or a command) has the file open, and nothing opens the file
while a restore replaces it. ``flock`` locks are separate from the POSIX locks SQLite takes on
the same file, so they do not disturb SQLite."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from bedside.errors import StoreError


class InUseMark:
    """A shared hold on a database file for as long as a store has it open."""

    def __init__(self, path: Path) -> None:
        self._fd: int | None = None
        if str(path) == ":memory:" or not path.exists():
            return
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreError(
                f"{path} is being restored from a backup right now: wait for the restore to "
                "finish, then open it again. Nothing was changed."
            ) from None
        self._fd = fd

    def release(self) -> None:
        """Let go (at close)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


@contextlib.contextmanager
def held_alone(path: Path) -> Iterator[None]:
    """Hold the database file exclusively for a restore; refused, in words, while any process
    on this computer has it open."""
    if not path.exists():
        yield
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"{path} is open in Bedside on this computer (the app, or a command still "
                "running): close the app everywhere it uses this file, then restore. Nothing "
                "was changed."
            ) from None
        yield
    finally:
        os.close(fd)
