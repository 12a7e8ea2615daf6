"""Physically possible ranges: values outside them are typos and are refused.

These are plausibility limits, not clinical thresholds (CLINICAL.md §9.2 calls them an
engineering proposal, wide enough to admit real but extreme values). Abnormal-but-possible
values are accepted and flagged by the protocol's alert limits instead.

Each range is declared once here and reused as an ``Annotated`` type, so every model that holds
a systolic pressure refuses 400 mmHg with the same clear message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator


@dataclass(frozen=True)
class PossibleRange:
    """An inclusive range with the words a nurse needs in an error message."""

    label: str
    low: float
    high: float
    unit: str
    hint: str = ""

    def describe(self) -> str:
        """E.g. ``"40–300 mmHg"``."""
        return f"{_fmt(self.low)}–{_fmt(self.high)} {self.unit}".strip()

    def check(self, value: float) -> float:
        """Return ``value`` or raise ``ValueError`` naming the field, value and allowed range."""
        if not self.low <= value <= self.high:
            message = (
                f"{self.label} {_fmt(value)} {self.unit} is not possible "
                f"(allowed {self.describe()})"
            )
            if self.hint:
                message += f"; {self.hint}"
            raise ValueError(message)
        return value


def _fmt(value: float) -> str:
    return f"{value:g}"


SYSTOLIC = PossibleRange("Systolic BP", 40, 300, "mmHg")
DIASTOLIC = PossibleRange("Diastolic BP", 20, 200, "mmHg")
HEART_RATE = PossibleRange("Heart rate", 20, 250, "/min")
SPO2 = PossibleRange("SpO2", 50, 100, "%")
RESP_RATE = PossibleRange("Respiratory rate", 3, 60, "/min")
TEMPERATURE = PossibleRange(
    "Temperature", 30, 43, "°C", hint="values of 86–110 look like °F: convert to °C"
)
O2_FLOW = PossibleRange("Oxygen flow", 0.5, 15, "L/min")
WEIGHT = PossibleRange("Weight", 25, 350, "kg")
HEIGHT = PossibleRange("Height", 100, 250, "cm")
DOSE_MG_PER_KG = PossibleRange("Dose", 0.01, 2.0, "mg/kg")
DURATION = PossibleRange("Infusion duration", 5, 240, "min")
PUMP_RATE = PossibleRange("Pump rate", 0.1, 999, "mL/h")
BAG_VOLUME = PossibleRange("Bag volume", 10, 1000, "mL")
VIAL_CONCENTRATION = PossibleRange("Vial concentration", 1, 100, "mg/mL")
VIAL_VOLUME = PossibleRange("Vial volume", 0.5, 50, "mL")
DRUG_AMOUNT_MG = PossibleRange("Amount", 0, 1000, "mg")
DRUG_VOLUME_ML = PossibleRange("Volume", 0, 1000, "mL")


def _validator(spec: PossibleRange) -> AfterValidator:
    return AfterValidator(spec.check)


Systolic = Annotated[int, _validator(SYSTOLIC)]
Diastolic = Annotated[int, _validator(DIASTOLIC)]
HeartRate = Annotated[int, _validator(HEART_RATE)]
SpO2 = Annotated[int, _validator(SPO2)]
RespRate = Annotated[int, _validator(RESP_RATE)]
TemperatureC = Annotated[float, _validator(TEMPERATURE)]
O2Flow = Annotated[float, _validator(O2_FLOW)]
WeightKg = Annotated[float, _validator(WEIGHT)]
HeightCm = Annotated[float, _validator(HEIGHT)]
DoseMgPerKg = Annotated[float, _validator(DOSE_MG_PER_KG)]
DurationMin = Annotated[int, _validator(DURATION)]
PumpRate = Annotated[float, _validator(PUMP_RATE)]
BagVolume = Annotated[float, _validator(BAG_VOLUME)]
VialConcentration = Annotated[float, _validator(VIAL_CONCENTRATION)]
VialVolume = Annotated[float, _validator(VIAL_VOLUME)]
DrugAmountMg = Annotated[float, _validator(DRUG_AMOUNT_MG)]
DrugVolumeMl = Annotated[float, _validator(DRUG_VOLUME_ML)]
