"""What the clinic-server tests share besides their fixtures (``conftest.py`` holds those):
the moments, a vitals set, and finding and syncing a demo session. A module of its own: a test
cannot import ``conftest`` (another folder's conftest may answer to that name)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bedside.events import Phase
from bedside.ids import SessionId
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.server.setup import connect
from bedside.store.server.sync import sync

SYNCED_AT = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
LATER = SYNCED_AT + timedelta(minutes=5)
VITALS = {"systolic": 128, "diastolic": 78, "heart_rate": 80, "spo2": 98, "resp_rate": 14}


def open_session(service: ChartService) -> SessionId:
    """The first session of the demo still open."""
    return next(h.id for h in service.store.all_sessions() if not service.state(h.id).closed)


def infusing(service: ChartService) -> SessionId:
    """The first session of the demo whose pump runs."""
    return next(
        h.id for h in service.store.all_sessions() if service.state(h.id).phase is Phase.INFUSING
    )


def sync_at(store: Store, url: str) -> None:
    """One complete sync of ``store`` with the server at ``url``, a little after LATER."""
    with connect(url) as server:
        sync(store.conn, server, now=LATER + timedelta(minutes=10))
