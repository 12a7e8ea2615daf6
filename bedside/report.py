"""Rule reports: the one shape every clinical rule and phase guard returns.

Rules never raise for a clinical finding; they return a :class:`RuleReport` that the UI shows in
words and the service layer uses to refuse or allow an operation. A rule that also computes
something (a dose plan, the discharge criteria, the alert breaches, a NEWS2 score, the
controlled-substance record) returns a result that carries its findings as ``.report`` beside
the values (:class:`Judged`), so every judgement reads the same way. Exceptions are reserved
for malformed input (see :mod:`bedside.errors`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel

from bedside.model_config import FROZEN


class Severity(StrEnum):
    """How much a finding matters: errors block, warnings inform, info explains."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Finding(BaseModel):
    """One result of one rule.

    ``code`` is stable and machine-readable (tests and overrides refer to it); ``message`` is the
    sentence a nurse reads. ``overridable`` says whether a clinician may proceed past this error
    with a recorded reason.
    """

    model_config = FROZEN

    code: str
    severity: Severity
    message: str
    overridable: bool = False


class RuleReport(BaseModel):
    """An ordered collection of findings with convenience accessors."""

    model_config = FROZEN

    findings: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> RuleReport:
        """Build a report from any iterable of findings."""
        return cls(findings=tuple(findings))

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings that block the operation."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings to show but not block on."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def is_valid(self) -> bool:
        """True when nothing blocks."""
        return not self.errors

    @property
    def overridable(self) -> bool:
        """True when every error may be overridden by a clinician with a reason."""
        return bool(self.errors) and all(f.overridable for f in self.errors)

    def codes(self) -> set[str]:
        """The codes of all findings (handy in tests and override bookkeeping)."""
        return {f.code for f in self.findings}

    def merge(self, *others: RuleReport) -> RuleReport:
        """A new report with this report's findings followed by the others'."""
        out = list(self.findings)
        for other in others:
            out.extend(other.findings)
        return RuleReport(findings=tuple(out))

    def summary(self) -> str:
        """One line per finding, errors first: what a dialog or the CLI prints."""
        ordered = sorted(self.findings, key=lambda f: list(Severity).index(f.severity))
        return "\n".join(f"{f.severity.value.upper()}: {f.message}" for f in ordered)


class Judged(Protocol):
    """A rule's result: whatever it computed, and its findings as a :class:`RuleReport`."""

    @property
    def report(self) -> RuleReport:
        """The findings: errors block, warnings inform."""


def error(code: str, message: str, *, overridable: bool = False) -> Finding:
    """Shorthand for a blocking finding."""
    return Finding(code=code, severity=Severity.ERROR, message=message, overridable=overridable)


def warning(code: str, message: str) -> Finding:
    """Shorthand for a non-blocking finding."""
    return Finding(code=code, severity=Severity.WARNING, message=message)


def info(code: str, message: str) -> Finding:
    """Shorthand for an explanatory finding."""
    return Finding(code=code, severity=Severity.INFO, message=message)
