"""Every QSettings key, declared once with its type and default. UI state only: clinical
configuration lives in the database (the protocol)."""

from __future__ import annotations

from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

ORGANISATION = "Bedside"
APPLICATION = "Bedside"


class Setting(NamedTuple, Generic[T]):
    """A typed setting (a tuple: no dataclass machinery on the app's start path)."""

    key: str
    default: T

    def get(self, settings: QSettings) -> T:
        """The stored value, or the default when absent or of the wrong type."""
        value = settings.value(self.key, self.default)
        if isinstance(self.default, bool):
            if isinstance(value, str):
                return (value.lower() == "true") if value else self.default  # type: ignore[return-value]
            return bool(value)  # type: ignore[return-value]
        if self.default is not None and not isinstance(value, type(self.default)):
            return self.default
        return value  # type: ignore[return-value]

    def set(self, settings: QSettings, value: T) -> None:
        """Store a value."""
        settings.setValue(self.key, value)


THEME = Setting("ui/theme", "dim")
MAIN_GEOMETRY = Setting("ui/main_window_geometry", QByteArray())


def last_user(database: Path) -> Setting[str]:
    """The name last signed in on ``database``. One name for every file made the demo's sign-in
    offer the clinic's admin (a newcomer walk): the demo's and the clinic's are kept apart."""
    import hashlib  # only once a database is open (the app's first window does not wait)

    digest = hashlib.sha256(str(database.resolve()).encode()).hexdigest()[:16]
    return Setting(f"ui/last_user/{digest}", "")
