"""Accounts: creating users, signing in, and re-entering a password to sign.

Wrong passwords are guarded per account: after two in a row the next attempt must wait
(2, 4, 8 … seconds, at most 30, counted on the injected clock), and after the protocol's
``monitoring.max_failed_sign_ins`` the account is locked until an administrator unlocks it.
Signature attempts count like sign-ins. Every failure, lock, unlock and reset is audited. A
user name no account has costs the same work as a wrong password, and gets the same answer.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bedside.clock import Clock
from bedside.errors import (
    AuthenticationFailed,
    InputRejected,
    PasswordChangeRequired,
    PermissionDenied,
    StoreError,
)
from bedside.ids import UserId, new_id
from bedside.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    spend_a_check,
    verify_password,
)
from bedside.people import Permission, Role, User
from bedside.protocol import default_protocol
from bedside.signatures import Meaning, Signature
from bedside.signing_keys import new_key, seal_digest, unseal
from bedside.store import Store
from bedside.store.keys import StoredKey
from bedside.store.sign_in import SignInGuard
from bedside.validation import parse

log = logging.getLogger(__name__)

WRONG = "User name or password is wrong"
MAX_WAIT_S = 30


def wait_seconds(guard: SignInGuard, now: datetime) -> int:
    """Seconds before the next attempt is checked: none after fewer than two failures in a row,
    then 2, 4, 8 … up to :data:`MAX_WAIT_S` from the last failure."""
    if guard.failures < 2 or guard.last_failed_at is None:
        return 0
    delay = min(2 ** (guard.failures - 1), MAX_WAIT_S)
    left = delay - (now - guard.last_failed_at).total_seconds()
    return max(0, int(left + 0.999))


def check_permission(user: User, permission: Permission, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` (as given) may do ``permission``."""
    if not user.can(permission):
        raise PermissionDenied(
            f"{user.display_name} ({user.role.value}) is not allowed to {action}"
            + ("" if user.active else ": the account is deactivated")
        )


class Accounts:
    """User management and authentication over a store."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def require(self, user: User, permission: Permission, action: str) -> User:
        """The account as stored now, if it may do ``permission``; a deactivated or re-roled
        user's old object in a window must not keep its powers."""
        try:
            current = self.store.user(user.id)
        except StoreError as exc:
            raise PermissionDenied(f"{user.display_name} is not a known account") from exc
        check_permission(current, permission, action)
        return current

    def create_user(
        self,
        actor: User | None,
        *,
        username: str,
        full_name: str,
        role: Role,
        password: str,
        credentials: str = "",
    ) -> User:
        """Add an account. ``actor`` must be an admin, except for the very first account."""
        if actor is None:
            if self.store.has_users():
                raise PermissionDenied("Only an administrator can add users")
            if role is not Role.ADMIN:
                raise InputRejected("The first account must be an administrator")
        else:
            self.require(actor, Permission.MANAGE_USERS, "manage user accounts")
        problem = password_problem(password, username)
        if problem:
            raise InputRejected(problem)
        user = parse(
            User,
            {
                "id": new_id(),
                "username": username.strip().lower(),
                "full_name": full_name.strip(),
                "role": role,
                "credentials": credentials.strip(),
            },
        )
        self.store.add_user(
            user, hash_password(password), actor=actor.id if actor else None, at=self.clock.now()
        )
        self._new_key(user.id, password, "account created")
        return user

    def _new_key(self, user_id: UserId, password: str, reason: str) -> StoredKey:
        """A new signing key for the account, sealed by ``password`` (its current one)."""
        return self.store.add_signing_key(
            user_id, new_key(password), at=self.clock.now(), reason=reason
        )

    def set_active(self, actor: User, user_id: UserId, active: bool) -> None:
        """Deactivate or reactivate an account (history stays attributed to it)."""
        self.require(actor, Permission.MANAGE_USERS, "manage user accounts")
        if user_id == actor.id and not active:
            raise InputRejected("You cannot deactivate your own account")
        self.store.update_user(user_id, actor=actor.id, at=self.clock.now(), active=active)

    def reset_password(self, actor: User, user_id: UserId, new_password: str) -> None:
        """An administrator sets a new password for another account; the user must choose
        their own at the next sign-in. Clears a lock. One's own password is changed with
        :meth:`change_own_password` (the current one is needed)."""
        if actor.id == user_id:
            raise PermissionDenied(
                "To change your own password, give your current one (Change my password)"
            )
        self.require(actor, Permission.MANAGE_USERS, "reset other users' passwords")
        target = self.store.user(user_id)
        problem = password_problem(new_password, target.username)
        if problem:
            raise InputRejected(problem)
        self.store.set_password(
            user_id,
            hash_password(new_password),
            actor=actor.id,
            at=self.clock.now(),
            must_change=True,
        )
        # The user's old key cannot be opened without their password: a new one, and every
        # signature made before stays bound to the old key.
        self._new_key(user_id, new_password, f"password reset by {actor.username}")

    def change_own_password(self, username: str, current: str, new_password: str) -> User:
        """A user replaces their password, giving the current one (also the way out of an
        administrator's reset)."""
        user = self._check(username, current, what="password change", allow_must_change=True)
        problem = password_problem(new_password, user.username)
        if problem:
            raise InputRejected(problem)
        if new_password == current:
            raise InputRejected("The new password must differ from the current one")
        self.store.set_password(
            user.id,
            hash_password(new_password),
            actor=user.id,
            at=self.clock.now(),
            must_change=False,
        )
        self._new_key(user.id, new_password, "password changed by its user")
        return user

    def unlock(self, actor: User, user_id: UserId) -> None:
        """An administrator unlocks an account locked after wrong passwords (audited)."""
        self.require(actor, Permission.MANAGE_USERS, "unlock accounts")
        self.store.unlock_account(user_id, actor=actor.id, at=self.clock.now())

    def guard(self, user_id: UserId) -> SignInGuard:
        """The account's run of failures, lock and required change (for the users screen)."""
        return self.store.sign_in_guard(user_id)

    def authenticate(self, username: str, password: str) -> User:
        """The user, if the password matches, the account is active and not locked, and no
        administrator's reset is waiting for a new password."""
        return self._check(username, password, what="sign-in", allow_must_change=False)

    def confirm(self, user: User, password: str) -> User:
        """Re-check a signed-in (or named) user's password before a signature (a wrong one
        counts towards the lock like a wrong sign-in)."""
        return self._check(user.username, password, what="signature", allow_must_change=False)

    def authorise(self, user: User, password: str, permission: Permission, what: str) -> User:
        """The role's permission for an act the app cannot undo (a restore), then the user's
        password checked again: a session left signed in is not enough."""
        self.require(user, permission, what)
        return self._check(user.username, password, what=what, allow_must_change=False)

    def _check(self, username: str, password: str, *, what: str, allow_must_change: bool) -> User:
        # A lone surrogate (a broken paste) has no UTF-8 form: escaped, it matches no account.
        name = username.strip().lower().encode("utf-8", "backslashreplace").decode("utf-8")
        now = self.clock.now()
        found = self.store.user_with_hash(name)
        if found is None:
            spend_a_check(password)
            self.store.record_failed_unknown_name(name, at=now)
            log.warning("%s failed: no such account (the name typed is not logged)", what)
            raise AuthenticationFailed(WRONG)
        user, stored = found
        guard = self.store.sign_in_guard(user.id)
        if guard.locked_at is not None:
            log.warning("%s refused: account locked user=%s", what, user.id)
            raise AuthenticationFailed(_locked(user, guard))
        wait = wait_seconds(guard, now)
        if wait:
            log.warning("%s refused: waiting after wrong passwords user=%s", what, user.id)
            raise AuthenticationFailed(
                f"Too many wrong passwords for {user.username}: try again in {wait} s"
            )
        if not verify_password(password, stored):
            lock = guard.failures + 1 >= self._max_failures()
            after = self.store.record_failed_sign_in(user.id, at=now, lock=lock, what=what)
            log.warning("%s failed: wrong password user=%s%s", what, user.id, " (locked)" * lock)
            raise AuthenticationFailed(_locked(user, after) if lock else WRONG)
        if not user.active:
            log.warning("%s refused: account deactivated user=%s", what, user.id)
            raise AuthenticationFailed(f"The account {user.username} is deactivated")
        self.store.clear_sign_in_failures(user.id)
        if needs_rehash(stored):
            self.store.upgrade_password_hash(user.id, hash_password(password), at=now)
        if self.store.current_signing_key(user.id) is None:
            # An account from before signing keys: its first key, now that the password is known.
            self._new_key(user.id, password, "first signing key, at sign-in")
        if guard.must_change and not allow_must_change:
            log.info("%s: password change required user=%s", what, user.id)
            raise PasswordChangeRequired(user.username)
        log.info("%s ok user=%s", what, user.id)
        return user

    def _max_failures(self) -> int:
        current = self.store.current_protocol()
        protocol = current[1] if current else default_protocol()
        return protocol.monitoring.max_failed_sign_ins

    def sign(
        self,
        signer: User,
        password: str,
        meaning: Meaning,
        content_hash: str,
        permission: Permission | None = None,
    ) -> Signature:
        """A signature by ``signer`` after password re-entry (21 CFR 11.200: both components).

        The role is checked on the account that actually authenticated, not on the object
        passed in.
        """
        checked = self.confirm(signer, password)
        if permission is not None:
            check_permission(checked, permission, meaning.value.lower())
        signature = Signature(
            signer_id=checked.id,
            signer_name=checked.display_name,
            signer_role=checked.role,
            meaning=meaning,
            signed_at=self.clock.now(),
            content_hash=content_hash,
        )
        key = self.store.current_signing_key(checked.id)
        private = unseal(key.key, password) if key is not None else None
        if key is None or private is None:
            # The password is right but opens no key (sealed under a password set outside
            # Bedside): a new key, recorded as such.
            key = self._new_key(checked.id, password, "key replaced: the last one did not open")
            private = unseal(key.key, password)
            assert private is not None
        return signature.model_copy(
            update={"key_id": key.id, "seal": seal_digest(private, signature.digest())}
        )


def _locked(user: User, guard: SignInGuard) -> str:
    return (
        f"The account {user.username} is locked after {guard.failures} wrong passwords in a "
        "row: an administrator unlocks it (Admin ▸ Users)"
    )
