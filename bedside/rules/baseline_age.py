"""How old the baseline is at the pump start.

The start is judged on the patient's state just before dosing (the Spravato label's blood
pressure "before dosing", CLINICAL.md §2.1): a baseline blood pressure older than the protocol's
``monitoring.baseline_max_age_min`` (default 30 min, CLINICAL.md §13 "Baseline freshness at pump
start") asks for a fresh baseline set, or a clinician's confirmation with a reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from bedside.events import BaselineVitals, ChartEvent
from bedside.protocol import Protocol
from bedside.report import Finding, error
from bedside.state import SessionState


def latest_bp_set(state: SessionState) -> ChartEvent | None:
    """The most recent baseline set (by clinical time) that carries a blood pressure; a
    weight-only set does not make a baseline fresh."""
    for event in reversed(state.baseline_vitals):
        if cast(BaselineVitals, event.payload).systolic is not None:
            return event
    return None


def baseline_age_min(state: SessionState, at: datetime) -> int | None:
    """Whole minutes from the latest baseline blood pressure to ``at`` (None without one)."""
    event = latest_bp_set(state)
    if event is None:
        return None
    return int((at - event.clinical_time).total_seconds() // 60)


def stale_baseline_findings(state: SessionState, protocol: Protocol, at: datetime) -> list[Finding]:
    """An overridable error when the baseline blood pressure is older than the protocol's limit
    at ``at`` (the start's clinical time). A missing baseline is the "OK to start" check's to
    name, not this one's."""
    event = latest_bp_set(state)
    limit = protocol.monitoring.baseline_max_age_min
    if event is None or (at - event.clinical_time).total_seconds() <= limit * 60:
        return []
    age = baseline_age_min(state, at)
    return [
        error(
            "start.baseline_stale",
            f"The baseline blood pressure is {age} min old (limit {limit} min): chart a fresh "
            "baseline set, or a clinician confirms the start with a reason",
            overridable=True,
        )
    ]
