"""A patient's course at a glance: one row per session, the PHQ-9 trend and the outcome flags.

The course view in the app and the course summary PDF both draw this one summary, so the
outcome rules (percentage change, response, remission) are computed here once. Everything is
read from the sessions' records through the same rules the session screens use: the infused dose
from the controlled-substance reconciliation, the peak blood pressure from the flowsheet (with
the alert level the protocol gave it), scale totals as scored.

A *course* is the patient's live course order together with the orders it superseded (a dose
change is a new order that supersedes the old one, CLINICAL.md §1.2), so a dose change does not
split the course in two. The summary's value types live in :mod:`charting.course_summary` and
are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from bedside.context import ClinicReader, CourseRecords, CourseSessionRecord
from bedside.course import CourseOrder
from bedside.events import DosePlanned, ScaleScored, SessionEndedEarly
from bedside.ids import PatientId, SessionId
from bedside.people import Patient
from bedside.protocol import AlertLevel, Protocol
from bedside.rules import controlled
from bedside.rules.side_effects import label
from bedside.scales import ScaleFlag, ScaleName
from bedside.state import SessionState
from bedside.timeutil import local_date
from charting._record import require_aware
from charting.course_summary import (
    DEFAULT_OUTCOMES,
    LEVEL_RANK,
    CourseSessionRow,
    CourseSummary,
    OutcomeDefinition,
    Phq9Point,
    SessionStatus,
    SideEffectSummary,
)
from charting.flowsheet import build_flowsheet

__all__ = [
    "DEFAULT_OUTCOMES",
    "CourseSessionRow",
    "CourseSummary",
    "OutcomeDefinition",
    "Phq9Point",
    "SessionStatus",
    "SideEffectSummary",
    "course_first_phq9",
    "course_summary",
    "scores_before_start",
    "side_effects_at_worst",
    "summarize_course",
    "summarize_session",
]

_CSSRS_RANK = {"none": 0, "low": 1, "moderate": 2, "high": 3}
_CSSRS_FLAGS = frozenset({ScaleFlag.CSSRS_MODERATE_RISK.value, ScaleFlag.CSSRS_HIGH_RISK.value})


def scores_before_start(state: SessionState, scale: ScaleName) -> list[ScaleScored]:
    """Scores of ``scale`` charted before the pump started (all of them if it never did)."""
    start = state.infusion.started_at
    return [
        cast(ScaleScored, e.payload)
        for e in state.scale_events(scale)
        if start is None or e.clinical_time <= start
    ]


def _cadss6_at_end(state: SessionState) -> int | None:
    """The CADSS-6 scored nearest the end of the infusion (CLINICAL.md §3.1: end of infusion,
    near the peak). Before the stop, the latest score since the start counts."""
    start = state.infusion.started_at
    if start is None:
        return None
    during = [e for e in state.scale_events(ScaleName.CADSS6) if e.clinical_time >= start]
    if not during:
        return None
    stop = state.infusion.stopped_at
    if stop is None:
        chosen = during[-1]
    else:
        chosen = min(during, key=lambda e: abs((e.clinical_time - stop).total_seconds()))
    return cast(ScaleScored, chosen.payload).total


def _peaks(
    state: SessionState, protocol: Protocol
) -> tuple[tuple[int | None, AlertLevel | None], tuple[int | None, AlertLevel | None]]:
    """Peak systolic and diastolic of the timed readings, with the level the protocol gave them.

    Baseline readings are left out: the peak is the rise during and after the infusion.
    """
    rows = [r for r in build_flowsheet(state, protocol) if not r.baseline and not r.struck]
    out: list[tuple[int | None, AlertLevel | None]] = []
    for key in ("systolic", "diastolic"):
        cells = [r.cell(key) for r in rows]
        valued = [c for c in cells if type(c.value) in (int, float)]
        if not valued:
            out.append((None, None))
            continue
        top = max(valued, key=lambda c: (float(cast(float, c.value)), LEVEL_RANK[c.level]))
        out.append((int(cast(float, top.value)), top.level))
    return out[0], out[1]


def side_effects_at_worst(state: SessionState) -> tuple[SideEffectSummary, ...]:
    """Each effect once, at its worst severity, in the order first charted."""
    worst: dict[str, SideEffectSummary] = {}
    for item in sorted(state.side_effects.values(), key=lambda s: s.noted.clinical_time):
        p = item.payload
        known = worst.get(p.effect)
        worst[p.effect] = SideEffectSummary(
            effect=p.effect,
            label=label(p.effect),
            max_severity=max(p.severity, known.max_severity if known else 0),
            serious=p.serious or (known.serious if known else False),
        )
    return tuple(worst.values())


def course_first_phq9(records: CourseRecords, session_id: SessionId) -> Phq9Point | None:
    """The first pre-infusion PHQ-9 of the course ``session_id`` belongs to (None when the
    session is not in the patient's current course, or no session of it has a PHQ-9): what a
    session's PHQ-9 is compared with."""
    ordered = sorted(records.sessions, key=lambda r: r.header.opened_at)
    if session_id not in {r.header.id for r in ordered}:
        return None
    for number, record in enumerate(ordered, 1):
        scores = scores_before_start(record.state, ScaleName.PHQ9)
        if scores:
            last = scores[-1]
            return Phq9Point(
                number,
                record.header.id,
                local_date(record.header.opened_at, records.timezone),
                last.total,
                ScaleFlag.PHQ9_ITEM9_POSITIVE.value in last.flags,
            )
    return None


def _status(state: SessionState) -> SessionStatus:
    if state.signed is not None:
        return SessionStatus.SIGNED
    if state.ended_early is not None:
        return SessionStatus.ENDED_EARLY
    return SessionStatus.OPEN


def summarize_session(
    record: CourseSessionRecord, number: int, planned_infusions: int, timezone: str
) -> CourseSessionRow:
    """One row of the course table.

    Parameters
    ----------
    record : CourseSessionRecord
        The session's header, folded record and protocol.
    number : int
        The session's place in the course (k).
    planned_infusions : int
        Infusions the live order plans (n).
    timezone : str
        The clinic's IANA time zone, for the session date.

    Returns
    -------
    CourseSessionRow
        The session's figures; values not charted are None.
    """
    state, header = record.state, record.header
    plan = state.typed(state.dose_plan, DosePlanned)
    phq9 = scores_before_start(state, ScaleName.PHQ9)
    screens = [cast(ScaleScored, e.payload) for e in state.scale_events(ScaleName.CSSRS)]
    worst_screen = max(screens, key=lambda s: _CSSRS_RANK.get(s.band, 0), default=None)
    (sbp, sbp_level), (dbp, dbp_level) = _peaks(state, record.protocol)
    ended = state.typed(state.ended_early, SessionEndedEarly)
    return CourseSessionRow(
        session_id=header.id,
        record_hash=record.state.head_hash,
        number=number,
        planned_infusions=planned_infusions,
        date=local_date(header.opened_at, timezone),
        opened_at=header.opened_at,
        chair=header.chair,
        status=_status(state),
        phase=state.phase,
        infusion_started=state.infusion.started_at is not None,
        infusion_completed=state.infusion.completed,
        planned_mg=plan.dose_mg if plan else None,
        planned_mg_per_kg=plan.mg_per_kg if plan else None,
        dosing_weight_kg=plan.dosing_weight_kg if plan else None,
        infused_mg=controlled.reconcile(state, record.protocol).infused_mg,
        peak_systolic=sbp,
        peak_systolic_level=sbp_level,
        peak_diastolic=dbp,
        peak_diastolic_level=dbp_level,
        cadss6_end=_cadss6_at_end(state),
        side_effects=side_effects_at_worst(state),
        phq9_before=phq9[-1].total if phq9 else None,
        phq9_item9_positive=bool(phq9) and ScaleFlag.PHQ9_ITEM9_POSITIVE.value in phq9[-1].flags,
        cssrs_band=worst_screen.band if worst_screen else None,
        cssrs_flagged=any(_CSSRS_FLAGS.intersection(s.flags) for s in screens),
        ended_early_reason=ended.reason if ended else "",
    )


def summarize_course(
    patient: Patient,
    orders: Sequence[CourseOrder],
    sessions: Sequence[CourseSessionRecord],
    now: datetime,
    timezone: str,
    outcomes: OutcomeDefinition = DEFAULT_OUTCOMES,
) -> CourseSummary:
    """The course summary from already-loaded records (no I/O).

    Parameters
    ----------
    patient : Patient
        Whose course it is.
    orders : Sequence[CourseOrder]
        The course's orders, oldest first; the last is the live one. Empty for no course.
    sessions : Sequence[CourseSessionRecord]
        The course's sessions, in any order (they are ordered by opening time).
    now : datetime
        The moment the summary is for (timezone-aware).
    timezone : str
        The clinic's IANA time zone.
    outcomes : OutcomeDefinition
        How response and remission are judged.

    Returns
    -------
    CourseSummary
        Rows, trend, totals and flags.

    Raises
    ------
    ValueError
        When ``now`` is naive.
    """
    require_aware(now)
    planned = orders[-1].planned_infusions if orders else 0
    ordered = sorted(sessions, key=lambda r: r.header.opened_at)
    rows = tuple(
        summarize_session(record, k, planned, timezone) for k, record in enumerate(ordered, 1)
    )
    return _course_from_rows(patient, orders, planned, rows, now, timezone, outcomes)


def _course_from_rows(
    patient: Patient,
    orders: Sequence[CourseOrder],
    planned: int,
    rows: tuple[CourseSessionRow, ...],
    now: datetime,
    timezone: str,
    outcomes: OutcomeDefinition,
) -> CourseSummary:
    """The course totals, PHQ-9 trend and outcome from its session rows (in course order)."""
    started = [r for r in rows if r.infusion_started]
    known = [r.infused_mg for r in started if r.infused_mg is not None]
    points = _phq9_trend(rows)
    first = points[0] if points else None
    latest = points[-1] if points else None
    change, response, remission = _phq9_outcome(first, latest, outcomes)
    last_day = started[-1].date if started else None
    return CourseSummary(
        patient=patient,
        order=orders[-1] if orders else None,
        orders=tuple(orders),
        sessions=rows,
        planned_infusions=planned,
        infusions_given=len(started),
        cumulative_infused_mg=round(sum(known), 2),
        cumulative_complete=len(known) == len(started),
        phq9=points,
        first_phq9=first,
        latest_phq9=latest,
        phq9_change_percent=change,
        response=response,
        remission=remission,
        outcomes=outcomes,
        timezone=timezone,
        as_of=now,
        days_since_last_infusion=(
            (local_date(now, timezone) - last_day).days if last_day is not None else None
        ),
    )


def _phq9_trend(rows: Sequence[CourseSessionRow]) -> tuple[Phq9Point, ...]:
    """The pre-infusion PHQ-9 of each session that has one, in course order."""
    return tuple(
        Phq9Point(r.number, r.session_id, r.date, r.phq9_before, r.phq9_item9_positive)
        for r in rows
        if r.phq9_before is not None
    )


def _phq9_outcome(
    first: Phq9Point | None, latest: Phq9Point | None, outcomes: OutcomeDefinition
) -> tuple[float | None, bool | None, bool | None]:
    """Percentage change, response and remission from the first PHQ-9 to the latest (all None
    until there are two)."""
    if first is None or latest is None or latest is first:
        return None, None, None
    remission = latest.total < outcomes.remission_below
    if first.total <= 0:
        return None, False, remission  # nothing to fall from
    change = (latest.total - first.total) / first.total * 100.0
    # Compared in whole points: 10 after 20 is exactly a 50 % fall, a response.
    response = latest.total <= first.total * outcomes.response_line + 1e-9
    return change, response, remission


def course_summary(
    reader: ClinicReader,
    patient_id: PatientId,
    now: datetime,
    *,
    outcomes: OutcomeDefinition = DEFAULT_OUTCOMES,
) -> CourseSummary:
    """The patient's current course, read through ``reader`` (the service, read-only).

    Parameters
    ----------
    reader : ClinicReader
        What reads the clinic's record (nothing is written).
    patient_id : PatientId
        The patient.
    now : datetime
        The moment the summary is for (timezone-aware; never read from a clock here).
    outcomes : OutcomeDefinition
        How response and remission are judged.

    Returns
    -------
    CourseSummary
        The live course order's sessions (with those of the orders it superseded). A patient
        without a course order gets an empty summary.

    Raises
    ------
    bedside.errors.StoreError
        When the patient does not exist.
    """
    records = reader.course_records(patient_id)
    return summarize_course(
        records.patient, records.orders, records.sessions, now, records.timezone, outcomes
    )
