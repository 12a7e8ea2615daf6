"""Where the clinic's and the demo's database files are by default (no SQLite, no models: the
app's start and ``bedside --help`` read these before anything heavy is imported)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "Bedside"
DB_FILENAME = "bedside.db"


def default_db_path() -> Path:
    """``bedside.db`` in the platform's per-user data folder (e.g. ~/.local/share/Bedside)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME
