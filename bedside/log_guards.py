"""The live guards judged again on import (issue 11, item 2): each step that has a guard at
the chair is judged by the same rule function, at the entry's clinical time, with the override
the entry carries; PRN doses by their own rule; the second person of a double check or a
witnessed waste by theirs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bedside.consent import default_consent_template
from bedside.events import (
    ChartEvent,
    CheckDeferred,
    InfusionResumed,
    InfusionStarted,
    Override,
    PayloadBase,
    PhaseAdvanced,
    PrnGiven,
    SessionSigned,
)
from bedside.ids import UserId
from bedside.log_rules import prn_errors, second_person_errors, uncovered_errors
from bedside.people import User
from bedside.report import Finding, RuleReport, error
from bedside.rules import deferral, phases, resume, schedule
from bedside.state import SessionState

if TYPE_CHECKING:
    from bedside.eventlog import SessionLog


def guard_errors(
    log: SessionLog, state: SessionState, event: ChartEvent, users: dict[UserId, User]
) -> list[Finding]:
    """The live guards for the steps that have them, judged at the event's clinical time.

    Errors covered by an override recorded in the event (by a user allowed to override)
    are accepted, exactly as at the chair.
    """
    out = _unmet_guard(log, state, event, users)
    out.extend(second_person_errors(event, users))
    return out


StepReport = Callable[
    ["SessionLog", SessionState, Any, datetime], tuple[RuleReport, Override | None]
]

_STEP_REPORTS: dict[type[PayloadBase], StepReport] = {
    PhaseAdvanced: lambda log, state, p, at: (
        phases.advance_report(
            state,
            p.to_phase,
            protocol=log.protocol.body,
            template=default_consent_template(),
            at=at,
        ),
        p.override,
    ),
    InfusionStarted: lambda log, state, p, at: (
        phases.start_report(
            state, log.protocol.body, log.course, default_consent_template(), at, p.rate_ml_h
        ),
        p.override,
    ),
    SessionSigned: lambda log, state, p, at: (
        phases.sign_report(state, log.protocol.body, at),
        p.override,
    ),
    InfusionResumed: lambda log, state, p, _at: (
        resume.resume_report(state, log.protocol.body),
        p.override,
    ),
    CheckDeferred: lambda log, state, p, at: (_deferral_guard(log, state, p, at), p.allowed),
}
"""The live guard of each step that has one (the same rule functions the service calls), with
the override the entry carries; judged at the entry's clinical time."""

JUDGED_ON_IMPORT: frozenset[type[PayloadBase]] = frozenset({*_STEP_REPORTS, PrnGiven})
"""Every kind of entry a guard judges again on import (PRN doses by :func:`prn_errors`); a
test checks that each kind of entry that can carry an override is among them."""


def _unmet_guard(
    log: SessionLog, state: SessionState, event: ChartEvent, users: dict[UserId, User]
) -> list[Finding]:
    """The errors of a step's guard at the event's time that its override does not cover."""
    out = prn_errors(log, state, event, users)
    step = _STEP_REPORTS.get(type(event.payload))
    if step is not None:
        report, override = step(log, state, event.payload, event.clinical_time)
        out.extend(uncovered_errors(report, override, users))
    return out


def _deferral_guard(
    log: SessionLog, state: SessionState, p: CheckDeferred, at: datetime
) -> RuleReport:
    """A deferral is of a check the schedule had open at its time, and a mandatory one was
    allowed by a clinician (as at the chair)."""
    check = schedule.check_at(state, log.protocol.body, p.due_at, at)
    if check is None:
        return RuleReport.of([error("log.no_such_check", "no check was due at that time")])
    return deferral.deferral_report(state, log.protocol.body, check, at)
