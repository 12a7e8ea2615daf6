"""The bundle's parts agree with each other (the build and install themselves run in .ci/run:
packaging/check_install.sh installs the built bundle into a temporary prefix)."""

from __future__ import annotations

import configparser
import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

from ui.common import app_icon

PACKAGING = Path(__file__).resolve().parent.parent / "packaging"
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(PACKAGING / "bedside.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_names_the_command_icon_and_window_class_the_app_uses() -> None:
    entry = _desktop_entry()
    assert entry["Exec"] == "@BEDSIDE@"  # install.sh writes the installed command's path
    assert entry["Icon"] == app_icon.DESKTOP_ENTRY
    assert entry["StartupWMClass"] == app_icon.DESKTOP_ENTRY
    assert entry["Terminal"] == "false"


def test_every_icon_size_the_installer_copies_is_drawn() -> None:
    shipped = sorted(int(p.stem.split("-")[1]) for p in ICONS.glob("bedside-*.png"))
    assert shipped == list(app_icon.SIZES)
    assert (ICONS / "bedside.svg").is_file()


def test_the_build_ships_files_that_exist() -> None:
    # packaging/ is a folder of scripts, not a package: load build.py by its path.
    spec = importlib.util.spec_from_file_location("bedside_build", PACKAGING / "build.py")
    assert spec is not None
    assert spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.SHIPPED
    for name in build.SHIPPED:
        assert (PACKAGING / name).is_file(), name


@pytest.mark.parametrize("script", ["install.sh", "uninstall.sh", "check_install.sh"])
def test_the_scripts_parse_and_are_executable(script: str) -> None:
    path = PACKAGING / script
    assert os.access(path, os.X_OK)
    assert subprocess.run(["sh", "-n", str(path)], check=False).returncode == 0


def test_uninstall_refuses_a_folder_install_sh_did_not_make(tmp_path: Path) -> None:
    # rm -rf of the wrong folder is the one mistake an uninstaller must not make.
    script = tmp_path / "uninstall.sh"
    script.write_bytes((PACKAGING / "uninstall.sh").read_bytes())
    keep = tmp_path / "precious.db"
    keep.write_text("data")
    result = subprocess.run(["sh", str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "not a Bedside installation" in result.stderr
    assert keep.exists()
