"""The clinic protocol: dosing, monitoring, alert limits and discharge criteria, versioned.

Defaults ship in ``resources/protocol_default.toml`` with their sources. A session records the
protocol id and version it ran under, so a reprint years later evaluates the same numbers.
"""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bedside.canonical import sha256_of
from bedside.medicine_terms import DoseUnit, Route
from bedside.model_config import FROZEN
from bedside.ranges import DIASTOLIC, HEART_RATE, RESP_RATE, SPO2, SYSTOLIC


class WeightBasis(StrEnum):
    """Which weight the mg/kg dose is multiplied by (CLINICAL.md §1.3)."""

    ACTUAL = "actual"
    IDEAL = "ideal"
    ADJUSTED = "adjusted"


class AlertLevel(StrEnum):
    """The three protocol alert levels, from least to most urgent."""

    NOTIFY = "notify"
    PAUSE = "pause"
    DO_NOT_START = "do_not_start"


class _Strict(BaseModel):
    # No NaN or infinity anywhere in a protocol, whichever way it arrives (the admin screen, a
    # dotted-key change, a TOML or JSON body): a NaN limit compares false with every reading
    # and would silently disarm the rule it belongs to.
    model_config = ConfigDict(**FROZEN, allow_inf_nan=False)


VialStrength = Annotated[float, Field(gt=0, le=100)]
"""One stocked vial strength in mg/mL: the strongest marketed ketamine vial is 100 mg/mL
(CLINICAL.md §1.4)."""


class DosingRules(_Strict):
    """Dose limits and defaults. The mg/kg range and total maximum are hard stops."""

    default_mg_per_kg: float = Field(gt=0, le=2.0)
    min_mg_per_kg: float = Field(gt=0, le=2.0)
    max_mg_per_kg: float = Field(gt=0, le=2.0)
    max_total_dose_mg: float = Field(gt=0, le=500)
    default_duration_min: int = Field(ge=5, le=240)
    min_duration_min: int = Field(ge=5, le=240)
    max_duration_min: int = Field(ge=5, le=240)
    weight_basis: WeightBasis = WeightBasis.ACTUAL
    default_bag_volume_ml: float = Field(gt=0, le=1000)
    pump_rate_resolution_ml_h: float = Field(gt=0, le=10)
    weight_max_age_days: int = Field(ge=0, le=365)
    weight_change_flag_fraction: float = Field(ge=0, le=1)
    vial_concentrations_mg_ml: tuple[VialStrength, ...] = (10.0, 50.0, 100.0)
    undiluted_iv_forbidden_mg_ml: float = Field(default=100.0, gt=0, le=100)
    # Pump and scale tolerances. Defaults keep older stored versions readable unchanged.
    rate_tolerance_fraction: float = Field(default=0.05, ge=0, le=0.5)
    """The pump may start at, or be changed up to, the planned rate give or take this fraction;
    the pump's volume may differ from the charted rates by this much before it is queried."""
    weight_tolerance_kg: float = Field(default=0.05, ge=0, le=1)
    """A weight within this of the charted one is the same weight (scale rounding)."""
    bag_overrun_ml: float = Field(default=0.5, ge=0, le=10)
    """A pump volume up to this much over the bag is its rounding: a full bag, the whole dose."""
    pump_overrun_fraction: float = Field(default=0.10, ge=0, le=1)
    """The pump is past its planned end (an alert) when its running time exceeds the planned
    duration by more than this fraction."""

    @field_validator("vial_concentrations_mg_ml")
    @classmethod
    def _each_vial_once(cls, strengths: tuple[float, ...]) -> tuple[float, ...]:
        # A list with no strength, or one strength twice, is a typing slip, not a stock list.
        if not strengths:
            raise ValueError("at least one vial strength must be listed")
        if len(set(strengths)) != len(strengths):
            raise ValueError("each vial strength may be listed once")
        return strengths

    @model_validator(mode="after")
    def _ranges_are_ordered(self) -> Self:
        if not self.min_mg_per_kg <= self.default_mg_per_kg <= self.max_mg_per_kg:
            raise ValueError(
                "dosing: default_mg_per_kg must lie between min_mg_per_kg and max_mg_per_kg "
                f"({self.min_mg_per_kg}–{self.max_mg_per_kg}), got {self.default_mg_per_kg}"
            )
        if not self.min_duration_min <= self.default_duration_min <= self.max_duration_min:
            raise ValueError(
                "dosing: default_duration_min must lie between min_duration_min and "
                f"max_duration_min ({self.min_duration_min}–{self.max_duration_min})"
            )
        return self


class MonitoringRules(_Strict):
    """Check schedule and charting rules."""

    interval_during_min: int = Field(ge=1, le=60)
    interval_after_min: int = Field(ge=1, le=120)
    mandatory_bp_at_min: int | None = Field(default=40, ge=1, le=240)
    due_grace_min: int = Field(default=2, ge=0, le=30)
    late_entry_after_min: int = Field(ge=1, le=24 * 60)
    idle_lock_min: int = Field(ge=1, le=120)
    sedation_scale: Literal["moaas", "rass"] = "moaas"
    discharge_scale: Literal["aldrete", "padss"] = "aldrete"
    require_phq9: bool = True
    require_cssrs: bool = True
    chairs: int = Field(default=4, ge=1, le=24)
    recheck_after_alert_min: int | None = Field(default=5, ge=1, le=60)
    """After a reading that raised an alert, vitals are due this often until a reading is back
    inside the limits (``None``: the routine schedule only)."""
    overdue_red_after_min: int = Field(default=5, ge=1, le=120)
    """A check this long overdue shows red (amber from its due time)."""
    overdue_urgent_after_min: int = Field(default=15, ge=1, le=240)
    """A check this long overdue is unmistakable: inverted and flashing."""
    mandatory_deferral: Literal["clinician", "refused"] = "clinician"
    """Deferring a mandatory check: with a clinician's password and a reason, or never."""
    baseline_max_age_min: int = Field(default=30, ge=1, le=24 * 60)
    """A baseline older than this at pump start needs a fresh set or a clinician's
    confirmation."""
    max_failed_sign_ins: int = Field(default=5, ge=3, le=100)
    """Wrong passwords in a row (sign-in or signature) before the account is locked until an
    administrator unlocks it."""

    @model_validator(mode="after")
    def _escalation_is_ordered(self) -> Self:
        if self.overdue_red_after_min >= self.overdue_urgent_after_min:
            raise ValueError(
                "monitoring: overdue_red_after_min must be below overdue_urgent_after_min "
                f"({self.overdue_red_after_min} ≥ {self.overdue_urgent_after_min})"
            )
        return self


class LimitSet(_Strict):
    """Limits for one alert level. ``None`` means "not checked at this level".

    ``*_max`` fires when the value is above the limit, ``*_min`` when below it; ``*_rise_max``
    fires when the value rose by more than the limit from the session's baseline reading.
    Each limit must lie inside the physically possible range of its measure
    (:mod:`bedside.ranges`), so a typed 1800 for 180 is refused rather than silently disarming
    the alert.
    """

    systolic_max: int | None = Field(default=None, ge=SYSTOLIC.low, le=SYSTOLIC.high)
    systolic_min: int | None = Field(default=None, ge=SYSTOLIC.low, le=SYSTOLIC.high)
    diastolic_max: int | None = Field(default=None, ge=DIASTOLIC.low, le=DIASTOLIC.high)
    diastolic_min: int | None = Field(default=None, ge=DIASTOLIC.low, le=DIASTOLIC.high)
    heart_rate_max: int | None = Field(default=None, ge=HEART_RATE.low, le=HEART_RATE.high)
    heart_rate_min: int | None = Field(default=None, ge=HEART_RATE.low, le=HEART_RATE.high)
    spo2_min: int | None = Field(default=None, ge=SPO2.low, le=SPO2.high)
    resp_rate_max: int | None = Field(default=None, ge=RESP_RATE.low, le=RESP_RATE.high)
    resp_rate_min: int | None = Field(default=None, ge=RESP_RATE.low, le=RESP_RATE.high)
    systolic_rise_max: int | None = Field(default=None, ge=0, le=150)
    diastolic_rise_max: int | None = Field(default=None, ge=0, le=150)
    moaas_min: int | None = Field(default=None, ge=0, le=5)
    rass_min: int | None = Field(default=None, ge=-5, le=4)
    rass_max: int | None = Field(default=None, ge=-5, le=4)

    @model_validator(mode="after")
    def _min_below_max(self) -> Self:
        for measure in ("systolic", "diastolic", "heart_rate", "resp_rate", "rass"):
            low = getattr(self, f"{measure}_min")
            high = getattr(self, f"{measure}_max")
            if low is not None and high is not None and low >= high:
                raise ValueError(
                    f"{measure}_min ({low}) must be below {measure}_max ({high}): "
                    "otherwise the alert fires on every reading"
                )
        return self


class AlertLimits(_Strict):
    """Limits for each level, plus a non-blocking caution before the start."""

    do_not_start: LimitSet
    notify: LimitSet
    pause: LimitSet
    caution_before_start: LimitSet = LimitSet()

    def for_level(self, level: AlertLevel) -> LimitSet:
        """The limit set of one level."""
        return {
            AlertLevel.DO_NOT_START: self.do_not_start,
            AlertLevel.NOTIFY: self.notify,
            AlertLevel.PAUSE: self.pause,
        }[level]


class DischargeRules(_Strict):
    """Criteria that must all hold before discharge (CLINICAL.md §5.4)."""

    min_observation_min: int = Field(ge=0, le=24 * 60)
    min_total_monitoring_min: int = Field(default=0, ge=0, le=24 * 60)
    bp_margin_fraction: float = Field(ge=0, le=1)
    heart_rate_margin_fraction: float = Field(ge=0, le=1)
    spo2_min: int = Field(ge=50, le=100)
    moaas_required: int = Field(default=5, ge=0, le=5)
    rass_required: int = Field(default=0, ge=-5, le=4)
    score_min: int = Field(ge=0, le=10)
    require_escort: bool = True
    require_instructions: bool = True
    cadss6_max_above_baseline: int = Field(default=0, ge=0, le=24)
    systolic_max: int | None = Field(default=159, ge=SYSTOLIC.low, le=SYSTOLIC.high)
    """The absolute ceiling: a discharge BP must be at or below it as well as near baseline."""
    diastolic_max: int | None = Field(default=99, ge=DIASTOLIC.low, le=DIASTOLIC.high)
    vitals_max_age_min: int = Field(default=15, ge=1, le=240)
    """The vitals a discharge is judged on were taken at most this long before the judgement
    (and after the last alert)."""


class PrnDrug(_Strict):
    """One medicine on the clinic's PRN list: the usual dose (a range ``usual_dose`` to
    ``usual_dose_upper`` where the source gives one), its unit and route, the most that may be
    given in one session and the least time between two doses (``None``: not checked)."""

    drug: str = Field(min_length=2, max_length=80)
    usual_dose: float = Field(gt=0, le=10000)
    usual_dose_upper: float | None = Field(default=None, gt=0, le=10000)
    unit: DoseUnit
    route: Route
    max_per_session: float | None = Field(default=None, gt=0, le=10000)
    min_interval_min: int | None = Field(default=None, ge=1, le=24 * 60)

    @model_validator(mode="after")
    def _doses_are_ordered(self) -> Self:
        upper = self.usual_dose_upper or self.usual_dose
        if upper < self.usual_dose:
            raise ValueError(f"prn {self.drug}: usual_dose_upper is below usual_dose")
        if self.max_per_session is not None and self.max_per_session < upper:
            raise ValueError(
                f"prn {self.drug}: max_per_session ({self.max_per_session:g}) is below the "
                f"usual dose ({upper:g})"
            )
        return self

    @property
    def usual_text(self) -> str:
        """``4 mg IV`` or ``1–2 mg IV``."""
        dose = f"{self.usual_dose:g}"
        if self.usual_dose_upper is not None and self.usual_dose_upper != self.usual_dose:
            dose += f"–{self.usual_dose_upper:g}"
        return f"{dose} {self.unit} {self.route}"


class PrnList(_Strict):
    """The clinic's PRN (rescue) medicines. A drug not on the list may still be given, with a
    warning the nurse confirms."""

    drugs: tuple[PrnDrug, ...] = ()

    @model_validator(mode="after")
    def _one_row_per_drug(self) -> Self:
        names = [d.drug.casefold() for d in self.drugs]
        if len(set(names)) != len(names):
            raise ValueError("prn: each drug may be listed once")
        return self

    def find(self, drug: str) -> PrnDrug | None:
        """The row for ``drug`` (case and spacing ignored), if listed."""
        wanted = " ".join(drug.split()).casefold()
        return next((d for d in self.drugs if d.drug.casefold() == wanted), None)


@cache
def _shipped_prn_list() -> PrnList:
    """The PRN list of the shipped default: what a protocol version saved before the list
    existed runs under (those versions had no list of their own)."""
    shipped = default_protocol().prn
    if shipped is None:
        raise ValueError("resources/protocol_default.toml must have a [prn] list")
    return shipped


class Protocol(_Strict):
    """One version of a clinic's protocol."""

    name: str = Field(min_length=1, max_length=200)
    version: int = Field(ge=1)
    dosing: DosingRules
    monitoring: MonitoringRules
    alerts: AlertLimits
    discharge: DischargeRules
    prn: PrnList | None = Field(default=None, exclude_if=lambda value: value is None)
    """The clinic's PRN list. ``None`` only in a version saved before the list existed: left
    out of its JSON, so its hash is the one its sessions recorded; such a version runs under
    the shipped list (:attr:`prn_list`)."""
    sources: dict[str, str] = Field(default_factory=dict)

    @property
    def prn_list(self) -> PrnList:
        """The PRN list this version runs under."""
        return self.prn if self.prn is not None else _shipped_prn_list()

    def source_for(self, dotted_key: str) -> str:
        """The cited source of a setting, looking up the key and then its parents."""
        key = dotted_key
        while key:
            if key in self.sources:
                return self.sources[key]
            key = key.rpartition(".")[0]
        return "clinic setting (no source recorded)"

    def settings_table(self) -> list[tuple[str, Any, str]]:
        """Every setting as (dotted key, value, source): what the admin screen lists."""
        rows: list[tuple[str, Any, str]] = []
        for section in ("dosing", "monitoring", "discharge"):
            for key, value in getattr(self, section).model_dump(mode="json").items():
                rows.append((f"{section}.{key}", value, self.source_for(f"{section}.{key}")))
        for level, limits in self.alerts.model_dump(mode="json").items():
            for key, value in limits.items():
                if value is not None:
                    dotted = f"alerts.{level}.{key}"
                    rows.append((dotted, value, self.source_for(dotted)))
        return rows


def protocol_hash(protocol: Protocol) -> str:
    """sha256 of the protocol's canonical JSON: sessions record it, ``verify`` re-checks it."""
    return sha256_of(protocol.model_dump(mode="json"))


def default_protocol() -> Protocol:
    """The protocol shipped in ``resources/protocol_default.toml``."""
    text = resources.files("resources").joinpath("protocol_default.toml").read_text("utf-8")
    return Protocol.model_validate(tomllib.loads(text))
