"""The session clock in the nurse's words: countdowns, the infusion's running time and the
observation time. Which checks are due, done, deferred, missed or overdue is a rule of the domain
(:mod:`bedside.rules.schedule`, the schedule following the pump); it is re-exported here for the
views.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bedside.rules.check_times import CheckKind
from bedside.rules.schedule import (
    OPEN_STATUSES,
    CheckStatus,
    DueCheck,
    Slipping,
    due_checks,
    missed_checks,
    next_check,
    slipping,
)
from bedside.state import SessionState
from charting._record import require_aware

__all__ = [
    "OPEN_STATUSES",
    "CheckKind",
    "CheckStatus",
    "DueCheck",
    "InfusionClock",
    "Slipping",
    "countdown_text",
    "due_checks",
    "infusion_elapsed",
    "missed_checks",
    "next_check",
    "observation_elapsed",
    "seconds_until",
    "slipping",
]


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


def countdown_text(check: DueCheck | None, now: datetime, late: Slipping | None = None) -> str:
    """The words for a check's time, from its status (the one definition of "due now"):
    ``in 4:05`` while upcoming, ``due now`` from its due time to the end of the grace period,
    ``overdue 2:10`` after it; empty without a check. While checks are slipping (``late``),
    ``overdue`` counts from the first check of the run, however many were missed since.

    Parameters
    ----------
    check : DueCheck or None
        A check from :func:`next_check`, evaluated at ``now``.
    now : datetime
        The same moment (timezone-aware).
    late : Slipping or None
        :func:`slipping` at the same moment.
    """
    if late is not None:
        whole = int(late.late_by(now).total_seconds())
        return f"overdue {whole // 60:d}:{whole % 60:02d}"
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
