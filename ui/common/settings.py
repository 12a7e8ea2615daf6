"""Every QSettings key, declared once with its type and default. UI state only: clinical
configuration lives in the database (the protocol)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

ORGANISATION = "Bedside"
APPLICATION = "Bedside"


@dataclass(frozen=True)
class Setting(Generic[T]):
    """A typed setting."""

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
LAST_USER = Setting("ui/last_user", "")
