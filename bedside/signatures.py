"""Electronic signatures: signer, meaning and the hash of the content signed (21 CFR 11.50/11.70).

A signature is only ever created by :mod:`bedside.service` after the signer re-entered their
password. It binds the printed name, role, meaning and time to ``content_hash``, the hash of the
record as it stood when signed; the signing event itself then enters the hash chain, so the
signature cannot be moved to another record or survive a change to the signed content.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from pydantic import BaseModel, Field

from bedside.ids import UserId
from bedside.model_config import FROZEN
from bedside.people import Role
from bedside.timeutil import UtcDatetime, iso_utc


class Meaning(StrEnum):
    """What a signature means, printed beside it on screen and paper."""

    DISCHARGE_APPROVED = "Discharge approved"
    WITNESSED_WASTE = "Witnessed waste of controlled substance"
    DOUBLE_CHECKED_DOSE = "Independent double-check of dose and preparation"
    CONSENT_OBTAINED = "Informed consent obtained"
    ORDER_SIGNED = "Course of treatment ordered"
    AUTHORED_ADDENDUM = "Author of addendum"
    CHARTED_BY = "Charting nurse: record complete and accurate"
    OVERRIDE = "Clinical override authorised"
    PROTOCOL_APPROVED = "Clinical protocol change approved"


class Signature(BaseModel):
    """One signature manifestation."""

    model_config = FROZEN

    signer_id: UserId
    signer_name: str = Field(min_length=1, max_length=160)
    signer_role: Role
    meaning: Meaning
    signed_at: UtcDatetime
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    key_id: str | None = Field(default=None, max_length=64, exclude_if=lambda v: v is None)
    """The signer's signing key (:mod:`bedside.signing_keys`); absent on signatures made
    before keys existed, which stay as they were stored."""
    seal: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{128}$", exclude_if=lambda v: v is None
    )
    """The Ed25519 signature over :meth:`digest` by that key: only the signer's password
    unlocks the key, so nobody else can make it."""

    def digest(self) -> str:
        """The hash binding every part of the signature together."""
        text = "|".join(
            (
                self.signer_id,
                self.signer_name,
                self.signer_role.value,
                self.meaning.value,
                iso_utc(self.signed_at),
                self.content_hash,
            )
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
