"""The pure fold from a session's events to what everyone sees: ``fold(events) -> SessionState``.

No clock, no protocol, no I/O: the state holds the facts. Rules that need a protocol or a moment
(discharge readiness, due checks) take the state as input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
    EntryVoided,
    InfusionPaused,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    IntakeScreened,
    Kind,
    NoteAdded,
    PayloadBase,
    Phase,
    PhaseAdvanced,
    PrnGiven,
    RateChanged,
    ScaleScored,
    SessionOpened,
    SideEffectNoted,
    SideEffectResolved,
    VitalsRecorded,
    WasteRecorded,
)
from bedside.ids import EventId
from bedside.scales import ScaleName
from bedside.state_parts import (
    AlertState,
    ForkView,
    InfusionSegment,
    InfusionTimeline,
    SideEffectState,
    change_rate,
    pause_infusion,
    resume_infusion,
    start_infusion,
    stop_infusion,
)

__all__ = [
    "AlertState",
    "InfusionSegment",
    "InfusionTimeline",
    "SessionState",
    "SideEffectState",
    "Supersession",
    "fold",
]

P = TypeVar("P")


@dataclass(frozen=True)
class Supersession:
    """How an entry was replaced: by a correction (``voided`` False) or a void.
    ``wrong_patient``: a void of an entry charted on the wrong patient's record (its words are
    another patient's; printouts withhold them)."""

    by_event: ChartEvent
    reason: str
    voided: bool
    wrong_patient: bool = False


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
    fork: ForkView | None = None
    """Charted at two workstations while cut off (issue 14); None for one line."""

    # --- typed views -----------------------------------------------------------------------------

    @property
    def session_id(self) -> str:
        """The session's id."""
        return self.opened_event.session_id

    @property
    def head_hash(self) -> str:
        """Hash of the last event of this workstation's line: the record hash."""
        return self.fork.line_head if self.fork is not None else self.events[-1].hash

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


_Origins = Mapping[EventId, EventId]
"""Each correction's original entry, by the correction's id."""

_Apply = Callable[[SessionState, ChartEvent, _Origins], None]
"""What one effective entry does to the state being folded."""


def _supersessions(events: Sequence[ChartEvent]) -> dict[EventId, Supersession]:
    """Each replaced entry and the correction or void that replaced it."""
    superseded: dict[EventId, Supersession] = {}
    for event in events:
        if event.supersedes is not None:
            payload = event.payload
            superseded[event.supersedes] = Supersession(
                by_event=event,
                reason=event.reason or "",
                voided=event.kind == Kind.ENTRY_VOIDED,
                wrong_patient=isinstance(payload, EntryVoided) and payload.wrong_patient,
            )
    return superseded


def _origins(events: Sequence[ChartEvent]) -> dict[EventId, EventId]:
    """Each correction's original entry (the root of its correction chain)."""
    root: dict[EventId, EventId] = {}
    for event in events:
        if event.supersedes is not None:
            root[event.id] = root.get(event.supersedes, event.supersedes)
    return root


def _advance_phase(state: SessionState, event: ChartEvent) -> None:
    """Move the phase on for a phase-changing event (effective or not, as charted)."""
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


def _apply_intake(state: SessionState, event: ChartEvent, _: _Origins) -> None:
    """Keep the latest intake screen."""
    state.intake = event


def _apply_consent(state: SessionState, event: ChartEvent, _: _Origins) -> None:
    """Keep the latest consent."""
    state.consent = event


def _apply_dose_plan(state: SessionState, event: ChartEvent, _: _Origins) -> None:
    """Keep the latest dose plan."""
    state.dose_plan = event


def _apply_preparation(state: SessionState, event: ChartEvent, _: _Origins) -> None:
    """Keep the latest drug preparation."""
    state.preparation = event


def _apply_side_effect_noted(state: SessionState, event: ChartEvent, origins: _Origins) -> None:
    """Chart a side effect under its original entry, keeping any resolution it already had."""
    key = origins.get(event.id, event.id)
    previous = state.side_effects.get(key)
    state.side_effects[key] = SideEffectState(
        noted=event, resolved=previous.resolved if previous else None
    )


def _apply_side_effect_resolved(state: SessionState, event: ChartEvent, origins: _Origins) -> None:
    """Resolve the side effect named, found through its original entry."""
    named = cast(SideEffectResolved, event.payload).side_effect_event_id
    target = state.side_effects.get(origins.get(named, named))
    if target is not None:
        target.resolved = event


def _apply_alert_raised(state: SessionState, event: ChartEvent, _: _Origins) -> None:
    """Open an alert."""
    state.alerts[event.id] = AlertState(raised=event)


def _apply_alert_acknowledged(state: SessionState, event: ChartEvent, _: _Origins) -> None:
    """Acknowledge the alert named."""
    alert = state.alerts.get(cast(AlertAcknowledged, event.payload).alert_event_id)
    if alert is not None:
        alert.acknowledged = event


# What each effective entry does to the state, by payload type. Entries not listed (the
# opening, phase changes, signing, ending early, voids) change only the phase, if anything.
_APPLY: dict[type[PayloadBase], _Apply] = {
    IntakeScreened: _apply_intake,
    BaselineVitals: lambda state, event, _: state.baseline_vitals.append(event),
    VitalsRecorded: lambda state, event, _: state.vitals.append(event),
    ScaleScored: lambda state, event, _: state.scales.append(event),
    ConsentRecorded: _apply_consent,
    DosePlanned: _apply_dose_plan,
    DrugPrepared: _apply_preparation,
    InfusionStarted: lambda state, event, _: start_infusion(state.infusion, event),
    InfusionPaused: lambda state, event, _: pause_infusion(state.infusion, event),
    InfusionResumed: lambda state, event, _: resume_infusion(state.infusion, event),
    RateChanged: lambda state, event, _: change_rate(state.infusion, event),
    InfusionStopped: lambda state, event, _: stop_infusion(state.infusion, event),
    SideEffectNoted: _apply_side_effect_noted,
    SideEffectResolved: _apply_side_effect_resolved,
    PrnGiven: lambda state, event, _: state.prns.append(event),
    NoteAdded: lambda state, event, _: state.notes.append(event),
    AlertRaised: _apply_alert_raised,
    AlertAcknowledged: _apply_alert_acknowledged,
    CheckDeferred: lambda state, event, _: state.deferrals.append(event),
    DischargeAssessed: lambda state, event, _: state.discharge_assessments.append(event),
    WasteRecorded: lambda state, event, _: state.waste.append(event),
    AddendumAdded: lambda state, event, _: state.addenda.append(event),
    ChartAttested: lambda state, event, _: state.attestations.append(event),
}


def _in_clinical_order(state: SessionState) -> None:
    """Put the timed lists in clinical-time order (late entries and corrections are charted out
    of order)."""
    state.baseline_vitals = _by_time(state.baseline_vitals)
    state.vitals = _by_time(state.vitals)
    state.scales = _by_time(state.scales)
    state.prns = _by_time(state.prns)
    state.notes = _by_time(state.notes)
    state.discharge_assessments = _by_time(state.discharge_assessments)


def fold(events: Sequence[ChartEvent]) -> SessionState:
    """Derive the session state from its ordered record.

    Corrections replace the entry they supersede (the original stays in ``superseded``); voids
    remove it from every list. The phase is the last phase-changing event's target.
    """
    if not events or events[0].kind != Kind.SESSION_OPENED:
        raise ValueError("a session record must begin with a session_opened event")
    superseded = _supersessions(events)
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
    origins = _origins(events)
    for event in events:
        _advance_phase(state, event)
        if event.id not in effective:
            continue
        apply = _APPLY.get(type(event.payload))
        if apply is not None:
            apply(state, event, origins)
    _in_clinical_order(state)
    return state
