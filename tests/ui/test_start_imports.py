"""The desktop app's way to the board does not import what only later actions need (issue 13
item 5, bench ``app_cold_start_smoke``): cryptography (signing keys: made, unsealed or checked
when someone signs or verifies), reportlab (printing), sqlite-utils (a pending migration) and
the first-run dialog (an empty database only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATER = (
    "cryptography",
    "reportlab",
    "sqlite_utils",
    "ui.board.first_run_dialog",
    "psycopg",  # the clinic server's commands only
)

PROBE = """
import json, sys
import ui.launcher, ui.app  # what the bedside script imports on its way to the board
later = sys.argv[1:]
print(json.dumps(sorted(m for m in later if any(
    name == m or name.startswith(m + ".") for name in sys.modules))))
"""


def test_starting_the_app_leaves_later_imports_for_later() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *LATER],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
