"""The only place in the core that reads the wall clock.

Everything in ``bedside/`` and ``charting/`` takes ``now`` as a parameter or a :class:`Clock`
object; the composition root hands in :class:`SystemClock`, tests hand in :class:`FixedClock`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that can tell the current time (timezone-aware, UTC)."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        """The current instant from the operating system (kept by NTP)."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to: for tests, demos, replays and benchmarks."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The clock's current instant."""
        return self._now

    def advance(self, *, minutes: float = 0, seconds: float = 0) -> datetime:
        """Move the clock forward and return the new instant."""
        self._now += timedelta(minutes=minutes, seconds=seconds)
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (timezone-aware)."""
        if when.tzinfo is None:
            raise ValueError("FixedClock.set needs a timezone-aware time")
        self._now = when.astimezone(UTC)
