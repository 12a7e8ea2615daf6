"""SQLite storage: migrations, the append-only chart record, verification and backups.

The package's names load on first use (PEP 562): ``bedside.store.paths`` and
``bedside.store.demo_path`` are read at the app's start and by ``bedside --help`` without
loading the record's models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bedside.store.db import open_database
    from bedside.store.paths import default_db_path
    from bedside.store.store import Store

__all__ = ["Store", "default_db_path", "open_database"]
_WHERE = {
    "Store": "bedside.store.store",
    "default_db_path": "bedside.store.paths",
    "open_database": "bedside.store.db",
}


def __getattr__(name: str) -> Any:
    """``Store``, ``default_db_path`` and ``open_database``, imported when first asked for."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
