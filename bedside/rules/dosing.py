"""Dose plan: mg/kg × dosing weight → mg → drug volume → final volume → concentration → rate.

Arithmetic from CLINICAL.md §1.4. The protocol's mg/kg range and maximum total dose, and the
course order's dose and maximum, are hard stops: a plan that breaks one is refused, never capped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from bedside.course import CourseOrder
from bedside.people import Sex
from bedside.protocol import DosingRules, Protocol, WeightBasis
from bedside.ranges import BAG_VOLUME, DRUG_VOLUME_ML, PUMP_RATE, WEIGHT
from bedside.report import Finding, RuleReport, error, warning

_INCH_CM = 2.54


@dataclass(frozen=True)
class DoseInputs:
    """What the nurse enters or confirms at the chair; mg/kg and duration come from the order."""

    weight_kg: float
    weight_measured_on: date
    vial_concentration_mg_ml: float
    bag_volume_ml: float
    height_cm: float | None = None
    sex: Sex = "unknown"
    previous_weight_kg: float | None = None


@dataclass(frozen=True)
class DosePlan:
    """The computed plan, every number rounded the way it is shown."""

    mg_per_kg: float
    weight_kg: float
    weight_basis: WeightBasis
    dosing_weight_kg: float
    dose_mg: float
    vial_concentration_mg_ml: float
    drug_volume_ml: float
    bag_volume_ml: float
    final_volume_ml: float
    concentration_mg_ml: float
    duration_min: int
    rate_ml_h: float
    rate_unrounded_ml_h: float
    rate_step_ml_h: float
    dose_rate_mg_h: float
    formula: str


def ideal_body_weight(height_cm: float, sex: Sex) -> float | None:
    """Devine IBW in kg (50 kg men / 45.5 kg women + 2.3 kg per inch over 5 ft), or ``None``
    when sex is not male or female (the formula has no answer then)."""
    if sex not in ("male", "female"):
        return None
    base = 50.0 if sex == "male" else 45.5
    return base + 2.3 * (height_cm / _INCH_CM - 60.0)


def dosing_weight(
    weight_kg: float, basis: WeightBasis, height_cm: float | None, sex: Sex
) -> tuple[float | None, str]:
    """The weight the dose is calculated on and how it was derived (for the formula)."""
    if basis is WeightBasis.ACTUAL:
        return weight_kg, "actual body weight"
    if height_cm is None:
        return None, f"{basis.value} body weight needs a height"
    ibw = ideal_body_weight(height_cm, sex)
    if ibw is None:
        return None, f"{basis.value} body weight needs sex recorded as male or female (Devine)"
    if basis is WeightBasis.IDEAL:
        return min(ibw, weight_kg), f"ideal body weight (Devine, {height_cm:g} cm)"
    adjusted = ibw + 0.4 * (weight_kg - ibw)
    return min(adjusted, weight_kg), f"adjusted body weight (IBW {ibw:.1f} kg + 0.4 × excess)"


def report_is_valid(findings: list[Finding]) -> bool:
    """No error among ``findings`` (arithmetic on impossible inputs is not attempted)."""
    return RuleReport.of(findings).is_valid


def _round_to(value: float, step: float) -> float:
    return round(math.floor(value / step + 0.5) * step, 6)


class DoseResult(NamedTuple):
    """The plan (None when a hard stop fires) and the report of every finding."""

    plan: DosePlan | None
    report: RuleReport


class _Amounts(NamedTuple):
    """The plan's numbers before they are rounded for display."""

    dose_mg: float
    drug_ml: float
    final_ml: float
    concentration: float
    rate_raw: float
    rate: float
    dose_rate: float


def _mg_per_kg_check(order: CourseOrder, d: DosingRules) -> list[Finding]:
    """The ordered mg/kg outside the protocol's range is a hard stop."""
    if d.min_mg_per_kg <= order.mg_per_kg <= d.max_mg_per_kg:
        return []
    return [
        error(
            "dose.mg_per_kg_out_of_range",
            f"Ordered dose {order.mg_per_kg:g} mg/kg is outside the protocol range "
            f"{d.min_mg_per_kg:g}–{d.max_mg_per_kg:g} mg/kg: the order must be changed",
        )
    ]


def _weight_checks(inputs: DoseInputs, d: DosingRules, today: date) -> list[Finding]:
    """A weight dated in the future (a hard stop), too old, or far from the last session's."""
    findings: list[Finding] = []
    age_days = (today - inputs.weight_measured_on).days
    if age_days < 0:
        findings.append(error("dose.weight_date_future", "The weight date is in the future"))
    elif age_days > d.weight_max_age_days:
        findings.append(
            warning(
                "dose.weight_stale",
                f"Weight was measured {age_days} days ago (protocol: re-weigh after "
                f"{d.weight_max_age_days} days)",
            )
        )
    previous = inputs.previous_weight_kg
    if previous and abs(inputs.weight_kg - previous) > d.weight_change_flag_fraction * previous:
        findings.append(
            warning(
                "dose.weight_changed",
                f"Weight {inputs.weight_kg:g} kg differs from the last session's {previous:g} kg "
                f"by more than {d.weight_change_flag_fraction:.0%}: confirm the weighing",
            )
        )
    return findings


def _preparation_checks(inputs: DoseInputs, d: DosingRules) -> list[Finding]:
    """Hard stops on the vial and bag: a strength not stocked, undiluted drug, impossible values."""
    findings: list[Finding] = []
    if inputs.vial_concentration_mg_ml not in d.vial_concentrations_mg_ml:
        stocked = ", ".join(f"{c:g}" for c in d.vial_concentrations_mg_ml)
        findings.append(
            error(
                "dose.vial_not_stocked",
                f"{inputs.vial_concentration_mg_ml:g} mg/mL is not a vial strength this clinic "
                f"stocks ({stocked} mg/mL)",
            )
        )
    if (
        inputs.vial_concentration_mg_ml >= d.undiluted_iv_forbidden_mg_ml
        and inputs.bag_volume_ml <= 0
    ):
        findings.append(
            error("dose.undiluted", "100 mg/mL ketamine must not be given IV undiluted")
        )
    for spec, value in ((BAG_VOLUME, inputs.bag_volume_ml), (WEIGHT, inputs.weight_kg)):
        try:
            spec.check(value)
        except ValueError as exc:
            findings.append(error("dose.impossible", str(exc)))
    return findings


def _amounts(inputs: DoseInputs, order: CourseOrder, d: DosingRules, weight: float) -> _Amounts:
    """Dose, drug and final volume, concentration and pump rate (rounded to the pump step)."""
    dose_mg = round(order.mg_per_kg * weight, 2)
    drug_ml = round(dose_mg / inputs.vial_concentration_mg_ml, 2)
    final_ml = round(inputs.bag_volume_ml + drug_ml, 2)
    rate_raw = final_ml * 60.0 / order.duration_min
    return _Amounts(
        dose_mg=dose_mg,
        drug_ml=drug_ml,
        final_ml=final_ml,
        concentration=dose_mg / final_ml,
        rate_raw=rate_raw,
        rate=_round_to(rate_raw, d.pump_rate_resolution_ml_h),
        dose_rate=dose_mg * 60.0 / order.duration_min,
    )


def _maximum_dose_check(dose_mg: float, order: CourseOrder, d: DosingRules) -> list[Finding]:
    """A dose above the lower of the order's and the protocol's maximum is refused, not capped."""
    limit = min(order.max_dose_mg, d.max_total_dose_mg)
    if dose_mg <= limit + 1e-9:
        return []
    who = "course order" if order.max_dose_mg <= d.max_total_dose_mg else "protocol"
    return [
        error(
            "dose.above_maximum",
            f"Dose {dose_mg:g} mg is above the {who} maximum of {limit:g} mg: not capped, "
            "the order must be reviewed by a clinician",
        )
    ]


def _pump_checks(amounts: _Amounts) -> list[Finding]:
    """A pump rate or final volume the pump cannot deliver."""
    findings: list[Finding] = []
    for spec, value in ((PUMP_RATE, amounts.rate), (DRUG_VOLUME_ML, amounts.final_ml)):
        try:
            spec.check(value)
        except ValueError as exc:
            findings.append(error("dose.impossible", f"{exc}: change the bag volume or duration"))
    return findings


def _formula(
    inputs: DoseInputs,
    order: CourseOrder,
    d: DosingRules,
    weight: float,
    basis_words: str,
    a: _Amounts,
) -> str:
    """The arithmetic written out line by line, as the nurse checks it."""
    rounding = (
        ""
        if abs(a.rate - a.rate_raw) < 1e-9
        else f" (rounded from {a.rate_raw:.3f} to the pump step {d.pump_rate_resolution_ml_h:g})"
    )
    return "\n".join(
        (
            f"Dose = {order.mg_per_kg:g} mg/kg × {weight:g} kg ({basis_words}) = {a.dose_mg:g} mg",
            f"Drug volume = {a.dose_mg:g} mg ÷ {inputs.vial_concentration_mg_ml:g} mg/mL = {a.drug_ml:g} mL",
            f"Final volume = {inputs.bag_volume_ml:g} mL bag + {a.drug_ml:g} mL drug = {a.final_ml:g} mL",
            f"Concentration = {a.dose_mg:g} mg ÷ {a.final_ml:g} mL = {a.concentration:.3f} mg/mL",
            f"Rate = {a.final_ml:g} mL × 60 ÷ {order.duration_min} min = {a.rate:g} mL/h{rounding}"
            f" (dose rate {a.dose_rate:g} mg/h)",
        )
    )


def plan_dose(
    inputs: DoseInputs, *, order: CourseOrder, protocol: Protocol, today: date
) -> DoseResult:
    """Compute the dose plan for one session from the course order.

    Returns the plan (``None`` when a hard stop fires) and a report of every finding.
    """
    d = protocol.dosing
    findings = _mg_per_kg_check(order, d)
    weight, basis_words = dosing_weight(
        inputs.weight_kg, order.weight_basis, inputs.height_cm, inputs.sex
    )
    if weight is None:
        findings.append(error("dose.weight_basis_incomplete", f"Cannot compute: {basis_words}"))
        return DoseResult(None, RuleReport.of(findings))
    findings += _weight_checks(inputs, d, today)
    findings += _preparation_checks(inputs, d)
    if not report_is_valid(findings):
        return DoseResult(None, RuleReport.of(findings))
    a = _amounts(inputs, order, d, weight)
    findings += _maximum_dose_check(a.dose_mg, order, d)
    findings += _pump_checks(a)
    report = RuleReport.of(findings)
    if not report.is_valid:
        return DoseResult(None, report)
    plan = DosePlan(
        mg_per_kg=order.mg_per_kg,
        weight_kg=inputs.weight_kg,
        weight_basis=order.weight_basis,
        dosing_weight_kg=round(weight, 2),
        dose_mg=a.dose_mg,
        vial_concentration_mg_ml=inputs.vial_concentration_mg_ml,
        drug_volume_ml=a.drug_ml,
        bag_volume_ml=inputs.bag_volume_ml,
        final_volume_ml=a.final_ml,
        concentration_mg_ml=round(a.concentration, 4),
        duration_min=order.duration_min,
        rate_ml_h=a.rate,
        rate_unrounded_ml_h=a.rate_raw,
        rate_step_ml_h=d.pump_rate_resolution_ml_h,
        dose_rate_mg_h=round(a.dose_rate, 3),
        formula=_formula(inputs, order, d, weight, basis_words, a),
    )
    return DoseResult(plan, report)
