"""Fixtures for the PDF tests: the demo clinic and the long session, each built once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from export_pdf_support import LONG_START, NOW, Clinic, open_clinic

from bedside.store import Store
from ui.demo import build_demo
from ui.demo.long_session import build_long_clinic


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo clinic (a signed reference session today on chair 1, one infusing on 2)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path) as store:
        build_demo(store, NOW)
    return path


@pytest.fixture(scope="session")
def long_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The long session (3 hours, 25 vitals sets, corrections, late entries, addenda)."""
    path = tmp_path_factory.mktemp("long") / "long.db"
    with Store(path) as store:
        build_long_clinic(store, LONG_START)
    return path


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Clinic]:
    """The demo clinic, open (do not chart into it)."""
    clinic = open_clinic(demo_path)
    yield clinic
    clinic.store.close()


@pytest.fixture
def long_clinic(long_path: Path) -> Iterator[Clinic]:
    """The long session's clinic, open (do not chart into it)."""
    clinic = open_clinic(long_path)
    yield clinic
    clinic.store.close()
