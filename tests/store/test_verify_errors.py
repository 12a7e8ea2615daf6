"""``verify`` reports altered records as findings, but a bug in reading them is not dressed up
as tampering: only what a damaged or altered row can cause (a value that no longer validates)
becomes a finding; anything else is raised for a developer to see."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedside.store import Store
from bedside.store import verify as verify_module
from tests.store.support import Prebuilt


def test_an_unreadable_row_is_a_finding(
    signed_db: Prebuilt, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(row: object) -> object:
        raise ValueError("payload does not validate")

    monkeypatch.setattr(verify_module, "event_from_row", unreadable)
    with Store(signed_db.copy_to(tmp_path)) as store:
        problems = store.verify_session(signed_db.session_id)
    assert problems
    assert all("is not a valid event: payload does not validate" in p for p in problems)


def test_a_bug_while_reading_is_raised_not_reported_as_tampering(
    signed_db: Prebuilt, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def buggy(row: object) -> object:
        raise AttributeError("a programming error")

    monkeypatch.setattr(verify_module, "event_from_row", buggy)
    with Store(signed_db.copy_to(tmp_path)) as store, pytest.raises(AttributeError):
        store.verify()


def test_a_bug_in_the_bound_protocol_check_is_raised(
    signed_db: Prebuilt, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def buggy(body: str, *, without: str = "") -> str:
        raise KeyError("a programming error")

    monkeypatch.setattr(verify_module, "stored_body_hash", buggy)
    with Store(signed_db.copy_to(tmp_path)) as store, pytest.raises(KeyError):
        store.verify_session(signed_db.session_id)
