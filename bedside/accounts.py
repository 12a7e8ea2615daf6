"""Accounts: creating users, logging in, and re-entering a password to sign."""

from __future__ import annotations

from bedside.clock import Clock
from bedside.errors import AuthenticationFailed, InputRejected, PermissionDenied, StoreError
from bedside.ids import UserId, new_id
from bedside.passwords import hash_password, password_problem, verify_password
from bedside.people import Permission, Role, User
from bedside.signatures import Meaning, Signature
from bedside.store import Store
from bedside.validation import parse


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
        problem = password_problem(password)
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
        return user

    def set_active(self, actor: User, user_id: UserId, active: bool) -> None:
        """Deactivate or reactivate an account (history stays attributed to it)."""
        self.require(actor, Permission.MANAGE_USERS, "manage user accounts")
        if user_id == actor.id and not active:
            raise InputRejected("You cannot deactivate your own account")
        self.store.update_user(user_id, actor=actor.id, at=self.clock.now(), active=active)

    def reset_password(self, actor: User, user_id: UserId, new_password: str) -> None:
        """Set a new password for an account."""
        if actor.id != user_id:
            self.require(actor, Permission.MANAGE_USERS, "reset other users' passwords")
        problem = password_problem(new_password)
        if problem:
            raise InputRejected(problem)
        self.store.update_user(
            user_id, actor=actor.id, at=self.clock.now(), password_hash=hash_password(new_password)
        )

    def authenticate(self, username: str, password: str) -> User:
        """The user, if the password matches and the account is active."""
        found = self.store.user_with_hash(username.strip().lower())
        if found is None or not verify_password(password, found[1]):
            raise AuthenticationFailed("User name or password is wrong")
        user, _ = found
        if not user.active:
            raise AuthenticationFailed(f"The account {user.username} is deactivated")
        return user

    def confirm(self, user: User, password: str) -> User:
        """Re-check a signed-in (or named) user's password before a signature."""
        return self.authenticate(user.username, password)

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
        return Signature(
            signer_id=checked.id,
            signer_name=checked.display_name,
            signer_role=checked.role,
            meaning=meaning,
            signed_at=self.clock.now(),
            content_hash=content_hash,
        )
