"""The session clock: which vitals checks are due, done, deferred or overdue at a moment.

Checks are anchored to the infusion start (``S``) and the infusion stop, never to the last
reading, so a late reading does not shift the schedule:

* **during** the infusion: ``S + k·interval_during_min`` (k = 1, 2, …) strictly before the stop;
* a **mandatory BP** at ``S + mandatory_bp_at_min``, even off the grid or after the stop; when it
  falls on a regular check, that check carries ``mandatory_bp=True`` instead of a second entry;
* **after** the stop: ``stop + k·interval_after_min`` until the session is signed or ended early
  (checks due at or after that moment are not listed);
* nothing before the infusion starts (the baseline is its own step).

While the session is open the list runs up to ``now`` (or the mandatory BP, if later) and one
check beyond it, so the next check is always listed.

Satisfaction window rule
------------------------
A regular check due at ``t`` with series interval ``i`` (``interval_during_min`` for *during*,
``interval_after_min`` for *after*) owns the half-open window ``[t − i/2, next)``, where ``next``
is the due time of the following regular check (during and after grids merged), or ``t + i`` for
the last one. Regular checks are matched in due order: each takes, among the effective
``vitals_recorded`` readings whose clinical time lies in its window and that no earlier check
took, the one nearest to ``t`` (the earlier reading wins a tie). One reading satisfies at most one
regular check. A check flagged ``mandatory_bp`` only accepts a reading that includes a blood
pressure. An off-grid mandatory BP check uses the same window (with the interval of the phase it
falls in) and may share its reading with a regular check.

A ``check_deferred`` event whose ``due_at`` equals the check's due time marks it deferred.
Status at ``now``: ``done`` (a reading matched) before ``deferred``; otherwise ``upcoming`` while
``now < due_at``, ``due`` while ``due_at ≤ now ≤ due_at + due_grace_min``, ``overdue`` after.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import cast

from bedside.events import ChartEvent, CheckDeferred, VitalsRecorded
from bedside.ids import EventId
from bedside.protocol import Protocol
from bedside.state import SessionState
from charting._record import require_aware


class CheckKind(StrEnum):
    """Why a check exists."""

    DURING = "during"
    AFTER = "after"
    MANDATORY_BP = "mandatory_bp"


class CheckStatus(StrEnum):
    """Where a check stands at a moment."""

    DONE = "done"
    DEFERRED = "deferred"
    DUE = "due"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"


OPEN_STATUSES = frozenset({CheckStatus.DUE, CheckStatus.OVERDUE, CheckStatus.UPCOMING})
"""Statuses of a check still waiting for a reading or a deferral."""


@dataclass(frozen=True)
class DueCheck:
    """One scheduled vitals check and its state at the moment it was evaluated."""

    due_at: datetime
    kind: CheckKind
    status: CheckStatus
    mandatory_bp: bool
    window_start: datetime
    window_end: datetime
    satisfied_by: EventId | None = None
    deferral_reason: str | None = None
    deferred_by: EventId | None = None

    @property
    def is_open(self) -> bool:
        """Neither done nor deferred."""
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class InfusionClock:
    """Elapsed time of the infusion up to ``until`` (the stop, the session's end, or now)."""

    started_at: datetime
    until: datetime
    wall: timedelta
    running: timedelta
    stopped: bool
    paused_now: bool

    @property
    def paused(self) -> timedelta:
        """Time spent paused (wall time minus running time)."""
        return self.wall - self.running

    @property
    def wall_minutes(self) -> float:
        """Wall-clock minutes since the start."""
        return self.wall.total_seconds() / 60.0

    @property
    def running_minutes(self) -> float:
        """Minutes the pump actually ran (pauses excluded)."""
        return self.running.total_seconds() / 60.0


@dataclass(frozen=True)
class _Slot:
    due_at: datetime
    kind: CheckKind
    interval: timedelta
    mandatory_bp: bool = False


def _grid(
    origin: datetime, step: timedelta, *, bound: datetime | None, horizon: datetime
) -> list[datetime]:
    """``origin + k·step`` for k ≥ 1: every time strictly before ``bound`` when there is one,
    else every time up to ``horizon`` and the first one beyond it."""
    times: list[datetime] = []
    t = origin + step
    while bound is None or t < bound:
        times.append(t)
        if bound is None and t > horizon:
            break
        t += step
    return times


def _slots(state: SessionState, protocol: Protocol, now: datetime) -> list[_Slot]:
    """Regular and mandatory check times, in due order, before any reading is matched."""
    infusion = state.infusion
    start = infusion.started_at
    if start is None:
        return []
    rules = protocol.monitoring
    during = timedelta(minutes=rules.interval_during_min)
    after = timedelta(minutes=rules.interval_after_min)
    closed = state.closed_at
    stop = infusion.stopped_at
    mandatory = (
        start + timedelta(minutes=rules.mandatory_bp_at_min)
        if rules.mandatory_bp_at_min is not None
        else None
    )
    horizon = max(now, mandatory) if mandatory is not None else now

    during_bound = stop if stop is not None else closed
    slots = [
        _Slot(t, CheckKind.DURING, during)
        for t in _grid(start, during, bound=during_bound, horizon=horizon)
    ]
    if stop is not None and (closed is None or closed > stop):
        slots += [
            _Slot(t, CheckKind.AFTER, after)
            for t in _grid(stop, after, bound=closed, horizon=horizon)
        ]
    if mandatory is not None and (closed is None or mandatory < closed):
        for i, slot in enumerate(slots):
            if slot.due_at == mandatory:
                slots[i] = replace(slot, mandatory_bp=True)
                break
        else:
            interval = during if stop is None or mandatory < stop else after
            slots.append(_Slot(mandatory, CheckKind.MANDATORY_BP, interval, mandatory_bp=True))
    slots.sort(key=lambda s: (s.due_at, s.kind is CheckKind.MANDATORY_BP))
    return slots


def _windows(slots: list[_Slot]) -> list[tuple[datetime, datetime]]:
    regular = [s.due_at for s in slots if s.kind is not CheckKind.MANDATORY_BP]
    out: list[tuple[datetime, datetime]] = []
    for slot in slots:
        later = [t for t in regular if t > slot.due_at]
        end = later[0] if later else slot.due_at + slot.interval
        out.append((slot.due_at - slot.interval / 2, end))
    return out


def _pick(
    readings: list[ChartEvent],
    slot: _Slot,
    window: tuple[datetime, datetime],
    taken: set[EventId],
) -> ChartEvent | None:
    lo, hi = window
    candidates = [
        r
        for r in readings
        if lo <= r.clinical_time < hi
        and r.id not in taken
        and (not slot.mandatory_bp or cast(VitalsRecorded, r.payload).has_bp)
    ]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda r: (abs((r.clinical_time - slot.due_at).total_seconds()), r.clinical_time),
    )


def _status_by_time(due_at: datetime, grace: timedelta, now: datetime) -> CheckStatus:
    if now < due_at:
        return CheckStatus.UPCOMING
    if now <= due_at + grace:
        return CheckStatus.DUE
    return CheckStatus.OVERDUE


def due_checks(state: SessionState, protocol: Protocol, now: datetime) -> list[DueCheck]:
    """Every scheduled vitals check of the session and its status at ``now``.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The protocol the session runs under (intervals, mandatory BP, grace).
    now : datetime
        The moment to evaluate at (timezone-aware).

    Returns
    -------
    list of DueCheck
        Checks in due order; empty before the infusion starts. See the module docstring for
        the schedule and the satisfaction window rule.
    """
    require_aware(now)
    slots = _slots(state, protocol, now)
    windows = _windows(slots)
    readings = list(state.vitals)
    grace = timedelta(minutes=protocol.monitoring.due_grace_min)
    deferrals = {cast(CheckDeferred, e.payload).due_at: e for e in state.deferrals}
    taken: set[EventId] = set()
    checks: list[DueCheck] = []
    for slot, window in zip(slots, windows, strict=True):
        regular = slot.kind is not CheckKind.MANDATORY_BP
        reading = _pick(readings, slot, window, taken if regular else set())
        if reading is not None and regular:
            taken.add(reading.id)
        deferral = deferrals.get(slot.due_at)
        if reading is not None:
            status = CheckStatus.DONE
        elif deferral is not None:
            status = CheckStatus.DEFERRED
        else:
            status = _status_by_time(slot.due_at, grace, now)
        checks.append(
            DueCheck(
                due_at=slot.due_at,
                kind=slot.kind,
                status=status,
                mandatory_bp=slot.mandatory_bp,
                window_start=window[0],
                window_end=window[1],
                satisfied_by=reading.id if reading is not None else None,
                deferral_reason=(
                    cast(CheckDeferred, deferral.payload).reason if deferral is not None else None
                ),
                deferred_by=deferral.id if deferral is not None else None,
            )
        )
    return checks


def next_check(state: SessionState, protocol: Protocol, now: datetime) -> DueCheck | None:
    """The earliest check neither done nor deferred: what the chair board counts down to.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The session's protocol.
    now : datetime
        The moment to evaluate at (timezone-aware).

    Returns
    -------
    DueCheck or None
        The earliest open check (possibly overdue); None before the infusion starts and once
        the session is signed or ended early.
    """
    if state.closed:
        require_aware(now)
        return None
    for check in due_checks(state, protocol, now):
        if check.is_open:
            return check
    return None


def seconds_until(check: DueCheck, now: datetime) -> float:
    """Seconds from ``now`` to the check's due time: negative once it is past due.

    Parameters
    ----------
    check : DueCheck
        A check from :func:`due_checks` or :func:`next_check`.
    now : datetime
        The moment of the countdown (timezone-aware).

    Returns
    -------
    float
        Positive while upcoming, zero at the due time, negative after it.
    """
    require_aware(now)
    return (check.due_at - now).total_seconds()


def countdown_text(check: DueCheck | None, now: datetime) -> str:
    """The words for a check's time, from its status (the one definition of "due now"):
    ``in 4:05`` while upcoming, ``due now`` from its due time to the end of the grace period,
    ``overdue 2:10`` (counted from the due time) after it; empty without a check.

    Parameters
    ----------
    check : DueCheck or None
        A check from :func:`next_check`, evaluated at ``now``.
    now : datetime
        The same moment (timezone-aware).
    """
    if check is None:
        return ""
    if check.status is CheckStatus.DUE:
        return "due now"
    whole = int(abs(seconds_until(check, now)))
    text = f"{whole // 60:d}:{whole % 60:02d}"
    return f"overdue {text}" if check.status is CheckStatus.OVERDUE else f"in {text}"


def infusion_elapsed(state: SessionState, now: datetime) -> InfusionClock | None:
    """The infusion clock: wall time since the start and pump running time without pauses.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    now : datetime
        The moment to evaluate at (timezone-aware).

    Returns
    -------
    InfusionClock or None
        None before the start. The clock stops at the infusion stop (or at the session's
        sign-off / early end if the pump was never stopped) and never runs past ``now``.
    """
    require_aware(now)
    infusion = state.infusion
    start = infusion.started_at
    if start is None:
        return None
    ends = [t for t in (infusion.stopped_at, state.closed_at, now) if t is not None]
    until = max(start, min(ends))
    running = timedelta(minutes=infusion.running_minutes(until))
    paused_now = bool(infusion.pauses) and infusion.pauses[-1][1] is None
    return InfusionClock(
        started_at=start,
        until=until,
        wall=until - start,
        running=min(running, until - start),
        stopped=infusion.stopped_at is not None and infusion.stopped_at <= now,
        paused_now=paused_now and infusion.stopped_at is None,
    )


def observation_elapsed(state: SessionState, now: datetime) -> timedelta | None:
    """Time observed since the infusion stopped.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    now : datetime
        The moment to evaluate at (timezone-aware).

    Returns
    -------
    timedelta or None
        None until the infusion stops; afterwards the time from the stop to ``now`` (or to the
        sign-off / early end, whichever came first), never negative.
    """
    require_aware(now)
    stop = state.infusion.stopped_at
    if stop is None:
        return None
    ends = [t for t in (state.closed_at, now) if t is not None]
    return max(timedelta(0), min(ends) - stop)
