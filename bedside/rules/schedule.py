"""The session's vitals checks at a moment: done, deferred, due, overdue, missed or upcoming.

When checks fall due is :mod:`bedside.rules.check_times` (the schedule follows the pump). This
module matches the charted readings to them and says where each stands.

Satisfaction window rule
------------------------
Each check owns the half-open window from the midpoint with the check before it to the midpoint
with the check after it (the first check's window opens half its interval before it, the last
one's closes half its interval after it): a reading belongs to the check nearest in time. A
check is *done* by any effective ``vitals_recorded`` reading whose clinical time lies in its
window (the nearest to the due time is named); a mandatory-BP check only by a reading with a
blood pressure. A reading taken later never satisfies an earlier check; a reading back-timed
into the window does.

A ``check_deferred`` event whose ``due_at`` equals the check's due time marks it deferred.
Status at ``now``: ``done`` before ``deferred``; otherwise ``upcoming`` while ``now < due_at``,
``due`` up to ``due_grace_min`` after it, ``overdue`` until its window closes, and ``missed``
once the window has closed without a reading: a missed check stays missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import cast

from bedside.events import ChartEvent, CheckDeferred, VitalsRecorded
from bedside.ids import EventId
from bedside.protocol import Protocol
from bedside.rules.check_times import CheckKind, CheckTime, check_times
from bedside.state import SessionState
from bedside.timeutil import require_aware


class CheckStatus(StrEnum):
    """Where a check stands at a moment."""

    DONE = "done"
    DEFERRED = "deferred"
    DUE = "due"
    OVERDUE = "overdue"
    MISSED = "missed"
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
        """Neither done, deferred nor missed: a reading or a deferral may still close it."""
        return self.status in OPEN_STATUSES

    @property
    def mandatory(self) -> bool:
        """A check the protocol marks mandatory (today the mandatory BP)."""
        return self.mandatory_bp


def _windows(times: list[CheckTime]) -> list[tuple[datetime, datetime]]:
    out: list[tuple[datetime, datetime]] = []
    for i, check in enumerate(times):
        before = times[i - 1].due_at if i > 0 else None
        after = times[i + 1].due_at if i + 1 < len(times) else None
        start = (
            before + (check.due_at - before) / 2
            if before is not None
            else check.due_at - check.interval / 2
        )
        end = (
            check.due_at + (after - check.due_at) / 2
            if after is not None
            else check.due_at + check.interval / 2
        )
        out.append((start, end))
    return out


def _pick(
    readings: list[ChartEvent], check: CheckTime, window: tuple[datetime, datetime]
) -> ChartEvent | None:
    lo, hi = window
    candidates = [
        r
        for r in readings
        if lo <= r.clinical_time < hi
        and (not check.mandatory_bp or cast(VitalsRecorded, r.payload).has_bp)
    ]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda r: (abs((r.clinical_time - check.due_at).total_seconds()), r.clinical_time),
    )


def _status_by_time(
    due_at: datetime, window_end: datetime, grace: timedelta, now: datetime
) -> CheckStatus:
    if now < due_at:
        return CheckStatus.UPCOMING
    if now <= due_at + grace:
        return CheckStatus.DUE
    if now < window_end:
        return CheckStatus.OVERDUE
    return CheckStatus.MISSED


def _listed(times: list[CheckTime], horizon: datetime) -> int:
    """How many of ``times`` are listed: up to the horizon and the first one beyond it."""
    beyond = [i for i, t in enumerate(times) if t.due_at > horizon]
    return beyond[0] + 1 if beyond else len(times)


def due_checks(state: SessionState, protocol: Protocol, now: datetime) -> list[DueCheck]:
    """Every scheduled vitals check of the session and its status at ``now``.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The protocol the session runs under (intervals, mandatory BP, grace, re-checks).
    now : datetime
        The moment to evaluate at (timezone-aware).

    Returns
    -------
    list of DueCheck
        Checks in due order, up to ``now`` (or the mandatory BP, if later) and one beyond;
        empty before the infusion starts. See the module docstring for the window rule.
    """
    require_aware(now)
    end = state.closed_at
    horizon = now if end is None else min(now, end)
    times = check_times(state, protocol, horizon)
    mandatory = [t.due_at for t in times if t.mandatory_bp]
    if mandatory and mandatory[0] > horizon:
        # The mandatory BP is always listed, with the check after it.
        horizon = mandatory[0]
        times = check_times(state, protocol, horizon)
    windows = _windows(times)
    keep = _listed(times, horizon)
    readings = list(state.vitals)
    grace = timedelta(minutes=protocol.monitoring.due_grace_min)
    deferrals = {cast(CheckDeferred, e.payload).due_at: e for e in state.deferrals}
    checks: list[DueCheck] = []
    for check, window in list(zip(times, windows, strict=True))[:keep]:
        reading = _pick(readings, check, window)
        deferral = deferrals.get(check.due_at)
        if reading is not None:
            status = CheckStatus.DONE
        elif deferral is not None:
            status = CheckStatus.DEFERRED
        else:
            status = _status_by_time(check.due_at, window[1], grace, now)
        checks.append(
            DueCheck(
                due_at=check.due_at,
                kind=check.kind,
                status=status,
                mandatory_bp=check.mandatory_bp,
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
    """The earliest check still open (due, overdue or upcoming): what the board counts down to.

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
        None before the infusion starts and once the session is signed or ended early.
    """
    require_aware(now)
    if state.closed:
        return None
    return next((c for c in due_checks(state, protocol, now) if c.is_open), None)


@dataclass(frozen=True)
class Slipping:
    """A chair whose checks are slipping: since when, and how many were missed on the way."""

    since: datetime
    """Due time of the first check of the current run of overdue or missed checks."""
    missed: tuple[DueCheck, ...]
    """The checks of that run already missed (their windows closed without a reading)."""

    def late_by(self, now: datetime) -> timedelta:
        """How long the vitals have been late at ``now``."""
        return max(timedelta(0), now - self.since)


def slipping(checks: list[DueCheck], now: datetime) -> Slipping | None:
    """The current run of overdue or missed checks (None when the last due check was done or
    deferred, or is only just due): how late the chair is, however many checks ago it began.

    Parameters
    ----------
    checks : list of DueCheck
        :func:`due_checks` at ``now``.
    now : datetime
        The same moment.
    """
    since: datetime | None = None
    missed: list[DueCheck] = []
    for check in checks:
        if check.due_at > now:
            if check.status in (CheckStatus.DONE, CheckStatus.DEFERRED):
                # Vitals taken early for the next check (inside its window) end the run too.
                since, missed = None, []
            break
        if check.status in (CheckStatus.DONE, CheckStatus.DEFERRED):
            since, missed = None, []
        elif check.status in (CheckStatus.OVERDUE, CheckStatus.MISSED):
            since = since or check.due_at
            if check.status is CheckStatus.MISSED:
                missed.append(check)
    return Slipping(since, tuple(missed)) if since is not None else None


def missed_checks(state: SessionState, protocol: Protocol, now: datetime) -> list[DueCheck]:
    """Every check of the session missed by ``now`` (a closed record: by its closing)."""
    at = state.closed_at or now
    return [c for c in due_checks(state, protocol, at) if c.status is CheckStatus.MISSED]


def check_at(
    state: SessionState, protocol: Protocol, due_at: datetime, now: datetime
) -> DueCheck | None:
    """The check due at ``due_at`` as it stands at ``now``, if there is one."""
    return next((c for c in due_checks(state, protocol, now) if c.due_at == due_at), None)


__all__ = [
    "OPEN_STATUSES",
    "CheckKind",
    "CheckStatus",
    "DueCheck",
    "Slipping",
    "check_at",
    "due_checks",
    "missed_checks",
    "next_check",
    "slipping",
]
