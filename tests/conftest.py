"""Shared fixtures. Qt runs offscreen unless the developer chose a platform."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The workstation's anchors (bedside.store.anchor) live in the config folder: a test run must
# neither read the developer's nor leave its own there.
os.environ["XDG_CONFIG_HOME"] = __import__("tempfile").mkdtemp(prefix="bedside-test-config-")
# So is the log (bedside.app_log): a test that runs ``ui.launcher.main`` logs here, not at home.
os.environ["BEDSIDE_LOG_DIR"] = __import__("tempfile").mkdtemp(prefix="bedside-test-log-")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from ui.demo import DemoStaff, create_staff

T0 = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    """A clock that moves only when the test moves it."""
    return FixedClock(T0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh database file with migrations applied."""
    s = Store(tmp_path / "bedside.db")
    yield s
    s.close()


@pytest.fixture
def service(store: Store, clock: FixedClock) -> ChartService:
    """The chart service over the fresh store, with the default protocol installed."""
    svc = ChartService(store, clock)
    store.set_settings({"timezone": "America/New_York"}, actor=None, at=clock.now())
    return svc


@pytest.fixture
def staff(service: ChartService) -> DemoStaff:
    """Admin, two nurses and a clinician (password ``bedside-demo``)."""
    people = create_staff(service)
    service.ensure_protocol(people.admin)
    return people
