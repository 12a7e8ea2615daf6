"""Import replays the live guards, not only the chain: a re-hashed forgery is still refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bedside.errors import OperationRefused
from bedside.eventlog import import_log, parse_log
from bedside.people import Role
from bedside.store import Store
from bedside.store.hashing import compute_hash
from tests.bedside.test_reference_fixture import FIXTURE
from tests.importing import receiving_admin

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def rehashed(data: dict[str, Any], *, resign: bool = False) -> str:
    """Renumber and re-chain the events as a forger would, so only the rules can object;
    ``resign``: also point every signature at the re-chained record (a forger with the source
    can recompute a content hash; only the rules after the signature checks are left)."""
    events = data["events"]
    prev = events[0]["prev_hash"]
    if resign:
        # Seals cannot be remade without the signers' passwords: a forger strips them, and the
        # keys, to pass the log off as one from before signing keys.
        for user in data.get("users", []):
            user.pop("keys", None)
    for seq, event in enumerate(events, start=1):
        event["seq"] = seq
        event["prev_hash"] = prev
        if resign:
            _point_signatures(event["payload"], prev)
        event["hash"] = compute_hash(event)
        prev = event["hash"]
    return json.dumps(data)


def _point_signatures(value: Any, content_hash: str) -> None:
    if isinstance(value, dict):
        if "content_hash" in value and "meaning" in value:
            value["content_hash"] = content_hash
            value.pop("key_id", None)
            value.pop("seal", None)
        for inner in value.values():
            _point_signatures(inner, content_hash)
    elif isinstance(value, list):
        for inner in value:
            _point_signatures(inner, content_hash)


def fixture_data() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_dropping_the_witnessed_waste_is_caught_at_the_sign_off(tmp_path: Path) -> None:
    data = fixture_data()
    data["events"] = [e for e in data["events"] if e["payload"]["kind"] != "waste_recorded"]
    with Store(tmp_path / "x.db") as store, pytest.raises(OperationRefused) as refused:
        import_log(
            store,
            parse_log(rehashed(data, resign=True)),
            now=NOW,
            authors_confirmed_by=receiving_admin(store),
        )
    codes = refused.value.report.codes()
    assert "log.replay.cs.unaccounted" in codes
    with Store(tmp_path / "x.db") as store:
        assert store.all_sessions() == []


def test_a_local_nurse_cannot_be_promoted_by_the_file(tmp_path: Path) -> None:
    data = fixture_data()
    nurse = next(u for u in data["users"] if u["role"] == "nurse")
    with Store(tmp_path / "x.db") as store:
        import_log(
            store, parse_log(json.dumps(data)), now=NOW, authors_confirmed_by=receiving_admin(store)
        )  # the genuine log: accepted
    # Another log from the same clinic claims that nurse is a clinician.
    data["session"]["id"] = data["session"]["id"][:-4] + "beef"
    nurse["role"] = Role.CLINICIAN.value
    with Store(tmp_path / "x.db") as store, pytest.raises(OperationRefused) as refused:
        import_log(
            store, parse_log(json.dumps(data)), now=NOW, authors_confirmed_by=receiving_admin(store)
        )
    assert "log.role_mismatch" in refused.value.report.codes()
