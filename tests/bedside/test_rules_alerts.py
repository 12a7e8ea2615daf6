"""Protocol alert limits (bedside.rules.alerts) and NEWS2 (bedside.rules.news2).

Limits are the default protocol's (resources/protocol_default.toml), written out here by hand;
NEWS2 expectations come from the RCP table in CLINICAL.md §9.1.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.protocol import AlertLevel, default_protocol
from bedside.rules.alerts import Observed, evaluate_before_start, evaluate_in_session
from bedside.rules.news2 import news2

PROTOCOL = default_protocol()
NOTIFY, PAUSE, DNS = AlertLevel.NOTIFY, AlertLevel.PAUSE, AlertLevel.DO_NOT_START


def in_session(baseline: Observed | None = None, **values: int):  # type: ignore[no-untyped-def]
    return evaluate_in_session(Observed(**values), baseline=baseline, protocol=PROTOCOL)


def codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {b.code for b in result.breaches}


# --- absolute limits during the session ------------------------------------------------------------

# parameter, highest/lowest acceptable value, direction, levels that fire just past it
# (protocol_default.toml writes a source's "SBP >= 160" as systolic_max = 159)
IN_SESSION_LIMITS = [
    ("systolic", 159, "high", {"notify.systolic.high"}),
    ("systolic", 180, "high", {"notify.systolic.high", "pause.systolic.high"}),
    ("systolic", 90, "low", {"notify.systolic.low"}),
    ("diastolic", 99, "high", {"notify.diastolic.high"}),
    ("diastolic", 100, "high", {"notify.diastolic.high", "pause.diastolic.high"}),
    ("heart_rate", 110, "high", {"notify.heart_rate.high"}),
    ("heart_rate", 130, "high", {"notify.heart_rate.high", "pause.heart_rate.high"}),
    ("heart_rate", 50, "low", {"notify.heart_rate.low"}),
    ("spo2", 94, "low", {"notify.spo2.low"}),
    ("spo2", 92, "low", {"notify.spo2.low", "pause.spo2.low"}),
    ("resp_rate", 24, "high", {"notify.resp_rate.high"}),
    ("resp_rate", 10, "low", {"notify.resp_rate.low"}),
    ("resp_rate", 8, "low", {"notify.resp_rate.low", "pause.resp_rate.low"}),
]


@pytest.mark.parametrize(("param", "limit", "direction", "fired"), IN_SESSION_LIMITS)
def test_value_at_limit_does_not_fire_that_level_and_one_past_does(
    param: str, limit: int, direction: str, fired: set[str]
) -> None:
    past = limit + 1 if direction == "high" else limit - 1
    at_limit = codes(in_session(**{param: limit}))
    beyond = codes(in_session(**{param: past}))
    new = beyond - at_limit
    assert new, f"{param} {past} should fire a new level"
    assert beyond == fired
    # the code that newly fired belongs to the level whose limit this is
    assert all(c.endswith(f".{param}.{direction}") for c in new)


def test_normal_reading_fires_nothing() -> None:
    result = in_session(systolic=128, diastolic=82, heart_rate=76, spo2=98, resp_rate=14, moaas=5)
    assert result.breaches == ()
    assert result.level is None
    assert result.message() == ""
    assert result.abnormal_parameters() == {}


def test_missing_values_are_not_checked() -> None:
    assert in_session().breaches == ()
    assert in_session(spo2=None).breaches == ()  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "fires"), [(5, False), (3, False), (2, True), (0, True)])
def test_moaas_two_or_less_pauses(value: int, fires: bool) -> None:
    result = in_session(moaas=value)
    if fires:
        assert result.level is PAUSE
        assert codes(result) == {"pause.moaas.low"}
        assert result.message() == f"Pause infusion: MOAA/S {value} at or below 2"
    else:
        assert result.breaches == ()


# --- rise from baseline --------------------------------------------------------------------------


def test_systolic_rise_of_39_does_not_fire_40_does() -> None:
    # Spravato label: a rise of >= 40 mmHg systolic (CLINICAL.md §2.2).
    base = Observed(systolic=100, diastolic=60)
    assert in_session(base, systolic=139, diastolic=70).breaches == ()
    result = in_session(base, systolic=140, diastolic=70)
    assert codes(result) == {"notify.systolic.rise"}
    assert result.level is NOTIFY
    assert result.message() == (
        "Notify clinician: Systolic BP rose 40 mmHg from baseline 100 (40 or more)"
    )


def test_diastolic_rise_of_24_does_not_fire_25_does() -> None:
    # Spravato label: a rise of >= 25 mmHg diastolic.
    base = Observed(systolic=110, diastolic=60)
    assert in_session(base, systolic=120, diastolic=84).breaches == ()
    result = in_session(base, systolic=120, diastolic=85)
    assert codes(result) == {"notify.diastolic.rise"}
    assert "Diastolic BP rose 25 mmHg from baseline 60 (25 or more)" in result.message()


def test_rise_not_checked_without_baseline_value() -> None:
    assert in_session(None, systolic=150, diastolic=95).breaches == ()
    assert in_session(Observed(heart_rate=70), systolic=150, diastolic=95).breaches == ()


def test_a_fall_from_baseline_is_not_a_rise() -> None:
    assert (
        in_session(Observed(systolic=160, diastolic=95), systolic=112, diastolic=62).breaches == ()
    )


# --- level selection and message ----------------------------------------------------------------


def test_reference_peak_pauses_with_both_bp_breaches_in_the_message() -> None:
    result = in_session(Observed(systolic=128, diastolic=82), systolic=186, diastolic=104)
    assert result.level is PAUSE
    assert result.message() == (
        "Pause infusion: Systolic BP 186 mmHg above 180; Diastolic BP 104 mmHg above 100"
    )
    assert {b.code for b in result.at_level(NOTIFY)} == {
        "notify.systolic.high",
        "notify.diastolic.high",
        "notify.systolic.rise",
    }


def test_most_urgent_level_wins_and_message_lists_only_that_level() -> None:
    result = in_session(systolic=186, diastolic=96, heart_rate=115)
    assert result.level is PAUSE
    assert result.message() == "Pause infusion: Systolic BP 186 mmHg above 180"
    assert result.abnormal_parameters() == {"systolic": PAUSE, "heart_rate": NOTIFY}


def test_notify_only_message() -> None:
    result = in_session(systolic=150, diastolic=88, spo2=93)
    assert result.level is NOTIFY
    assert result.message() == "Notify clinician: SpO2 93 % below 94"
    assert result.abnormal_parameters() == {"spo2": NOTIFY}


def test_several_notify_breaches_joined_in_parameter_order() -> None:
    result = in_session(heart_rate=112, resp_rate=26, spo2=93)
    assert result.message() == (
        "Notify clinician: Heart rate 112 /min above 110; SpO2 93 % below 94; "
        "Respiratory rate 26 /min at or above 25"
    )


def test_abnormal_parameters_for_flowsheet_colouring() -> None:
    result = in_session(
        Observed(systolic=120, diastolic=70),
        systolic=165,
        diastolic=101,
        heart_rate=45,
        spo2=91,
        resp_rate=14,
    )
    assert result.abnormal_parameters() == {
        "systolic": NOTIFY,
        "diastolic": PAUSE,
        "heart_rate": NOTIFY,
        "spo2": PAUSE,
    }


# --- before the start ------------------------------------------------------------------------------


def test_baseline_190_over_100_is_do_not_start_with_cautions() -> None:
    result = evaluate_before_start(
        Observed(systolic=190, diastolic=100, heart_rate=80, spo2=98, resp_rate=14),
        protocol=PROTOCOL,
    )
    assert result.level is DNS
    assert codes(result) == {"do_not_start.systolic.high"}
    assert result.message() == "Do not start: Systolic BP 190 mmHg above 180"
    assert {(c.parameter, c.text) for c in result.cautions} == {
        ("systolic", "Systolic BP 190 mmHg above 140"),
        ("diastolic", "Diastolic BP 100 mmHg above 90"),
    }


DO_NOT_START_LIMITS = [
    ("systolic", 180, "high"),
    ("systolic", 90, "low"),
    ("diastolic", 100, "high"),
    ("heart_rate", 110, "high"),
    ("heart_rate", 50, "low"),
    ("spo2", 94, "low"),
    ("resp_rate", 30, "high"),
    ("resp_rate", 10, "low"),
]


@pytest.mark.parametrize(("param", "limit", "direction"), DO_NOT_START_LIMITS)
def test_do_not_start_boundaries(param: str, limit: int, direction: str) -> None:
    normal = {"systolic": 120, "diastolic": 70, "heart_rate": 75, "spo2": 98, "resp_rate": 14}
    at = evaluate_before_start(Observed(**{**normal, param: limit}), protocol=PROTOCOL)
    assert at.breaches == ()
    past = limit + 1 if direction == "high" else limit - 1
    beyond = evaluate_before_start(Observed(**{**normal, param: past}), protocol=PROTOCOL)
    assert codes(beyond) == {f"do_not_start.{param}.{direction}"}


def test_caution_is_advisory_only() -> None:
    result = evaluate_before_start(
        Observed(systolic=150, diastolic=95, heart_rate=80, spo2=98, resp_rate=14),
        protocol=PROTOCOL,
    )
    assert result.breaches == ()
    assert result.level is None
    assert {c.code for c in result.cautions} == {"notify.systolic.high", "notify.diastolic.high"}


def test_caution_boundary_140_over_90() -> None:
    at = evaluate_before_start(Observed(systolic=140, diastolic=90), protocol=PROTOCOL)
    assert at.cautions == ()
    past = evaluate_before_start(Observed(systolic=141, diastolic=91), protocol=PROTOCOL)
    assert len(past.cautions) == 2


def test_resp_rate_26_is_a_notify_in_session_but_fine_to_start() -> None:
    assert evaluate_before_start(Observed(resp_rate=26), protocol=PROTOCOL).breaches == ()
    assert codes(in_session(resp_rate=26)) == {"notify.resp_rate.high"}


@settings(max_examples=100, deadline=None)
@given(
    sbp=st.integers(min_value=91, max_value=159),
    dbp=st.integers(min_value=40, max_value=99),
    hr=st.integers(min_value=50, max_value=110),
    spo2=st.integers(min_value=94, max_value=100),
    rr=st.integers(min_value=10, max_value=24),
)
def test_anything_inside_every_limit_is_quiet(
    sbp: int, dbp: int, hr: int, spo2: int, rr: int
) -> None:
    if dbp >= sbp:
        dbp = sbp - 1
    result = in_session(systolic=sbp, diastolic=dbp, heart_rate=hr, spo2=spo2, resp_rate=rr)
    assert result.breaches == ()


@settings(max_examples=100, deadline=None)
@given(sbp=st.integers(min_value=181, max_value=300))
def test_any_systolic_above_180_pauses(sbp: int) -> None:
    result = in_session(systolic=sbp, diastolic=90)
    assert result.level is PAUSE
    assert f"Systolic BP {sbp} mmHg above 180" in result.message()


# --- NEWS2 (CLINICAL.md §9.1) ------------------------------------------------------------------------

NORMAL = {
    "resp_rate": 16,
    "spo2": 98,
    "on_oxygen": False,
    "systolic": 120,
    "heart_rate": 70,
    "alert": True,
    "temperature_c": 37.0,
}


def score(**changes: object):  # type: ignore[no-untyped-def]
    return news2(**{**NORMAL, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("param", "value", "points"),
    [
        ("resp_rate", 8, 3),
        ("resp_rate", 9, 1),
        ("resp_rate", 11, 1),
        ("resp_rate", 12, 0),
        ("resp_rate", 20, 0),
        ("resp_rate", 21, 2),
        ("resp_rate", 24, 2),
        ("resp_rate", 25, 3),
        ("spo2", 91, 3),
        ("spo2", 92, 2),
        ("spo2", 93, 2),
        ("spo2", 94, 1),
        ("spo2", 95, 1),
        ("spo2", 96, 0),
        ("systolic", 90, 3),
        ("systolic", 91, 2),
        ("systolic", 100, 2),
        ("systolic", 101, 1),
        ("systolic", 110, 1),
        ("systolic", 111, 0),
        ("systolic", 219, 0),
        ("systolic", 220, 3),
        ("heart_rate", 40, 3),
        ("heart_rate", 41, 1),
        ("heart_rate", 50, 1),
        ("heart_rate", 51, 0),
        ("heart_rate", 90, 0),
        ("heart_rate", 91, 1),
        ("heart_rate", 110, 1),
        ("heart_rate", 111, 2),
        ("heart_rate", 130, 2),
        ("heart_rate", 131, 3),
        ("temperature_c", 35.0, 3),
        ("temperature_c", 35.1, 1),
        ("temperature_c", 36.0, 1),
        ("temperature_c", 36.1, 0),
        ("temperature_c", 38.0, 0),
        ("temperature_c", 38.1, 1),
        ("temperature_c", 39.0, 1),
        ("temperature_c", 39.1, 2),
        ("alert", False, 3),
        ("on_oxygen", True, 2),
    ],
)
def test_news2_band_edges(param: str, value: object, points: int) -> None:
    result = score(**{param: value})
    assert result.total == points
    key = {"alert": "consciousness", "on_oxygen": "air_or_oxygen"}.get(param, param)
    assert result.parts[key] == points


def test_news2_all_normal_scores_zero_low() -> None:
    result = score()
    assert (result.total, result.band, result.any_red, result.complete) == (0, "low", False, True)


def test_news2_four_without_red_is_low() -> None:
    result = score(resp_rate=22, spo2=95, heart_rate=95)  # 2 + 1 + 1
    assert (result.total, result.band) == (4, "low")


def test_news2_single_three_is_low_red() -> None:
    result = score(systolic=90)
    assert (result.total, result.band, result.any_red) == (3, "low_red", True)


def test_news2_four_with_a_red_is_low_red() -> None:
    result = score(systolic=90, heart_rate=95)  # 3 + 1
    assert (result.total, result.band) == (4, "low_red")


def test_news2_five_is_medium() -> None:
    result = score(resp_rate=22, spo2=93, temperature_c=38.5)  # 2 + 2 + 1
    assert (result.total, result.band) == (5, "medium")


def test_news2_six_is_still_medium() -> None:
    result = score(resp_rate=22, spo2=93, heart_rate=115)  # 2 + 2 + 2
    assert (result.total, result.band) == (6, "medium")


def test_news2_seven_is_high() -> None:
    result = score(on_oxygen=True, spo2=92, heart_rate=115, temperature_c=35.5)  # 2+2+2+1
    assert (result.total, result.band) == (7, "high")


def test_news2_maximum_is_twenty() -> None:
    result = score(
        resp_rate=8,
        spo2=91,
        on_oxygen=True,
        systolic=90,
        heart_rate=131,
        alert=False,
        temperature_c=35.0,
    )
    assert (result.total, result.band) == (20, "high")


def test_news2_ketamine_bp_rise_scores_nothing_until_220() -> None:
    assert score(systolic=186).total == 0
    assert score(systolic=220).total == 3


def test_news2_missing_parameters_are_listed_and_not_scored() -> None:
    result = news2(
        resp_rate=None,
        spo2=97,
        on_oxygen=False,
        systolic=None,
        heart_rate=72,
        alert=None,
        temperature_c=None,
    )
    assert set(result.missing) == {"resp_rate", "systolic", "consciousness", "temperature_c"}
    assert not result.complete
    assert result.total == 0
    assert set(result.parts) == {"air_or_oxygen", "spo2", "heart_rate"}


def test_news2_partial_set_still_scores_what_is_there() -> None:
    result = news2(
        resp_rate=26,
        spo2=None,
        on_oxygen=True,
        systolic=None,
        heart_rate=None,
        alert=True,
        temperature_c=None,
    )
    assert result.total == 5  # RR 3 + oxygen 2
    assert result.band == "medium"
    assert set(result.missing) == {"spo2", "systolic", "heart_rate", "temperature_c"}


# --- every rule's findings read as one RuleReport ----------------------------------------------------


def test_news2_reports_the_response_its_band_calls_for() -> None:
    quiet = score().report
    assert quiet.findings == ()
    high = score(resp_rate=26, spo2=91, heart_rate=135).report
    (response,) = high.warnings
    assert response.code == "news2.high"
    assert response.message.startswith("NEWS2 ")
    assert "emergency" in response.message


def test_news2_report_names_what_was_not_measured() -> None:
    report = score(temperature_c=None).report
    assert [f.message for f in report.findings] == ["NEWS2 incomplete: temperature c"]


def test_alert_result_report_words_each_breach_at_its_level() -> None:
    protocol = default_protocol()
    found = evaluate_in_session(
        Observed(systolic=186, diastolic=104, spo2=93), baseline=None, protocol=protocol
    )
    report = found.report
    assert {f.message.split(":")[0] for f in report.errors} == {"Pause infusion"}
    assert any(f.message.startswith("Notify clinician: SpO2") for f in report.warnings)
    assert not report.is_valid
