"""The pump: start, pause, resume, rate change and stop, as charted."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bedside.events.base import Override, PayloadBase, ShortText
from bedside.ranges import DrugVolumeMl, PumpRate


class InfusionStarted(PayloadBase):
    """The pump started; ``override`` is the clinician's signed confirmation when the start's
    guard found something a clinician may decide past (a stale baseline, a caution or limit
    found when the baseline was checked again)."""

    kind: Literal["infusion_started"] = "infusion_started"
    rate_ml_h: PumpRate
    vtbi_ml: DrugVolumeMl
    # Left out of the stored JSON when absent, so starts charted before it existed hash the same.
    override: Override | None = Field(default=None, exclude_if=lambda v: v is None)


class InfusionPaused(PayloadBase):
    kind: Literal["infusion_paused"] = "infusion_paused"
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class InfusionResumed(PayloadBase):
    kind: Literal["infusion_resumed"] = "infusion_resumed"
    rate_ml_h: PumpRate
    override: Override | None = Field(default=None, exclude_if=lambda v: v is None)
    """A clinician's override: resumed after a pause-level alert without a fresh reading below
    the pause limit (:mod:`bedside.rules.resume`)."""


class RateChanged(PayloadBase):
    kind: Literal["rate_changed"] = "rate_changed"
    rate_ml_h: PumpRate
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class InfusionStopped(PayloadBase):
    kind: Literal["infusion_stopped"] = "infusion_stopped"
    volume_infused_ml: DrugVolumeMl
    completed: bool = True
    reason: ShortText = ""
