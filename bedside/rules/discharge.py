"""Discharge readiness: the protocol's criteria evaluated at any moment, what is still missing,
and the first moment all of them were met (the REMS "when would the patient have been ready to
leave?" question, answered from the record rather than from memory)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from bedside.events import ChartEvent, DischargeAssessed, ScaleScored, VitalsRecorded
from bedside.protocol import DischargeRules, Protocol
from bedside.report import RuleReport, error
from bedside.rules.limit_words import bp_at_most, exceeds
from bedside.scales import ScaleName
from bedside.state import SessionState
from bedside.timeutil import local_text


@dataclass(frozen=True)
class Criterion:
    """One discharge criterion at one moment."""

    code: str
    label: str
    met: bool
    detail: str


@dataclass(frozen=True)
class DischargeReadiness:
    """All criteria at ``at``; ``missing`` lists the unmet ones in words."""

    at: datetime
    criteria: tuple[Criterion, ...]

    @property
    def all_met(self) -> bool:
        """True when every criterion holds."""
        return all(c.met for c in self.criteria)

    @property
    def missing(self) -> tuple[Criterion, ...]:
        """Criteria not yet met."""
        return tuple(c for c in self.criteria if not c.met)

    @property
    def report(self) -> RuleReport:
        """Each unmet criterion as an error a clinician may override with a reason."""
        return RuleReport.of(
            error(f"discharge.{c.code}", f"{c.label}: {c.detail}", overridable=True)
            for c in self.missing
        )


def judged_at(state: SessionState, now: datetime) -> datetime:
    """The moment discharge readiness is judged at: a closed record at its closing (the
    sign-off or the early end), never re-judged at a later time; an open one at ``now``.

    The session window passes the clock's now; the printout passes the record's last entry,
    so a reprint of an unsigned record says the same whenever it is printed.
    """
    closed = state.closed_at
    return closed if closed is not None else now


def _latest_before(events: list, at: datetime):  # type: ignore[no-untyped-def, type-arg]
    chosen = None
    for event in events:
        if event.clinical_time <= at:
            chosen = event
    return chosen


def _within(value: float | None, base: float | None, fraction: float) -> bool:
    if value is None or base is None:
        return False
    return abs(value - base) <= fraction * base


def _infusion_criteria(state: SessionState, rules: DischargeRules, at: datetime) -> list[Criterion]:
    """Infusion finished, the observation time after it, and the total monitoring time."""
    inf = state.infusion
    stopped = inf.stopped_at is not None and inf.stopped_at <= at
    crit = [
        Criterion(
            "infusion_stopped",
            "Infusion finished",
            stopped,
            "stopped" if stopped else "infusion has not been stopped",
        ),
        _observation_criterion(inf.stopped_at if stopped else None, rules, at),
    ]
    if rules.min_total_monitoring_min:
        total = ((at - inf.started_at).total_seconds() / 60) if inf.started_at else 0.0
        crit.append(
            Criterion(
                "min_total_monitoring",
                f"Monitored ≥ {rules.min_total_monitoring_min} min from start",
                total >= rules.min_total_monitoring_min,
                f"{total:.0f} min",
            )
        )
    return crit


def _observation_criterion(
    stopped_at: datetime | None, rules: DischargeRules, at: datetime
) -> Criterion:
    """Observed long enough after the infusion stopped (``stopped_at`` None: not stopped yet)."""
    need = rules.min_observation_min
    if stopped_at is None:
        return Criterion(
            "min_observation",
            f"Observed ≥ {need} min after infusion",
            False,
            "starts when the infusion stops",
        )
    observed = (at - stopped_at).total_seconds() / 60
    return Criterion(
        "min_observation",
        f"Observed ≥ {need} min after infusion",
        observed >= need,
        f"{math.floor(observed)} of {need} min"
        if observed < need
        else f"{math.floor(observed)} min",
    )


def _vitals_criteria(
    state: SessionState, rules: DischargeRules, after: datetime | None, at: datetime
) -> list[Criterion]:
    """BP and HR near baseline and under the absolute ceiling, SpO2 on air, from the last
    vitals since the infusion stopped; and that set fresh (:func:`_freshness_criterion`)."""
    vit = _latest_before([v for v in state.vitals if after and v.clinical_time >= after], at)
    if vit is None:
        # The same labels as when judged (a draft must read like the signed record), and words
        # that do not deny the readings charted during the infusion.
        missing = NOT_STOPPED if after is None else "no vitals charted since the infusion stopped"
        return [
            Criterion("vitals_near_baseline", _near_baseline_label(rules), False, missing),
            Criterion(
                "spo2",
                f"SpO2 ≥ {rules.spo2_min} % on air",
                False,
                NOT_STOPPED if after is None else "no reading since the infusion stopped",
            ),
            Criterion(
                "vitals_fresh",
                _FRESH_LABEL.format(need=rules.vitals_max_age_min),
                False,
                missing,
            ),
        ]
    p = vit.payload
    spo2_ok = p.spo2 is not None and p.spo2 >= rules.spo2_min and not p.on_oxygen
    return [
        _near_baseline_criterion(state, rules, p),
        Criterion(
            "spo2",
            f"SpO2 ≥ {rules.spo2_min} % on air",
            spo2_ok,
            f"SpO2 {p.spo2} %{' on O2' if p.on_oxygen else ''}",
        ),
        _freshness_criterion(state, rules, vit, at),
    ]


def _near_baseline_criterion(
    state: SessionState, rules: DischargeRules, p: VitalsRecorded
) -> Criterion:
    """BP and HR within the margin of baseline, and the BP at or under the absolute ceiling: a
    reading that raised an alert never passes as "near a raised baseline"."""
    base_sbp = state.baseline_value("systolic")
    base_dbp = state.baseline_value("diastolic")
    base_hr = state.baseline_value("heart_rate")
    bp_ok = _within(p.systolic, base_sbp, rules.bp_margin_fraction) and _within(
        p.diastolic, base_dbp, rules.bp_margin_fraction
    )
    hr_ok = _within(p.heart_rate, base_hr, rules.heart_rate_margin_fraction)
    over = [
        f"{name} {value} {exceeds(limit)} (the discharge ceiling)"
        for name, value, limit in (
            ("systolic", p.systolic, rules.systolic_max),
            ("diastolic", p.diastolic, rules.diastolic_max),
        )
        if value is not None and limit is not None and value > limit
    ]
    detail = (
        f"BP {p.systolic}/{p.diastolic} vs baseline {base_sbp:g}/{base_dbp:g}, "
        f"HR {p.heart_rate} vs {base_hr:g}"
        if None not in (p.systolic, p.diastolic, p.heart_rate, base_sbp, base_dbp, base_hr)
        else "BP or HR missing in the last set or the baseline"
    )
    return Criterion(
        "vitals_near_baseline",
        _near_baseline_label(rules),
        bp_ok and hr_ok and not over,
        detail + ("; " + ", ".join(over) if over else ""),
    )


_FRESH_LABEL = "Vitals within {need} min, after any alert"

NOT_STOPPED = "judged once the infusion has stopped"
"""The detail of an after-the-infusion criterion while the infusion has not stopped."""


def _near_baseline_label(rules: DischargeRules) -> str:
    """ "BP and HR within 20 % of baseline and BP < 160/100" (the ceiling only when set)."""
    pct = round(rules.bp_margin_fraction * 100)
    ceiling = (
        f" and BP {bp_at_most(rules.systolic_max, rules.diastolic_max)}"
        if rules.systolic_max is not None and rules.diastolic_max is not None
        else ""
    )
    return f"BP and HR within {pct} % of baseline{ceiling}"


def _freshness_criterion(
    state: SessionState, rules: DischargeRules, vit: ChartEvent, at: datetime
) -> Criterion:
    """The set judged on was taken within ``vitals_max_age_min`` of the judgement and after the
    last alert (a discharge on stale data is not "back to baseline", CLINICAL.md §13)."""
    need = rules.vitals_max_age_min
    age = (at - vit.clinical_time).total_seconds() / 60
    # An alert raised by this very set is judged by the other criteria (its values fail them);
    # what this one asks is whether anything alerting came after the set being judged on.
    # Record order breaks a tie of clinical times (a repeat set charted in the alert's minute).
    last_alert = max(
        (
            a.raised
            for a in state.alerts.values()
            if a.raised.clinical_time <= at and a.payload.source_event_id != vit.id
        ),
        key=lambda e: (e.clinical_time, e.seq),
        default=None,
    )
    tz = state.opened.clinic_timezone
    taken = local_text(vit.clinical_time, tz, "%H:%M")
    if last_alert is not None and (vit.clinical_time, vit.seq) < (
        last_alert.clinical_time,
        last_alert.seq,
    ):
        detail = (
            f"last vitals at {taken} are not after the alert at "
            f"{local_text(last_alert.clinical_time, tz, '%H:%M')}: take a fresh set"
        )
        return Criterion("vitals_fresh", _FRESH_LABEL.format(need=need), False, detail)
    fresh = age <= need
    detail = f"taken at {taken}, {math.floor(age)} min ago" + (
        "" if fresh else ": take a fresh set"
    )
    return Criterion("vitals_fresh", _FRESH_LABEL.format(need=need), fresh, detail)


def _open_alerts_criterion(state: SessionState, at: datetime) -> Criterion:
    """Every alert raised by ``at`` acknowledged by then."""
    open_ = [
        a
        for a in state.alerts.values()
        if a.raised.clinical_time <= at
        and (a.acknowledged is None or a.acknowledged.clinical_time > at)
    ]
    return Criterion(
        "alerts_acknowledged",
        "Every alert acknowledged",
        not open_,
        "none open" if not open_ else "; ".join(a.payload.message for a in open_),
    )


def _sedation_criterion(
    state: SessionState, protocol: Protocol, after: datetime | None, at: datetime
) -> Criterion:
    """The protocol's sedation scale back at its required score since the infusion stopped."""
    rules = protocol.discharge
    sed_scale = ScaleName(protocol.monitoring.sedation_scale)
    required = rules.moaas_required if sed_scale is ScaleName.MOAAS else rules.rass_required
    sed = _latest_before(
        [e for e in state.scale_events(sed_scale) if after and e.clinical_time >= after], at
    )
    sed_total = cast(ScaleScored, sed.payload).total if sed else None
    return Criterion(
        "sedation_resolved",
        f"Sedation resolved ({sed_scale.label} {required})",
        sed_total == required,
        f"last {sed_total}"
        if sed is not None
        else (NOT_STOPPED if after is None else "not scored since the infusion stopped"),
    )


def _dissociation_criterion(
    state: SessionState, rules: DischargeRules, after: datetime | None, at: datetime
) -> Criterion:
    """CADSS-6 since the infusion stopped back within the allowed rise over the pre-infusion one."""
    started_at = state.infusion.started_at
    base_cadss = _latest_before(
        [
            e
            for e in state.scale_events(ScaleName.CADSS6)
            if started_at is None or e.clinical_time < started_at
        ],
        at,
    )
    base_cadss_total = cast(ScaleScored, base_cadss.payload).total if base_cadss else 0
    diss = _latest_before(
        [e for e in state.scale_events(ScaleName.CADSS6) if after and e.clinical_time >= after], at
    )
    diss_total = cast(ScaleScored, diss.payload).total if diss else None
    limit = base_cadss_total + rules.cadss6_max_above_baseline
    return Criterion(
        "dissociation_resolved",
        f"Dissociation back to baseline (CADSS-6 ≤ {limit})",
        diss_total is not None and diss_total <= limit,
        f"last CADSS-6 {diss_total}"
        if diss_total is not None
        else (NOT_STOPPED if after is None else "no CADSS-6 since the infusion stopped"),
    )


def _assessment_criteria(state: SessionState, protocol: Protocol, at: datetime) -> list[Criterion]:
    """The discharge score, and the escort and instructions when the protocol requires them."""
    rules = protocol.discharge
    assess = _latest_before(state.discharge_assessments, at)
    a = cast(DischargeAssessed, assess.payload) if assess else None
    name = protocol.monitoring.discharge_scale.capitalize()
    crit = [
        Criterion(
            "discharge_score",
            f"{name} score ≥ {rules.score_min}",
            a is not None and a.total >= rules.score_min,
            "not assessed" if a is None else f"{a.total}/10",
        )
    ]
    if rules.require_escort:
        crit.append(
            Criterion(
                "escort",
                "Escort present",
                bool(a and a.escort_present),
                (a.escort_name or "present") if a and a.escort_present else "escort not confirmed",
            )
        )
    if rules.require_instructions:
        crit.append(
            Criterion(
                "instructions",
                "Discharge instructions given",
                bool(a and a.instructions_given),
                "given" if a and a.instructions_given else "not yet given",
            )
        )
    return crit


def evaluate(state: SessionState, protocol: Protocol, at: datetime) -> DischargeReadiness:
    """Evaluate every discharge criterion using only what was charted up to ``at``."""
    rules = protocol.discharge
    stopped_at = state.infusion.stopped_at
    # Recovery is judged only on what was charted after the stop.
    after = stopped_at if stopped_at is not None and stopped_at <= at else None
    crit = [
        *_infusion_criteria(state, rules, at),
        *_vitals_criteria(state, rules, after, at),
        _open_alerts_criterion(state, at),
        _sedation_criterion(state, protocol, after, at),
        _dissociation_criterion(state, rules, after, at),
        *_assessment_criteria(state, protocol, at),
    ]
    return DischargeReadiness(at=at, criteria=tuple(crit))


def first_ready_time(state: SessionState, protocol: Protocol, until: datetime) -> datetime | None:
    """The first moment, up to ``until``, at which every criterion held.

    Criteria change only when something is charted or when a time threshold passes, so only
    those instants need checking.
    """
    started, stopped = state.infusion.started_at, state.infusion.stopped_at
    if stopped is None:
        return None
    candidates = {e.clinical_time for e in state.effective.values() if e.clinical_time >= stopped}
    candidates.add(stopped + timedelta(minutes=protocol.discharge.min_observation_min))
    if started is not None and protocol.discharge.min_total_monitoring_min:
        candidates.add(started + timedelta(minutes=protocol.discharge.min_total_monitoring_min))
    for moment in sorted(t for t in candidates if t <= until):
        if evaluate(state, protocol, moment).all_met:
            return moment
    return None
