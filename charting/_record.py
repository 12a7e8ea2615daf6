"""Small facts read off a folded session that several charting modules share (private)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bedside.events import ChartEvent
from bedside.ids import EventId
from bedside.state import SessionState
from bedside.timeutil import minutes_between


def require_aware(now: datetime) -> None:
    """Refuse a naive ``now``: every moment in charting is timezone-aware.

    Parameters
    ----------
    now : datetime
        The moment passed in by the caller.

    Raises
    ------
    ValueError
        When ``now`` has no time zone.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("charting needs a timezone-aware 'now' (UTC)")


def closed_at(state: SessionState) -> datetime | None:
    """When the session was signed or ended early, if it was.

    Parameters
    ----------
    state : SessionState
        The folded session.

    Returns
    -------
    datetime or None
        Clinical time of the sign-off or early end; None while the session is open.
    """
    closing = state.signed or state.ended_early
    return closing.clinical_time if closing is not None else None


def time_anchor(state: SessionState) -> tuple[datetime, bool]:
    """The zero of the time axis: the infusion start, else the session opening.

    Parameters
    ----------
    state : SessionState
        The folded session.

    Returns
    -------
    tuple of (datetime, bool)
        The anchor and whether it is the infusion start.
    """
    if state.infusion.started_at is not None:
        return state.infusion.started_at, True
    return state.opened_event.clinical_time, False


def minutes_from(anchor: datetime, when: datetime) -> float:
    """Minutes from ``anchor`` to ``when`` (negative before the anchor)."""
    return minutes_between(anchor, when)


def events_by_id(state: SessionState) -> dict[EventId, ChartEvent]:
    """Every event of the record (effective or not) by id."""
    return {e.id: e for e in state.events}


def first_recorded(event: ChartEvent, by_id: Mapping[EventId, ChartEvent]) -> datetime:
    """When the entry was first charted: the recorded time of the root of its correction chain.

    A correction is typed later than the reading it corrects; the reading itself was charted
    when the original was, so lateness is judged from the original's recorded time.
    """
    root = event
    seen: set[EventId] = set()
    while root.supersedes is not None and root.supersedes in by_id and root.id not in seen:
        seen.add(root.id)
        root = by_id[root.supersedes]
    return root.recorded_time


def is_late_entry(
    event: ChartEvent, by_id: Mapping[EventId, ChartEvent], late_after_min: int
) -> bool:
    """True when the entry was first charted more than ``late_after_min`` after it happened.

    Parameters
    ----------
    event : ChartEvent
        A reading (original or correction).
    by_id : Mapping
        Every event of the record by id (see :func:`events_by_id`).
    late_after_min : int
        The protocol's ``monitoring.late_entry_after_min``.

    Returns
    -------
    bool
        Whether the entry is a late entry.
    """
    delay = first_recorded(event, by_id) - event.clinical_time
    return delay.total_seconds() > late_after_min * 60
