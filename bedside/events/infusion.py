"""The pump: start, pause, resume, rate change and stop, as charted."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bedside.events.base import PayloadBase, ShortText
from bedside.ranges import DrugVolumeMl, PumpRate


class InfusionStarted(PayloadBase):
    kind: Literal["infusion_started"] = "infusion_started"
    rate_ml_h: PumpRate
    vtbi_ml: DrugVolumeMl


class InfusionPaused(PayloadBase):
    kind: Literal["infusion_paused"] = "infusion_paused"
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class InfusionResumed(PayloadBase):
    kind: Literal["infusion_resumed"] = "infusion_resumed"
    rate_ml_h: PumpRate


class RateChanged(PayloadBase):
    kind: Literal["rate_changed"] = "rate_changed"
    rate_ml_h: PumpRate
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class InfusionStopped(PayloadBase):
    kind: Literal["infusion_stopped"] = "infusion_stopped"
    volume_infused_ml: DrugVolumeMl
    completed: bool = True
    reason: ShortText = ""
