"""What every payload shares: frozen, no unknown fields, and the clinician override."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from bedside.ids import UserId
from bedside.model_config import FROZEN
from bedside.signatures import Signature

ShortText = Annotated[str, Field(max_length=500)]
LongText = Annotated[str, Field(min_length=1, max_length=5000)]


class PayloadBase(BaseModel):
    """The base of every event payload: frozen, and unknown fields are refused."""

    model_config = FROZEN


class Override(PayloadBase):
    """A clinician's decision to proceed past blocking findings, with the reason."""

    clinician_id: UserId
    reason: Annotated[str, Field(min_length=5, max_length=1000)]
    finding_codes: tuple[str, ...] = Field(min_length=1)
    signature: Signature
