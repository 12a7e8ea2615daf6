"""Issue 11, item 3: signatures that cannot be forged. Every signature is sealed with the
signer's Ed25519 key, which only their password unlocks; verify and import check each seal.
An admin's reset makes a new key and the signatures made before stay bound to the old one; a
seal cannot be remade, stripped, moved to another person's key or kept over changed content."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bedside.clock import FixedClock
from bedside.errors import OperationRefused
from bedside.eventlog import export_session, import_log, parse_log, to_json
from bedside.events import Phase, SessionSigned
from bedside.service import ChartService
from bedside.signatures import Meaning
from bedside.signing_keys import seal_matches
from bedside.store import Store
from tests.bedside.clinic_support import patient_with_course, reference_session_until
from tests.bedside.test_import_guards import compute_hash
from tests.conftest import T0
from tests.importing import receiving_admin
from ui.demo import DemoStaff, create_staff

LATER = T0 + timedelta(days=1)


@pytest.fixture
def signed(tmp_path: Path) -> Iterator[tuple[ChartService, DemoStaff, str]]:
    store = Store(tmp_path / "a.db")
    clock = FixedClock(T0)
    service = ChartService(store, clock)
    store.set_settings({"timezone": "UTC"}, actor=None, at=T0)
    staff = create_staff(service)
    service.ensure_protocol(staff.admin)
    patient = patient_with_course(service, staff, "MRN-K1")
    sid = reference_session_until(service, clock, staff, patient, Phase.SIGNED)
    yield service, staff, sid
    store.close()


def test_every_signature_is_sealed_with_its_signers_key_and_verifies(
    signed: tuple[ChartService, DemoStaff, str],
) -> None:
    service, staff, sid = signed
    keys = service.store.signing_keys()
    sign_off = next(e for e in service.store.events(sid) if isinstance(e.payload, SessionSigned))
    sig = sign_off.payload.signature  # type: ignore[union-attr]
    assert sig.key_id in keys
    assert keys[sig.key_id].user_id == staff.clinician.id
    assert sig.seal is not None
    assert seal_matches(keys[sig.key_id].key.public_key, sig.digest(), sig.seal)
    assert service.store.verify_session(sid) == []  # type: ignore[arg-type]


def test_a_reset_makes_a_new_key_and_old_signatures_stay_bound_to_the_old_one(
    signed: tuple[ChartService, DemoStaff, str],
) -> None:
    service, staff, sid = signed
    before = service.store.current_signing_key(staff.clinician.id)
    service.accounts.reset_password(staff.admin, staff.clinician.id, "told-in-person-1")
    after = service.store.current_signing_key(staff.clinician.id)
    assert before is not None
    assert after is not None
    assert after.id != before.id
    service.accounts.change_own_password("drlee", "told-in-person-1", "only-jordan-knows")
    mine = service.store.current_signing_key(staff.clinician.id)
    assert mine is not None
    assert mine.id != after.id  # the key the admin's password opened is not the one used now
    new = service.accounts.sign(staff.clinician, "only-jordan-knows", Meaning.OVERRIDE, "0" * 64)
    assert new.key_id == mine.id
    assert service.store.verify_session(sid) == []  # type: ignore[arg-type]
    reasons = [
        e["detail"]["reason"]
        for e in service.store.audit_entries()
        if e["action"] == "signing_key_added" and e["detail"]["user_id"] == staff.clinician.id
    ]
    assert reasons[-2:] == ["password reset by admin", "password changed by its user"]


def test_an_account_from_before_keys_gets_its_first_key_at_sign_in(
    signed: tuple[ChartService, DemoStaff, str],
) -> None:
    service, _, _ = signed
    from bedside.passwords import hash_password
    from bedside.people import Role, User

    legacy = User(id="legacy-1", username="old", full_name="Old Timer", role=Role.NURSE)
    service.store.add_user(legacy, hash_password("an-old-password"), actor=None, at=T0)
    assert service.store.current_signing_key(legacy.id) is None
    service.accounts.authenticate("old", "an-old-password")
    assert service.store.current_signing_key(legacy.id) is not None


def exported(signed: tuple[ChartService, DemoStaff, str]) -> dict[str, Any]:
    service, _, sid = signed
    return json.loads(to_json(export_session(service.store, sid, now=LATER)))  # type: ignore[arg-type]


def rechained(data: dict[str, Any]) -> str:
    """Re-chain the events (seals left as they are: a forger cannot remake them)."""
    prev = data["events"][0]["prev_hash"]
    for event in data["events"]:
        event["prev_hash"] = prev
        for sig in _signatures(event["payload"]):
            sig["content_hash"] = prev
        event["hash"] = compute_hash(event)
        prev = event["hash"]
    return json.dumps(data)


def _signatures(value: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if "meaning" in value and "content_hash" in value:
            found.append(value)
        for inner in value.values():
            found.extend(_signatures(inner))
    elif isinstance(value, list):
        for inner in value:
            found.extend(_signatures(inner))
    return found


def sign_off(data: dict[str, Any]) -> dict[str, Any]:
    event = next(e for e in data["events"] if e["payload"]["kind"] == "session_signed")
    return event["payload"]["signature"]


def change_a_reading(data: dict[str, Any]) -> None:
    vitals = next(e for e in data["events"] if e["payload"]["kind"] == "vitals_recorded")
    vitals["payload"]["systolic"] = 128


def strip_the_seal(data: dict[str, Any]) -> None:
    sig = sign_off(data)
    sig.pop("seal")
    sig.pop("key_id")


def use_the_nurses_key(data: dict[str, Any]) -> None:
    nurse = next(u for u in data["users"] if u["username"] == "dana")
    sign_off(data)["key_id"] = nurse["keys"][0]["id"]


def flip_the_seal(data: dict[str, Any]) -> None:
    sig = sign_off(data)
    sig["seal"] = ("0" if sig["seal"][0] != "0" else "1") + sig["seal"][1:]


ATTACKS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "a reading changed, every content hash re-pointed": (
        change_a_reading,
        "seal that does not match",
    ),
    "the seal stripped": (strip_the_seal, "not sealed although its signer had a signing key"),
    "another person's key named": (use_the_nurses_key, "sealed with another person's key"),
    "the seal altered": (flip_the_seal, "seal that does not match"),
}


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_a_forged_seal_is_refused_on_import(
    signed: tuple[ChartService, DemoStaff, str], tmp_path: Path, attack: str
) -> None:
    forge, words = ATTACKS[attack]
    data = exported(signed)
    forge(data)
    with Store(tmp_path / "b.db") as other:
        with pytest.raises(OperationRefused) as refused:
            import_log(
                other,
                parse_log(rechained(data)),
                now=LATER,
                authors_confirmed_by=receiving_admin(other),
            )
        assert other.all_sessions() == []
    assert words in str(refused.value)


def test_a_sealed_log_imports_with_its_keys_and_verifies_there(
    signed: tuple[ChartService, DemoStaff, str], tmp_path: Path
) -> None:
    data = exported(signed)
    assert all(u["keys"] for u in data["users"])
    with Store(tmp_path / "b.db") as other:
        sid = import_log(
            other,
            parse_log(json.dumps(data)),
            now=LATER,
            authors_confirmed_by=receiving_admin(other),
        )
        assert other.verify_session(sid) == []
        assert len(other.signing_keys()) >= len(data["users"])
