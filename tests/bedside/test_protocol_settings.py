"""The protocol as the admin screen lists and edits it: words, units, ranges, sources, and
refusals that name the setting and its allowed range."""

from __future__ import annotations

import pytest

from bedside.errors import InputRejected
from bedside.protocol import LimitSet, default_protocol
from bedside.protocol_settings import (
    allowed_text,
    apply_changes,
    describe_changes,
    parse_text,
    setting_rows,
)


def test_every_setting_has_words_a_unit_or_choice_and_a_range() -> None:
    rows = {r.key: r for r in setting_rows(default_protocol(), include_unset=True)}
    dose = rows["dosing.max_mg_per_kg"]
    assert (dose.label, dose.text, dose.unit) == ("Highest dose that may be ordered", "1", "mg/kg")
    assert dose.allowed == "above 0, up to 2 mg/kg"
    assert "Fava 2018" in dose.source
    assert rows["alerts.pause.systolic_max"].label == "Systolic BP: alert above"
    assert rows["alerts.pause.systolic_max"].verify
    assert not rows["alerts.notify.systolic_max"].verify
    assert rows["alerts.pause.diastolic_min"].value is None
    assert allowed_text("discharge.rass_required") == "-5 to 4 score, whole number"
    assert allowed_text("dosing.weight_basis") == "one of: actual, ideal, adjusted"
    assert all(r.allowed for r in rows.values())
    shown = {r.key for r in setting_rows(default_protocol())}
    assert "alerts.pause.diastolic_min" not in shown  # unset limits only on request


def test_typed_text_becomes_values() -> None:
    assert parse_text("monitoring.require_phq9", "no") is False
    assert parse_text("monitoring.mandatory_bp_at_min", "") is None
    assert parse_text("dosing.vial_concentrations_mg_ml", "10, 50") == [10.0, 50.0]
    with pytest.raises(InputRejected, match=r"monitoring\.chairs.*1–24 chairs"):
        parse_text("monitoring.chairs", "four")


def test_apply_changes_makes_the_next_version() -> None:
    current = default_protocol()
    new = apply_changes(
        current, {"alerts.notify.systolic_max": "149", "dosing.max_mg_per_kg": 0.75}
    )
    assert new.version == current.version + 1
    assert new.alerts.notify.systolic_max == 149
    assert describe_changes(current, new) == [
        "dosing.max_mg_per_kg: 1 → 0.75",
        "alerts.notify.systolic_max: 159 → 149",
    ]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"dosing.max_mg_per_kg": "5"}, r"\(dosing\.max_mg_per_kg\) = 5 .*up to 2 mg/kg"),
        ({"alerts.pause.systolic_max": 1800}, r"alerts\.pause\.systolic_max.*40–300 mmHg"),
        ({"alerts.notify.systolic_min": 170}, r"systolic_min \(170\) must be below systolic_max"),
        ({"dosing.default_mg_per_kg": 1.5}, r"default_mg_per_kg must lie between"),
        ({"dosing.weight_basis": "lean"}, r"one of: actual, ideal, adjusted"),
        ({"dosing.nonsense": 1}, r"Unknown protocol setting"),
        ({"dosing.max_mg_per_kg": "1"}, r"No setting was changed"),
    ],
)
def test_bad_changes_are_refused_in_words(changes: dict[str, object], words: str) -> None:
    with pytest.raises(InputRejected, match=words):
        apply_changes(default_protocol(), changes)


def test_alert_limits_must_be_possible_values() -> None:
    with pytest.raises(ValueError, match="less than or equal to 300"):
        LimitSet(systolic_max=1800)
