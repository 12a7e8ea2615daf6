"""Alerts from the protocol's limits: do not start / notify clinician / pause infusion.

Checked on absolute values and on the rise from the patient's own baseline (CLINICAL.md §2.2).
The same evaluation colours abnormal values on the flowsheet, so the rule is computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bedside.protocol import AlertLevel, LimitSet, Protocol
from bedside.report import RuleReport, error, warning
from bedside.rules.limit_words import exceeds, falls_below, rise_beyond
from bedside.scales import ScaleName

_LABELS = {
    "systolic": ("Systolic BP", "mmHg"),
    "diastolic": ("Diastolic BP", "mmHg"),
    "heart_rate": ("Heart rate", "/min"),
    "spo2": ("SpO2", "%"),
    "resp_rate": ("Respiratory rate", "/min"),
    "moaas": ("MOAA/S", ""),
    "rass": ("RASS", ""),
}

_PARAMETERS = tuple(_LABELS)
"""The parameters a limit set may judge, in the order their breaches are named."""

_LEVEL_WORDS = {
    AlertLevel.DO_NOT_START: "Do not start",
    AlertLevel.NOTIFY: "Notify clinician",
    AlertLevel.PAUSE: "Pause infusion",
}

# Urgency order: a pause outranks a notification; "do not start" applies only before the start.
_RANK = {AlertLevel.NOTIFY: 1, AlertLevel.PAUSE: 2, AlertLevel.DO_NOT_START: 3}


@dataclass(frozen=True)
class Observed:
    """The values an alert check looks at (any may be missing)."""

    systolic: int | None = None
    diastolic: int | None = None
    heart_rate: int | None = None
    spo2: int | None = None
    resp_rate: int | None = None
    moaas: int | None = None
    rass: int | None = None


@dataclass(frozen=True)
class Breach:
    """One limit crossed."""

    level: AlertLevel
    parameter: str
    code: str
    text: str


@dataclass(frozen=True)
class AlertResult:
    """Every breach found, and the most urgent level among them."""

    breaches: tuple[Breach, ...] = ()
    cautions: tuple[Breach, ...] = field(default=())

    @property
    def level(self) -> AlertLevel | None:
        """The most urgent level that fired, if any."""
        if not self.breaches:
            return None
        return max((b.level for b in self.breaches), key=_RANK.__getitem__)

    def at_level(self, level: AlertLevel) -> tuple[Breach, ...]:
        """Breaches of one level."""
        return tuple(b for b in self.breaches if b.level is level)

    @property
    def report(self) -> RuleReport:
        """Each breach as a finding in words: an error at the pause or do-not-start level, a
        warning when the clinician is to be notified; cautions as warnings."""
        findings = [
            (warning if b.level is AlertLevel.NOTIFY else error)(
                b.code, f"{_LEVEL_WORDS[b.level]}: {b.text}"
            )
            for b in self.breaches
        ]
        findings += [warning(b.code, f"Caution: {b.text}") for b in self.cautions]
        return RuleReport.of(findings)

    def message(self) -> str:
        """E.g. "Pause infusion: Systolic BP 186 mmHg above 180; Diastolic BP 104 mmHg above 100"."""
        level = self.level
        if level is None:
            return ""
        parts = "; ".join(b.text for b in self.at_level(level))
        return f"{_LEVEL_WORDS[level]}: {parts}"

    def abnormal_parameters(self) -> dict[str, AlertLevel]:
        """Parameter → most urgent level, for colouring a flowsheet cell."""
        out: dict[str, AlertLevel] = {}
        for b in self.breaches:
            if b.parameter not in out or _RANK[b.level] > _RANK[out[b.parameter]]:
                out[b.parameter] = b.level
        return out


def _number(param: str) -> Callable[[int], str]:
    """How a value of ``param`` is written: RASS with its sign (+3 agitated, −3 sedated, as the
    scale is read, CLINICAL.md §3.3), everything else as a plain number."""
    return (lambda v: f"{v:+d}" if v else "0") if param == "rass" else str


def _limit(param: str, words: Callable[..., str], limit: int) -> str:
    """``words`` for ``limit``: a sedation scale by the named point that fires (RASS ≥ +3,
    ≤ −3; MOAA/S ≤ 2)."""
    if param in ("rass", "moaas"):
        return str(words(limit, shown=_number(param), inclusive=True))
    return str(words(limit))


def _check(
    level: AlertLevel, limits: LimitSet, now: Observed, baseline: Observed | None
) -> Iterable[Breach]:
    for param in _PARAMETERS:
        value = getattr(now, param)
        if value is None:
            continue
        label, unit = _LABELS[param]
        unit_s = f" {unit}" if unit else ""
        high = getattr(limits, f"{param}_max", None)
        low = getattr(limits, f"{param}_min", None)
        shown = _number(param)
        if high is not None and value > high:
            yield Breach(
                level,
                param,
                f"{level.value}.{param}.high",
                f"{label} {shown(value)}{unit_s} {_limit(param, exceeds, high)}",
            )
        if low is not None and value < low:
            yield Breach(
                level,
                param,
                f"{level.value}.{param}.low",
                f"{label} {shown(value)}{unit_s} {_limit(param, falls_below, low)}",
            )
        rise = getattr(limits, f"{param}_rise_max", None)
        base = getattr(baseline, param) if baseline is not None else None
        if rise is not None and base is not None and value - base > rise:
            yield Breach(
                level,
                param,
                f"{level.value}.{param}.rise",
                f"{label} rose {value - base}{unit_s} from baseline {base} ({rise_beyond(rise)})",
            )


def evaluate_in_session(
    observed: Observed, *, baseline: Observed | None, protocol: Protocol
) -> AlertResult:
    """Limits that apply once the infusion has started: notify and pause."""
    breaches: list[Breach] = []
    for level in (AlertLevel.NOTIFY, AlertLevel.PAUSE):
        breaches.extend(_check(level, protocol.alerts.for_level(level), observed, baseline))
    return AlertResult(breaches=tuple(breaches))


def evaluate_before_start(observed: Observed, *, protocol: Protocol) -> AlertResult:
    """ "OK to start": the do-not-start limits (blocking) and the caution limits (advisory)."""
    blocking = tuple(_check(AlertLevel.DO_NOT_START, protocol.alerts.do_not_start, observed, None))
    cautions = tuple(
        _check(AlertLevel.NOTIFY, protocol.alerts.caution_before_start, observed, None)
    )
    return AlertResult(breaches=blocking, cautions=cautions)


def evaluate_sedation(
    scale: ScaleName, total: int, *, infusing_or_after: bool, protocol: Protocol
) -> AlertResult:
    """A sedation score judged against the in-session limits once the infusion has started:
    MOAA/S always (``moaas_min``), RASS when it is the protocol's sedation scale (``rass_min``
    for deep sedation, ``rass_max`` for agitation; CLINICAL.md §2.2, §3.3). Before the start
    nothing is judged.

    The one rule behind the alert a score raises and the colour of its flowsheet cell.
    """
    if not infusing_or_after:
        return AlertResult(breaches=())
    if scale is ScaleName.MOAAS:
        observed = Observed(moaas=total)
    elif scale is ScaleName.RASS and protocol.monitoring.sedation_scale == ScaleName.RASS.value:
        observed = Observed(rass=total)
    else:
        return AlertResult(breaches=())
    return evaluate_in_session(observed, baseline=None, protocol=protocol)
