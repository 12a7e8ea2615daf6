"""Small facts read off a folded session that several charting modules share (private)."""

from __future__ import annotations

from datetime import datetime

from bedside.events import ChartEvent
from bedside.ids import EventId
from bedside.state import SessionState
from bedside.timeutil import minutes_between, require_aware

__all__ = ["events_by_id", "minutes_from", "require_aware", "time_anchor"]


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
