"""The benchmark runner works and prints only JSON result lines (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"name", "value", "unit", "floor", "ratio", "goal"}


@pytest.mark.slow  # a subprocess per benchmark: about 45 s for the six
@pytest.mark.parametrize(
    "name",
    [
        "append_event",
        "fold_300",
        "record_vitals_enter_to_refresh",
        "peak_memory_board_4_sessions",
        "pdf_long_session",
        "pdf_batch_40",
    ],
)
def test_quick_run_prints_json_lines(name: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--only", name],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines, f"no output; stderr:\n{result.stderr}"
    for text in lines:
        data = json.loads(text)
        assert set(data) == KEYS
        assert data["name"] == name
        assert isinstance(data["value"], int | float)
        assert isinstance(data["floor"], int | float)
        assert isinstance(data["unit"], str)
        assert isinstance(data["goal"], str)


def test_unknown_benchmark_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--only", "no_such_benchmark"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
