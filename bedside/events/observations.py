"""Vital signs and scored instruments."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from bedside.events.base import PayloadBase
from bedside.ids import EventId
from bedside.ranges import (
    Diastolic,
    HeartRate,
    HeightCm,
    O2Flow,
    RespRate,
    SpO2,
    Systolic,
    TemperatureC,
    WeightKg,
)
from bedside.scales import ScaleName

CopiedField = Literal[
    "systolic",
    "diastolic",
    "heart_rate",
    "spo2",
    "resp_rate",
    "temperature_c",
    "weight_kg",
    "height_cm",
]
"""A value that may be copied forward from the previous set."""


class VitalsBase(PayloadBase):
    """A set of vital signs taken together. Blood pressure is both values or neither."""

    systolic: Systolic | None = None
    diastolic: Diastolic | None = None
    heart_rate: HeartRate | None = None
    spo2: SpO2 | None = None
    resp_rate: RespRate | None = None
    temperature_c: TemperatureC | None = None
    on_oxygen: bool = False
    o2_flow_l_min: O2Flow | None = None
    weight_kg: WeightKg | None = None
    height_cm: HeightCm | None = None
    # Copy-forward is an explicit act, recorded as such: which values were copied from which
    # earlier set (the core checks they are that set's values). Left out of the stored JSON
    # when nothing was copied, so a set typed in full reads as it always has.
    copied: tuple[CopiedField, ...] = Field(default=(), exclude_if=lambda v: not v)
    copied_from: EventId | None = Field(default=None, exclude_if=lambda v: v is None)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.systolic is None) != (self.diastolic is None):
            raise ValueError("blood pressure needs both systolic and diastolic")
        if (
            self.systolic is not None
            and self.diastolic is not None
            and self.systolic <= self.diastolic
        ):
            raise ValueError(
                f"Systolic BP {self.systolic} must be higher than diastolic {self.diastolic}"
            )
        if self.o2_flow_l_min is not None and not self.on_oxygen:
            raise ValueError("oxygen flow given but 'on oxygen' is not ticked")
        measured = (
            self.systolic,
            self.heart_rate,
            self.spo2,
            self.resp_rate,
            self.temperature_c,
            self.weight_kg,
        )
        if all(v is None for v in measured):
            raise ValueError("a vitals set needs at least one value")
        if bool(self.copied) != (self.copied_from is not None):
            raise ValueError("copied values must name the set they were copied from")
        empty = [name for name in self.copied if getattr(self, name) is None]
        if empty:
            raise ValueError(f"copied values missing from the set: {', '.join(empty)}")
        return self

    @property
    def has_bp(self) -> bool:
        """True when the set includes a blood pressure."""
        return self.systolic is not None


class BaselineVitals(VitalsBase):
    kind: Literal["baseline_vitals"] = "baseline_vitals"


class VitalsRecorded(VitalsBase):
    kind: Literal["vitals_recorded"] = "vitals_recorded"


class ScaleScored(PayloadBase):
    """A scored instrument. Answers are stored; the total is computed, never typed."""

    kind: Literal["scale_scored"] = "scale_scored"
    scale: ScaleName
    answers: dict[str, int]
    total: int
    band: str
    flags: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _total_matches_answers(self) -> Self:
        from bedside.scales import score  # local: scales imports nothing from events

        computed = score(self.scale, self.answers)
        if (computed.total, computed.band, computed.flags) != (self.total, self.band, self.flags):
            raise ValueError(
                f"{self.scale.value} total/band do not match the answers "
                f"(computed {computed.total} {computed.band})"
            )
        return self
