"""The demo clinic the command-line tests run against (built once per test module)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import NOW

from bedside.store import Store
from ui.demo import build_demo


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo clinic as it looks at :data:`cli_support.NOW` (do not write to it; exports add
    their audit rows to it, so a test that reads the audit log or the ledger works on a copy,
    :func:`cli_support.copy_of`)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path) as store:
        build_demo(store, NOW)
    return path
