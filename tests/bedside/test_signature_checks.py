"""Issue 11, item 3: every signature is checked by import and by ``verify`` — its content hash
is the record's hash at the entry that carries it, its signer is an account with the name and
role it prints, that role may sign that meaning, and the meaning is the one its field holds.

Each attack re-chains the log as a forger with the source would (``rehashed``), so only the
signature checks can object."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bedside.errors import OperationRefused
from bedside.eventlog import import_log, parse_log
from bedside.store import Store
from tests.bedside.test_import_guards import fixture_data, rehashed
from tests.importing import receiving_admin

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def payload(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(e["payload"] for e in data["events"] if e["payload"]["kind"] == kind)


def user(data: dict[str, Any], username: str) -> dict[str, Any]:
    return next(u for u in data["users"] if u["username"] == username)


def zero_the_sign_off_hash(data: dict[str, Any]) -> None:
    payload(data, "session_signed")["signature"]["content_hash"] = "0" * 64


def borrow_the_consent_hash(data: dict[str, Any]) -> None:
    consent = payload(data, "consent_recorded")["clinician_signature"]["content_hash"]
    payload(data, "session_signed")["signature"]["content_hash"] = consent


def change_a_reading_under_the_signature(data: dict[str, Any]) -> None:
    vitals = next(e for e in data["events"] if e["payload"]["kind"] == "vitals_recorded")
    vitals["payload"]["systolic"] = 128


def nurse_signs_the_discharge(data: dict[str, Any]) -> None:
    dana = user(data, "dana")
    sig = payload(data, "session_signed")["signature"]
    sig.update(signer_id=dana["id"], signer_name="Dana Reyes, RN", signer_role="nurse")


def nurse_claims_to_be_a_clinician(data: dict[str, Any]) -> None:
    dana = user(data, "dana")
    sig = payload(data, "session_signed")["signature"]
    sig.update(signer_id=dana["id"], signer_name="Dana Reyes, RN", signer_role="clinician")


def witness_signature_used_as_a_discharge(data: dict[str, Any]) -> None:
    payload(data, "waste_recorded")["witness"]["meaning"] = "Discharge approved"


ATTACKS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "zeroed content hash": (zero_the_sign_off_hash, "does not bind the record"),
    "borrowed content hash": (borrow_the_consent_hash, "does not bind the record"),
    "a value changed under the sign-off": (
        change_a_reading_under_the_signature,
        "does not bind the record",
    ),
    "re-attributed to a nurse": (nurse_signs_the_discharge, "a nurse cannot sign that"),
    "a role claimed": (nurse_claims_to_be_a_clinician, "the account is a nurse"),
    "a meaning moved": (witness_signature_used_as_a_discharge, "sits where"),
}


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_a_forged_signature_is_refused_on_import_and_nothing_is_written(
    tmp_path: Path, attack: str
) -> None:
    forge, words = ATTACKS[attack]
    data = fixture_data()
    forge(data)
    with Store(tmp_path / "x.db") as store:
        with pytest.raises(OperationRefused) as refused:
            import_log(
                store,
                parse_log(rehashed(data)),
                now=NOW,
                authors_confirmed_by=receiving_admin(store),
            )
        assert store.all_sessions() == []
    assert "log.signature" in refused.value.report.codes()
    assert words in str(refused.value)


def test_the_genuine_log_passes_every_signature_check(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store:
        sid = import_log(
            store,
            parse_log(json.dumps(fixture_data())),
            now=NOW,
            authors_confirmed_by=receiving_admin(store),
        )
        assert store.verify_session(sid) == []


def test_verify_finds_a_signature_whose_record_changed_in_the_database(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store:
        sid = import_log(
            store,
            parse_log(json.dumps(fixture_data())),
            now=NOW,
            authors_confirmed_by=receiving_admin(store),
        )
    # A file-level edit of a reading, with the chain rebuilt as a forger would.
    forged = fixture_data()
    change_a_reading_under_the_signature(forged)
    rechained = json.loads(rehashed(forged))["events"]
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    create = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'chart_events_no_update'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER chart_events_no_update")
    for event in rechained:
        conn.execute(
            "UPDATE chart_events SET payload = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (
                json.dumps(event["payload"], sort_keys=True, separators=(",", ":")),
                event["prev_hash"],
                event["hash"],
                event["id"],
            ),
        )
    conn.execute(create)
    conn.close()
    with Store(tmp_path / "x.db") as store:
        problems = store.verify_session(sid)
    assert any("does not bind the record as it stood" in p for p in problems), problems
