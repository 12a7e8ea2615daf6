"""SQLite storage: migrations, the append-only chart record, verification and backups."""

from bedside.store.db import default_db_path, open_database
from bedside.store.store import Store

__all__ = ["Store", "default_db_path", "open_database"]
