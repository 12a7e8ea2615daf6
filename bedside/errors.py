"""Exceptions of the core. Clinical findings are reports, not exceptions (see report.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the report's models (pydantic) load with the first refusal, not at start
    from bedside.report import RuleReport


class BedsideError(Exception):
    """Base class: every message is written to be shown to a user as it is."""


class InputRejected(BedsideError):
    """Input that is impossible (not merely abnormal): nothing was saved."""


class PermissionDenied(BedsideError):
    """The user's role does not allow this operation."""


class AuthenticationFailed(BedsideError):
    """A password did not match, or the account is inactive."""


class PasswordChangeRequired(AuthenticationFailed):
    """The password was right, but an administrator reset it: the user chooses a new one
    (with this one as the current password) before signing in or signing anything."""

    def __init__(self, username: str) -> None:
        super().__init__(
            f"An administrator reset the password of {username}: choose a new password now"
        )
        self.username = username


class OperationRefused(BedsideError):
    """A guard or rule refused the operation; ``report`` says why in words."""

    def __init__(self, message: str, report: RuleReport | None = None) -> None:
        super().__init__(message)
        if report is None:
            from bedside.report import RuleReport  # see the import above: not on the start path

            report = RuleReport()
        self.report = report

    def __str__(self) -> str:
        base = super().__str__()
        detail = self.report.summary()
        return f"{base}\n{detail}" if detail else base


class SessionLocked(OperationRefused):
    """The session is signed: only addenda are accepted."""


class ConcurrentChange(OperationRefused):
    """The session changed (another workstation) between reading it and saving: not saved."""


class StoreError(BedsideError):
    """The database could not be opened, read or written; the message says what to do."""


class IntegrityError(StoreError):
    """The database or an event log failed an integrity or hash-chain check."""
