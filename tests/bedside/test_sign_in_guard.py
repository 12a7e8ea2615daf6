"""Issue 11, item 8: passwords to current practice.

argon2id at OWASP's parameters, older scrypt hashes upgraded at sign-in; an unknown user name
costs the same work and gets the same answer as a wrong password; wrong passwords (sign-in or
signature) are slowed, then lock the account after the protocol's number until an admin
unlocks it, all audited; a minimum policy; one's own password changes only with the current
one; an admin's reset obliges the user to choose a new one before anything else."""

from __future__ import annotations

import base64
import hashlib
import secrets

import pytest

from bedside import accounts as accounts_module
from bedside import passwords
from bedside.clock import FixedClock
from bedside.errors import (
    AuthenticationFailed,
    InputRejected,
    PasswordChangeRequired,
    PermissionDenied,
)
from bedside.people import Role
from bedside.service import ChartService
from bedside.signatures import Meaning
from ui.demo import DEMO_PASSWORD, DemoStaff


def failures(service: ChartService, action: str = "sign_in_failed") -> list[dict[str, object]]:
    return [e for e in service.store.audit_entries() if e["action"] == action]


def wrong(service: ChartService, username: str = "dana") -> str:
    with pytest.raises(AuthenticationFailed) as refused:
        service.accounts.authenticate(username, "not-the-password")
    return str(refused.value)


def test_an_older_scrypt_hash_is_replaced_at_the_next_sign_in(
    service: ChartService, staff: DemoStaff
) -> None:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(DEMO_PASSWORD.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    legacy = (
        f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    )
    service.store.conn.execute(
        "UPDATE users SET password_hash = ? WHERE id = ?", (legacy, staff.nurse.id)
    )
    service.store.conn.commit()
    service.accounts.authenticate("dana", DEMO_PASSWORD)
    found = service.store.user_with_hash("dana")
    assert found is not None
    assert found[1].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert failures(service, "password_hash_upgraded")[-1]["detail"] == {"user_id": staff.nurse.id}
    service.accounts.authenticate("dana", DEMO_PASSWORD)  # the new hash verifies


def test_an_unknown_name_does_the_same_work_and_gets_the_same_answer(
    service: ChartService, staff: DemoStaff, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[str] = []
    real = passwords.verify_password

    def counting(password: str, stored: str) -> bool:
        checks.append(stored[:10])
        return real(password, stored)

    monkeypatch.setattr(passwords, "verify_password", counting)
    monkeypatch.setattr(accounts_module, "verify_password", counting)
    unknown = wrong(service, "nobody")
    known = wrong(service, "dana")
    assert unknown == known == "User name or password is wrong"
    # One full argon2id check each: the unknown name against a decoy hash.
    assert checks == ["$argon2id$", "$argon2id$"]
    assert failures(service)[-2]["detail"] == {"unknown_username": "nobody"}


def test_wrong_passwords_are_slowed_then_lock_the_account_until_an_admin_unlocks(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    assert wrong(service) == "User name or password is wrong"
    assert wrong(service) == "User name or password is wrong"
    # After two in a row the next try waits 2 s (on the injected clock), unchecked.
    assert wrong(service) == "Too many wrong passwords for dana: try again in 2 s"
    with pytest.raises(AuthenticationFailed, match="try again in 2 s"):
        service.accounts.authenticate("dana", DEMO_PASSWORD)  # not even the right one
    clock.advance(seconds=2)
    wrong(service)  # third
    assert wrong(service) == "Too many wrong passwords for dana: try again in 4 s"
    clock.advance(seconds=4)
    wrong(service)  # fourth
    clock.advance(seconds=8)
    locked = wrong(service)  # fifth: the protocol's default limit
    assert locked == (
        "The account dana is locked after 5 wrong passwords in a row: an administrator "
        "unlocks it (Admin ▸ Users)"
    )
    clock.advance(minutes=60)
    with pytest.raises(AuthenticationFailed, match="is locked"):
        service.accounts.authenticate("dana", DEMO_PASSWORD)
    assert len(failures(service)) == 5
    assert failures(service, "account_locked")[-1]["detail"] == {
        "user_id": staff.nurse.id,
        "failures": 5,
    }
    with pytest.raises(PermissionDenied):
        service.accounts.unlock(staff.nurse2, staff.nurse.id)
    service.accounts.unlock(staff.admin, staff.nurse.id)
    assert service.accounts.authenticate("dana", DEMO_PASSWORD).id == staff.nurse.id
    assert failures(service, "account_unlocked")[-1]["actor"] == staff.admin.id


def test_a_right_password_ends_the_run_of_failures(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    wrong(service)
    service.accounts.authenticate("dana", DEMO_PASSWORD)
    assert service.accounts.guard(staff.nurse.id).failures == 0
    wrong(service)
    assert wrong(service) == "User name or password is wrong"  # two again before any wait


def test_wrong_signature_passwords_count_towards_the_lock(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    for _ in range(5):
        clock.advance(minutes=1)
        with pytest.raises(AuthenticationFailed):
            service.accounts.sign(staff.clinician, "guess", Meaning.DISCHARGE_APPROVED, "0" * 64)
    assert {e["detail"]["attempt"] for e in failures(service)} == {"signature"}  # type: ignore[index]
    with pytest.raises(AuthenticationFailed, match="locked"):
        service.accounts.sign(staff.clinician, DEMO_PASSWORD, Meaning.DISCHARGE_APPROVED, "0" * 64)


def test_the_protocols_number_is_the_limit(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    service.new_protocol_version(staff.admin, {"monitoring.max_failed_sign_ins": 3})
    for _ in range(2):
        clock.advance(minutes=1)
        wrong(service)
    clock.advance(minutes=1)
    assert "locked after 3 wrong passwords" in wrong(service)


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("password", "most common"),
        ("12345678", "most common"),
        ("Qwerty123", "most common"),
        ("kimlo-rn", "must not be the user name"),
        ("short", "at least 8 characters"),
        ("x" * 300, "at most 256 characters"),
        ("good-one-\ud800", "cannot be stored"),
    ],
)
def test_the_policy_refuses_weak_passwords_in_words(
    service: ChartService, staff: DemoStaff, password: str, words: str
) -> None:
    with pytest.raises(InputRejected, match=words):
        service.accounts.create_user(
            staff.admin,
            username="kimlo-rn",
            full_name="Kim Lo",
            role=Role.NURSE,
            password=password,
        )
    assert "kimlo-rn" not in {u.username for u in service.store.users()}


def test_a_password_with_a_lone_surrogate_is_a_wrong_password_not_a_traceback(
    service: ChartService, staff: DemoStaff
) -> None:
    with pytest.raises(AuthenticationFailed, match="wrong"):
        service.accounts.authenticate("dana", "bedside-demo\udc00")
    with pytest.raises(AuthenticationFailed, match="wrong"):
        service.accounts.authenticate("\udc00dana", "bedside-demo")


def test_ones_own_password_changes_only_with_the_current_one(
    service: ChartService, staff: DemoStaff
) -> None:
    with pytest.raises(PermissionDenied, match="give your current one"):
        service.accounts.reset_password(staff.admin, staff.admin.id, "a-brand-new-one")
    with pytest.raises(AuthenticationFailed, match="wrong"):
        service.accounts.change_own_password("dana", "not-mine", "a-brand-new-one")
    assert service.accounts.guard(staff.nurse.id).failures == 1
    with pytest.raises(InputRejected, match="must differ"):
        service.accounts.change_own_password("dana", DEMO_PASSWORD, DEMO_PASSWORD)
    service.accounts.change_own_password("dana", DEMO_PASSWORD, "a-brand-new-one")
    with pytest.raises(AuthenticationFailed):
        service.accounts.authenticate("dana", DEMO_PASSWORD)
    assert service.accounts.authenticate("dana", "a-brand-new-one").username == "dana"
    assert failures(service, "password_set")[-1]["actor"] == staff.nurse.id


def test_after_an_admins_reset_the_user_chooses_a_new_password_first(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    for _ in range(5):  # locked first: the reset also lifts the lock
        clock.advance(minutes=1)
        wrong(service, "drlee")
    service.accounts.reset_password(staff.admin, staff.clinician.id, "told-in-person-1")
    assert failures(service, "password_reset")[-1]["detail"] == {"user_id": staff.clinician.id}
    with pytest.raises(PasswordChangeRequired, match="choose a new password"):
        service.accounts.authenticate("drlee", "told-in-person-1")
    # Nor can anything be signed with the admin's password: the reset is not the user's.
    with pytest.raises(PasswordChangeRequired):
        service.accounts.sign(
            staff.clinician, "told-in-person-1", Meaning.DISCHARGE_APPROVED, "0" * 64
        )
    service.accounts.change_own_password("drlee", "told-in-person-1", "only-jordan-knows")
    assert service.accounts.authenticate("drlee", "only-jordan-knows").username == "drlee"
    assert not service.accounts.guard(staff.clinician.id).must_change
