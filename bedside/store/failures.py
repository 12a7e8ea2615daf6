"""What went wrong with the database, in words that lead to the right action.

A full disk, a read-only or forbidden folder, a lock held by another program and real damage
look alike to SQLite's caller (``OperationalError`` or ``DatabaseError``), but they call for
opposite advice: restoring a backup is right for damage and throws away everything since the
backup in the other three cases, where the database is sound. Each gets its own message.
"""

from __future__ import annotations

import errno
import os
from enum import StrEnum
from pathlib import Path

from bedside.errors import IntegrityError, StoreError

BUSY_TIMEOUT_MS = 10_000
"""How long SQLite retries a lock another connection holds before giving up."""

NOT_A_BACKUP_CASE = "The database is not damaged: do not restore a backup."


class Cause(StrEnum):
    """Why a database operation failed."""

    FULL = "full"
    READ_ONLY = "read_only"
    LOCKED = "locked"
    DAMAGED = "damaged"
    OTHER = "other"


def cause_of(exc: BaseException, path: Path | None = None) -> Cause:
    """Classify a SQLite or OS failure (``path``: the database, to check its folder)."""
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return Cause.FULL
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return Cause.READ_ONLY
        return Cause.OTHER
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return Cause.FULL
    if "locked" in text or "busy" in text:
        return Cause.LOCKED
    if "readonly" in text or "read-only" in text or "permission" in text:
        return Cause.READ_ONLY
    if "malformed" in text or "corrupt" in text or "not a database" in text:
        return Cause.DAMAGED
    if "unable to open" in text and path is not None and not _writable(path):
        return Cause.READ_ONLY
    return Cause.OTHER


def explain(exc: BaseException, path: Path | None, *, outcome: str) -> StoreError:
    """The error to raise for ``exc``, with what did not happen (``outcome``, e.g. "this
    change was NOT saved") and advice fitting its cause: :class:`IntegrityError` only for
    damage."""
    where = str(path) if path is not None else "the database"
    folder = str(path.parent) if path is not None else "its folder"
    cause = cause_of(exc, path)
    if cause is Cause.FULL:
        return StoreError(
            f"The disk holding {where} is full: {outcome} (nothing was half-written), and "
            f"nothing saved before is lost. Free some space on that disk (or ask IT), then try again. "
            f"{NOT_A_BACKUP_CASE}"
        )
    if cause is Cause.READ_ONLY:
        return StoreError(
            f"Bedside may not write in {folder} (a read-only disk or folder, or no permission "
            f"for this user): {outcome}. Ask IT to give this user write access "
            f"to the folder and the file. {NOT_A_BACKUP_CASE}"
        )
    if cause is Cause.LOCKED:
        return StoreError(
            f"Another program is holding {where} (Bedside waited "
            f"{BUSY_TIMEOUT_MS // 1000} seconds for it): {outcome}; what you typed is still "
            "on screen. Try again in a moment; "
            "if it keeps happening, close other programs using the database (a backup tool, "
            f"a database browser) or ask IT. {NOT_A_BACKUP_CASE}"
        )
    if cause is Cause.DAMAGED:
        return IntegrityError(
            f"{where} is damaged ({exc}): {outcome}. Run 'bedside verify' to see "
            "what is damaged, then restore the most recent backup with 'bedside restore "
            "BACKUP_FILE' (entries made since that backup are listed by the restore), or "
            "contact support with this message."
        )
    return StoreError(f"The database could not be used ({exc}): {outcome}.")


def _writable(path: Path) -> bool:
    target = path if path.exists() else path.parent
    return os.access(target, os.W_OK)
