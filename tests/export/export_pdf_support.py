"""Helpers for the PDF tests: the demo clinic and the long session, and text extraction."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader

from bedside.clock import FixedClock
from bedside.ids import SessionId
from bedside.service import ChartService
from bedside.state import fold
from bedside.store import Store

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
"""The demo clinic is built as it looks at this moment (13:00 in New York)."""

PRINTED_AT = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
PRINTED_BY = "tester"
LONG_START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Clinic:
    """An open store with a service on a fixed clock."""

    store: Store
    service: ChartService

    def session_where(self, *, signed: bool, chair: int | None = None) -> SessionId:
        """Today's session on ``chair`` that is (or is not) signed."""
        for header in self.store.sessions_on(NOW.date()):
            state = fold(self.store.events(header.id))
            if state.locked == signed and (chair is None or header.chair == chair):
                return header.id
        raise AssertionError(f"no session signed={signed} chair={chair}")


def open_clinic(path: Path) -> Clinic:
    """A service over the database at ``path`` (read-only use)."""
    store = Store(path)
    return Clinic(store, ChartService(store, FixedClock(NOW)))


def pages_text(data: bytes) -> list[str]:
    """The text of every page, whitespace collapsed (table cells wrap at varying places)."""
    reader = PdfReader(io.BytesIO(data))
    return [flat(page.extract_text() or "") for page in reader.pages]


def flat(text: str) -> str:
    """Whitespace runs collapsed to one space."""
    return re.sub(r"\s+", " ", text).strip()
