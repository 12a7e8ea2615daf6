"""May the pump resume? Only on a fresh reading after a pause-level alert (CLINICAL.md §13).

Pausing for a raised blood pressure and resuming blind defeats the pause. When a pause-level
alert was raised since the pump last (re)started, resuming needs, for each such alert, a
reading charted after it that is below the pause limits: a blood pressure for an alert raised by
a vitals set, a sedation score for one raised by a score. Otherwise a clinician overrides with
a reason (the findings are overridable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from bedside.events import BaselineVitals, ChartEvent, ScaleScored, VitalsRecorded
from bedside.protocol import AlertLevel, Protocol
from bedside.report import Finding, RuleReport, error
from bedside.rules import alerts
from bedside.rules.phases import baseline_observed, observed_from
from bedside.state import AlertState, SessionState
from bedside.timeutil import local_text, minutes_between


@dataclass(frozen=True)
class LatestBp:
    """The latest blood pressure of the session and how old it is."""

    event: ChartEvent
    systolic: int
    diastolic: int
    age_min: float

    def words(self, tz: str) -> str:
        """ "Latest BP 156/94 at 14:55 (3 min ago)"."""
        taken = local_text(self.event.clinical_time, tz, "%H:%M")
        return f"Latest BP {self.systolic}/{self.diastolic} at {taken} ({self.age_min:.0f} min ago)"


def latest_bp(state: SessionState, at: datetime) -> LatestBp | None:
    """The latest effective vitals set with a blood pressure taken by ``at``."""
    with_bp = [
        e for e in state.vitals if cast(VitalsRecorded, e.payload).has_bp and e.clinical_time <= at
    ]
    if not with_bp:
        return None
    event = max(with_bp, key=lambda e: e.clinical_time)
    p = cast(VitalsRecorded, event.payload)
    assert p.systolic is not None  # has_bp
    return LatestBp(event, p.systolic, p.diastolic or 0, minutes_between(event.clinical_time, at))


def _pause_alerts_since_running(state: SessionState) -> list[AlertState]:
    segments = state.infusion.segments
    if not segments:
        return []
    since = segments[-1].start
    return [
        a
        for a in state.alerts.values()
        if a.payload.level is AlertLevel.PAUSE and a.raised.clinical_time >= since
    ]


def _vitals_finding(
    state: SessionState, protocol: Protocol, alert: AlertState, tz: str
) -> Finding | None:
    raised = alert.raised.clinical_time
    fresh = [
        e
        for e in state.vitals
        if e.clinical_time > raised and cast(VitalsRecorded, e.payload).has_bp
    ]
    when = local_text(raised, tz, "%H:%M")
    if not fresh:
        source = state.effective.get(alert.payload.source_event_id)
        if source is not None and isinstance(source.payload, VitalsRecorded):
            # The latest reading is the one that raised the alert: it is fresh, and too high.
            p = source.payload
            return error(
                "resume.no_fresh_bp",
                f"The latest BP {p.systolic}/{p.diastolic} at {when} is itself at the pause "
                f"limit ({alert.payload.message}): take another before resuming.",
                overridable=True,
            )
        return error(
            "resume.no_fresh_bp",
            f"No blood pressure charted since the pause alert at {when} "
            f"({alert.payload.message}): take one before resuming.",
            overridable=True,
        )
    latest = max(fresh, key=lambda e: e.clinical_time)
    observed = observed_from(cast(BaselineVitals, latest.payload))
    judged = alerts.evaluate_in_session(
        observed, baseline=baseline_observed(state), protocol=protocol
    )
    still = judged.at_level(AlertLevel.PAUSE)
    if not still:
        return None
    return error(
        "resume.still_above_pause_limit",
        "Still at the pause limit: " + "; ".join(b.text for b in still) + ".",
        overridable=True,
    )


def _score_finding(
    state: SessionState, protocol: Protocol, alert: AlertState, source: ChartEvent, tz: str
) -> Finding | None:
    scale = cast(ScaleScored, source.payload).scale
    fresh = [e for e in state.scale_events(scale) if e.clinical_time > source.clinical_time]
    when = local_text(source.clinical_time, tz, "%H:%M")
    if not fresh:
        return error(
            "resume.no_fresh_score",
            f"No {scale.label} scored since the pause alert at {when} "
            f"({alert.payload.message}): score it before resuming.",
            overridable=True,
        )
    latest = cast(ScaleScored, max(fresh, key=lambda e: e.clinical_time).payload)
    judged = alerts.evaluate_sedation(
        latest.scale, latest.total, infusing_or_after=True, protocol=protocol
    )
    if not judged.at_level(AlertLevel.PAUSE):
        return None
    return error(
        "resume.still_sedated",
        f"Still at the pause limit: {scale.label} {latest.total}.",
        overridable=True,
    )


def resume_report(state: SessionState, protocol: Protocol) -> RuleReport:
    """Whether the pump may resume now, given the pause-level alerts since it last ran.

    Parameters
    ----------
    state : SessionState
        The folded session record (the pump paused).
    protocol : Protocol
        The session's protocol (pause limits).

    Returns
    -------
    RuleReport
        An error for each pause-level alert not yet acknowledged (acknowledging it is the
        record of what was done: not overridable), and an overridable error for each pause-level
        alert without a fresh reading below the limit.
    """
    tz = state.opened.clinic_timezone
    # The latest pause alert of each source (vitals, scores): a reading above the pause limit
    # raises an alert of its own, so the latest one is what the fresh reading must follow.
    latest: dict[bool, tuple[AlertState, ChartEvent | None]] = {}
    for alert in sorted(_pause_alerts_since_running(state), key=lambda a: a.raised.clinical_time):
        source = state.effective.get(alert.payload.source_event_id)
        from_score = source is not None and isinstance(source.payload, ScaleScored)
        latest[from_score] = (alert, source)
    findings: list[Finding] = [
        error(
            "resume.alert_open",
            f"The pause alert at {local_text(a.raised.clinical_time, tz, '%H:%M')} "
            f"({a.payload.message}) is not acknowledged: acknowledge it (A) with what was done "
            "before resuming.",
        )
        for a in sorted(state.alerts.values(), key=lambda a: a.raised.clinical_time)
        if a.is_open and a.payload.level is AlertLevel.PAUSE
    ]
    for from_score, (alert, source) in sorted(latest.items()):
        if from_score and source is not None:
            found = _score_finding(state, protocol, alert, source, tz)
        else:
            found = _vitals_finding(state, protocol, alert, tz)
        if found is not None:
            findings.append(found)
    return RuleReport.of(findings)
