"""Tests for bedside.scales: definitions, validation, totals, bands, flags and helpers.

Expected values are written out from CLINICAL.md (§3, §5.1, §5.2, §8.1), not derived from the
definitions under test.
"""

from __future__ import annotations

import math
import pickle
from types import MappingProxyType

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.scales import (
    ScaleDefinition,
    ScaleFlag,
    ScaleInputError,
    ScaleName,
    ScaleScore,
    aldrete_circulation,
    aldrete_spo2,
    all_definitions,
    definition,
    padss_vital_signs,
    score,
)

PHQ9_KEYS = (
    "q1_interest",
    "q2_depressed",
    "q3_sleep",
    "q4_energy",
    "q5_appetite",
    "q6_self_worth",
    "q7_concentration",
    "q8_psychomotor",
    "q9_self_harm",
)
ALDRETE_KEYS = ("activity", "respiration", "circulation", "consciousness", "spo2")
PADSS_KEYS = (
    "vital_signs",
    "activity_mental_status",
    "pain_nausea_vomiting",
    "bleeding",
    "intake_output",
)
CADSS6_KEYS = ("item_01", "item_02", "item_06", "item_07", "item_15", "item_22")
CSSRS_KEYS = (
    "q1_wish_dead",
    "q2_active_thoughts",
    "q3_method",
    "q4_intent",
    "q5_plan",
    "q6_behaviour",
    "q6_recent",
)

EXPECTED_KEYS: dict[ScaleName, tuple[str, ...]] = {
    ScaleName.MOAAS: ("response",),
    ScaleName.RASS: ("score",),
    ScaleName.CADSS6: CADSS6_KEYS,
    ScaleName.ALDRETE: ALDRETE_KEYS,
    ScaleName.PADSS: PADSS_KEYS,
    ScaleName.PHQ9: PHQ9_KEYS,
    ScaleName.CSSRS: CSSRS_KEYS,
}

# Scales whose items are all always asked (every scale except the C-SSRS screener).
UNCONDITIONAL = [n for n in ScaleName if n is not ScaleName.CSSRS]


def same(keys: tuple[str, ...], value: int) -> dict[str, int]:
    return dict.fromkeys(keys, value)


def phq9(total: int, *, q9: int = 0) -> dict[str, int]:
    """PHQ-9 answers adding up to ``total`` with item 9 fixed at ``q9``."""
    answers = same(PHQ9_KEYS, 0)
    answers["q9_self_harm"] = q9
    remaining = total - q9
    for key in PHQ9_KEYS[:-1]:
        answers[key] = min(3, remaining)
        remaining -= answers[key]
    assert remaining == 0, "test helper asked for an impossible total"
    return answers


def cssrs(**yes: int) -> dict[str, int]:
    """Screener answers: q1, q2 and q6 default to no; pass conditional items explicitly."""
    answers = {"q1_wish_dead": 0, "q2_active_thoughts": 0, "q6_behaviour": 0}
    answers.update(yes)
    return answers


# --- definitions ---------------------------------------------------------------------------


def test_all_definitions_cover_every_scale_once_in_enum_order() -> None:
    defs = all_definitions()
    assert [d.name for d in defs] == list(ScaleName)
    assert all(isinstance(d, ScaleDefinition) for d in defs)


@pytest.mark.parametrize("name", list(ScaleName))
def test_definition_keys_and_metadata(name: ScaleName) -> None:
    defn = definition(name)
    assert defn.name is name
    assert defn.keys == EXPECTED_KEYS[name]
    assert defn.title
    assert defn.source
    assert all(item.text for item in defn.items)


def test_scale_names_are_the_stored_values() -> None:
    assert [n.value for n in ScaleName] == [
        "moaas",
        "rass",
        "cadss6",
        "aldrete",
        "padss",
        "phq9",
        "cssrs_screen",
    ]


def test_definition_accepts_stored_string_value() -> None:
    assert definition("phq9") is definition(ScaleName.PHQ9)


def test_unknown_scale_raises() -> None:
    with pytest.raises(ScaleInputError, match="unknown scale 'bprs'"):
        score("bprs", {})
    with pytest.raises(ScaleInputError):
        definition("madrs")


@pytest.mark.parametrize("name", [ScaleName.CADSS6, ScaleName.CSSRS])
def test_copyrighted_scales_carry_a_paraphrase_licence_note(name: ScaleName) -> None:
    assert "paraphrase" in definition(name).licence_note


def test_moaas_option_labels_follow_clinical_table() -> None:
    item = definition(ScaleName.MOAAS).item("response")
    assert [o.value for o in item.options] == [5, 4, 3, 2, 1, 0]
    assert "normal tone" in item.option_label(5)
    assert "painful trapezius squeeze" in item.option_label(1)
    assert item.option_label(0).startswith("Does not respond")


def test_cssrs_conditional_items() -> None:
    defn = definition(ScaleName.CSSRS)
    conditions = {item.key: item.required_if for item in defn.items}
    assert conditions == {
        "q1_wish_dead": None,
        "q2_active_thoughts": None,
        "q3_method": ("q2_active_thoughts", 1),
        "q4_intent": ("q2_active_thoughts", 1),
        "q5_plan": ("q2_active_thoughts", 1),
        "q6_behaviour": None,
        "q6_recent": ("q6_behaviour", 1),
    }


def test_padss_bleeding_item_is_iv_site() -> None:
    assert "IV-site" in definition(ScaleName.PADSS).item("bleeding").text


# --- minimum and maximum totals ------------------------------------------------------------

MIN_MAX_CASES = [
    (ScaleName.MOAAS, {"response": 0}, 0, {"response": 5}, 5),
    (ScaleName.RASS, {"score": -5}, -5, {"score": 4}, 4),
    (ScaleName.CADSS6, same(CADSS6_KEYS, 0), 0, same(CADSS6_KEYS, 4), 24),
    (ScaleName.ALDRETE, same(ALDRETE_KEYS, 0), 0, same(ALDRETE_KEYS, 2), 10),
    (ScaleName.PADSS, same(PADSS_KEYS, 0), 0, same(PADSS_KEYS, 2), 10),
    (ScaleName.PHQ9, same(PHQ9_KEYS, 0), 0, same(PHQ9_KEYS, 3), 27),
    (ScaleName.CSSRS, cssrs(), 0, same(CSSRS_KEYS, 1), 7),
]


@pytest.mark.parametrize(
    ("name", "low", "low_total", "high", "high_total"),
    MIN_MAX_CASES,
    ids=[c[0].value for c in MIN_MAX_CASES],
)
def test_min_and_max_totals(
    name: ScaleName,
    low: dict[str, int],
    low_total: int,
    high: dict[str, int],
    high_total: int,
) -> None:
    defn = definition(name)
    assert (defn.min_total, defn.max_total) == (low_total, high_total)
    assert score(name, low).total == low_total
    assert score(name, high).total == high_total


# --- validation ----------------------------------------------------------------------------


def test_phq9_out_of_range_message_is_exact() -> None:
    with pytest.raises(ScaleInputError) as info:
        score(ScaleName.PHQ9, phq9(0) | {"q9_self_harm": 4})
    assert str(info.value) == "PHQ-9 item q9_self_harm: 4 is not allowed (allowed 0–3)"
    assert info.value.scale is ScaleName.PHQ9
    assert info.value.item_key == "q9_self_harm"


OUT_OF_RANGE = [
    (ScaleName.MOAAS, {"response": 6}, "response", "MOAA/S", "0–5"),
    (ScaleName.MOAAS, {"response": -1}, "response", "MOAA/S", "0–5"),
    (ScaleName.RASS, {"score": 5}, "score", "RASS", "-5 to +4"),
    (ScaleName.RASS, {"score": -6}, "score", "RASS", "-5 to +4"),
    (ScaleName.CADSS6, same(CADSS6_KEYS, 0) | {"item_22": 5}, "item_22", "CADSS-6", "0–4"),
    (ScaleName.ALDRETE, same(ALDRETE_KEYS, 2) | {"spo2": 3}, "spo2", "Modified Aldrete", "0–2"),
    (ScaleName.PADSS, same(PADSS_KEYS, 2) | {"bleeding": -1}, "bleeding", "PADSS", "0–2"),
    (ScaleName.PHQ9, phq9(0) | {"q1_interest": 4}, "q1_interest", "PHQ-9", "0–3"),
    (ScaleName.CSSRS, cssrs(q1_wish_dead=2), "q1_wish_dead", "C-SSRS screener", "0–1"),
]


@pytest.mark.parametrize(
    ("name", "answers", "key", "scale_label", "allowed"),
    OUT_OF_RANGE,
    ids=[f"{c[0].value}-{c[2]}-{next(iter(c[1].values()))}" for c in OUT_OF_RANGE],
)
def test_out_of_range_names_scale_item_and_allowed_range(
    name: ScaleName, answers: dict[str, int], key: str, scale_label: str, allowed: str
) -> None:
    with pytest.raises(ScaleInputError) as info:
        score(name, answers)
    message = str(info.value)
    assert message.startswith(f"{scale_label} item {key}:")
    assert f"(allowed {allowed})" in message
    assert info.value.item_key == key


@pytest.mark.parametrize("bad", [1.0, "2", True, None])
def test_non_integer_answers_are_rejected(bad: object) -> None:
    answers: dict[str, object] = dict(phq9(0))
    answers["q3_sleep"] = bad
    with pytest.raises(ScaleInputError, match=r"q3_sleep: .* not a whole number \(allowed 0–3\)"):
        score(ScaleName.PHQ9, answers)  # type: ignore[arg-type]


def test_error_is_a_value_error_and_survives_pickling() -> None:
    with pytest.raises(ValueError, match="RASS") as info:
        score(ScaleName.RASS, {"score": 9})
    copy = pickle.loads(pickle.dumps(info.value))
    assert isinstance(copy, ScaleInputError)
    assert (str(copy), copy.scale, copy.item_key) == (str(info.value), ScaleName.RASS, "score")


@pytest.mark.parametrize("name", list(ScaleName))
def test_unknown_item_key_raises_and_lists_valid_keys(name: ScaleName) -> None:
    valid = MIN_MAX_CASES[list(ScaleName).index(name)][1]
    with pytest.raises(ScaleInputError) as info:
        score(name, {**valid, "notes": 1})
    message = str(info.value)
    assert "unknown item key 'notes'" in message
    assert EXPECTED_KEYS[name][0] in message
    assert info.value.item_key == "notes"


MISSING_CASES = [(name, key) for name in UNCONDITIONAL for key in EXPECTED_KEYS[name]] + [
    (ScaleName.CSSRS, key) for key in ("q1_wish_dead", "q2_active_thoughts", "q6_behaviour")
]


@pytest.mark.parametrize(
    ("name", "key"), MISSING_CASES, ids=[f"{n.value}-{k}" for n, k in MISSING_CASES]
)
def test_missing_item_raises_naming_the_item(name: ScaleName, key: str) -> None:
    valid = dict(MIN_MAX_CASES[list(ScaleName).index(name)][1])
    del valid[key]
    with pytest.raises(ScaleInputError, match=rf"item {key}: no answer given \(allowed "):
        score(name, valid)


def test_empty_answers_raise() -> None:
    with pytest.raises(ScaleInputError, match="item q1_interest: no answer given"):
        score(ScaleName.PHQ9, {})


def test_any_mapping_is_accepted_and_not_mutated() -> None:
    answers = MappingProxyType(phq9(12, q9=1))
    result = score(ScaleName.PHQ9, answers)
    assert result.total == 12
    assert dict(answers) == phq9(12, q9=1)


# --- MOAA/S ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "band", "flagged"),
    [
        (5, "alert", False),
        (4, "lethargic", False),
        (3, "loud_voice", False),
        (2, "prodding", True),
        (1, "painful_stimulus", True),
        (0, "unresponsive", True),
    ],
)
def test_moaas_bands_and_unresponsive_to_voice_flag(level: int, band: str, flagged: bool) -> None:
    result = score(ScaleName.MOAAS, {"response": level})
    assert result.total == level
    assert result.band == band
    assert result.band_label.startswith(f"MOAA/S {level}:")
    assert result.flags == (("moaas_unresponsive_to_voice",) if flagged else ())


# --- RASS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "band", "flags"),
    [
        (4, "combative", ("rass_agitation",)),
        (3, "very_agitated", ("rass_agitation",)),
        (2, "agitated", ("rass_agitation",)),
        (1, "restless", ()),
        (0, "alert_calm", ()),
        (-1, "drowsy", ()),
        (-2, "light_sedation", ()),
        (-3, "moderate_sedation", ("rass_deep_sedation",)),
        (-4, "deep_sedation", ("rass_deep_sedation",)),
        (-5, "unarousable", ("rass_deep_sedation",)),
    ],
)
def test_rass_levels_including_negative(level: int, band: str, flags: tuple[str, ...]) -> None:
    result = score(ScaleName.RASS, {"score": level})
    assert result.total == level
    assert result.band == band
    assert result.flags == flags
    assert result.band_label.startswith(f"RASS {level:+d} ")


# --- CADSS-6 ---------------------------------------------------------------------------------


def test_cadss6_zero_is_none() -> None:
    result = score(ScaleName.CADSS6, same(CADSS6_KEYS, 0))
    assert (result.total, result.band, result.flags) == (0, "none", ())


@pytest.mark.parametrize("total", [1, 5, 24])
def test_cadss6_any_symptom_is_present_without_cut_off(total: int) -> None:
    answers = same(CADSS6_KEYS, 0)
    remaining = total
    for key in CADSS6_KEYS:
        answers[key] = min(4, remaining)
        remaining -= answers[key]
    result = score(ScaleName.CADSS6, answers)
    assert result.total == total
    assert result.band == "present"
    assert "no validated cut-off" in result.band_label


# --- Aldrete and PADSS -----------------------------------------------------------------------


@pytest.mark.parametrize("total", [8, 9, 10])
def test_aldrete_has_no_hard_coded_discharge_threshold(total: int) -> None:
    answers = same(ALDRETE_KEYS, 2)
    for key in ALDRETE_KEYS[: 10 - total]:
        answers[key] = 1
    result = score(ScaleName.ALDRETE, answers)
    assert (result.total, result.band, result.band_label) == (
        total,
        "scored",
        f"Aldrete {total}/10",
    )
    assert result.flags == ()


def test_padss_scores_sum_with_single_band() -> None:
    answers = {
        "vital_signs": 2,
        "activity_mental_status": 1,
        "pain_nausea_vomiting": 2,
        "bleeding": 2,
        "intake_output": 0,
    }
    result = score(ScaleName.PADSS, answers)
    assert (result.total, result.band, result.band_label) == (7, "scored", "PADSS 7/10")


@pytest.mark.parametrize(
    ("current", "baseline", "expected"),
    [
        (120, 120, 2),
        (140, 120, 2),  # +20 mmHg: within ±20
        (100, 120, 2),  # −20 mmHg
        (141, 120, 1),  # +21
        (99, 120, 1),  # −21
        (170, 120, 1),  # +50
        (70, 120, 1),  # −50
        (171, 120, 0),  # +51
        (69, 120, 0),  # −51
    ],
)
def test_aldrete_circulation_mmhg_boundaries(current: int, baseline: int, expected: int) -> None:
    assert aldrete_circulation(current, baseline, variant="mmhg") == expected


@pytest.mark.parametrize(
    ("current", "baseline", "expected"),
    [
        (120, 100, 2),  # +20%: within ±20%
        (80, 100, 2),  # −20%
        (121, 100, 1),  # +21%
        (79, 100, 1),  # −21%
        (149, 100, 1),  # +49%
        (51, 100, 1),  # −49%
        (150, 100, 0),  # +50%
        (50, 100, 0),  # −50%
        (156, 130, 2),  # exactly +20% of 130 (26 mmHg)
        (157, 130, 1),
        (194, 130, 1),
        (195, 130, 0),  # exactly +50% of 130 (65 mmHg)
        (160, 120, 1),  # +40 mmHg: 1 by percent (33%), 1 by mmHg too
    ],
)
def test_aldrete_circulation_percent_boundaries(current: int, baseline: int, expected: int) -> None:
    assert aldrete_circulation(current, baseline, variant="percent") == expected


def test_aldrete_circulation_variants_differ_where_they_should() -> None:
    # +25 mmHg from 150 is ~16.7%: outside ±20 mmHg but within ±20%.
    assert aldrete_circulation(175, 150, variant="mmhg") == 1
    assert aldrete_circulation(175, 150, variant="percent") == 2


@pytest.mark.parametrize(
    ("current", "baseline", "variant"),
    [(0, 120, "mmhg"), (120, 0, "percent"), (-5, 120, "mmhg"), (True, 120, "mmhg")],
)
def test_aldrete_circulation_rejects_impossible_pressures(
    current: int, baseline: int, variant: str
) -> None:
    with pytest.raises(ScaleInputError, match="circulation"):
        aldrete_circulation(current, baseline, variant=variant)  # type: ignore[arg-type]


def test_aldrete_circulation_rejects_unknown_variant() -> None:
    with pytest.raises(ScaleInputError, match="unknown variant 'kpa'"):
        aldrete_circulation(120, 120, variant="kpa")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spo2", "on_oxygen", "expected"),
    [
        (100, False, 2),
        (93, False, 2),
        (92, False, 1),
        (91, False, 1),
        (90, False, 0),
        (99, True, 1),
        (91, True, 1),
        (90, True, 0),
        (85, True, 0),
    ],
)
def test_aldrete_spo2(spo2: int, on_oxygen: bool, expected: int) -> None:
    assert aldrete_spo2(spo2, on_oxygen) == expected


@pytest.mark.parametrize("spo2", [-1, 101])
def test_aldrete_spo2_rejects_impossible_values(spo2: int) -> None:
    with pytest.raises(ScaleInputError, match=r"spo2: .*allowed 0–100"):
        aldrete_spo2(spo2, False)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (0.0, 2),
        (0.2, 2),
        (0.2001, 1),
        (0.4, 1),
        (0.4001, 0),
        (-0.2, 2),
        (-0.3, 1),
        (-0.5, 0),
        (1, 0),
    ],
)
def test_padss_vital_signs(change: float, expected: int) -> None:
    assert padss_vital_signs(change) == expected


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, True, "0.1"])
def test_padss_vital_signs_rejects_non_finite(bad: object) -> None:
    with pytest.raises(ScaleInputError, match="vital_signs"):
        padss_vital_signs(bad)  # type: ignore[arg-type]


# --- PHQ-9 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_band_boundaries(total: int, band: str) -> None:
    result = score(ScaleName.PHQ9, phq9(total, q9=min(total, 3)))
    assert result.total == total
    assert result.band == band


def test_phq9_band_label_words() -> None:
    assert score(ScaleName.PHQ9, phq9(12)).band_label == "Moderate depression (10–14)"


@pytest.mark.parametrize("q9", [1, 2, 3])
def test_phq9_item9_flag_raised_even_at_minimal_total(q9: int) -> None:
    result = score(ScaleName.PHQ9, phq9(q9, q9=q9))
    assert result.flags == ("phq9_item9_positive",)
    assert result.band == "minimal"


def test_phq9_no_item9_flag_when_item9_zero_even_if_severe() -> None:
    result = score(ScaleName.PHQ9, phq9(24, q9=0))
    assert result.band == "severe"
    assert result.flags == ()


# --- C-SSRS screener -------------------------------------------------------------------------

CSSRS_CASES = [
    ("all_no", cssrs(), "none", (), 0),
    ("wish_only", cssrs(q1_wish_dead=1), "low", (), 1),
    (
        "thoughts_no_method",
        cssrs(q1_wish_dead=1, q2_active_thoughts=1, q3_method=0, q4_intent=0, q5_plan=0),
        "low",
        (),
        2,
    ),
    (
        "method",
        cssrs(q2_active_thoughts=1, q3_method=1, q4_intent=0, q5_plan=0),
        "moderate",
        ("cssrs_moderate_risk",),
        2,
    ),
    (
        "lifetime_behaviour_not_recent",
        cssrs(q6_behaviour=1, q6_recent=0),
        "moderate",
        ("cssrs_moderate_risk",),
        1,
    ),
    (
        "intent",
        cssrs(q2_active_thoughts=1, q3_method=0, q4_intent=1, q5_plan=0),
        "high",
        ("cssrs_high_risk",),
        2,
    ),
    (
        "plan",
        cssrs(q2_active_thoughts=1, q3_method=1, q4_intent=0, q5_plan=1),
        "high",
        ("cssrs_high_risk",),
        3,
    ),
    (
        "recent_behaviour",
        cssrs(q6_behaviour=1, q6_recent=1),
        "high",
        ("cssrs_high_risk",),
        2,
    ),
    (
        "method_and_recent_behaviour",
        cssrs(
            q2_active_thoughts=1, q3_method=1, q4_intent=0, q5_plan=0, q6_behaviour=1, q6_recent=1
        ),
        "high",
        ("cssrs_high_risk",),
        4,
    ),
]


@pytest.mark.parametrize(
    ("answers", "band", "flags", "total"),
    [c[1:] for c in CSSRS_CASES],
    ids=[c[0] for c in CSSRS_CASES],
)
def test_cssrs_risk_levels(
    answers: dict[str, int], band: str, flags: tuple[str, ...], total: int
) -> None:
    result = score(ScaleName.CSSRS, answers)
    assert (result.band, result.flags, result.total) == (band, flags, total)
    assert result.band_label


@pytest.mark.parametrize("key", ["q3_method", "q4_intent", "q5_plan"])
@pytest.mark.parametrize("value", [0, 1])
def test_cssrs_q3_to_q5_rejected_when_q2_is_no(key: str, value: int) -> None:
    with pytest.raises(ScaleInputError) as info:
        score(ScaleName.CSSRS, cssrs(**{key: value}))
    message = str(info.value)
    assert message.startswith(
        f"C-SSRS screener item {key}: only asked when q2_active_thoughts is 1"
    )
    assert "0–1" in message


@pytest.mark.parametrize("value", [0, 1])
def test_cssrs_recent_rejected_when_no_lifetime_behaviour(value: int) -> None:
    with pytest.raises(ScaleInputError, match="item q6_recent: only asked when q6_behaviour is 1"):
        score(ScaleName.CSSRS, cssrs(q6_recent=value))


@pytest.mark.parametrize("key", ["q3_method", "q4_intent", "q5_plan"])
def test_cssrs_q3_to_q5_required_when_q2_is_yes(key: str) -> None:
    answers = cssrs(q2_active_thoughts=1, q3_method=0, q4_intent=0, q5_plan=0)
    del answers[key]
    with pytest.raises(ScaleInputError, match=rf"item {key}: no answer given; it is required"):
        score(ScaleName.CSSRS, answers)


def test_cssrs_recent_required_when_lifetime_behaviour() -> None:
    with pytest.raises(ScaleInputError, match="item q6_recent: no answer given; it is required"):
        score(ScaleName.CSSRS, cssrs(q6_behaviour=1))


def test_cssrs_missing_q2_reported_before_its_dependants() -> None:
    answers = {"q1_wish_dead": 0, "q3_method": 1, "q6_behaviour": 0}
    with pytest.raises(ScaleInputError, match="item q2_active_thoughts: no answer given"):
        score(ScaleName.CSSRS, answers)


# --- ScaleScore model ------------------------------------------------------------------------


def test_scale_score_is_frozen_and_strict() -> None:
    result = score(ScaleName.RASS, {"score": 0})
    with pytest.raises(pydantic.ValidationError):
        result.total = 3  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        ScaleScore(scale=ScaleName.RASS, total=0, band="x", band_label="x", extra=1)  # type: ignore[call-arg]
    with pytest.raises(pydantic.ValidationError):
        ScaleScore(scale=ScaleName.RASS, total=0, band="Not A Code", band_label="x")


def test_scale_score_round_trips_through_json() -> None:
    result = score(ScaleName.PHQ9, phq9(11, q9=2))
    assert ScaleScore.model_validate_json(result.model_dump_json()) == result


def test_flag_values_match_scale_flag_enum() -> None:
    assert {f.value for f in ScaleFlag} == {
        "moaas_unresponsive_to_voice",
        "rass_deep_sedation",
        "rass_agitation",
        "phq9_item9_positive",
        "cssrs_moderate_risk",
        "cssrs_high_risk",
    }


# --- properties ------------------------------------------------------------------------------


@st.composite
def valid_answers(draw: st.DrawFn) -> tuple[ScaleName, dict[str, int]]:
    """A scale and a complete, valid answer set for it (conditional items only when asked)."""
    name = draw(st.sampled_from(list(ScaleName)))
    answers: dict[str, int] = {}
    for item in definition(name).items:
        if item.required_if is not None:
            cond_key, cond_value = item.required_if
            if answers.get(cond_key) != cond_value:
                continue
        answers[item.key] = draw(st.sampled_from(sorted(o.value for o in item.options)))
    return name, answers


@given(valid_answers())
def test_any_valid_answer_set_scores_within_range_as_the_sum(
    case: tuple[ScaleName, dict[str, int]],
) -> None:
    name, answers = case
    defn = definition(name)
    result = score(name, answers)
    assert result.scale is name
    assert defn.min_total <= result.total <= defn.max_total
    # Every scale here totals by summing (single-item scales trivially; C-SSRS counts "yes" = 1).
    assert result.total == sum(answers.values())
    assert set(result.flags) <= {f.value for f in ScaleFlag}


@given(valid_answers(), st.data())
def test_one_bad_value_anywhere_rejects_the_whole_set(
    case: tuple[ScaleName, dict[str, int]], data: st.DataObject
) -> None:
    name, answers = case
    key = data.draw(st.sampled_from(sorted(answers)))
    allowed = definition(name).item(key).values
    bad = data.draw(st.integers(-100, 100).filter(lambda v: v not in allowed))
    with pytest.raises(ScaleInputError) as info:
        score(name, {**answers, key: bad})
    assert info.value.item_key == key
    assert f"item {key}: {bad} is not allowed (allowed " in str(info.value)


def _kroenke_band(total: int) -> str:
    if total < 5:
        return "minimal"
    if total < 10:
        return "mild"
    if total < 15:
        return "moderate"
    if total < 20:
        return "moderately_severe"
    return "severe"


@given(st.fixed_dictionaries({key: st.integers(0, 3) for key in PHQ9_KEYS}))
def test_phq9_band_and_flag_match_kroenke(answers: dict[str, int]) -> None:
    result = score(ScaleName.PHQ9, answers)
    assert result.band == _kroenke_band(sum(answers.values()))
    assert ("phq9_item9_positive" in result.flags) == (answers["q9_self_harm"] > 0)
