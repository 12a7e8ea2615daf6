"""UI fixtures: a demo clinic at a fixed moment, settings in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from bedside.clock import FixedClock
from bedside.demo import build_demo
from bedside.people import User
from bedside.service import ChartService
from bedside.store import Store

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo clinic built once; tests get a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path) as store:
        build_demo(store, NOW, timezone="America/New_York")
    return path


@pytest.fixture
def ui_service(demo_template: Path, tmp_path: Path) -> Iterator[ChartService]:
    with Store(demo_template) as store:
        store.backup(tmp_path / "demo.db")
    store = Store(tmp_path / "demo.db")
    yield ChartService(store, FixedClock(NOW))
    store.close()


@pytest.fixture
def nurse(ui_service: ChartService) -> User:
    return ui_service.accounts.authenticate("dana", "bedside-demo")


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def wheel_guard(qapp) -> None:  # type: ignore[no-untyped-def]
    """The application-wide wheel guard, installed as the main window installs it."""
    from ui import wheel_guard

    wheel_guard.install(qapp)
