"""Which Bedside this is: the installed package's version, for ``bedside --version``, the log and
the clinic's IT (a support call starts with it)."""

from __future__ import annotations

import os
import platform
import sys

DISTRIBUTION = "bedside"


def version() -> str:
    """The installed package's version (``pyproject.toml``), or "unknown" when run from a tree
    that was never installed (a bare checkout on ``PYTHONPATH``)."""
    # An installed distribution is recorded as ``{name}-{version}.dist-info`` on the import path
    # (the packaging specification's "Recording installed projects"): reading the folder's name
    # costs a directory listing, where importlib.metadata costs ~15 ms of imports on every
    # start (the log's first line names the version; bench app_cold_start_smoke).
    prefix = f"{DISTRIBUTION}-"
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith(prefix) and name.endswith(".dist-info"):
                return name[len(prefix) : -len(".dist-info")]
    return _version_from_metadata()


def _version_from_metadata() -> str:
    """importlib.metadata's answer, for an installation not recorded as a dist-info folder."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def version_line() -> str:
    """One line for ``bedside --version``: the version and the Python it runs on."""
    return f"bedside {version()} (Python {platform.python_version()})"
