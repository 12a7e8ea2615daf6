"""Password hashing and the password policy.

Hashes are argon2id at the OWASP Password Storage Cheat Sheet's parameters (m = 19 MiB, t = 2,
p = 1): about 35 ms per check on a bedside PC, memory-hard against GPU guessing. Hashes made by
earlier releases (scrypt, n = 2**14) still verify, and are replaced at the next sign-in
(:func:`needs_rehash`).

The policy (NIST SP 800-63B §5.1.1.2): at least 8 characters, not one of the common passwords
shipped in ``resources/common_passwords.txt``, not the user name; no composition rules.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
from collections.abc import Callable
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 8
MAX_LENGTH = 256
"""Long enough for any passphrase; bounded so a pasted document is refused in words."""

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of refused passwords, lower-cased."""
    text = resources.files("resources").joinpath("common_passwords.txt").read_text("utf-8")
    lines = text.splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is not acceptable, or ``None``."""
    if not _storable(password):
        return "Password contains a character that cannot be stored: type it again"
    if len(password) < MIN_LENGTH:
        return f"Password must have at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Password must have at most {MAX_LENGTH} characters"
    if password.strip() != password:
        return "Password must not start or end with spaces"
    if password.lower() in common_passwords():
        return "That password is on the list of the most common ones: choose another"
    if username and password.lower() == username.strip().lower():
        return "Password must not be the user name"
    return None


_salt: Callable[[int], bytes] = os.urandom
"""Where salts come from (the record-identity test seeds it: account rows are bound into the
ledger, whose head every summary prints)."""


def hash_password(password: str) -> str:
    """The argon2id hash to store (``$argon2id$v=19$m=19456,t=2,p=1$…``)."""
    return _HASHER.hash(password, salt=_salt(16))


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash (argon2id, or a legacy scrypt one)."""
    if not _storable(password):
        return False
    if stored.startswith("scrypt$"):
        return _verify_scrypt(password, stored)
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a hash that just verified should be replaced with one at today's parameters."""
    if not stored.startswith("$argon2id$"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def spend_a_check(password: str) -> None:
    """The work of one check against a hash nobody has: a sign-in with an unknown user name
    takes as long as one with a real name and a wrong password (no user-name probing)."""
    verify_password(password, _decoy_hash())


@functools.cache
def _decoy_hash() -> str:
    return hash_password("a decoy that no account has")


def _storable(password: str) -> bool:
    """False for text that has no UTF-8 form (a lone surrogate from a broken paste)."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _verify_scrypt(password: str, stored: str) -> bool:
    """A hash from releases before argon2id: ``scrypt$n$r$p$salt$hash``."""
    try:
        _, n, r, p, salt_b64, hash_b64 = stored.split("$")
        salt = base64.b64decode(salt_b64)
        expected = base64.b64decode(hash_b64)
        digest = hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(digest, expected)
