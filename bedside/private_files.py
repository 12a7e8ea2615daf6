"""Files that hold patient data: written whole or not at all, readable by their owner only.

A reader (a PDF viewer, a print queue, a backup job) never sees half a file, a full disk leaves
no partial file behind, and nothing is world-readable whatever the user's umask.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE = 0o600


def write_private(path: Path, data: bytes, *, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename) with mode 0600;
    on any failure the temporary file is removed and an earlier file at ``path`` stays.
    ``durable=False`` skips the two flushes (file and folder): still whole or not at all for
    a reader, but a power cut may leave the previous version.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, PRIVATE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        sync_folder(path.parent)
    return path


def sync_folder(folder: Path) -> None:
    """fsync a folder so a rename in it survives a power cut (no-op where unsupported)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def tighten(path: Path) -> None:
    """Make an existing file owner-only (0600) if it is readable by others; a file owned by
    someone else is left as it is (the open that follows says if it cannot be used)."""
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            os.chmod(path, mode & 0o700 or PRIVATE)
