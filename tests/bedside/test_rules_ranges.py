"""Possible (plausibility) ranges: impossible values are refused with words a nurse can act on,
abnormal-but-possible values are accepted (CLINICAL.md §9.2).

The limits are written out here from CLINICAL.md §9.2, not read from bedside.ranges.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside import ranges
from bedside.errors import InputRejected
from bedside.events import BaselineVitals, InfusionStarted, VitalsRecorded
from bedside.ranges import PossibleRange
from bedside.validation import parse

# name in bedside.ranges, label, low, high, unit
DECLARED = [
    ("SYSTOLIC", "Systolic BP", 40, 300, "mmHg"),
    ("DIASTOLIC", "Diastolic BP", 20, 200, "mmHg"),
    ("HEART_RATE", "Heart rate", 20, 250, "/min"),
    ("SPO2", "SpO2", 50, 100, "%"),
    ("RESP_RATE", "Respiratory rate", 3, 60, "/min"),
    ("TEMPERATURE", "Temperature", 30, 43, "°C"),
    ("O2_FLOW", "Oxygen flow", 0.5, 15, "L/min"),
    ("WEIGHT", "Weight", 25, 350, "kg"),
    ("HEIGHT", "Height", 100, 250, "cm"),
    ("DOSE_MG_PER_KG", "Dose", 0.01, 2.0, "mg/kg"),
    ("DURATION", "Infusion duration", 5, 240, "min"),
    ("PUMP_RATE", "Pump rate", 0.1, 999, "mL/h"),
    ("BAG_VOLUME", "Bag volume", 10, 1000, "mL"),
    ("VIAL_CONCENTRATION", "Vial concentration", 1, 100, "mg/mL"),
    ("VIAL_VOLUME", "Vial volume", 0.5, 50, "mL"),
    ("DRUG_AMOUNT_MG", "Amount", 0, 1000, "mg"),
    ("DRUG_VOLUME_ML", "Volume", 0, 1000, "mL"),
]


@pytest.mark.parametrize(("name", "label", "low", "high", "unit"), DECLARED)
def test_range_accepts_its_limits_and_refuses_just_outside(
    name: str, label: str, low: float, high: float, unit: str
) -> None:
    spec: PossibleRange = getattr(ranges, name)
    assert (spec.label, spec.low, spec.high, spec.unit) == (label, low, high, unit)
    assert spec.check(low) == low
    assert spec.check(high) == high
    assert spec.check((low + high) / 2) == (low + high) / 2
    step = 0.01 if isinstance(low, float) or low == 0 or high <= 2 else 1
    for outside in (low - step, high + step):
        with pytest.raises(ValueError, match="is not possible") as info:
            spec.check(outside)
        message = str(info.value)
        assert message.startswith(f"{label} {outside:g}")
        assert f"(allowed {low:g}–{high:g} {unit})" in message


def test_nan_is_not_a_possible_value() -> None:
    with pytest.raises(ValueError, match="not possible"):
        ranges.TEMPERATURE.check(float("nan"))
    with pytest.raises(ValueError, match="not possible"):
        ranges.WEIGHT.check(float("inf"))


# --- through the vitals model, as a nurse meets them ---------------------------------------------


def rejected(data: dict[str, object], model: type = VitalsRecorded) -> str:
    with pytest.raises(InputRejected) as info:
        parse(model, data)
    return str(info.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"spo2": 101}, "SpO2 101 % is not possible (allowed 50–100 %)"),
        ({"spo2": 49}, "SpO2 49 % is not possible (allowed 50–100 %)"),
        (
            {"systolic": 301, "diastolic": 80},
            "Systolic BP 301 mmHg is not possible (allowed 40–300 mmHg)",
        ),
        (
            {"systolic": 39, "diastolic": 20},
            "Systolic BP 39 mmHg is not possible (allowed 40–300 mmHg)",
        ),
        (
            {"systolic": 250, "diastolic": 201},
            "Diastolic BP 201 mmHg is not possible (allowed 20–200 mmHg)",
        ),
        (
            {"systolic": 120, "diastolic": 19},
            "Diastolic BP 19 mmHg is not possible (allowed 20–200 mmHg)",
        ),
        ({"heart_rate": 19}, "Heart rate 19 /min is not possible (allowed 20–250 /min)"),
        ({"heart_rate": 251}, "Heart rate 251 /min is not possible (allowed 20–250 /min)"),
        ({"resp_rate": 2}, "Respiratory rate 2 /min is not possible (allowed 3–60 /min)"),
        ({"resp_rate": 61}, "Respiratory rate 61 /min is not possible (allowed 3–60 /min)"),
        ({"temperature_c": 29.9}, "Temperature 29.9 °C is not possible (allowed 30–43 °C)"),
        ({"temperature_c": 43.1}, "Temperature 43.1 °C is not possible (allowed 30–43 °C)"),
        ({"weight_kg": 24.9}, "Weight 24.9 kg is not possible (allowed 25–350 kg)"),
        ({"weight_kg": 351}, "Weight 351 kg is not possible (allowed 25–350 kg)"),
        (
            {"spo2": 97, "height_cm": 99},
            "Height 99 cm is not possible (allowed 100–250 cm)",
        ),
        (
            {"spo2": 90, "on_oxygen": True, "o2_flow_l_min": 16},
            "Oxygen flow 16 L/min is not possible (allowed 0.5–15 L/min)",
        ),
    ],
)
def test_impossible_vitals_are_refused_naming_field_value_and_range(
    data: dict[str, object], message: str
) -> None:
    assert message in rejected(data)


@pytest.mark.parametrize(
    "data",
    [
        {"spo2": 50},
        {"spo2": 100},
        {"systolic": 40, "diastolic": 20},
        {"systolic": 300, "diastolic": 200},
        {"heart_rate": 20},
        {"heart_rate": 250},
        {"resp_rate": 3},
        {"resp_rate": 60},
        {"temperature_c": 30.0},
        {"temperature_c": 43.0},
        {"weight_kg": 25},
        {"weight_kg": 350},
        {"spo2": 97, "height_cm": 100},
        {"spo2": 97, "height_cm": 250},
        {"spo2": 90, "on_oxygen": True, "o2_flow_l_min": 0.5},
        {"spo2": 90, "on_oxygen": True, "o2_flow_l_min": 15},
    ],
)
def test_limits_themselves_are_possible(data: dict[str, object]) -> None:
    vitals = parse(VitalsRecorded, data)
    assert isinstance(vitals, VitalsRecorded)
    # Accepted as charted: the limit value is kept, not clamped, rounded or dropped.
    assert {key: getattr(vitals, key) for key in data} == data


def test_baseline_vitals_use_the_same_ranges() -> None:
    assert "SpO2 101 % is not possible" in rejected({"spo2": 101}, BaselineVitals)


def test_fahrenheit_temperature_is_refused_with_a_hint() -> None:
    message = rejected({"temperature_c": 98.6})
    assert "Temperature 98.6 °C is not possible (allowed 30–43 °C)" in message
    assert "°F" in message
    assert "convert to °C" in message


def test_non_integer_spo2_is_refused_naming_the_field() -> None:
    message = rejected({"spo2": 97.5})
    assert message.startswith("SpO2")


def test_every_problem_is_reported_one_per_line() -> None:
    lines = rejected({"spo2": 101, "heart_rate": 300}).splitlines()
    assert len(lines) == 2
    assert any(line.startswith("SpO2 101 %") for line in lines)
    assert any(line.startswith("Heart rate 300 /min") for line in lines)


@pytest.mark.parametrize(("sbp", "dbp"), [(120, 120), (80, 90), (41, 200)])
def test_systolic_not_above_diastolic_is_refused(sbp: int, dbp: int) -> None:
    message = rejected({"systolic": sbp, "diastolic": dbp})
    assert f"Systolic BP {sbp} must be higher than diastolic {dbp}" in message


@pytest.mark.parametrize("half", [{"systolic": 120}, {"diastolic": 80}])
def test_half_a_blood_pressure_is_refused(half: dict[str, int]) -> None:
    assert "blood pressure needs both systolic and diastolic" in rejected({**half, "spo2": 97})


def test_empty_vitals_set_is_refused() -> None:
    assert "at least one value" in rejected({})
    assert "at least one value" in rejected({"on_oxygen": True})


def test_oxygen_flow_without_oxygen_ticked_is_refused() -> None:
    assert "on oxygen" in rejected({"spo2": 95, "o2_flow_l_min": 2})


@pytest.mark.parametrize(
    "data",
    [
        {"spo2": 85},
        {"systolic": 210, "diastolic": 120},
        {"systolic": 85, "diastolic": 45},
        {"heart_rate": 35},
        {"heart_rate": 150},
        {"resp_rate": 6},
        {"resp_rate": 30},
        {"temperature_c": 35.0},
        {"temperature_c": 39.5},
        {"weight_kg": 180},
    ],
)
def test_abnormal_but_possible_values_are_accepted(data: dict[str, object]) -> None:
    parsed = parse(VitalsRecorded, data)
    for key, value in data.items():
        assert getattr(parsed, key) == value


def test_pump_rate_range_applies_to_infusion_events() -> None:
    message = rejected({"rate_ml_h": 0, "vtbi_ml": 100}, InfusionStarted)
    assert "Pump rate 0 mL/h is not possible (allowed 0.1–999 mL/h)" in message


# --- properties --------------------------------------------------------------------------------

SINGLE = {
    "spo2": (50, 100),
    "heart_rate": (20, 250),
    "resp_rate": (3, 60),
}


@settings(max_examples=60, deadline=None)
@given(field=st.sampled_from(sorted(SINGLE)), data=st.data())
def test_any_integer_in_range_is_accepted(field: str, data: st.DataObject) -> None:
    low, high = SINGLE[field]
    value = data.draw(st.integers(min_value=low, max_value=high))
    assert getattr(parse(VitalsRecorded, {field: value}), field) == value


@settings(max_examples=60, deadline=None)
@given(field=st.sampled_from(sorted(SINGLE)), data=st.data())
def test_any_integer_out_of_range_is_refused(field: str, data: st.DataObject) -> None:
    low, high = SINGLE[field]
    value = data.draw(
        st.one_of(
            st.integers(min_value=-10_000, max_value=low - 1),
            st.integers(min_value=high + 1, max_value=10_000),
        )
    )
    with pytest.raises(InputRejected, match=rf"{value} .* is not possible"):
        parse(VitalsRecorded, {field: value})


@settings(max_examples=80, deadline=None)
@given(sbp=st.integers(min_value=40, max_value=300), data=st.data())
def test_any_possible_blood_pressure_is_accepted(sbp: int, data: st.DataObject) -> None:
    dbp = data.draw(st.integers(min_value=20, max_value=min(200, sbp - 1)))
    parsed = parse(VitalsRecorded, {"systolic": sbp, "diastolic": dbp})
    assert (parsed.systolic, parsed.diastolic) == (sbp, dbp)


@settings(max_examples=60, deadline=None)
@given(
    sbp=st.one_of(
        st.integers(min_value=-500, max_value=39), st.integers(min_value=301, max_value=2000)
    )
)
def test_any_impossible_systolic_is_refused(sbp: int) -> None:
    with pytest.raises(InputRejected, match="Systolic BP"):
        parse(VitalsRecorded, {"systolic": sbp, "diastolic": 30})


@settings(max_examples=60, deadline=None)
@given(temp=st.floats(min_value=30, max_value=43, allow_nan=False))
def test_any_temperature_in_range_is_accepted(temp: float) -> None:
    assert parse(VitalsRecorded, {"temperature_c": temp}).temperature_c == temp


@settings(max_examples=60, deadline=None)
@given(temp=st.floats(min_value=86, max_value=110, allow_nan=False))
def test_any_fahrenheit_looking_temperature_is_refused_with_the_hint(temp: float) -> None:
    with pytest.raises(InputRejected, match="°F"):
        parse(VitalsRecorded, {"temperature_c": temp})
