"""``bedside --version``: the first thing a support call asks."""

from __future__ import annotations

import platform

import pytest

from bedside.version import version
from ui.launcher import main


def test_version_names_the_installed_package_and_python(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0
    out = capsys.readouterr().out.strip()
    assert out == f"bedside {version()} (Python {platform.python_version()})"
    assert version() != "unknown"  # the test environment installs the project
