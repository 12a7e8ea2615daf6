"""When the vitals checks of a session fall due: the times only, before any reading is matched.

The schedule follows the pump, not the wall clock (CLINICAL.md §2.1, §13):

* **during** the infusion a check falls due each ``interval_during_min`` of pump *running* time
  (pauses excluded), strictly before the stop;
* **paused**: while the pump is paused, a check falls due each ``interval_during_min`` of wall
  time from the pause, strictly before it resumes (a long pause is never a long silence);
* **stop**: a check falls due at the stop itself (the end-of-infusion vitals);
* **after** the stop: every ``interval_after_min`` from the stop;
* **mandatory BP**: when the pump's running time reaches ``mandatory_bp_at_min`` (or at the stop,
  if the pump stopped sooner); when it falls on another check, that check carries the flag;
* **recheck**: after a reading that raised an alert, every ``recheck_after_alert_min`` from that
  reading until the next vitals set (which either is back inside the limits, ending the
  re-checks, or raised an alert itself and re-checks from there); a re-check that would fall on
  or just after another check (within half the re-check interval) is that check.

Nothing is due before the infusion starts, nor at or after the session's sign-off or early end.
Times still ahead are projections: a pause charted later moves them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bedside.protocol import Protocol
from bedside.state import InfusionTimeline, SessionState


class CheckKind(StrEnum):
    """Why a check exists."""

    DURING = "during"
    PAUSED = "paused"
    STOP = "stop"
    AFTER = "after"
    RECHECK = "recheck"
    MANDATORY_BP = "mandatory_bp"

    @property
    def label(self) -> str:
        """The check in the nurse's words ("Re-check after an alert")."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    CheckKind.DURING: "During the infusion",
    CheckKind.PAUSED: "While paused",
    CheckKind.STOP: "At the stop",
    CheckKind.AFTER: "After the infusion",
    CheckKind.RECHECK: "Re-check after an alert",
    CheckKind.MANDATORY_BP: "Mandatory BP",
}


@dataclass(frozen=True)
class CheckTime:
    """One check's due time, why it exists, and the interval its window is measured with."""

    due_at: datetime
    kind: CheckKind
    interval: timedelta
    mandatory_bp: bool = False


_BEYOND = 2
"""Times generated past the horizon: the windows of the last listed check need its neighbour."""


def running_reached(infusion: InfusionTimeline, minutes: float) -> datetime | None:
    """The wall time at which the pump's running time reaches ``minutes``: projected on the
    running segment, None when the pump is paused or stopped before reaching it."""
    need = timedelta(minutes=minutes)
    ran = timedelta(0)
    for segment in infusion.segments:
        end = segment.end or infusion.stopped_at
        if end is None:
            return segment.start + (need - ran)
        if ran + (end - segment.start) >= need:
            return segment.start + (need - ran)
        ran += end - segment.start
    return None


def _until(
    times: Iterator[datetime],
    bound: datetime | None,
    horizon: datetime,
    *,
    inclusive: bool = False,
) -> list[datetime]:
    """Times before ``bound`` (or at it, ``inclusive``), up to ``horizon`` and a few beyond."""
    out: list[datetime] = []
    beyond = 0
    for t in times:
        if bound is not None and (t > bound if inclusive else t >= bound):
            break
        out.append(t)
        if t > horizon:
            beyond += 1
            if beyond >= _BEYOND:
                break
    return out


def _steps(origin: datetime, step: timedelta) -> Iterator[datetime]:
    t = origin + step
    while True:
        yield t
        t += step


def _running_steps(infusion: InfusionTimeline, minutes: int) -> Iterator[datetime]:
    k = 1
    while (t := running_reached(infusion, k * minutes)) is not None:
        yield t
        k += 1


def _end_of_infusion(state: SessionState) -> datetime | None:
    """The stop, else the session's early end (the pump never charted as stopped)."""
    return state.infusion.stopped_at or state.closed_at


def _infusion_times(state: SessionState, protocol: Protocol, horizon: datetime) -> list[CheckTime]:
    """During, paused, stop and after checks."""
    rules = protocol.monitoring
    infusion = state.infusion
    during = timedelta(minutes=rules.interval_during_min)
    after = timedelta(minutes=rules.interval_after_min)
    closed, stop = state.closed_at, infusion.stopped_at
    end = _end_of_infusion(state)
    times = [
        CheckTime(t, CheckKind.DURING, during)
        for t in _until(_running_steps(infusion, rules.interval_during_min), end, horizon)
    ]
    for paused_at, resumed_at, _ in infusion.pauses:
        bounds = [t for t in (resumed_at, end) if t is not None]
        bound = min(bounds) if bounds else None
        times += [
            CheckTime(t, CheckKind.PAUSED, during)
            for t in _until(_steps(paused_at, during), bound, horizon)
        ]
    if stop is not None and (closed is None or stop < closed):
        times.append(CheckTime(stop, CheckKind.STOP, after))
        times += [
            CheckTime(t, CheckKind.AFTER, after)
            for t in _until(_steps(stop, after), closed, horizon)
        ]
    return times


def _mandatory_time(state: SessionState, protocol: Protocol) -> datetime | None:
    """When the mandatory BP falls due: at ``mandatory_bp_at_min`` of running time, or at the
    stop if sooner; None when the protocol has none or the pump is paused short of it."""
    minutes = protocol.monitoring.mandatory_bp_at_min
    if minutes is None or state.infusion.started_at is None:
        return None
    reached = running_reached(state.infusion, minutes)
    stop = state.infusion.stopped_at
    if stop is not None and (reached is None or reached > stop):
        return stop
    return reached


def _with_mandatory(
    times: list[CheckTime], state: SessionState, protocol: Protocol
) -> list[CheckTime]:
    """The mandatory BP flagged on its check, or added as a check of its own."""
    due = _mandatory_time(state, protocol)
    closed = state.closed_at
    if due is None or (closed is not None and due >= closed):
        return times
    for i, check in enumerate(times):
        if check.due_at == due:
            times[i] = replace(check, mandatory_bp=True)
            return times
    stop = state.infusion.stopped_at
    phase = CheckKind.AFTER if stop is not None and due >= stop else CheckKind.DURING
    interval = next((c.interval for c in times if c.kind is phase), None)
    interval = interval or timedelta(minutes=protocol.monitoring.interval_during_min)
    return [*times, CheckTime(due, CheckKind.MANDATORY_BP, interval, mandatory_bp=True)]


def _alerting_readings(state: SessionState) -> set[datetime]:
    """Clinical times of the effective readings (vitals or scores) that raised an alert, once
    the infusion started."""
    start = state.infusion.started_at
    times = set()
    for alert in state.alerts.values():
        source = state.effective.get(alert.payload.source_event_id)
        if source is not None and start is not None and source.clinical_time >= start:
            times.add(source.clinical_time)
    return times


def _recheck_times(
    state: SessionState, protocol: Protocol, horizon: datetime, taken: list[CheckTime]
) -> list[CheckTime]:
    """Re-checks after each alerting reading, up to the next vitals set after it (a set taken
    right at a re-check's time is that re-check's reading), and never at or after the close."""
    minutes = protocol.monitoring.recheck_after_alert_min
    if minutes is None:
        return []
    step = timedelta(minutes=minutes)
    readings = sorted(e.clinical_time for e in state.vitals)
    closed = state.closed_at
    out: list[CheckTime] = []
    for alerted in sorted(_alerting_readings(state)):
        following = next((t for t in readings if t > alerted), None)
        if closed is not None and (following is None or following >= closed):
            following = closed - timedelta(microseconds=1)
        for t in _until(_steps(alerted, step), following, horizon, inclusive=True):
            near = [c for c in (*taken, *out) if t - step / 2 <= c.due_at <= t]
            if not near:
                out.append(CheckTime(t, CheckKind.RECHECK, step))
    return out


def check_times(state: SessionState, protocol: Protocol, horizon: datetime) -> list[CheckTime]:
    """Every check time of the session up to ``horizon`` and a few beyond it, in due order.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The session's protocol (intervals, mandatory BP, re-check interval).
    horizon : datetime
        Times are listed up to here, and a few beyond (the caller trims them).

    Returns
    -------
    list of CheckTime
        In due order; a time listed once (the mandatory flag merged onto its check).
    """
    if state.infusion.started_at is None:
        return []
    times = _with_mandatory(_infusion_times(state, protocol, horizon), state, protocol)
    times += _recheck_times(state, protocol, horizon, times)
    merged: dict[datetime, CheckTime] = {}
    for check in sorted(times, key=lambda c: c.due_at):
        kept = merged.get(check.due_at)
        if kept is None:
            merged[check.due_at] = check
        elif check.mandatory_bp and not kept.mandatory_bp:
            merged[check.due_at] = replace(kept, mandatory_bp=True)
    return list(merged.values())
