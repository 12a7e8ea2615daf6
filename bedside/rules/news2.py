"""NEWS2 (Royal College of Physicians, 2017), SpO2 scale 1, per vitals set (CLINICAL.md §9.1).

A sanity net, not a ketamine rule: a transient BP rise scores 0 until the systolic reaches 220,
which is why the protocol's own alert limits exist alongside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bedside.report import RuleReport, info, warning


@dataclass(frozen=True)
class News2:
    """Aggregate score, the parameters it is made of, and the response band."""

    total: int
    parts: dict[str, int]
    missing: tuple[str, ...]

    @property
    def any_red(self) -> bool:
        """A single parameter scoring 3 (urgent ward-based review)."""
        return any(v == 3 for v in self.parts.values())

    @property
    def band(self) -> str:
        """``low`` (0–4), ``low_red`` (single 3), ``medium`` (5–6) or ``high`` (≥ 7)."""
        if self.total >= 7:
            return "high"
        if self.total >= 5:
            return "medium"
        if self.any_red:
            return "low_red"
        return "low"

    @property
    def complete(self) -> bool:
        """True when every NEWS2 parameter was measured."""
        return not self.missing

    @property
    def report(self) -> RuleReport:
        """The response the score calls for (RCP 2017), as a warning; and which parameters
        were not measured, as information."""
        findings = []
        response = _RESPONSE.get(self.band)
        if response is not None:
            findings.append(warning(f"news2.{self.band}", f"NEWS2 {self.total}: {response}"))
        if self.missing:
            missing = ", ".join(m.replace("_", " ") for m in self.missing)
            findings.append(info("news2.incomplete", f"NEWS2 incomplete: {missing}"))
        return RuleReport.of(findings)


_RESPONSE = {
    "low_red": "a single parameter scores 3, urgent ward-based response",
    "medium": "key threshold for urgent response",
    "high": "urgent or emergency response",
}
"""Clinical response per band (RCP NEWS2 chart 2, CLINICAL.md §9.1)."""


def _rr(v: int) -> int:
    return 3 if v <= 8 else 1 if v <= 11 else 0 if v <= 20 else 2 if v <= 24 else 3


def _spo2(v: int) -> int:
    return 3 if v <= 91 else 2 if v <= 93 else 1 if v <= 95 else 0


def _sbp(v: int) -> int:
    return 3 if v <= 90 else 2 if v <= 100 else 1 if v <= 110 else 0 if v <= 219 else 3


def _pulse(v: int) -> int:
    return (
        3
        if v <= 40
        else 1
        if v <= 50
        else 0
        if v <= 90
        else 1
        if v <= 110
        else 2
        if v <= 130
        else 3
    )


def _temp(v: float) -> int:
    return 3 if v <= 35.0 else 1 if v <= 36.0 else 0 if v <= 38.0 else 1 if v <= 39.0 else 2


def news2(
    *,
    resp_rate: int | None,
    spo2: int | None,
    on_oxygen: bool,
    systolic: int | None,
    heart_rate: int | None,
    alert: bool | None,
    temperature_c: float | None,
) -> News2:
    """Score one set. Missing parameters score nothing and are listed in ``missing``."""
    parts: dict[str, int] = {"air_or_oxygen": 2 if on_oxygen else 0}
    missing: list[str] = []
    for name, value, fn in (
        ("resp_rate", resp_rate, _rr),
        ("spo2", spo2, _spo2),
        ("systolic", systolic, _sbp),
        ("heart_rate", heart_rate, _pulse),
    ):
        if value is None:
            missing.append(name)
        else:
            parts[name] = fn(value)
    if temperature_c is None:
        missing.append("temperature_c")
    else:
        parts["temperature_c"] = _temp(temperature_c)
    if alert is None:
        missing.append("consciousness")
    else:
        parts["consciousness"] = 0 if alert else 3
    return News2(total=sum(parts.values()), parts=parts, missing=tuple(missing))
