"""Which protocol version is in effect, and why: changing clinical limits is a clinical act.

An admin *prepares* a new version. If it differs from the version in effect only in
administrative settings (:data:`ADMINISTRATIVE_SETTINGS`), it takes effect at once. Any other
difference — a dose, a check interval, an alert or discharge limit, the PRN list, the name or a
cited source — waits until a clinician other than its preparer approves it with their password
and a reason: a signature "Clinical protocol change approved" bound to the hash of the version's
stored body. Until then sessions keep opening under the version in effect.

A version taking effect is a new row beside it (:class:`ProtocolApproval`); the version itself is
never edited, so the record shows who approved what, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, Field, model_validator

from bedside.ids import ProtocolId, UserId
from bedside.model_config import FROZEN
from bedside.protocol import Protocol
from bedside.protocol_settings import describe_changes, label_for
from bedside.signatures import Meaning, Signature
from bedside.timeutil import UtcDatetime, local_text

ADMINISTRATIVE_SETTINGS: frozenset[str] = frozenset(
    {"monitoring.idle_lock_min", "monitoring.chairs", "monitoring.max_failed_sign_ins"}
)
"""Settings about the workstation, not the patient: changing only these needs no approval.
Everything else is clinical by default, so a setting added later is approved until decided."""

MIN_REASON = 5
"""The fewest characters an approval's reason may have (as for an override)."""
MAX_REASON = 1000


class EffectBasis(StrEnum):
    """Why a version took effect."""

    APPROVED = "approved"
    """A clinician signed it with a reason."""
    NO_CLINICAL_CHANGE = "no_clinical_change"
    """It changed only administrative settings from the version in effect."""
    SHIPPED_DEFAULT = "shipped_default"
    """The shipped default, installed in a new database."""
    BEFORE_APPROVALS = "before_approvals"
    """In use before approvals were required (database migration 004)."""


class ProtocolApproval(BaseModel):
    """One version taking effect: when, on whose act and on what basis (signed if clinical)."""

    model_config = FROZEN

    protocol_id: ProtocolId
    basis: EffectBasis
    effective_at: UtcDatetime
    effective_by: UserId | None
    reason: str | None = Field(max_length=MAX_REASON)
    signature: Signature | None

    @model_validator(mode="after")
    def _signed_when_clinical(self) -> Self:
        if self.basis is not EffectBasis.APPROVED:
            if self.signature is not None or self.reason is not None:
                raise ValueError(f"a version in effect as {self.basis.value} carries no signature")
            return self
        sig = self.signature
        if sig is None or sig.meaning is not Meaning.PROTOCOL_APPROVED:
            raise ValueError("an approval needs the clinician's signature")
        if sig.signer_id != self.effective_by:
            raise ValueError("an approval is signed by the clinician who approved it")
        if self.reason is None or len(self.reason.strip()) < MIN_REASON:
            raise ValueError(f"an approval needs a reason (at least {MIN_REASON} characters)")
        return self

    def text(self, tz: str) -> str:
        """In words, e.g. "approved by Dr Lee, MD on 12 Mar 2026 14:05: trial of 0.75 mg/kg"."""
        when = local_text(self.effective_at, tz, "%d %b %Y %H:%M")
        if self.signature is not None:
            return f"approved by {self.signature.signer_name} on {when}: {self.reason}"
        return {
            EffectBasis.NO_CLINICAL_CHANGE: f"in effect at once on {when} (no clinical change)",
            EffectBasis.SHIPPED_DEFAULT: f"shipped default, in effect since {when}",
            EffectBasis.BEFORE_APPROVALS: "in use before approvals were required",
        }[self.basis]


class VersionStatus(StrEnum):
    """Where a stored version stands."""

    IN_EFFECT = "current"
    EARLIER = "earlier"
    PENDING = "pending approval"
    SUPERSEDED = "never in effect"
    """Replaced by a later version before anyone approved it."""


@dataclass(frozen=True)
class ProtocolVersion:
    """One stored protocol version: who saved it and when, and whether it took effect."""

    id: ProtocolId
    protocol: Protocol
    hash: str
    created_at: datetime
    created_by: UserId | None
    approval: ProtocolApproval | None
    status: VersionStatus

    def approval_text(self, tz: str) -> str:
        """The "Approval" column: who put it in effect and why, or that it waits."""
        if self.approval is not None:
            return self.approval.text(tz)
        if self.status is VersionStatus.PENDING:
            return "pending approval: not in effect until a clinician approves it"
        return "never in effect: replaced by a later version before approval"


def version_status(version: int, approved: bool, in_effect_version: int) -> VersionStatus:
    """A version's standing, given the number of the version in effect (0: none)."""
    if approved:
        return VersionStatus.IN_EFFECT if version == in_effect_version else VersionStatus.EARLIER
    return VersionStatus.PENDING if version > in_effect_version else VersionStatus.SUPERSEDED


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted key → value; the cited sources are compared as one value (their keys hold dots)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and dotted != "sources":
            out.update(_flat(value, f"{dotted}."))
        else:
            out[dotted] = value
    return out


def clinical_changes(in_effect: Protocol, new: Protocol) -> list[str]:
    """The settings (dotted keys) ``new`` changes from ``in_effect`` that need a clinician's
    approval: every difference but the version number and :data:`ADMINISTRATIVE_SETTINGS`."""
    before = _flat(in_effect.model_dump(mode="json"))
    after = _flat(new.model_dump(mode="json"))
    missing = object()
    return [
        key
        for key in dict.fromkeys([*before, *after])
        if key != "version"
        and key not in ADMINISTRATIVE_SETTINGS
        and before.get(key, missing) != after.get(key, missing)
    ]


def changes_in_words(old: Protocol, new: Protocol) -> list[str]:
    """What a clinician approves: each setting ``new`` changes from ``old``, named in words,
    e.g. "Highest dose that may be ordered (dosing.max_mg_per_kg): 1 → 0.75"."""
    out = []
    for line in describe_changes(old, new):
        key, sep, change = line.partition(": ")
        out.append(f"{label_for(key)} ({key}): {change}" if sep else line)
    return out
