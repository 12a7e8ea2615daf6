"""Each account's sign-in guard: the run of failed attempts, the lock, and a required change of
password. Mutable state (like an account's active flag); every change is in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bedside.ids import UserId
from bedside.store import db as dbmod
from bedside.store.base import StoreBase
from bedside.timeutil import iso_utc, parse_iso


@dataclass(frozen=True)
class SignInGuard:
    """Failed attempts since the last success, the last one, the lock, a required change."""

    failures: int = 0
    last_failed_at: datetime | None = None
    locked_at: datetime | None = None
    must_change: bool = False


class SignInStore(StoreBase):
    """Reading and writing :class:`SignInGuard` rows, each write with its audit row."""

    def sign_in_guard(self, user_id: UserId) -> SignInGuard:
        """The account's guard (a fresh one when it has never failed)."""
        row = self.conn.execute(
            "SELECT failures, last_failed_at, locked_at, must_change FROM sign_in_guard "
            "WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        if row is None:
            return SignInGuard()
        return SignInGuard(
            failures=int(row[0]),
            last_failed_at=parse_iso(row[1]) if row[1] else None,
            locked_at=parse_iso(row[2]) if row[2] else None,
            must_change=bool(row[3]),
        )

    def record_failed_sign_in(
        self, user_id: UserId, *, at: datetime, lock: bool, what: str
    ) -> SignInGuard:
        """One more failed attempt (``what``: sign-in or signature), locking the account when
        ``lock``; audited. Returns the guard as it now stands."""
        before = self.sign_in_guard(user_id)
        failures = before.failures + 1
        with self._recording(at):
            self._write_guard(
                user_id,
                failures=failures,
                last_failed_at=iso_utc(at),
                locked_at=iso_utc(at) if lock else _iso(before.locked_at),
                must_change=before.must_change,
            )
            self._audit(None, "sign_in_failed", {"user_id": user_id, "attempt": what}, at)
            if lock and before.locked_at is None:
                self._audit(None, "account_locked", {"user_id": user_id, "failures": failures}, at)
        return self.sign_in_guard(user_id)

    def record_failed_unknown_name(self, username: str, *, at: datetime) -> None:
        """A sign-in with a user name no account has (audited, shortened)."""
        with self._recording(at):
            self._audit(None, "sign_in_failed", {"unknown_username": username[:64]}, at)

    def clear_sign_in_failures(self, user_id: UserId) -> None:
        """A successful sign-in ends the run of failures (not audited: it is the usual case)."""
        before = self.sign_in_guard(user_id)
        if before.failures == 0:
            return
        with dbmod.write_transaction(self.conn):
            self._write_guard(
                user_id,
                failures=0,
                last_failed_at=None,
                locked_at=_iso(before.locked_at),
                must_change=before.must_change,
            )

    def unlock_account(
        self, user_id: UserId, *, actor: UserId | None, at: datetime, by: str = ""
    ) -> None:
        """An admin lifts a lock and clears the failures (``actor`` None and ``by`` saying who:
        IT at the command line, when the only admin is the one locked out); audited."""
        before = self.sign_in_guard(user_id)
        with self._recording(at):
            self._write_guard(
                user_id,
                failures=0,
                last_failed_at=None,
                locked_at=None,
                must_change=before.must_change,
            )
            detail = {"user_id": user_id, **({"by": by} if by else {})}
            self._audit(actor, "account_unlocked", detail, at)

    def set_password(
        self, user_id: UserId, password_hash: str, *, actor: UserId, at: datetime, must_change: bool
    ) -> None:
        """A new password hash: by the user (``must_change`` False) or reset by an admin (the
        user must choose a new one at the next sign-in); clears the failures and the lock."""
        with self._recording(at):
            self.conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id)
            )
            self._write_guard(
                user_id, failures=0, last_failed_at=None, locked_at=None, must_change=must_change
            )
            action = "password_reset" if must_change else "password_set"
            self._audit(actor, action, {"user_id": user_id}, at)

    def upgrade_password_hash(self, user_id: UserId, password_hash: str, *, at: datetime) -> None:
        """Replace a hash from an older scheme after a successful check; audited."""
        with self._recording(at):
            self.conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id)
            )
            self._audit(user_id, "password_hash_upgraded", {"user_id": user_id}, at)

    def _write_guard(
        self,
        user_id: UserId,
        *,
        failures: int,
        last_failed_at: str | None,
        locked_at: str | None,
        must_change: bool,
    ) -> None:
        self.conn.execute(
            "INSERT INTO sign_in_guard(user_id, failures, last_failed_at, locked_at, must_change) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
            "failures = excluded.failures, last_failed_at = excluded.last_failed_at, "
            "locked_at = excluded.locked_at, must_change = excluded.must_change",
            (user_id, failures, last_failed_at, locked_at, int(must_change)),
        )


def _iso(value: datetime | None) -> str | None:
    return iso_utc(value) if value is not None else None
