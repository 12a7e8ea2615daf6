"""Which Bedside this is: the installed package's version, for ``bedside --version``, the log and
the clinic's IT (a support call starts with it)."""

from __future__ import annotations

import platform
from importlib import metadata

DISTRIBUTION = "bedside"


def version() -> str:
    """The installed package's version (``pyproject.toml``), or "unknown" when run from a tree
    that was never installed (a bare checkout on ``PYTHONPATH``)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def version_line() -> str:
    """One line for ``bedside --version``: the version and the Python it runs on."""
    return f"bedside {version()} (Python {platform.python_version()})"
