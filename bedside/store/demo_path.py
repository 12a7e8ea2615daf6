"""Where the demo clinic's database lives: its own file beside the clinic's, and the guard
that keeps the demo out of the clinic's file (:mod:`bedside.demo_mark` says how a database is
marked as a demo)."""

from __future__ import annotations

from pathlib import Path

from bedside.errors import OperationRefused
from bedside.store.paths import default_db_path

DEMO_DB_FILENAME = "demo.db"


def default_demo_db_path() -> Path:
    """``demo.db`` beside the clinic's ``bedside.db`` (e.g. ~/.local/share/Bedside): its own
    file, so trying the demo never writes its accounts into the clinic's record."""
    return default_db_path().with_name(DEMO_DB_FILENAME)


def is_clinic_path(path: Path) -> bool:
    """Whether ``path`` is the clinic's own database file (the default one), however written."""
    return path.expanduser().resolve() == default_db_path().resolve()


def refuse_clinic_path(path: Path) -> None:
    """Refuse, before the file is even opened, to put the demo into the clinic's database.

    Raises
    ------
    OperationRefused
        When ``path`` is the clinic's database file, saying where the demo belongs.
    """
    if str(path) != ":memory:" and is_clinic_path(path):
        raise OperationRefused(
            f"{path} is the clinic's database: the demo clinic is only made in its own "
            f"database ({default_demo_db_path()}); nothing was changed."
        )
