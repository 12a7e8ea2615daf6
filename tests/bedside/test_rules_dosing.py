"""Dose plan arithmetic and hard stops (bedside.rules.dosing).

Expected numbers are written out by hand from CLINICAL.md §1.3 (Devine IBW, adjusted weight) and
§1.4 (pump arithmetic and its worked examples), not taken from the code under test.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.course import CourseOrder
from bedside.events import DosePlanned
from bedside.ids import CourseId, PatientId, UserId
from bedside.people import Role
from bedside.protocol import Protocol, WeightBasis, default_protocol
from bedside.report import Severity
from bedside.rules.dosing import (
    DoseInputs,
    DosePlan,
    dosing_weight,
    ideal_body_weight,
    plan_dose,
)
from bedside.signatures import Meaning, Signature

TODAY = date(2026, 11, 24)
PROTOCOL = default_protocol()


def _signature() -> Signature:
    return Signature(
        signer_id=UserId("clinician-1"),
        signer_name="Jordan Lee, MD",
        signer_role=Role.CLINICIAN,
        meaning=Meaning.ORDER_SIGNED,
        signed_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
        content_hash="ab" * 32,
    )


def make_order(
    *,
    mg_per_kg: float = 0.5,
    duration_min: int = 40,
    max_dose_mg: float = 100.0,
    weight_basis: WeightBasis = WeightBasis.ACTUAL,
) -> CourseOrder:
    return CourseOrder(
        id=CourseId("course-1"),
        patient_id=PatientId("patient-1"),
        indication="Treatment-resistant depression",
        planned_infusions=6,
        mg_per_kg=mg_per_kg,
        duration_min=duration_min,
        weight_basis=weight_basis,
        max_dose_mg=max_dose_mg,
        created_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
        signature=_signature(),
    )


def inputs(
    weight_kg: float = 80.0,
    *,
    vial: float = 50.0,
    bag: float = 100.0,
    measured_on: date = TODAY,
    height_cm: float | None = None,
    sex: str = "unknown",
) -> DoseInputs:
    return DoseInputs(
        weight_kg=weight_kg,
        weight_measured_on=measured_on,
        vial_concentration_mg_ml=vial,
        bag_volume_ml=bag,
        height_cm=height_cm,
        sex=sex,  # type: ignore[arg-type]
    )


def with_pump_step(step: float) -> Protocol:
    return PROTOCOL.model_copy(
        update={"dosing": PROTOCOL.dosing.model_copy(update={"pump_rate_resolution_ml_h": step})}
    )


def planned(dose_inputs: DoseInputs, order: CourseOrder | None = None, **kw: object) -> DosePlan:
    plan, report = plan_dose(
        dose_inputs,
        order=order or make_order(),
        protocol=kw.pop("protocol", PROTOCOL),  # type: ignore[arg-type]
        today=TODAY,
    )
    assert plan is not None, report.summary()
    return plan


# --- CLINICAL.md §1.4 worked examples ------------------------------------------------------------


def test_worked_example_80_kg_50_mg_ml_into_100_ml_bag() -> None:
    plan, report = plan_dose(inputs(80.0), order=make_order(), protocol=PROTOCOL, today=TODAY)
    assert plan is not None
    assert report.findings == ()
    assert plan.dosing_weight_kg == 80.0
    assert plan.dose_mg == 40.0
    assert plan.drug_volume_ml == 0.8
    assert plan.final_volume_ml == 100.8
    assert plan.concentration_mg_ml == pytest.approx(0.397, abs=0.0005)
    assert plan.rate_ml_h == pytest.approx(151.2)
    assert plan.rate_ml_h == pytest.approx(151, abs=0.5)  # "about 151 mL/h"
    assert plan.dose_rate_mg_h == pytest.approx(60.0)  # 0.75 mg/kg/h at 80 kg
    assert plan.dose_rate_mg_h / 80.0 == pytest.approx(0.75)
    assert plan.duration_min == 40


@pytest.mark.parametrize(
    ("diluent_ml", "final_ml", "concentration", "rate"),
    [
        (49.2, 50.0, 0.8, 75.0),  # made up to 50 mL in a syringe
        (39.2, 40.0, 1.0, 60.0),  # made up to 40 mL (1 mg/mL)
    ],
)
def test_worked_example_syringe_variants(
    diluent_ml: float, final_ml: float, concentration: float, rate: float
) -> None:
    plan = planned(inputs(80.0, bag=diluent_ml))
    assert plan.dose_mg == 40.0
    assert plan.drug_volume_ml == 0.8
    assert plan.final_volume_ml == pytest.approx(final_ml)
    assert plan.concentration_mg_ml == pytest.approx(concentration)
    assert plan.rate_ml_h == pytest.approx(rate)
    assert plan.dose_rate_mg_h == pytest.approx(60.0)


def test_reference_72_kg_10_mg_ml() -> None:
    plan = planned(inputs(72.0, vial=10.0))
    assert plan.dose_mg == 36.0
    assert plan.drug_volume_ml == 3.6
    assert plan.final_volume_ml == 103.6
    assert plan.concentration_mg_ml == pytest.approx(36 / 103.6, abs=5e-5)
    assert plan.rate_ml_h == pytest.approx(155.4)
    assert plan.dose_rate_mg_h == pytest.approx(54.0)


def test_formula_shows_every_step() -> None:
    plan = planned(inputs(72.0, vial=10.0))
    lines = plan.formula.splitlines()
    assert len(lines) == 5
    assert "0.5 mg/kg × 72 kg" in lines[0]
    assert "actual body weight" in lines[0]
    assert lines[0].endswith("= 36 mg")
    assert "36 mg ÷ 10 mg/mL = 3.6 mL" in lines[1]
    assert "100 mL bag + 3.6 mL drug = 103.6 mL" in lines[2]
    assert "36 mg ÷ 103.6 mL = 0.347 mg/mL" in lines[3]
    assert "103.6 mL × 60 ÷ 40 min = 155.4 mL/h" in lines[4]
    assert "rounded" not in plan.formula  # exact: nothing to show


def test_rate_rounded_to_pump_step_and_rounding_shown() -> None:
    # 103.6 mL over 45 min = 138.1333… mL/h → 138.1 at the 0.1 mL/h step.
    plan = planned(inputs(72.0, vial=10.0), make_order(duration_min=45))
    assert plan.rate_unrounded_ml_h == pytest.approx(138.1333, abs=1e-4)
    assert plan.rate_ml_h == pytest.approx(138.1)
    assert "rounded from 138.133 to the pump step 0.1" in plan.formula
    assert "= 138.1 mL/h" in plan.formula


def test_rate_rounded_to_whole_ml_per_hour_pump() -> None:
    plan = planned(inputs(72.0, vial=10.0), protocol=with_pump_step(1.0))
    assert plan.rate_ml_h == 155.0
    assert plan.rate_unrounded_ml_h == pytest.approx(155.4)
    assert "rounded from 155.400 to the pump step 1" in plan.formula


def test_rate_rounds_half_up_not_down() -> None:
    # 100 kg × 0.5 = 50 mg = 1.0 mL of 50 mg/mL; 101 mL over 40 min = 151.5 mL/h → 152 (step 1).
    plan = planned(inputs(100.0, vial=50.0), protocol=with_pump_step(1.0))
    assert plan.final_volume_ml == 101.0
    assert plan.rate_ml_h == 152.0


# --- hard stops: refused, never capped -----------------------------------------------------------


@pytest.mark.parametrize("mg_per_kg", [0.05, 0.09, 1.01, 1.2, 2.0])
def test_mg_per_kg_outside_protocol_range_is_a_hard_stop(mg_per_kg: float) -> None:
    plan, report = plan_dose(
        inputs(50.0), order=make_order(mg_per_kg=mg_per_kg), protocol=PROTOCOL, today=TODAY
    )
    assert plan is None
    assert "dose.mg_per_kg_out_of_range" in {f.code for f in report.errors}
    (finding,) = [f for f in report.errors if f.code == "dose.mg_per_kg_out_of_range"]
    assert f"{mg_per_kg:g} mg/kg" in finding.message
    assert "0.1–1 mg/kg" in finding.message
    assert not finding.overridable


@pytest.mark.parametrize(("mg_per_kg", "weight", "dose"), [(0.1, 80.0, 8.0), (1.0, 60.0, 60.0)])
def test_protocol_mg_per_kg_limits_are_accepted(
    mg_per_kg: float, weight: float, dose: float
) -> None:
    plan = planned(inputs(weight), make_order(mg_per_kg=mg_per_kg))
    assert plan.dose_mg == dose


def test_dose_above_order_maximum_is_refused_not_capped() -> None:
    # 0.5 mg/kg × 130 kg = 65 mg against an order maximum of 60 mg.
    plan, report = plan_dose(
        inputs(130.0), order=make_order(max_dose_mg=60.0), protocol=PROTOCOL, today=TODAY
    )
    assert plan is None
    (finding,) = report.errors
    assert finding.code == "dose.above_maximum"
    assert "65 mg" in finding.message
    assert "course order maximum of 60 mg" in finding.message
    assert "not capped" in finding.message


def test_dose_equal_to_order_maximum_is_allowed() -> None:
    plan = planned(inputs(120.0), make_order(max_dose_mg=60.0))
    assert plan.dose_mg == 60.0


def test_dose_above_protocol_maximum_is_refused_even_if_order_allows() -> None:
    # Order maximum 200 mg, protocol maximum 100 mg: 1.0 mg/kg × 110 kg = 110 mg.
    plan, report = plan_dose(
        inputs(110.0),
        order=make_order(mg_per_kg=1.0, max_dose_mg=200.0),
        protocol=PROTOCOL,
        today=TODAY,
    )
    assert plan is None
    (finding,) = report.errors
    assert finding.code == "dose.above_maximum"
    assert "protocol maximum of 100 mg" in finding.message


def test_undiluted_100_mg_ml_is_refused() -> None:
    plan, report = plan_dose(
        inputs(80.0, vial=100.0, bag=0.0), order=make_order(), protocol=PROTOCOL, today=TODAY
    )
    assert plan is None
    assert "dose.undiluted" in report.codes()
    # Diluted in a bag it is fine.
    assert planned(inputs(80.0, vial=100.0, bag=100.0)).drug_volume_ml == 0.4


# --- which weight --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("height_cm", "sex", "expected"),
    [
        (152.4, "male", 50.0),  # exactly 5 ft
        (152.4, "female", 45.5),
        (180.0, "male", 74.992),  # 50 + 2.3 × (70.866 − 60)
        (165.0, "female", 56.909),  # 45.5 + 2.3 × (64.961 − 60)
        (190.5, "male", 84.5),  # 75 in: 50 + 2.3 × 15
    ],
)
def test_devine_ideal_body_weight(height_cm: float, sex: str, expected: float) -> None:
    assert ideal_body_weight(height_cm, sex) == pytest.approx(expected, abs=0.001)  # type: ignore[arg-type]


@pytest.mark.parametrize("sex", ["other", "unknown"])
def test_devine_has_no_answer_without_male_or_female(sex: str) -> None:
    assert ideal_body_weight(180.0, sex) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("basis", [WeightBasis.IDEAL, WeightBasis.ADJUSTED])
def test_ibw_basis_needs_height(basis: WeightBasis) -> None:
    plan, report = plan_dose(
        inputs(100.0, sex="male"),
        order=make_order(weight_basis=basis),
        protocol=PROTOCOL,
        today=TODAY,
    )
    assert plan is None
    (finding,) = report.errors
    assert finding.code == "dose.weight_basis_incomplete"
    assert "height" in finding.message


@pytest.mark.parametrize("basis", [WeightBasis.IDEAL, WeightBasis.ADJUSTED])
@pytest.mark.parametrize("sex", ["other", "unknown"])
def test_ibw_basis_needs_male_or_female(basis: WeightBasis, sex: str) -> None:
    plan, report = plan_dose(
        inputs(100.0, height_cm=180.0, sex=sex),
        order=make_order(weight_basis=basis),
        protocol=PROTOCOL,
        today=TODAY,
    )
    assert plan is None
    (finding,) = report.errors
    assert finding.code == "dose.weight_basis_incomplete"
    assert "male or female" in finding.message


def test_ideal_weight_basis_dose() -> None:
    plan = planned(
        inputs(100.0, height_cm=180.0, sex="male"), make_order(weight_basis=WeightBasis.IDEAL)
    )
    assert plan.weight_kg == 100.0
    assert plan.dosing_weight_kg == pytest.approx(74.99, abs=0.01)
    assert plan.dose_mg == pytest.approx(37.5, abs=0.01)
    assert "ideal body weight (Devine, 180 cm)" in plan.formula


def test_adjusted_weight_basis_dose() -> None:
    # AdjBW = 74.992 + 0.4 × (100 − 74.992) = 84.995 kg → 42.50 mg.
    plan = planned(
        inputs(100.0, height_cm=180.0, sex="male"), make_order(weight_basis=WeightBasis.ADJUSTED)
    )
    assert plan.dosing_weight_kg == pytest.approx(85.0, abs=0.01)
    assert plan.dose_mg == pytest.approx(42.5, abs=0.01)
    assert "IBW 75.0 kg" in plan.formula


@pytest.mark.parametrize("basis", [WeightBasis.IDEAL, WeightBasis.ADJUSTED])
def test_ibw_basis_never_doses_above_actual_weight(basis: WeightBasis) -> None:
    # 60 kg man of 180 cm: IBW 75 kg is more than he weighs; dose on 60 kg.
    weight, _ = dosing_weight(60.0, basis, 180.0, "male")
    assert weight == 60.0


def test_actual_basis_ignores_height_and_sex() -> None:
    weight, words = dosing_weight(120.0, WeightBasis.ACTUAL, None, "unknown")
    assert (weight, words) == (120.0, "actual body weight")


# --- weight date -----------------------------------------------------------------------------------


def test_weight_older_than_protocol_limit_warns() -> None:
    plan, report = plan_dose(
        inputs(80.0, measured_on=TODAY - timedelta(days=31)),
        order=make_order(),
        protocol=PROTOCOL,
        today=TODAY,
    )
    assert plan is not None  # a warning, not a hard stop
    assert report.is_valid
    (finding,) = report.warnings
    assert finding.code == "dose.weight_stale"
    assert "31 days ago" in finding.message
    assert "30 days" in finding.message


def test_weight_exactly_at_age_limit_does_not_warn() -> None:
    plan, report = plan_dose(
        inputs(80.0, measured_on=TODAY - timedelta(days=30)),
        order=make_order(),
        protocol=PROTOCOL,
        today=TODAY,
    )
    assert plan is not None
    assert report.findings == ()


def test_weight_dated_in_the_future_is_refused() -> None:
    plan, report = plan_dose(
        inputs(80.0, measured_on=TODAY + timedelta(days=1)),
        order=make_order(),
        protocol=PROTOCOL,
        today=TODAY,
    )
    assert plan is None
    assert "dose.weight_date_future" in {f.code for f in report.errors}


# --- properties ------------------------------------------------------------------------------------

mg_per_kg_st = st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.8, 1.0])
weight_st = st.floats(min_value=25, max_value=350, allow_nan=False).map(lambda w: round(w, 1))
vial_st = st.sampled_from([10.0, 50.0, 100.0])
bag_st = st.sampled_from([40.0, 50.0, 100.0, 250.0, 500.0])
duration_st = st.integers(min_value=30, max_value=60)
step_st = st.sampled_from([0.1, 0.5, 1.0])
height_st = st.floats(min_value=150, max_value=210, allow_nan=False).map(lambda h: round(h, 1))
sex_st = st.sampled_from(["male", "female"])
basis_st = st.sampled_from(list(WeightBasis))


@settings(max_examples=200, deadline=None)
@given(
    mg_per_kg=mg_per_kg_st,
    weight=weight_st,
    vial=vial_st,
    bag=bag_st,
    duration=duration_st,
    step=step_st,
    height=height_st,
    sex=sex_st,
    basis=basis_st,
)
def test_plan_properties(
    mg_per_kg: float,
    weight: float,
    vial: float,
    bag: float,
    duration: int,
    step: float,
    height: float,
    sex: str,
    basis: WeightBasis,
) -> None:
    order = make_order(mg_per_kg=mg_per_kg, duration_min=duration, weight_basis=basis)
    plan, report = plan_dose(
        inputs(weight, vial=vial, bag=bag, height_cm=height, sex=sex),
        order=order,
        protocol=with_pump_step(step),
        today=TODAY,
    )
    # Independent dosing weight (CLINICAL.md §1.3).
    ibw = (50.0 if sex == "male" else 45.5) + 2.3 * (height / 2.54 - 60)
    expected_weight = {
        WeightBasis.ACTUAL: weight,
        WeightBasis.IDEAL: min(ibw, weight),
        WeightBasis.ADJUSTED: min(ibw + 0.4 * (weight - ibw), weight),
    }[basis]
    expected_dose = mg_per_kg * expected_weight
    if expected_dose > 100.0 + 0.01:
        assert plan is None
        assert "dose.above_maximum" in report.codes()
        return
    raw_rate = (bag + round(round(expected_dose, 2) / vial, 2)) * 60 / duration
    if raw_rate > 999 + step:
        # A pump cannot run that fast: refused in words, never a crash (CLINICAL.md §9.2).
        assert plan is None
        assert "dose.impossible" in report.codes()
        return
    if expected_dose < 100.0 - 0.01 and raw_rate < 999 - step:
        assert plan is not None, report.summary()
    if plan is None:
        return  # within rounding of the maximum: either answer is defensible
    assert plan.dosing_weight_kg <= weight + 1e-9
    assert plan.dosing_weight_kg == pytest.approx(expected_weight, abs=0.006)
    assert plan.dose_mg == pytest.approx(expected_dose, abs=0.006)
    assert plan.dose_mg == pytest.approx(plan.mg_per_kg * plan.dosing_weight_kg, abs=0.01)
    assert plan.drug_volume_ml == pytest.approx(plan.dose_mg / vial, abs=0.006)
    assert plan.final_volume_ml == pytest.approx(bag + plan.drug_volume_ml, abs=1e-6)
    # Concentration × final volume gives back the dose.
    assert plan.concentration_mg_ml * plan.final_volume_ml == pytest.approx(plan.dose_mg, abs=0.06)
    # Rate × duration gives back the final volume, within the pump's rounding.
    delivered = plan.rate_ml_h * duration / 60
    assert abs(delivered - plan.final_volume_ml) <= (step / 2) * duration / 60 + 1e-6
    # The rate is a whole number of pump steps.
    steps = plan.rate_ml_h / step
    assert math.isclose(steps, round(steps), abs_tol=1e-6)
    # Dose rate × duration = dose.
    assert plan.dose_rate_mg_h * duration / 60 == pytest.approx(plan.dose_mg, abs=0.01)
    if basis is not WeightBasis.ACTUAL:
        assert plan.dosing_weight_kg <= plan.weight_kg


@settings(max_examples=100, deadline=None)
@given(
    mg_per_kg=mg_per_kg_st, weight=weight_st, order_max=st.sampled_from([30.0, 50.0, 60.0, 80.0])
)
def test_never_capped_property(mg_per_kg: float, weight: float, order_max: float) -> None:
    plan, report = plan_dose(
        inputs(weight),
        order=make_order(mg_per_kg=mg_per_kg, max_dose_mg=order_max),
        protocol=PROTOCOL,
        today=TODAY,
    )
    dose = round(mg_per_kg * weight, 2)
    if dose > order_max:
        assert plan is None
        assert [f.code for f in report.errors] == ["dose.above_maximum"]
    else:
        assert plan is not None
        assert plan.dose_mg == pytest.approx(dose)


# --- the stored record of a plan ----------------------------------------------------------------


def _dose_planned(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "course_id": "course-1",
        "mg_per_kg": 0.5,
        "weight_kg": 72.0,
        "weight_measured_on": "2026-11-24",
        "weight_basis": "actual",
        "dosing_weight_kg": 72.0,
        "dose_mg": 36.0,
        "vial_concentration_mg_ml": 10.0,
        "drug_volume_ml": 3.6,
        "bag_volume_ml": 100.0,
        "final_volume_ml": 103.6,
        "concentration_mg_ml": 0.3475,
        "duration_min": 40,
        "rate_ml_h": 155.4,
        "rate_step_ml_h": 0.1,
        "formula": "Dose = 0.5 mg/kg × 72 kg = 36 mg",
    }
    body.update(changes)
    return body


def test_dose_planned_record_accepts_consistent_numbers() -> None:
    assert DosePlanned.model_validate(_dose_planned()).dose_mg == 36.0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dose_mg", 360.0),  # 0.5 mg/kg × 72 kg is 36 mg
        ("drug_volume_ml", 36.0),  # 36 mg ÷ 10 mg/mL is 3.6 mL
        ("final_volume_ml", 100.0),  # bag + drug is 103.6 mL
        ("concentration_mg_ml", 0.36),  # 36 ÷ 103.6 is 0.3475
        ("rate_ml_h", 200.0),  # 103.6 mL over 40 min is 155.4 mL/h
        ("dosing_weight_kg", 80.0),  # more than the 72 kg the patient weighs
    ],
)
def test_dose_planned_record_refuses_numbers_that_do_not_add_up(field: str, value: float) -> None:
    with pytest.raises(pydantic.ValidationError, match="does not add up"):
        DosePlanned.model_validate(_dose_planned(**{field: value}))


def _record_of(plan: DosePlan) -> dict[str, object]:
    return {
        "course_id": "course-1",
        "mg_per_kg": plan.mg_per_kg,
        "weight_kg": plan.weight_kg,
        "weight_measured_on": TODAY,
        "height_cm": 180.0,
        "weight_basis": plan.weight_basis,
        "dosing_weight_kg": plan.dosing_weight_kg,
        "dose_mg": plan.dose_mg,
        "vial_concentration_mg_ml": plan.vial_concentration_mg_ml,
        "drug_volume_ml": plan.drug_volume_ml,
        "bag_volume_ml": plan.bag_volume_ml,
        "final_volume_ml": plan.final_volume_ml,
        "concentration_mg_ml": plan.concentration_mg_ml,
        "duration_min": plan.duration_min,
        "rate_ml_h": plan.rate_ml_h,
        "rate_step_ml_h": plan.rate_step_ml_h,
        "formula": plan.formula,
    }


@settings(max_examples=150, deadline=None)
@given(
    mg_per_kg=mg_per_kg_st,
    weight=st.floats(min_value=25, max_value=100, allow_nan=False).map(lambda w: round(w, 2)),
    vial=vial_st,
    bag=st.sampled_from([40.0, 50.0, 100.0, 250.0]),
    duration=duration_st,
    step=step_st,
    sex=sex_st,
    basis=basis_st,
)
def test_every_computed_plan_is_a_valid_record(
    mg_per_kg: float,
    weight: float,
    vial: float,
    bag: float,
    duration: int,
    step: float,
    sex: str,
    basis: WeightBasis,
) -> None:
    plan, _ = plan_dose(
        inputs(weight, vial=vial, bag=bag, height_cm=180.0, sex=sex),
        order=make_order(mg_per_kg=mg_per_kg, duration_min=duration, weight_basis=basis),
        protocol=with_pump_step(step),
        today=TODAY,
    )
    assert plan is not None
    DosePlanned.model_validate(_record_of(plan))


def test_plan_rounded_to_a_coarse_pump_step_is_a_valid_record() -> None:
    plan = planned(inputs(80.0), protocol=with_pump_step(5.0))
    assert plan.rate_ml_h == 150.0
    DosePlanned.model_validate(_record_of(plan))


def test_plan_with_an_impossible_pump_rate_is_refused_naming_the_rate() -> None:
    # 40 mg = 0.8 mL of 50 mg/mL into a 500 mL bag: 500.8 mL × 60 ÷ 30 min = 1001.6 mL/h,
    # above the pump's 999 mL/h: a hard stop, not a plan and not a crash.
    plan, report = plan_dose(
        inputs(80.0, bag=500.0), order=make_order(duration_min=30), protocol=PROTOCOL, today=TODAY
    )
    assert plan is None
    assert not report.is_valid
    (finding,) = report.findings
    assert finding.code == "dose.impossible"
    assert finding.severity is Severity.ERROR
    assert not finding.overridable
    assert finding.message == (
        "Pump rate 1001.6 mL/h is not possible (allowed 0.1–999 mL/h): "
        "change the bag volume or duration"
    )
