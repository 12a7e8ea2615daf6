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
}


def describe(exc: ValidationError) -> str:
    """One line per problem, naming the field (by its clinical name where known)."""
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = [str(part) for part in err["loc"] if not isinstance(part, int)]
        # Discriminated unions put the tag in the path ("payload.vitals_recorded.spo2").
        field = loc[-1] if loc else ""
        msg = str(err["msg"]).removeprefix("Value error, ")
        label = _FIELD_WORDS.get(field, field.replace("_", " "))
        if label and label.lower() not in msg.lower():
            msg = f"{label}: {msg}"
        lines.append(msg)
    return "\n".join(dict.fromkeys(lines))


def parse(model: type[M], data: object) -> M:
    """Validate ``data`` as ``model`` or raise :class:`InputRejected` with readable words."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputRejected(describe(exc)) from exc
