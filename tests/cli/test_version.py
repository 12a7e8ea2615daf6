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


def test_the_version_read_from_the_installed_folder_is_the_packages_metadata() -> None:
    """The start reads the version from the ``bedside-X.dist-info`` folder's name (no
    importlib.metadata on the start path); it is the version the package metadata records."""
    from importlib import metadata

    assert version() == metadata.version("bedside")
