"""Impossible protocol values are refused on every path (issue 10, item 11): NaN, ±infinity,
negative or duplicated vial strengths, whether typed on the admin screen, given as values to
the service, or read from a TOML or JSON body. The refusal names the setting and its range, and
nothing is stored."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from typing import Any

import pytest
from pydantic import ValidationError

from bedside.errors import InputRejected
from bedside.protocol import Protocol, default_protocol
from bedside.protocol_settings import allowed_text, parse_text
from bedside.service import ChartService
from ui.demo import DemoStaff

VIALS = "dosing.vial_concentrations_mg_ml"
UNDILUTED = "dosing.undiluted_iv_forbidden_mg_ml"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (VIALS, "10, nan"),
        (VIALS, "10, inf"),
        (VIALS, "-10, 50"),
        (VIALS, "0, 50"),
        (VIALS, "10, 10"),
        (VIALS, "10, 500"),
        (VIALS, [10.0, float("nan")]),
        (VIALS, [10.0, float("-inf")]),
        (VIALS, []),
        (UNDILUTED, "nan"),
        (UNDILUTED, "-100"),
        (UNDILUTED, "infinity"),
        (UNDILUTED, float("inf")),
        (UNDILUTED, 0),
        ("dosing.max_mg_per_kg", float("nan")),
        ("dosing.max_total_dose_mg", "-inf"),
        ("discharge.bp_margin_fraction", "NaN"),
    ],
)
def test_impossible_values_are_refused_naming_the_setting_and_range(
    service: ChartService, staff: DemoStaff, key: str, value: Any
) -> None:
    before = len(service.store.protocol_versions())
    with pytest.raises(InputRejected) as refused:
        service.new_protocol_version(staff.admin, {key: value})
    assert key in str(refused.value)
    assert allowed_text(key) in str(refused.value)
    assert len(service.store.protocol_versions()) == before


def test_the_allowed_vial_strengths_are_said_in_words() -> None:
    assert allowed_text(VIALS) == (
        "a list of different numbers, each above 0, up to 100 mg/mL, e.g. 10, 50, 100"
    )
    assert allowed_text(UNDILUTED) == "above 0, up to 100 mg/mL"
    assert parse_text(VIALS, "10; 50") == [10.0, 50.0]
    for text in ("nan", "inf", "-infinity"):
        with pytest.raises(InputRejected, match=r"Never given IV undiluted at"):
            parse_text(UNDILUTED, text)


def _shipped_text() -> str:
    return resources.files("resources").joinpath("protocol_default.toml").read_text("utf-8")


@pytest.mark.parametrize(
    ("line", "replacement", "where"),
    [
        (
            "vial_concentrations_mg_ml = [10.0, 50.0, 100.0]",
            "vial_concentrations_mg_ml = [10.0, nan]",
            "vial_concentrations_mg_ml",
        ),
        (
            "vial_concentrations_mg_ml = [10.0, 50.0, 100.0]",
            "vial_concentrations_mg_ml = [50.0, 50.0]",
            "each vial strength may be listed once",
        ),
        (
            "undiluted_iv_forbidden_mg_ml = 100.0",
            "undiluted_iv_forbidden_mg_ml = inf",
            "undiluted_iv_forbidden_mg_ml",
        ),
        (
            "undiluted_iv_forbidden_mg_ml = 100.0",
            "undiluted_iv_forbidden_mg_ml = -inf",
            "undiluted_iv_forbidden_mg_ml",
        ),
    ],
)
def test_a_toml_body_with_impossible_values_is_refused(
    line: str, replacement: str, where: str
) -> None:
    text = _shipped_text()
    assert line in text
    with pytest.raises(ValidationError, match=where):
        Protocol.model_validate(tomllib.loads(text.replace(line, replacement)))


def test_a_json_body_with_nan_is_refused() -> None:
    body = default_protocol().model_dump(mode="json")
    body["discharge"]["heart_rate_margin_fraction"] = float("nan")
    with pytest.raises(ValidationError, match="finite number"):
        Protocol.model_validate_json(json.dumps(body))  # json writes the NaN token
    body["discharge"]["heart_rate_margin_fraction"] = 0.2
    body["prn"]["drugs"][0]["usual_dose"] = float("inf")
    with pytest.raises(ValidationError, match="finite number"):
        Protocol.model_validate(body)
