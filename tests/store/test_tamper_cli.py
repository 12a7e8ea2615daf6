"""``bedside verify`` exits 0 on an intact database and non-zero (3, "tampering or damage
found", see ui/cli.py) once one stored value has been changed behind the application's back."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.store.support import REPO_ROOT, Prebuilt, raw, trigger_sql

EXIT_OK, EXIT_USAGE, EXIT_TAMPERED = 0, 2, 3


def _verify_db_first(path: Path) -> list[str]:
    return ["--db", str(path), "verify"]


def _verify_db_after(path: Path) -> list[str]:
    return ["verify", "--db", str(path)]


def _bedside(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "argv", [_verify_db_after, _verify_db_first], ids=["verify---db", "--db-verify"]
)
def test_verify_cli_exit_code(
    signed_db: Prebuilt, tmp_path: Path, argv: Callable[[Path], list[str]]
) -> None:
    path = signed_db.copy_to(tmp_path)

    clean = _bedside(argv(path))
    assert clean.returncode == EXIT_OK, clean.stderr  # control: a usage error is not "tampered"

    with raw(path) as conn:
        create = trigger_sql(conn, "chart_events_no_update")
        conn.execute("DROP TRIGGER chart_events_no_update")
        changed = conn.execute(
            "UPDATE chart_events SET payload = "
            "replace(payload, '\"systolic\":186', '\"systolic\":146') "
            "WHERE session_id = ? AND kind = 'vitals_recorded'",
            (signed_db.session_id,),
        ).rowcount
        conn.execute(create)
    assert changed > 0

    tampered = _bedside(argv(path))
    assert tampered.returncode not in (EXIT_OK, EXIT_USAGE), tampered.stderr
    assert tampered.returncode == EXIT_TAMPERED, tampered.stderr
    assert signed_db.session_id in tampered.stderr
    assert "altered" in tampered.stderr


def test_verify_cli_on_a_damaged_file_reports_damage(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    last_page = len(data) - page_size  # chart_events pages are the newest
    data[last_page + 100 : last_page + page_size - 100] = b"\xa5" * (page_size - 200)
    path.write_bytes(bytes(data))
    result = _bedside(_verify_db_after(path))
    assert "Traceback" not in result.stderr
    assert result.returncode == EXIT_TAMPERED, result.stderr
