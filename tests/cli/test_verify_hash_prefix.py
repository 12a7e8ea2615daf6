"""Issue 12, item 6: ``bedside verify --hash`` takes a hash as it is printed or scanned: in
full or its first 16 characters or more, with the spaces the printout groups it by, any case;
fewer than 16 characters are refused in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import run

from bedside.state import fold
from bedside.store import Store


def _signed_head(db: Path) -> tuple[str, str]:
    with Store(db) as store:
        for header in store.all_sessions():
            if fold(store.events(header.id)).locked:
                return header.id, store.head_hash(header.id)
    raise AssertionError("the demo has a signed session")


@pytest.mark.parametrize(
    "shape",
    [
        lambda h: h[:16],
        lambda h: " ".join(h[i : i + 16] for i in range(0, 64, 16)),
        lambda h: h[:40].upper() + "…",
    ],
    ids=["first 16", "grouped as printed", "upper case, cut with an ellipsis"],
)
def test_a_printed_hash_is_found_in_any_printed_shape(
    demo_db: Path, capsys: pytest.CaptureFixture[str], shape: object
) -> None:
    sid, head = _signed_head(demo_db)
    typed = shape(head)  # type: ignore[operator]
    code, out, err = run(capsys, "--db", str(demo_db), "verify", "--hash", typed)
    assert code == 0, err
    assert f"the current record hash of session {sid}" in out
    code, out, err = run(capsys, "--db", str(demo_db), "verify", "--session", sid, "--hash", typed)
    assert code == 0, err


def test_fewer_than_16_characters_are_refused_in_words(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, head = _signed_head(demo_db)
    code, _, err = run(capsys, "--db", str(demo_db), "verify", "--hash", head[:15])
    assert code == 1
    assert "at least 16" in err
    code, _, err = run(capsys, "--db", str(demo_db), "verify", "--hash", "zz" * 10)
    assert code == 1
    assert "0-9 and a-f" in err
