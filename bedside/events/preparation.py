"""Consent with the patient's pad signature, the dose plan, and the drawn-up drug."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from bedside.events.base import PayloadBase
from bedside.ids import CourseId
from bedside.protocol import WeightBasis
from bedside.ranges import (
    BagVolume,
    DoseMgPerKg,
    DrugAmountMg,
    DrugVolumeMl,
    DurationMin,
    HeightCm,
    PumpRate,
    VialConcentration,
    VialVolume,
    WeightKg,
)
from bedside.signatures import Signature


class SignaturePad(PayloadBase):
    """A handwritten signature: strokes of (x, y) points in a unit box (0..1)."""

    strokes: tuple[tuple[tuple[float, float], ...], ...] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _inside_box(self) -> Self:
        points = [p for stroke in self.strokes for p in stroke]
        if len(points) < 2:
            raise ValueError("the signature pad is empty")
        if any(not (0 <= x <= 1 and 0 <= y <= 1) for x, y in points):
            raise ValueError("signature points must lie in the unit box")
        return self


class ConsentRecorded(PayloadBase):
    kind: Literal["consent_recorded"] = "consent_recorded"
    template_id: str = Field(min_length=1, max_length=60)
    template_version: int = Field(ge=1)
    elements_acknowledged: tuple[str, ...] = Field(min_length=1)
    capacity_confirmed: bool
    patient_signature: SignaturePad
    clinician_signature: Signature
    witness_name: Annotated[str, Field(max_length=120)] = ""
    valid_until: date | None = None


class DosePlanned(PayloadBase):
    """Dose arithmetic from the course order. Inputs and results are both kept, so a reprint
    shows exactly what the nurse saw; the model re-computes and refuses a mismatch."""

    kind: Literal["dose_planned"] = "dose_planned"
    course_id: CourseId
    mg_per_kg: DoseMgPerKg
    weight_kg: WeightKg
    weight_measured_on: date
    height_cm: HeightCm | None = None
    weight_basis: WeightBasis
    dosing_weight_kg: WeightKg
    dose_mg: DrugAmountMg
    vial_concentration_mg_ml: VialConcentration
    drug_volume_ml: DrugVolumeMl
    bag_volume_ml: BagVolume
    final_volume_ml: DrugVolumeMl
    concentration_mg_ml: float = Field(gt=0)
    duration_min: DurationMin
    rate_ml_h: PumpRate
    rate_step_ml_h: float = Field(gt=0, le=10, description="the pump step the rate was rounded to")
    formula: str = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _arithmetic_adds_up(self) -> Self:
        """Every stored result must follow from the stored inputs (CLINICAL.md §1.4)."""

        def close(a: float, b: float, tol: float) -> bool:
            return abs(a - b) <= tol

        checks = (
            (
                "dosing weight",
                self.dosing_weight_kg <= self.weight_kg + 1e-9,
                "above actual weight",
            ),
            (
                "dose",
                close(self.dose_mg, self.mg_per_kg * self.dosing_weight_kg, 0.01),
                f"{self.dose_mg:g} mg ≠ {self.mg_per_kg:g} mg/kg × {self.dosing_weight_kg:g} kg",
            ),
            (
                "drug volume",
                close(self.drug_volume_ml, self.dose_mg / self.vial_concentration_mg_ml, 0.01),
                f"{self.drug_volume_ml:g} mL ≠ {self.dose_mg:g} mg ÷ "
                f"{self.vial_concentration_mg_ml:g} mg/mL",
            ),
            (
                "final volume",
                close(self.final_volume_ml, self.bag_volume_ml + self.drug_volume_ml, 0.011),
                f"{self.final_volume_ml:g} mL ≠ bag + drug",
            ),
            (
                "concentration",
                close(self.concentration_mg_ml, self.dose_mg / self.final_volume_ml, 0.0005),
                f"{self.concentration_mg_ml:g} mg/mL ≠ dose ÷ final volume",
            ),
            (
                "rate",
                close(
                    self.rate_ml_h,
                    self.final_volume_ml * 60 / self.duration_min,
                    self.rate_step_ml_h / 2 + 0.001,
                ),
                f"{self.rate_ml_h:g} mL/h ≠ final volume over {self.duration_min} min",
            ),
        )
        for name, ok, detail in checks:
            if not ok:
                raise ValueError(f"dose plan {name} does not add up: {detail}")
        return self


class DrugPrepared(PayloadBase):
    """Vial, lot, expiry and the amount drawn up, with a second person's double-check."""

    kind: Literal["drug_prepared"] = "drug_prepared"
    drug: str = Field(default="ketamine hydrochloride", max_length=80)
    vial_concentration_mg_ml: VialConcentration
    vial_volume_ml: VialVolume
    lot: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9./-]+$")
    expiry: date
    ndc: Annotated[str, Field(max_length=20)] = ""
    drawn_mg: DrugAmountMg
    drawn_ml: DrugVolumeMl
    diluent: Literal["0.9% sodium chloride", "5% dextrose"] = "0.9% sodium chloride"
    bag_volume_ml: BagVolume
    double_check: Signature

    @model_validator(mode="after")
    def _drawn_matches_concentration(self) -> Self:
        expected = self.drawn_ml * self.vial_concentration_mg_ml
        if abs(expected - self.drawn_mg) > 0.01 * max(1.0, self.drawn_mg):
            raise ValueError(
                f"drawn {self.drawn_mg:g} mg does not match {self.drawn_ml:g} mL × "
                f"{self.vial_concentration_mg_ml:g} mg/mL = {expected:g} mg"
            )
        if self.drawn_ml > self.vial_volume_ml + 1e-9:
            raise ValueError(
                f"drawn {self.drawn_ml:g} mL is more than the vial holds ({self.vial_volume_ml:g} mL)"
            )
        return self
