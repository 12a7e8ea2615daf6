"""The session state machine: which transitions exist and the guard report for each.

Guards return a :class:`RuleReport`; the service refuses a transition with errors unless every
error is overridable and a clinician recorded an override with a reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from bedside.consent import ConsentTemplate
from bedside.course import CourseOrder
from bedside.events import (
    BaselineVitals,
    ConsentRecorded,
    DosePlanned,
    DrugPrepared,
    Phase,
    PhaseAdvanced,
    ScaleScored,
)
from bedside.expiry import expired
from bedside.protocol import Protocol
from bedside.report import Finding, RuleReport, error, warning
from bedside.rules import alerts, baseline_age, controlled, discharge, intake, side_effects
from bedside.scales import ScaleName
from bedside.state import SessionState
from bedside.timeutil import local_date

ADVANCED_BY_STEP = {
    (Phase.INTAKE, Phase.BASELINE),
    (Phase.BASELINE, Phase.CONSENT),
    (Phase.CONSENT, Phase.PREPARED),
    (Phase.OBSERVING, Phase.READY_FOR_DISCHARGE),
}
"""Transitions made by a ``phase_advanced`` event (the others by infusion or signing events)."""


def observed_from(payload: BaselineVitals) -> alerts.Observed:
    """Alert inputs from a vitals payload."""
    return alerts.Observed(
        systolic=payload.systolic,
        diastolic=payload.diastolic,
        heart_rate=payload.heart_rate,
        spo2=payload.spo2,
        resp_rate=payload.resp_rate,
    )


def ok_to_start(state: SessionState, protocol: Protocol) -> RuleReport:
    """The "OK to start" evaluation on the latest baseline and pre-session scores."""
    findings: list[Finding] = []
    base = state.latest_baseline()
    if base is None:
        return RuleReport.of([error("baseline.missing", "No baseline vitals recorded")])
    missing = [
        label
        for label, value in (
            ("blood pressure", base.systolic),
            ("heart rate", base.heart_rate),
            ("SpO2", base.spo2),
            ("respiratory rate", base.resp_rate),
        )
        if value is None
    ]
    if missing:
        findings.append(error("baseline.incomplete", "Baseline lacks " + ", ".join(missing)))
    if state.baseline_value("weight_kg") is None:
        findings.append(error("baseline.no_weight", "Weight not recorded (needed for the dose)"))
    result = alerts.evaluate_before_start(observed_from(base), protocol=protocol)
    for b in result.breaches:
        findings.append(error(f"baseline.{b.code}", f"Do not start: {b.text}", overridable=True))
    # A caution (e.g. above 140/90, CLINICAL.md §13 "Caution band before start") does not stop
    # the session, but it is put on record: a clinician acknowledges it with a reason (the
    # step's signed override), and the start checks it again.
    for b in result.cautions:
        findings.append(
            error(
                f"baseline.caution.{b.parameter}",
                f"Caution: {b.text} — a clinician acknowledges it with a reason",
                overridable=True,
            )
        )
    findings.extend(_pre_session_scores(state, protocol))
    return RuleReport.of(findings)


def _pre_session_scores(state: SessionState, protocol: Protocol) -> list[Finding]:
    """The baseline sedation score, and the PHQ-9 and C-SSRS screens the protocol requires
    (a positive item 9 or a raised C-SSRS risk is named)."""
    findings: list[Finding] = []
    sed = ScaleName(protocol.monitoring.sedation_scale)
    if not state.scale_events(sed):
        findings.append(error("baseline.no_sedation_score", f"No baseline {sed.label} score"))
    if protocol.monitoring.require_phq9:
        phq = state.latest_scale(ScaleName.PHQ9)
        if phq is None:
            findings.append(error("baseline.no_phq9", "No pre-session PHQ-9", overridable=True))
        elif "phq9_item9_positive" in cast(ScaleScored, phq.payload).flags:
            findings.append(
                warning(
                    "baseline.phq9_item9", "PHQ-9 item 9 positive: same-day clinician follow-up"
                )
            )
    if protocol.monitoring.require_cssrs:
        findings.extend(_cssrs_findings(state))
    return findings


def _cssrs_findings(state: SessionState) -> list[Finding]:
    cs = state.latest_scale(ScaleName.CSSRS)
    if cs is None:
        return [error("baseline.no_cssrs", "No C-SSRS screen", overridable=True)]
    flags = cast(ScaleScored, cs.payload).flags
    if "cssrs_high_risk" in flags:
        return [
            error(
                "baseline.cssrs_high",
                "C-SSRS high risk: clinician evaluation and safety plan before treatment",
                overridable=True,
            )
        ]
    if "cssrs_moderate_risk" in flags:
        return [warning("baseline.cssrs_moderate", "C-SSRS moderate risk: inform the clinician")]
    return []


def consent_report(state: SessionState, template: ConsentTemplate, at: datetime) -> RuleReport:
    """Is a valid, in-date consent on record for this session?"""
    if state.consent is None:
        return RuleReport.of([error("consent.missing", "Consent has not been recorded")])
    c = cast(ConsentRecorded, state.consent.payload)
    findings: list[Finding] = []
    if (c.template_id, c.template_version) != (template.id, template.version):
        findings.append(
            warning(
                "consent.other_version",
                f"Consent used template {c.template_id} v{c.template_version}",
            )
        )
    else:
        missing = [k for k in template.keys if k not in c.elements_acknowledged]
        if missing:
            findings.append(
                error(
                    "consent.elements_missing",
                    "Consent elements not acknowledged: " + ", ".join(missing),
                )
            )
    today = local_date(at, state.opened.clinic_timezone)
    if c.valid_until is not None and c.valid_until < today:
        findings.append(
            error("consent.expired", f"Consent expired on {c.valid_until.isoformat()}: renew it")
        )
    if not c.capacity_confirmed:
        findings.append(error("consent.capacity", "Capacity to consent not confirmed"))
    return RuleReport.of(findings)


def _plan_findings(plan: DosePlanned | None, order: CourseOrder) -> list[Finding]:
    """A dose plan must exist and come from the current course order."""
    if plan is None:
        return [error("start.no_dose_plan", "No dose plan")]
    if plan.course_id != order.id or plan.mg_per_kg != order.mg_per_kg:
        return [
            error(
                "start.plan_not_from_order", "The dose plan does not match the current course order"
            )
        ]
    return []


def _preparation_findings(
    state: SessionState, plan: DosePlanned | None, at: datetime
) -> list[Finding]:
    """The prepared drug: recorded, in date, double-checked by a second person, matching the plan."""
    prep = state.typed(state.preparation, DrugPrepared)
    if prep is None:
        return [error("start.not_prepared", "Drug preparation (lot, expiry) not recorded")]
    findings: list[Finding] = []
    # Expiry dates are calendar dates where the clinic is, not in UTC.
    if expired(prep.expiry, local_date(at, state.opened.clinic_timezone)):
        findings.append(
            error("start.expired", f"Vial lot {prep.lot} expired on {prep.expiry.isoformat()}")
        )
    assert state.preparation is not None
    if prep.double_check.signer_id == state.preparation.author:
        findings.append(error("start.same_checker", "The double-check must be by a second person"))
    if plan is not None and prep.drawn_mg + 1e-9 < plan.dose_mg:
        findings.append(
            error(
                "start.drawn_less_than_dose",
                f"{prep.drawn_mg:g} mg drawn is less than the {plan.dose_mg:g} mg dose",
            )
        )
    if (
        plan is not None
        and abs(prep.vial_concentration_mg_ml - plan.vial_concentration_mg_ml) > 1e-9
    ):
        findings.append(
            error("start.concentration_mismatch", "Vial concentration differs from the dose plan")
        )
    return findings


def _rate_and_weight_findings(
    state: SessionState, protocol: Protocol, plan: DosePlanned | None, rate_ml_h: float
) -> list[Finding]:
    """The pump rate and the charted weight must be the ones the dose was planned on."""
    if plan is None:
        return []
    findings: list[Finding] = []
    tolerance = protocol.dosing.rate_tolerance_fraction
    if abs(rate_ml_h - plan.rate_ml_h) > tolerance * plan.rate_ml_h:
        findings.append(
            error(
                "start.rate_differs",
                f"Pump rate {rate_ml_h:g} mL/h differs from the planned "
                f"{plan.rate_ml_h:g} mL/h by more than {tolerance * 100:g} %: start at the "
                "planned rate",
            )
        )
    weight = state.baseline_value("weight_kg")
    if weight is None or abs(weight - plan.weight_kg) > protocol.dosing.weight_tolerance_kg:
        findings.append(
            error(
                "start.weight_changed",
                f"The charted weight ({weight if weight is not None else 'none'} kg) is not "
                f"the {plan.weight_kg:g} kg the dose was planned on: plan the dose again",
            )
        )
    return findings


def _baseline_rechecked_findings(state: SessionState, protocol: Protocol) -> list[Finding]:
    """The baseline checked again at the start, less what was overridden (or, for a caution,
    acknowledged) when it was accepted."""
    # The baseline may have been corrected, or a fresh set charted, since it was accepted;
    # overridden codes stay overridden (the override is on record), anything new blocks the
    # start, and a clinician may override it there as at the step (a new caution is
    # acknowledged at the start).
    overridden = {
        code
        for event in state.phase_changes
        if (ov := cast(PhaseAdvanced, event.payload).override) is not None
        for code in ov.finding_codes
    }
    return [
        error(
            f"start.{finding.code}",
            f"{finding.message} (baseline re-checked)",
            overridable=finding.overridable,
        )
        for finding in ok_to_start(state, protocol).errors
        if finding.code not in overridden
    ]


def start_report(
    state: SessionState,
    protocol: Protocol,
    order: CourseOrder,
    template: ConsentTemplate,
    at: datetime,
    rate_ml_h: float,
) -> RuleReport:
    """Guard for starting the infusion: consent, dose plan, preparation, double-check, and the
    baseline checked again and not older than the protocol allows at ``at``."""
    plan = state.typed(state.dose_plan, DosePlanned)
    return RuleReport.of(
        [
            *consent_report(state, template, at).errors,
            *_plan_findings(plan, order),
            *_preparation_findings(state, plan, at),
            *_rate_and_weight_findings(state, protocol, plan, rate_ml_h),
            *_baseline_rechecked_findings(state, protocol),
            *baseline_age.stale_baseline_findings(state, protocol, at),
        ]
    )


def baseline_observed(state: SessionState) -> alerts.Observed | None:
    """Each parameter's most recent baseline value (sets may be partial, e.g. weight only)."""
    values = {
        key: state.baseline_value(key)
        for key in ("systolic", "diastolic", "heart_rate", "spo2", "resp_rate")
    }
    if all(v is None for v in values.values()):
        return None
    return alerts.Observed(**{k: int(v) if v is not None else None for k, v in values.items()})


def _drug_record_findings(record: controlled.SubstanceRecord) -> list[Finding]:
    """The controlled-substance record at sign-off: an open remainder blocks the signature.

    Drug drawn and neither infused nor wasted must be wasted with a witness (CLINICAL.md §7:
    "waste must be witnessed and co-signed"), so it blocks; a clinician may still sign with the
    reason it cannot be (spilled, broken, sent for investigation), because the patient's
    discharge must not wait on a drug count, and that reason is the "discrepancy flag and
    reason" §7 asks the record to carry. Waste beyond what was drawn is a charting error to
    correct, never signed past.
    """
    findings: list[Finding] = []
    for finding in record.report.errors:
        if finding.code == "cs.unaccounted":
            finding = error(
                finding.code,
                f"Open remainder: {record.open_words() or finding.message} — drawn but neither "
                "infused nor wasted. Record the waste with a witness, or a clinician signs "
                "with the reason it cannot be.",
                overridable=True,
            )
        findings.append(finding)
    if not record.reconciled and not record.report.errors:
        findings.append(error("cs.not_reconciled", "Controlled-substance record not reconciled"))
    return findings


def _expired_vial_findings(state: SessionState) -> list[Finding]:
    """A vial found (by a corrected preparation) to have expired before the infusion started:
    the discharge is signed only by a clinician giving the reason (CLINICAL.md §7, the
    controlled-substance record carries the discrepancy and its reason)."""
    prep = state.typed(state.preparation, DrugPrepared)
    started = state.infusion.started_at
    if prep is None or started is None:
        return []
    used_on = local_date(started, state.opened.clinic_timezone)
    if not expired(prep.expiry, used_on):
        return []
    return [
        error(
            "cs.expired_vial_used",
            f"Vial lot {prep.lot} expired on {prep.expiry:%d %b %Y} and was infused on "
            f"{used_on:%d %b %Y}: a clinician signs with the reason (report it as the clinic "
            "requires).",
            overridable=True,
        )
    ]


def sign_report(state: SessionState, protocol: Protocol, at: datetime) -> RuleReport:
    """Guard for clinician sign-off: readiness, reconciled drug record, acknowledged alerts."""
    findings: list[Finding] = []
    # Re-judged at signing even when the session was marked ready: anything charted after
    # (a drowsy MOAA/S, a voided assessment) must stop the signature, not pass unseen.
    if state.phase in (Phase.OBSERVING, Phase.READY_FOR_DISCHARGE):
        # An open alert is named below, where it cannot be overridden.
        findings.extend(
            f
            for f in discharge.evaluate(state, protocol, at).report.findings
            if f.code != "discharge.alerts_acknowledged"
        )
    elif not state.locked:
        # "Discharge approved" on a session still at intake or with the pump running is not a
        # judgement a clinician can make past: the infusion and its observation come first.
        findings.append(
            error(
                "discharge.not_observing",
                f"The session is at {state.phase.label}: the infusion must be stopped and the "
                "patient observed before the discharge is signed",
            )
        )
    findings.extend(_drug_record_findings(controlled.reconcile(state, protocol)))
    findings.extend(_expired_vial_findings(state))
    for alert in state.open_alerts():
        findings.append(error("alerts.open", f"Alert not acknowledged: {alert.payload.message}"))
    for se in state.side_effects.values():
        if se.resolved is None and side_effects.needs_follow_up(se.payload.severity):
            findings.append(
                warning(
                    "side_effect.unresolved",
                    f"{se.payload.effect} (severity {se.payload.severity}) not marked resolved",
                )
            )
    return RuleReport.of(findings)


def advance_report(
    state: SessionState,
    to: Phase,
    *,
    protocol: Protocol,
    template: ConsentTemplate,
    at: datetime,
) -> RuleReport:
    """Guard report for a ``phase_advanced`` step."""
    frm = state.phase
    if (frm, to) not in ADVANCED_BY_STEP:
        return RuleReport.of(
            [error("phase.not_allowed", f"Cannot move from {frm.label} to {to.label} this way")]
        )
    if frm is Phase.INTAKE:
        return intake.screen(state)
    if frm is Phase.BASELINE:
        return ok_to_start(state, protocol)
    if frm is Phase.CONSENT:
        return consent_report(state, template, at)
    return discharge.evaluate(state, protocol, at).report
