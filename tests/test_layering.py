"""The core (bedside, charting, export) never loads Qt or the ui package."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
for top in ("bedside", "charting", "export"):
    pkg = importlib.import_module(top)
    for info in pkgutil.walk_packages(pkg.__path__, prefix=top + "."):
        importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "ui"))
core = sorted(m for m in sys.modules if m.split(".")[0] in ("bedside", "charting", "export"))
print(len(core))
print(",".join(loaded))
"""


def test_core_imports_without_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    count, loaded = result.stdout.splitlines()
    assert int(count) >= 30, "the probe should have imported every core module"
    assert loaded == "", f"core modules loaded Qt or ui: {loaded}"


def test_command_line_does_not_load_qt() -> None:
    probe = (
        "import sys; from ui.launcher import main\n"
        "code = main(['schema'])\n"
        "assert code == 0\n"
        "sys.stderr.write(','.join(m for m in sys.modules if m.startswith('PySide6')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stderr == ""
    assert '"title": "Bedside session log"' in result.stdout


def test_the_desktop_app_starts_without_loading_reportlab_or_sqlite_utils() -> None:
    # Both cost a tenth of a second or more at every start: the PDF library loads with the
    # first PDF, sqlite-utils only when a migration is pending (bench: app_cold_start).
    probe = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'; "
        "import ui.launcher, ui.app, ui.board.main_window, ui.session.window; "
        "print(sorted(m for m in ('reportlab', 'sqlite_utils') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
