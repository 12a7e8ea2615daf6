"""Fixtures for the charting tests (helpers in ``charting_fixtures``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from charting_fixtures import Charted, Clinic, Reference, at, make_clinic

from bedside.events import Phase


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    """A fresh clinic for tests that chart (each gets its own database)."""
    with make_clinic(tmp_path / "x.db") as c:
        yield c


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reference]:
    """The whole signed reference session (read-only: do not chart into it)."""
    with make_clinic(tmp_path_factory.mktemp("ref") / "x.db") as c:
        sid = c.reference()
        yield Reference(c.state(sid), c.protocol, sid)


@pytest.fixture
def infusing(clinic: Clinic) -> Charted:
    """The reference session charted up to S+20 (vitals at S+10 and S+20), still infusing."""
    sid = clinic.reference(until=Phase.INFUSING)
    assert clinic.clock.now() == at(20)
    return Charted(clinic, sid)
