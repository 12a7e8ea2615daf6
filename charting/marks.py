"""Things drawn as markers on the time axis: infusion start and stop, pauses, rate changes,
alerts, rescue (PRN) medicines, side effects and deferred checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from bedside.events import (
    AlertAcknowledged,
    ChartEvent,
    CheckDeferred,
    InfusionResumed,
    InfusionStarted,
    Kind,
    PrnGiven,
    RateChanged,
)
from bedside.ids import EventId
from bedside.protocol import AlertLevel
from bedside.rules.side_effects import CHECKLIST, SEVERITY_WORDS
from bedside.state import SessionState
from charting._record import minutes_from


@dataclass(frozen=True)
class TimeMark:
    """A single moment with a label (e.g. "Infusion started") and, for a PRN, its indication."""

    time: datetime
    minutes: float
    label: str
    event_id: EventId | None = None
    detail: str = ""


@dataclass(frozen=True)
class PauseMark:
    """An interval the pump was paused (``end`` None while still paused)."""

    start: datetime
    end: datetime | None
    start_minutes: float
    end_minutes: float | None
    reason: str


@dataclass(frozen=True)
class RateStep:
    """A stretch at one pump rate, for a step plot (``end_minutes`` None while running)."""

    start_minutes: float
    end_minutes: float | None
    rate_ml_h: float


@dataclass(frozen=True)
class RateMark:
    """A change of pump rate (a rate change, or a resume at a different rate)."""

    time: datetime
    minutes: float
    rate_ml_h: float
    reason: str
    event_id: EventId


@dataclass(frozen=True)
class AlertMark:
    """An alert raised by the protocol's limits."""

    time: datetime
    minutes: float
    level: AlertLevel
    message: str
    acknowledged: bool
    event_id: EventId
    action: str
    """The action charted with the acknowledgement ("" while the alert is open)."""


@dataclass(frozen=True)
class SideEffectMark:
    """A side effect as last charted, with its resolution if any."""

    time: datetime
    minutes: float
    label: str
    severity: int
    resolved_at: datetime | None
    resolved_minutes: float | None
    event_id: EventId


@dataclass(frozen=True)
class TimelineMarks:
    """Everything drawn on the time axis, each group in clinical-time order."""

    infusion_start: TimeMark | None
    infusion_stop: TimeMark | None
    pauses: tuple[PauseMark, ...]
    rate_steps: tuple[RateStep, ...]
    rate_changes: tuple[RateMark, ...]
    alerts: tuple[AlertMark, ...]
    prns: tuple[TimeMark, ...]
    side_effects: tuple[SideEffectMark, ...]
    deferrals: tuple[TimeMark, ...]

    def all_minutes(self) -> list[float]:
        """Every minute position used by a mark (for fitting the time axis)."""
        points: list[float] = []
        for mark in (self.infusion_start, self.infusion_stop):
            if mark is not None:
                points.append(mark.minutes)
        for pause in self.pauses:
            points.append(pause.start_minutes)
            if pause.end_minutes is not None:
                points.append(pause.end_minutes)
        points += [m.minutes for m in self.rate_changes]
        points += [m.minutes for m in self.alerts]
        points += [m.minutes for m in self.prns]
        points += [m.minutes for m in self.side_effects]
        points += [m.minutes for m in self.deferrals]
        return points


def side_effect_label(effect: str, severity: int) -> str:
    """Words for a side effect marker, e.g. "Nausea (mild)".

    Parameters
    ----------
    effect : str
        The checklist key (``nausea``) or a free key.
    severity : int
        CTCAE grade 0–3.

    Returns
    -------
    str
        The checklist label (or the key in words) with the severity word.
    """
    name = CHECKLIST[effect][1] if effect in CHECKLIST else effect.replace("_", " ").capitalize()
    return f"{name} ({SEVERITY_WORDS.get(severity, str(severity))})"


def prn_label(prn: PrnGiven) -> str:
    """Words for a rescue medicine marker, e.g. "ondansetron 4 mg IV".

    Parameters
    ----------
    prn : PrnGiven
        The charted medicine.

    Returns
    -------
    str
        Drug, dose, unit and route.
    """
    return f"{prn.drug} {prn.dose:g} {prn.unit} {prn.route}"


def _rate_changes(state: SessionState, anchor: datetime) -> tuple[RateMark, ...]:
    marks: list[RateMark] = []
    rate: float | None = None
    for event in state.events:
        if event.id not in state.effective:
            continue
        p = event.payload
        if isinstance(p, InfusionStarted):
            rate = p.rate_ml_h
        elif isinstance(p, RateChanged):
            marks.append(
                RateMark(
                    event.clinical_time,
                    minutes_from(anchor, event.clinical_time),
                    p.rate_ml_h,
                    p.reason,
                    event.id,
                )
            )
            rate = p.rate_ml_h
        elif isinstance(p, InfusionResumed):
            if rate is not None and p.rate_ml_h != rate:
                marks.append(
                    RateMark(
                        event.clinical_time,
                        minutes_from(anchor, event.clinical_time),
                        p.rate_ml_h,
                        "resumed at a new rate",
                        event.id,
                    )
                )
            rate = p.rate_ml_h
    return tuple(sorted(marks, key=lambda m: m.time))


def _infusion_mark(state: SessionState, kind: str, label: str, anchor: datetime) -> TimeMark | None:
    for event in state.events:
        if event.kind == kind and event.id in state.effective:
            return TimeMark(
                event.clinical_time, minutes_from(anchor, event.clinical_time), label, event.id
            )
    return None


def _pause_marks(state: SessionState, anchor: datetime) -> tuple[PauseMark, ...]:
    """Each pause of the pump, in the order charted."""
    return tuple(
        PauseMark(
            start=start,
            end=end,
            start_minutes=minutes_from(anchor, start),
            end_minutes=minutes_from(anchor, end) if end is not None else None,
            reason=reason,
        )
        for start, end, reason in state.infusion.pauses
    )


def _rate_steps(state: SessionState, anchor: datetime) -> tuple[RateStep, ...]:
    """Each stretch the pump ran at one rate."""
    return tuple(
        RateStep(
            minutes_from(anchor, seg.start),
            minutes_from(anchor, seg.end) if seg.end is not None else None,
            seg.rate_ml_h,
        )
        for seg in state.infusion.segments
    )


def _alert_marks(state: SessionState, anchor: datetime) -> tuple[AlertMark, ...]:
    """Every alert raised, acknowledged or not, by time raised."""
    marks = (
        AlertMark(
            a.raised.clinical_time,
            minutes_from(anchor, a.raised.clinical_time),
            a.payload.level,
            a.payload.message,
            not a.is_open,
            a.raised.id,
            _alert_action(a.acknowledged),
        )
        for a in state.alerts.values()
    )
    return tuple(sorted(marks, key=lambda m: m.time))


def _alert_action(acknowledgement: ChartEvent | None) -> str:
    """The action charted when an alert was acknowledged ("" while it is open)."""
    if acknowledgement is None:
        return ""
    return cast(AlertAcknowledged, acknowledgement.payload).action_taken


def _prn_marks(state: SessionState, anchor: datetime) -> tuple[TimeMark, ...]:
    """Each rescue medicine given."""
    return tuple(
        TimeMark(
            e.clinical_time,
            minutes_from(anchor, e.clinical_time),
            prn_label(cast(PrnGiven, e.payload)),
            e.id,
            cast(PrnGiven, e.payload).indication,
        )
        for e in state.prns
    )


def _side_effect_marks(state: SessionState, anchor: datetime) -> tuple[SideEffectMark, ...]:
    """Each side effect as last charted, with its resolution, by time noted."""
    marks = (
        SideEffectMark(
            s.noted.clinical_time,
            minutes_from(anchor, s.noted.clinical_time),
            side_effect_label(s.payload.effect, s.payload.severity),
            s.payload.severity,
            s.resolved.clinical_time if s.resolved else None,
            minutes_from(anchor, s.resolved.clinical_time) if s.resolved else None,
            s.noted.id,
        )
        for s in state.side_effects.values()
    )
    return tuple(sorted(marks, key=lambda m: m.time))


def _deferral_marks(state: SessionState, anchor: datetime) -> tuple[TimeMark, ...]:
    """Each deferred check, placed at the time it was due."""
    marks = (
        TimeMark(
            cast(CheckDeferred, e.payload).due_at,
            minutes_from(anchor, cast(CheckDeferred, e.payload).due_at),
            f"Check deferred: {cast(CheckDeferred, e.payload).reason}",
            e.id,
        )
        for e in state.deferrals
    )
    return tuple(sorted(marks, key=lambda m: m.time))


def build_marks(state: SessionState, anchor: datetime) -> TimelineMarks:
    """Collect the time-axis markers of a session.

    Parameters
    ----------
    state : SessionState
        The folded session record (only effective entries are marked).
    anchor : datetime
        The zero of the time axis (normally the infusion start).

    Returns
    -------
    TimelineMarks
        Every marker group, in clinical-time order.
    """
    return TimelineMarks(
        infusion_start=_infusion_mark(state, Kind.INFUSION_STARTED, "Infusion started", anchor),
        infusion_stop=_infusion_mark(state, Kind.INFUSION_STOPPED, "Infusion stopped", anchor),
        pauses=_pause_marks(state, anchor),
        rate_steps=_rate_steps(state, anchor),
        rate_changes=_rate_changes(state, anchor),
        alerts=_alert_marks(state, anchor),
        prns=_prn_marks(state, anchor),
        side_effects=_side_effect_marks(state, anchor),
        deferrals=_deferral_marks(state, anchor),
    )
