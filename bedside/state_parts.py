"""Parts of a session's state that the fold builds: the infusion timeline, its segments and how
each pump entry changes it, and each alert and side effect with what followed it. The classes
are re-exported by :mod:`bedside.state`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from bedside.events import (
    AlertRaised,
    ChartEvent,
    InfusionPaused,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    RateChanged,
    SideEffectNoted,
)
from bedside.ids import EventId


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


def start_infusion(infusion: InfusionTimeline, event: ChartEvent) -> None:
    """Start the pump: the first segment at the starting rate."""
    p = cast(InfusionStarted, event.payload)
    infusion.started_at = event.clinical_time
    infusion.vtbi_ml = p.vtbi_ml
    infusion.segments.append(InfusionSegment(event.clinical_time, None, p.rate_ml_h))


def pause_infusion(infusion: InfusionTimeline, event: ChartEvent) -> None:
    """Close the running segment and open a pause."""
    _close_segment(infusion, event.clinical_time)
    reason = cast(InfusionPaused, event.payload).reason
    infusion.pauses.append((event.clinical_time, None, reason))


def resume_infusion(infusion: InfusionTimeline, event: ChartEvent) -> None:
    """Close the open pause and start a segment at the resumed rate."""
    if infusion.pauses and infusion.pauses[-1][1] is None:
        start, _, why = infusion.pauses[-1]
        infusion.pauses[-1] = (start, event.clinical_time, why)
    rate = cast(InfusionResumed, event.payload).rate_ml_h
    infusion.segments.append(InfusionSegment(event.clinical_time, None, rate))


def change_rate(infusion: InfusionTimeline, event: ChartEvent) -> None:
    """Close the running segment and start one at the new rate."""
    _close_segment(infusion, event.clinical_time)
    rate = cast(RateChanged, event.payload).rate_ml_h
    infusion.segments.append(InfusionSegment(event.clinical_time, None, rate))


def stop_infusion(infusion: InfusionTimeline, event: ChartEvent) -> None:
    """Close the running segment and record the stop with the pump's volume."""
    p = cast(InfusionStopped, event.payload)
    _close_segment(infusion, event.clinical_time)
    infusion.stopped_at = event.clinical_time
    infusion.volume_infused_ml = p.volume_infused_ml
    infusion.completed = p.completed


def _close_segment(infusion: InfusionTimeline, at: datetime) -> None:
    """End the running segment at ``at`` (nothing when none runs)."""
    if infusion.segments and infusion.segments[-1].end is None:
        last = infusion.segments[-1]
        infusion.segments[-1] = InfusionSegment(last.start, at, last.rate_ml_h)


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


@dataclass(frozen=True)
class ForkView:
    """A session charted at two workstations while they were cut off (issue 14), as this
    workstation sees it: its own line, what it received from the other branches, and what
    waits for a clinician. Built by :func:`bedside.branches.fold_branches`."""

    line: tuple[ChartEvent, ...]
    """This workstation's own line of the session (its chain, in order)."""
    received: tuple[ChartEvent, ...]
    """Entries of the other branches, as received (none dropped)."""
    origins: dict[EventId, str]
    """The workstation each received entry came from."""
    other_heads: tuple[str, ...]
    """The newest entries (hashes) of the branches not yet resolved: empty once resolved."""
    merged: tuple[ChartEvent, ...]
    """Independent entries of the unresolved branches, merged in clinical-time order."""
    waiting_steps: tuple[ChartEvent, ...]
    """Judged steps of the other branches, held out of the session until a clinician chooses."""
    competing_steps: tuple[ChartEvent, ...]
    """Judged steps charted here since the fork (they stand until a clinician chooses)."""
    set_aside: tuple[ChartEvent, ...]
    """Judged steps a resolution set aside: kept in the record, not in the session's state."""
    here: str = ""
    """This workstation's clinic-server login (the other branches' are in ``origins``)."""

    @property
    def workstations(self) -> tuple[str, ...]:
        """Every workstation that charted a branch, the same list wherever it is read."""
        return tuple(sorted({self.here, *self.origins.values()} - {""}))

    @property
    def pending(self) -> bool:
        """Branches wait for a clinician's resolution (sign-off is refused until then)."""
        return bool(self.other_heads)

    @property
    def line_head(self) -> str:
        """The hash this workstation's next entry follows."""
        return self.line[-1].hash
