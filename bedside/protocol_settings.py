"""The protocol as an administrator reads and edits it: one row per setting, in words.

Each setting has a label, a unit, its allowed range (read from the pydantic field constraints,
so it cannot drift from what validation enforces), its cited source and whether that source is
marked ``[verify]`` (CLINICAL.md §11). :func:`apply_changes` builds the next version from edited
values and refuses bad ones with a message naming the setting and its allowed range.
"""

from __future__ import annotations

import math
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from bedside.errors import InputRejected
from bedside.protocol import (
    AlertLimits,
    DischargeRules,
    DosingRules,
    LimitSet,
    MonitoringRules,
    Protocol,
)

GROUPS: dict[str, str] = {
    "dosing": "Dosing",
    "monitoring": "Monitoring",
    "alerts.do_not_start": "Alerts: do not start",
    "alerts.caution_before_start": "Alerts: caution before start",
    "alerts.notify": "Alerts: notify",
    "alerts.pause": "Alerts: pause the infusion",
    "discharge": "Discharge criteria",
}
"""Group key → title, in the order the screen lists them."""

SECTIONS: dict[str, str] = {
    "dosing": "Dosing",
    "monitoring": "Monitoring",
    "alerts": "Alerts",
    "discharge": "Discharge",
}

_MODELS: dict[str, type[BaseModel]] = {
    "dosing": DosingRules,
    "monitoring": MonitoringRules,
    "discharge": DischargeRules,
}

# (label, unit) of every non-alert setting.
_WORDS: dict[str, tuple[str, str]] = {
    "dosing.default_mg_per_kg": ("Default dose", "mg/kg"),
    "dosing.min_mg_per_kg": ("Lowest dose that may be ordered", "mg/kg"),
    "dosing.max_mg_per_kg": ("Highest dose that may be ordered", "mg/kg"),
    "dosing.max_total_dose_mg": ("Highest total dose per infusion", "mg"),
    "dosing.default_duration_min": ("Default infusion duration", "min"),
    "dosing.min_duration_min": ("Shortest usual duration", "min"),
    "dosing.max_duration_min": ("Longest usual duration", "min"),
    "dosing.weight_basis": ("Dosing weight basis", ""),
    "dosing.default_bag_volume_ml": ("Default bag volume", "mL"),
    "dosing.pump_rate_resolution_ml_h": ("Pump rate resolution", "mL/h"),
    "dosing.weight_max_age_days": ("Weight older than this is flagged", "days"),
    "dosing.weight_change_flag_fraction": ("Weight change flagged above", "fraction"),
    "dosing.vial_concentrations_mg_ml": ("Vial concentrations stocked", "mg/mL"),
    "dosing.undiluted_iv_forbidden_mg_ml": ("Never given IV undiluted at", "mg/mL"),
    "dosing.rate_tolerance_fraction": (
        "Pump rate and volume may differ from the plan by",
        "fraction",
    ),
    "dosing.weight_tolerance_kg": ("Same weight within", "kg"),
    "dosing.bag_overrun_ml": ("Pump volume over the bag counted as rounding, up to", "mL"),
    "dosing.pump_overrun_fraction": ("Pump past its planned end by more than", "fraction"),
    "monitoring.interval_during_min": ("Vitals every … during the infusion", "min"),
    "monitoring.interval_after_min": ("Vitals every … after the infusion", "min"),
    "monitoring.mandatory_bp_at_min": ("Mandatory blood pressure at", "min"),
    "monitoring.due_grace_min": ("A check is overdue after", "min"),
    "monitoring.late_entry_after_min": ("Entry flagged late after", "min"),
    "monitoring.idle_lock_min": ("Workstation locks when idle for", "min"),
    "monitoring.sedation_scale": ("Sedation scale", ""),
    "monitoring.discharge_scale": ("Discharge score", ""),
    "monitoring.require_phq9": ("PHQ-9 required at baseline", ""),
    "monitoring.require_cssrs": ("C-SSRS screen required at baseline", ""),
    "monitoring.chairs": ("Infusion chairs", "chairs"),
    "monitoring.recheck_after_alert_min": ("After an alert, vitals every", "min"),
    "monitoring.overdue_red_after_min": ("An overdue check turns red after", "min"),
    "monitoring.overdue_urgent_after_min": ("An overdue check flashes after", "min"),
    "monitoring.mandatory_deferral": ("Deferring a mandatory check", ""),
    "monitoring.baseline_max_age_min": ("Baseline at pump start at most this old", "min"),
    "monitoring.max_failed_sign_ins": ("Account locked after wrong passwords in a row", ""),
    "discharge.min_observation_min": ("Observation after the infusion, at least", "min"),
    "discharge.min_total_monitoring_min": ("Total monitoring, at least", "min"),
    "discharge.bp_margin_fraction": ("BP within this margin of baseline", "fraction"),
    "discharge.heart_rate_margin_fraction": (
        "Heart rate within this margin of baseline",
        "fraction",
    ),
    "discharge.spo2_min": ("SpO2 at least", "%"),
    "discharge.moaas_required": ("MOAA/S required", "score"),
    "discharge.rass_required": ("RASS required", "score"),
    "discharge.score_min": ("Discharge score at least", "points"),
    "discharge.require_escort": ("Responsible adult escort required", ""),
    "discharge.require_instructions": ("Discharge instructions required", ""),
    "discharge.cadss6_max_above_baseline": ("CADSS-6 above baseline, at most", "points"),
    "discharge.systolic_max": ("Systolic BP at discharge, at most", "mmHg"),
    "discharge.diastolic_max": ("Diastolic BP at discharge, at most", "mmHg"),
    "discharge.vitals_max_age_min": ("Vitals judged at discharge at most this old", "min"),
}

# Alert limits: measure → (words, unit); the suffix says which way the alert fires.
_MEASURES: dict[str, tuple[str, str]] = {
    "systolic_rise": ("Systolic BP rise from baseline", "mmHg"),
    "diastolic_rise": ("Diastolic BP rise from baseline", "mmHg"),
    "systolic": ("Systolic BP", "mmHg"),
    "diastolic": ("Diastolic BP", "mmHg"),
    "heart_rate": ("Heart rate", "/min"),
    "spo2": ("SpO2", "%"),
    "resp_rate": ("Respiratory rate", "/min"),
    "moaas": ("MOAA/S", "score"),
    "rass": ("RASS", "score"),
}


@dataclass(frozen=True)
class SettingRow:
    """One protocol setting as the admin screen shows it."""

    key: str
    group: str
    label: str
    value: Any
    text: str
    unit: str
    allowed: str
    source: str
    verify: bool


def _fmt(value: float) -> str:
    return f"{value:g}"


def _field(key: str) -> tuple[FieldInfo, str]:
    """The pydantic field behind a dotted key, and its unit; ``InputRejected`` if unknown."""
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "alerts" and parts[1] in AlertLimits.model_fields:
        info = LimitSet.model_fields.get(parts[2])
        if info is not None:
            return info, _alert_words(parts[2])[1]
    if len(parts) == 2 and parts[0] in _MODELS:
        info = _MODELS[parts[0]].model_fields.get(parts[1])
        if info is not None:
            return info, _WORDS.get(key, (parts[1], ""))[1]
    raise InputRejected(f"Unknown protocol setting {key!r}")


def _alert_words(leaf: str) -> tuple[str, str]:
    measure, _, direction = leaf.rpartition("_")
    words, unit = _MEASURES.get(measure, (measure.replace("_", " "), ""))
    return f"{words}: alert {'above' if direction == 'max' else 'below'}", unit


def label_for(key: str) -> str:
    """The words for a dotted setting key, e.g. "Systolic BP: alert above"."""
    parts = key.split(".")
    if parts[0] == "alerts" and len(parts) == 3:
        return _alert_words(parts[2])[0]
    return _WORDS.get(key, (parts[-1].replace("_", " "), ""))[0]


def _choices(annotation: Any) -> list[str] | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(m.value) for m in annotation]
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    return None


def _optional(annotation: Any) -> tuple[Any, bool]:
    """The inner type of ``X | None`` and whether ``None`` is allowed."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False


def allowed_text(key: str) -> str:
    """The allowed values of a setting in words, e.g. "above 0, up to 2 mg/kg"."""
    info, unit = _field(key)
    inner, nullable = _optional(info.annotation)
    choices = _choices(inner)
    if choices is not None:
        text = "one of: " + ", ".join(choices)
    elif inner is bool:
        text = "yes or no"
    elif typing.get_origin(inner) is tuple:
        text = _list_text(inner, unit)
    else:
        text = _range_text(info, inner, unit)
    if nullable:
        text += "; empty = not checked"
    return text


def _list_text(annotation: Any, unit: str) -> str:
    """A list's allowed entries in words, from the constraints on its entry type."""
    entry = typing.get_args(annotation)[0]
    kind, *meta = typing.get_args(entry) or (entry,)
    info = next((m for m in meta if isinstance(m, FieldInfo)), None)
    each = f", each {_range_text(info, kind, unit)}" if info is not None else f" in {unit}"
    return f"a list of different numbers{each}, e.g. 10, 50, 100"


def _finite(text: str) -> float:
    """A typed number; "nan" and "inf" are words Python reads as numbers, not values."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a number")
    return value


def _range_text(info: FieldInfo, inner: Any, unit: str) -> str:
    """A number's allowed range in words, from the field's constraints."""
    low: float | None = None
    high: float | None = None
    low_open = high_open = False
    for m in info.metadata:
        if isinstance(m, Ge):
            low = float(m.ge)  # type: ignore[arg-type]
        elif isinstance(m, Gt):
            low, low_open = float(m.gt), True  # type: ignore[arg-type]
        elif isinstance(m, Le):
            high = float(m.le)  # type: ignore[arg-type]
        elif isinstance(m, Lt):
            high, high_open = float(m.lt), True  # type: ignore[arg-type]
    kind = "whole number" if inner is int else "number"
    if low is not None and high is not None and not low_open and not high_open:
        dash = " to " if low < 0 else "–"
        text = f"{_fmt(low)}{dash}{_fmt(high)} {unit}".strip()
    elif low is not None and high is not None:
        lo = f"above {_fmt(low)}" if low_open else f"at least {_fmt(low)}"
        hi = f"below {_fmt(high)}" if high_open else f"up to {_fmt(high)}"
        text = f"{lo}, {hi} {unit}".strip()
    else:
        text = f"any {kind}"
    if inner is int and (low is not None or high is not None):
        text += ", whole number"
    return text


def value_text(value: Any) -> str:
    """A stored value as the admin reads and types it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | int):
        return _fmt(value)
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    return str(value)


def parse_text(key: str, text: str) -> Any:
    """Typed text → the setting's value; ``InputRejected`` naming the setting and its range."""
    info, _ = _field(key)
    inner, nullable = _optional(info.annotation)
    raw = text.strip()
    problem = f"{label_for(key)} ({key}): {raw!r} is not allowed (allowed {allowed_text(key)})"
    if raw == "":
        if nullable:
            return None
        raise InputRejected(problem)
    try:
        if inner is bool:
            words = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
            return words[raw.lower()]
        if inner is int:
            return int(raw)
        if inner is float:
            return _finite(raw)
        if typing.get_origin(inner) is tuple:
            return [_finite(p) for p in raw.replace(";", ",").split(",") if p.strip()]
    except (KeyError, ValueError) as exc:
        raise InputRejected(problem) from exc
    return raw


def setting_rows(protocol: Protocol, *, include_unset: bool = False) -> list[SettingRow]:
    """Every setting of ``protocol`` in screen order; unset alert limits only if asked."""
    body = protocol.model_dump(mode="json")
    rows: list[SettingRow] = []
    for group in GROUPS:
        section, _, level = group.partition(".")
        values = body[section][level] if level else body[section]
        for leaf, value in values.items():
            if value is None and level and not include_unset:
                continue
            key = f"{group}.{leaf}"
            source = protocol.source_for(key)
            rows.append(
                SettingRow(
                    key=key,
                    group=group,
                    label=label_for(key),
                    value=value,
                    text=value_text(value),
                    unit=_field(key)[1],
                    allowed=allowed_text(key),
                    source=source,
                    verify="[verify]" in source.lower(),
                )
            )
    return rows


def _error_line(err: Any, body: dict[str, Any]) -> str:
    loc = [str(p) for p in err["loc"] if not isinstance(p, int)]
    msg = str(err["msg"]).removeprefix("Value error, ")
    if not loc:
        return msg
    key = ".".join(loc)
    try:
        allowed = allowed_text(key)
    except InputRejected:
        # A whole section failed a cross-field rule (its message names the fields).
        return msg if msg.startswith(f"{loc[0]}:") else f"{GROUPS.get(key, key)}: {msg}"
    target: Any = body
    for part in loc:
        target = target.get(part) if isinstance(target, dict) else None
    return (
        f"{label_for(key)} ({key}) = {value_text(target) or 'empty'} is not allowed: "
        f"allowed {allowed}"
    )


def apply_changes(current: Protocol, changes: dict[str, Any]) -> Protocol:
    """The next version: ``current`` with ``changes`` (dotted key → value or typed text) applied.

    Raises
    ------
    InputRejected
        An unknown setting, a value outside its allowed range (one line per problem, naming the
        setting and the range), or no change at all. Nothing is stored by this function.
    """
    body = current.model_dump(mode="json")
    problems: list[str] = []
    for key, value in changes.items():
        info, _ = _field(key)
        if isinstance(value, str) and _optional(info.annotation)[0] is not str:
            try:
                value = parse_text(key, value)
            except InputRejected as exc:
                problems.append(str(exc))
                continue
        target = body
        *path, leaf = key.split(".")
        for part in path:
            target = target[part]
        target[leaf] = value
    if problems:
        raise InputRejected("\n".join(problems))
    if body == current.model_dump(mode="json"):
        raise InputRejected("No setting was changed: no new protocol version was made")
    body["version"] = current.version + 1
    try:
        return Protocol.model_validate(body)
    except ValidationError as exc:
        lines = [_error_line(e, body) for e in exc.errors(include_url=False)]
        raise InputRejected("\n".join(dict.fromkeys(lines))) from exc


def describe_changes(old: Protocol, new: Protocol) -> list[str]:
    """What differs between two versions, e.g. ``"dosing.max_mg_per_kg: 1 → 0.75"``."""
    before = {r.key: r.text for r in setting_rows(old, include_unset=True)}
    after = {r.key: r.text for r in setting_rows(new, include_unset=True)}
    out = []
    for key, text in after.items():
        if before.get(key) != text:
            out.append(f"{key}: {before.get(key) or 'not set'} → {text or 'not set'}")
    if old.sources != new.sources:
        out.append("sources changed")
    return out
