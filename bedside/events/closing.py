"""Discharge, controlled-substance waste, signatures and addenda."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from bedside.events.base import LongText, Override, PayloadBase
from bedside.ranges import DrugAmountMg, DrugVolumeMl
from bedside.scales import ScaleName
from bedside.signatures import Signature


class DischargeAssessed(PayloadBase):
    kind: Literal["discharge_assessed"] = "discharge_assessed"
    scale: Literal[ScaleName.ALDRETE, ScaleName.PADSS]
    answers: dict[str, int]
    total: int = Field(ge=0, le=10)
    escort_present: bool
    escort_name: Annotated[str, Field(max_length=120)] = ""
    instructions_given: bool
    iv_removed_site_ok: bool = True

    @model_validator(mode="after")
    def _total_matches(self) -> Self:
        from bedside.scales import score

        computed = score(self.scale, self.answers)
        if computed.total != self.total:
            raise ValueError(
                f"discharge score total {self.total} does not match the items ({computed.total})"
            )
        return self


class WasteRecorded(PayloadBase):
    kind: Literal["waste_recorded"] = "waste_recorded"
    wasted_mg: DrugAmountMg
    wasted_ml: DrugVolumeMl
    source: Literal["vial", "bag"] = "vial"
    method: str = Field(default="rendered unrecoverable in waste container", max_length=200)
    witness: Signature


class SessionSigned(PayloadBase):
    kind: Literal["session_signed"] = "session_signed"
    signature: Signature
    override: Override | None = None


class ChartAttested(PayloadBase):
    """The charting nurse signs that the record is complete and accurate, before sign-off."""

    kind: Literal["chart_attested"] = "chart_attested"
    signature: Signature


class AddendumAdded(PayloadBase):
    kind: Literal["addendum"] = "addendum"
    text: LongText
    reason: Annotated[str, Field(min_length=3, max_length=1000)]
    signature: Signature
