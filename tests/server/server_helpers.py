"""What the clinic-server tests share besides their fixtures (``conftest.py`` holds those):
the moments, a vitals set, and finding and syncing a demo session. A module of its own: a test
cannot import ``conftest`` (another folder's conftest may answer to that name)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bedside.demo_mark import DEMO_SETTING
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.server.setup import connect
from bedside.store.server.sync import sync
from ui.demo import build_demo

SYNCED_AT = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
LATER = SYNCED_AT + timedelta(minutes=5)
VITALS = {"systolic": 128, "diastolic": 78, "heart_rate": 80, "spo2": 98, "resp_rate": 14}


def clinic_from_demo(store: Store, now: datetime) -> None:
    """The demo's staff, patients and sessions as a clinic's database, not marked demo: what
    these tests sync. A demo itself never meets a server (``bedside.store.server.demo_guard``)."""
    build_demo(store, now)
    unmark_demo(store, now)


def unmark_demo(store: Store, at: datetime) -> None:
    """Drop the demo's mark from ``store`` (a recorded settings change, as any other)."""
    store.set_settings({DEMO_SETTING: ""}, actor=None, at=at)
    assert not store.is_demo()


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
