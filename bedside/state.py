"""The pure fold from a session's events to what everyone sees: ``fold(events) -> SessionState``.

No clock, no protocol, no I/O: the state holds the facts. Rules that need a protocol or a moment
(discharge readiness, due checks) take the state as input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar, cast

from bedside.events import (
    AddendumAdded,
    AlertAcknowledged,
    AlertRaised,
    BaselineVitals,
    ChartAttested,
    ChartEvent,
    CheckDeferred,
    ConsentRecorded,
    DischargeAssessed,
    DosePlanned,
    DrugPrepared,
    InfusionPaused,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    IntakeScreened,
    Kind,
    NoteAdded,
    Phase,
    PhaseAdvanced,
    PrnGiven,
    RateChanged,
    ScaleScored,
    SessionEndedEarly,
    SessionOpened,
    SessionSigned,
    SideEffectNoted,
    SideEffectResolved,
    VitalsRecorded,
    WasteRecorded,
)
from bedside.ids import EventId
from bedside.scales import ScaleName

P = TypeVar("P")


@dataclass(frozen=True)
class Supersession:
    """How an entry was replaced: by a correction (``voided`` False) or a void."""

    by_event: ChartEvent
    reason: str
    voided: bool


@dataclass(frozen=True)
class InfusionSegment:
    """A stretch of running infusion at one rate (``end`` is None while it runs)."""

    start: datetime
    end: datetime | None
    rate_ml_h: float


@dataclass
class InfusionTimeline:
    """Start, pauses, rate changes and stop, as charted."""

    started_at: datetime | None = None
    stopped_at: datetime | None = None
    volume_infused_ml: float | None = None
    completed: bool | None = None
    vtbi_ml: float | None = None
    segments: list[InfusionSegment] = field(default_factory=list)
    pauses: list[tuple[datetime, datetime | None, str]] = field(default_factory=list)

    @property
    def running(self) -> bool:
        """True while the pump runs (started, not paused, not stopped)."""
        return bool(self.segments) and self.segments[-1].end is None and self.stopped_at is None

    def running_minutes(self, until: datetime) -> float:
        """Minutes the pump actually ran up to ``until`` (pauses excluded)."""
        total = 0.0
        for seg in self.segments:
            end = seg.end or self.stopped_at or until
            end = min(end, until)
            if end > seg.start:
                total += (end - seg.start).total_seconds() / 60.0
        return total

    def expected_volume_ml(self, until: datetime | None = None) -> float | None:
        """Volume the charted rates and times imply (cross-check for the pump reading): up to
        the stop, or, while the pump runs, up to ``until``."""
        end_of_record = self.stopped_at or until
        if self.started_at is None or end_of_record is None:
            return None
        total = 0.0
        for seg in self.segments:
            end = min(seg.end or end_of_record, end_of_record)
            if end > seg.start:
                total += seg.rate_ml_h * (end - seg.start).total_seconds() / 3600.0
        return total


@dataclass
class AlertState:
    """A raised alert and its acknowledgement, if any."""

    raised: ChartEvent
    acknowledged: ChartEvent | None = None

    @property
    def payload(self) -> AlertRaised:
        """The alert as raised."""
        return cast(AlertRaised, self.raised.payload)

    @property
    def is_open(self) -> bool:
        """Not yet acknowledged."""
        return self.acknowledged is None


@dataclass
class SideEffectState:
    """A side effect and its resolution."""

    noted: ChartEvent
    resolved: ChartEvent | None = None

    @property
    def payload(self) -> SideEffectNoted:
        """The side effect as (last) charted."""
        return cast(SideEffectNoted, self.noted.payload)


@dataclass
class SessionState:
    """Everything derived from a session's record."""

    opened: SessionOpened
    opened_event: ChartEvent
    phase: Phase
    events: tuple[ChartEvent, ...]
    effective: dict[EventId, ChartEvent]
    superseded: dict[EventId, Supersession]
    intake: ChartEvent | None = None
    baseline_vitals: list[ChartEvent] = field(default_factory=list)
    vitals: list[ChartEvent] = field(default_factory=list)
    scales: list[ChartEvent] = field(default_factory=list)
    consent: ChartEvent | None = None
    dose_plan: ChartEvent | None = None
    preparation: ChartEvent | None = None
    infusion: InfusionTimeline = field(default_factory=InfusionTimeline)
    side_effects: dict[EventId, SideEffectState] = field(default_factory=dict)
    prns: list[ChartEvent] = field(default_factory=list)
    notes: list[ChartEvent] = field(default_factory=list)
    alerts: dict[EventId, AlertState] = field(default_factory=dict)
    deferrals: list[ChartEvent] = field(default_factory=list)
    discharge_assessments: list[ChartEvent] = field(default_factory=list)
    waste: list[ChartEvent] = field(default_factory=list)
    phase_changes: list[ChartEvent] = field(default_factory=list)
    signed: ChartEvent | None = None
    addenda: list[ChartEvent] = field(default_factory=list)
    attestations: list[ChartEvent] = field(default_factory=list)
    ended_early: ChartEvent | None = None

    # --- typed views -----------------------------------------------------------------------------

    @property
    def session_id(self) -> str:
        """The session's id."""
        return self.opened_event.session_id

    @property
    def head_hash(self) -> str:
        """Hash of the last event: the record hash."""
        return self.events[-1].hash

    @property
    def locked(self) -> bool:
        """Signed: only addenda may follow."""
        return self.signed is not None

    @property
    def closed(self) -> bool:
        """Signed or ended early: no more charting except addenda."""
        return self.signed is not None or self.ended_early is not None

    @property
    def closed_at(self) -> datetime | None:
        """When the session was signed or ended early (clinical time); None while open."""
        closing = self.signed or self.ended_early
        return closing.clinical_time if closing is not None else None

    @property
    def last_entry_at(self) -> datetime:
        """The latest clinical time in the record (addenda included)."""
        return max(e.clinical_time for e in self.events)

    def latest_baseline(self) -> BaselineVitals | None:
        """The most recent effective baseline set (repeat baselines are allowed after rest)."""
        return (
            cast(BaselineVitals, self.baseline_vitals[-1].payload) if self.baseline_vitals else None
        )

    def baseline_value(self, parameter: str) -> float | None:
        """The most recent baseline value of one parameter (sets may be partial)."""
        for event in reversed(self.baseline_vitals):
            value = getattr(event.payload, parameter)
            if value is not None:
                return cast(float, value)
        return None

    def scale_events(self, scale: ScaleName) -> list[ChartEvent]:
        """Effective scores of one instrument, in clinical-time order."""
        return [e for e in self.scales if cast(ScaleScored, e.payload).scale is scale]

    def latest_scale(self, scale: ScaleName, *, after: datetime | None = None) -> ChartEvent | None:
        """The most recent score of one instrument (optionally only those after a time)."""
        for event in reversed(self.scale_events(scale)):
            if after is None or event.clinical_time >= after:
                return event
        return None

    def all_vitals(self) -> list[ChartEvent]:
        """Baseline and timed vitals together, in clinical-time order."""
        return sorted(self.baseline_vitals + self.vitals, key=lambda e: (e.clinical_time, e.seq))

    def open_alerts(self) -> list[AlertState]:
        """Alerts not yet acknowledged, oldest first."""
        return [a for a in self.alerts.values() if a.is_open]

    def typed(self, event: ChartEvent | None, kind: type[P]) -> P | None:
        """``event.payload`` as ``kind`` (None passes through)."""
        return None if event is None else cast(P, event.payload)

    def first_recorded(self, event: ChartEvent) -> datetime:
        """When the entry was first charted: the recorded time of the root of its correction
        chain (a correction is typed later, but the reading was charted with the original)."""
        by_id = {e.id: e for e in self.events}
        root, seen = event, set()
        while root.supersedes is not None and root.supersedes in by_id and root.id not in seen:
            seen.add(root.id)
            root = by_id[root.supersedes]
        return root.recorded_time

    def is_late(self, event: ChartEvent, late_after_min: int) -> bool:
        """A late entry: first charted more than ``late_after_min`` minutes after it happened.

        The one definition of "late" (CLINICAL.md §10.3), used by the flowsheet, the plots and
        the printout alike.
        """
        delay = self.first_recorded(event) - event.clinical_time
        return delay.total_seconds() > late_after_min * 60


_PHASE_BY_KIND = {
    Kind.INFUSION_STARTED: Phase.INFUSING,
    Kind.INFUSION_PAUSED: Phase.PAUSED,
    Kind.INFUSION_RESUMED: Phase.INFUSING,
    Kind.INFUSION_STOPPED: Phase.OBSERVING,
}


def _by_time(events: list[ChartEvent]) -> list[ChartEvent]:
    return sorted(events, key=lambda e: (e.clinical_time, e.seq))


def fold(events: Sequence[ChartEvent]) -> SessionState:
    """Derive the session state from its ordered record.

    Corrections replace the entry they supersede (the original stays in ``superseded``); voids
    remove it from every list. The phase is the last phase-changing event's target.
    """
    if not events or events[0].kind != Kind.SESSION_OPENED:
        raise ValueError("a session record must begin with a session_opened event")
    superseded: dict[EventId, Supersession] = {}
    for event in events:
        if event.supersedes is not None:
            superseded[event.supersedes] = Supersession(
                by_event=event, reason=event.reason or "", voided=event.kind == Kind.ENTRY_VOIDED
            )
    effective = {e.id: e for e in events if e.id not in superseded and e.kind != Kind.ENTRY_VOIDED}
    opened_event = events[0]
    state = SessionState(
        opened=cast(SessionOpened, opened_event.payload),
        opened_event=opened_event,
        phase=Phase.INTAKE,
        events=tuple(events),
        effective=effective,
        superseded=superseded,
    )
    # A correction keeps the identity of the entry it corrects, so a later resolution or
    # acknowledgement that names the original still finds it.
    root: dict[EventId, EventId] = {}
    for event in events:
        if event.supersedes is not None:
            root[event.id] = root.get(event.supersedes, event.supersedes)

    def origin(event_id: EventId) -> EventId:
        return root.get(event_id, event_id)

    infusion = state.infusion
    for event in events:
        kind = event.kind
        if kind in _PHASE_BY_KIND:
            state.phase = _PHASE_BY_KIND[kind]
        if kind == Kind.PHASE_ADVANCED:
            state.phase = cast(PhaseAdvanced, event.payload).to_phase
            state.phase_changes.append(event)
        elif kind == Kind.SESSION_SIGNED:
            state.phase = Phase.SIGNED
            state.signed = event
        elif kind == Kind.SESSION_ENDED_EARLY:
            state.phase = Phase.ENDED_EARLY
            state.ended_early = event
        if event.id not in effective:
            continue
        p = event.payload
        if isinstance(p, IntakeScreened):
            state.intake = event
        elif isinstance(p, BaselineVitals):
            state.baseline_vitals.append(event)
        elif isinstance(p, VitalsRecorded):
            state.vitals.append(event)
        elif isinstance(p, ScaleScored):
            state.scales.append(event)
        elif isinstance(p, ConsentRecorded):
            state.consent = event
        elif isinstance(p, DosePlanned):
            state.dose_plan = event
        elif isinstance(p, DrugPrepared):
            state.preparation = event
        elif isinstance(p, InfusionStarted):
            infusion.started_at = event.clinical_time
            infusion.vtbi_ml = p.vtbi_ml
            infusion.segments.append(InfusionSegment(event.clinical_time, None, p.rate_ml_h))
        elif isinstance(p, InfusionPaused):
            _close_segment(infusion, event.clinical_time)
            infusion.pauses.append((event.clinical_time, None, p.reason))
        elif isinstance(p, InfusionResumed):
            if infusion.pauses and infusion.pauses[-1][1] is None:
                start, _, why = infusion.pauses[-1]
                infusion.pauses[-1] = (start, event.clinical_time, why)
            infusion.segments.append(InfusionSegment(event.clinical_time, None, p.rate_ml_h))
        elif isinstance(p, RateChanged):
            _close_segment(infusion, event.clinical_time)
            infusion.segments.append(InfusionSegment(event.clinical_time, None, p.rate_ml_h))
        elif isinstance(p, InfusionStopped):
            _close_segment(infusion, event.clinical_time)
            infusion.stopped_at = event.clinical_time
            infusion.volume_infused_ml = p.volume_infused_ml
            infusion.completed = p.completed
        elif isinstance(p, SideEffectNoted):
            key = origin(event.id)
            previous = state.side_effects.get(key)
            state.side_effects[key] = SideEffectState(
                noted=event, resolved=previous.resolved if previous else None
            )
        elif isinstance(p, SideEffectResolved):
            target = state.side_effects.get(origin(p.side_effect_event_id))
            if target is not None:
                target.resolved = event
        elif isinstance(p, PrnGiven):
            state.prns.append(event)
        elif isinstance(p, NoteAdded):
            state.notes.append(event)
        elif isinstance(p, AlertRaised):
            state.alerts[event.id] = AlertState(raised=event)
        elif isinstance(p, AlertAcknowledged):
            alert = state.alerts.get(p.alert_event_id)
            if alert is not None:
                alert.acknowledged = event
        elif isinstance(p, CheckDeferred):
            state.deferrals.append(event)
        elif isinstance(p, DischargeAssessed):
            state.discharge_assessments.append(event)
        elif isinstance(p, WasteRecorded):
            state.waste.append(event)
        elif isinstance(p, AddendumAdded):
            state.addenda.append(event)
        elif isinstance(p, ChartAttested):
            state.attestations.append(event)
        elif isinstance(p, SessionSigned | SessionEndedEarly):
            pass
    # Late entries and corrections are charted out of order: present in clinical-time order.
    state.baseline_vitals = _by_time(state.baseline_vitals)
    state.vitals = _by_time(state.vitals)
    state.scales = _by_time(state.scales)
    state.prns = _by_time(state.prns)
    state.notes = _by_time(state.notes)
    state.discharge_assessments = _by_time(state.discharge_assessments)
    return state


def _close_segment(infusion: InfusionTimeline, at: datetime) -> None:
    if infusion.segments and infusion.segments[-1].end is None:
        last = infusion.segments[-1]
        infusion.segments[-1] = InfusionSegment(last.start, at, last.rate_ml_h)
