"""Issue 11, items 2 and 3: a session log cannot give anyone a role or a key by saying so.

People the receiving clinic has no account for are admitted only when one of its
administrators confirms them (audited); people it does know are judged with its own role and
its own signing keys for them, whatever keys the file brings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bedside.errors import OperationRefused
from bedside.eventlog import check_log, import_log, parse_log
from bedside.people import Role
from bedside.service import ChartService
from bedside.signatures import Signature
from bedside.signing_keys import new_key, seal_digest, unseal
from bedside.store import Store
from tests.bedside.test_signing_keys import LATER, exported, rechained, sign_off, signed
from tests.importing import receiving_admin
from ui.demo import DEMO_PASSWORD, DemoStaff

__all__ = ["signed"]  # the fixture, shared with the signing-key tests


def test_unknown_authors_are_refused_until_an_administrator_confirms_them(
    signed: tuple[ChartService, DemoStaff, str], tmp_path: Path
) -> None:
    log = parse_log(json.dumps(exported(signed)))
    with Store(tmp_path / "b.db") as other:
        admin = receiving_admin(other)
        nurse = ChartService(other, signed[0].clock).accounts.create_user(
            admin,
            username="kim",
            full_name="Kim Ahn",
            role=Role.NURSE,
            password=DEMO_PASSWORD,
            credentials="RN",
        )
        with pytest.raises(OperationRefused) as refused:
            import_log(other, log, now=LATER)
        assert refused.value.report.codes() == {"log.unknown_authors"}
        assert "Jordan Lee, MD (clinician, user name drlee)" in str(refused.value)
        with pytest.raises(OperationRefused) as refused:
            import_log(other, log, now=LATER, authors_confirmed_by=nurse)
        assert "Only an active administrator" in str(refused.value)
        assert other.all_sessions() == []

        sid = import_log(other, log, now=LATER, authors_confirmed_by=admin)
        (entry,) = [e for e in other.audit_entries() if e["action"] == "import_authors_confirmed"]
        assert entry["actor"] == admin.id
        assert {a["user"]: a["role"] for a in entry["detail"]["authors"]}["drlee"] == "clinician"
        imported = {u.username: u for u in other.users()}
        assert not imported["drlee"].active  # named in the record, cannot sign in
        assert other.verify_session(sid) == []


def _own_key_for_the_clinician(data: dict[str, Any]) -> None:
    """The forger's own key, listed for the clinic's clinician, sealing the sign-off."""
    forged = new_key("forger's own password")
    private = unseal(forged, "forger's own password")
    assert private is not None
    clinician = next(u for u in data["users"] if u["role"] == "clinician")
    clinician["keys"].append(
        {"id": "forged-key", "public_key": forged.public_key, "created_at": data["exported_at"]}
    )
    sig = sign_off(data)
    sig["key_id"] = "forged-key"
    digest = Signature.model_validate({**sig, "seal": None, "key_id": None}).digest()
    sig["seal"] = seal_digest(private, digest)


def test_a_log_cannot_bring_its_own_key_for_a_clinician_the_clinic_knows(
    signed: tuple[ChartService, DemoStaff, str],
) -> None:
    service, staff, _ = signed
    data = exported(signed)
    _own_key_for_the_clinician(data)
    text = rechained(data)
    store = service.store
    local = {u.id: u for u in store.users()}
    # The seal checks out against the key the file brings ...
    assert check_log(parse_log(text)).is_valid
    # ... but where the clinician is known, only the clinic's own keys for them count.
    report = check_log(
        parse_log(text),
        local,
        LATER,
        store.signing_keys(),
        authors_confirmed_by=staff.admin,
    )
    assert "names a signing key this clinic does not have" in " ".join(
        f.message for f in report.errors
    )
