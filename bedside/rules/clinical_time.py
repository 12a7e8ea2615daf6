"""When an entry may say it happened: not in the future, not before its session was opened.
Live charting and import judge it with this one rule."""

from __future__ import annotations

from datetime import datetime


def clinical_time_problem(when: datetime, *, opened_at: datetime, now: datetime) -> str | None:
    """Why ``when`` cannot be an entry's clinical time, or ``None``."""
    if when.tzinfo is None:
        return "Clinical time must include a time zone"
    if when > now:
        return "Clinical time cannot be in the future"
    if when < opened_at:
        return "Clinical time cannot be before the session was opened"
    return None
