"""Turn pydantic validation errors into one clear sentence per field.

A nurse must read "SpO2 101 % is not possible (allowed 50–100 %)", not a pydantic dump.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from bedside.errors import InputRejected

M = TypeVar("M", bound=BaseModel)

_FIELD_WORDS = {
    "systolic": "Systolic BP",
    "diastolic": "Diastolic BP",
    "heart_rate": "Heart rate",
    "spo2": "SpO2",
    "resp_rate": "Respiratory rate",
    "temperature_c": "Temperature",
    "weight_kg": "Weight",
    "height_cm": "Height",
    "dose": "Dose",
    "lot": "Lot number",
    "drawn_ml": "Amount drawn",
    "drawn_mg": "Amount drawn",
    "vial_volume_ml": "Vial volume",
    "bag_volume_ml": "Bag volume",
    "rate_ml_h": "Pump rate",
    "volume_infused_ml": "Volume infused",
    "mrn": "MRN",
    "family_name": "Family name",
    "given_name": "Given name",
    "date_of_birth": "Date of birth",
    "action_taken": "Action taken",
    "escort_name": "Escort name",
    "escort_phone": "Escort phone",
}

_SAYINGS = {
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "missing": "is required",
    "string_too_short": "must have at least {min_length} character(s)",
    "string_too_long": "is too long (at most {max_length} characters)",
    "string_pattern_mismatch": "contains characters that are not allowed",
    "float_parsing": "must be a number",
    "int_parsing": "must be a whole number",
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "literal_error": "must be one of {expected}",
}
"""pydantic's error types in a nurse's words (the rest keep pydantic's sentence)."""


def describe(exc: ValidationError) -> str:
    """One line per problem, naming the field (by its clinical name where known)."""
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = [str(part) for part in err["loc"] if not isinstance(part, int)]
        # Discriminated unions put the tag in the path ("payload.vitals_recorded.spo2").
        field = loc[-1] if loc else ""
        label = _FIELD_WORDS.get(field, field.replace("_", " ").capitalize())
        saying = _SAYINGS.get(str(err["type"]))
        if saying is not None:
            ctx = {k: _plain(v) for k, v in (err.get("ctx") or {}).items()}
            if err["type"] == "string_too_short" and ctx.get("min_length") == 1:
                saying = "must not be empty"
            try:
                lines.append(f"{label} {saying.format(**ctx)}".strip())
                continue
            except (KeyError, IndexError):
                pass  # an unexpected context: fall back to pydantic's own sentence
        msg = str(err["msg"]).removeprefix("Value error, ")
        if label and label.lower() not in msg.lower():
            msg = f"{label}: {msg}"
        lines.append(msg)
    return "\n".join(dict.fromkeys(lines))


def _plain(value: object) -> object:
    """``0.0`` as ``0``; lists of literals as words."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def parse(model: type[M], data: object) -> M:
    """Validate ``data`` as ``model`` or raise :class:`InputRejected` with readable words."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputRejected(describe(exc)) from exc
