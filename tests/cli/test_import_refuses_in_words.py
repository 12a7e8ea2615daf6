"""Issue 11, item 7: logs that used to end an import in a traceback — an unknown time zone, a
user name no account may have, JSON nested past Python's limit — are refused in words, exit 1,
and no database file is created."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run

from tests.bedside.test_import_guards import fixture_data, rehashed


def unknown_zone() -> str:
    data = fixture_data()
    data["events"][0]["payload"]["clinic_timezone"] = "Mars/Base"
    return rehashed(data, resign=True)


def bad_user_name() -> str:
    data = fixture_data()
    data["users"][0]["username"] = "Bad Name!"
    return json.dumps(data)


def too_deep() -> str:
    return "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (unknown_zone, "Time zone 'Mars/Base' is not a known zone name"),
        (bad_user_name, "user 'Bad Name!'"),
        (too_deep, "nested too deeply"),
    ],
    ids=["time zone", "user name", "nesting"],
)
def test_a_bad_log_is_refused_in_words_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, words: str
) -> None:
    log = tmp_path / "log.json"
    log.write_text(make(), encoding="utf-8")  # type: ignore[operator]
    db = tmp_path / "new.db"
    code, _, err = run(capsys, "--db", str(db), "import", str(log))
    assert code == 1
    assert words in err
    assert "Traceback" not in err
    assert not db.exists()
