"""How loudly a chair's checks call for the nurse: the one rule of overdue escalation.

CLINICAL.md §13, "Overdue escalation": amber when a check is due, red once the vitals are
``monitoring.overdue_red_after_min`` late (default 5), unmistakable (inverted and flashing) once
they are ``monitoring.overdue_urgent_after_min`` late (default 15). How late is counted from the
due time of the first check of the current run of overdue or missed checks
(:func:`bedside.rules.schedule.slipping`), so an hour without vitals reads as an hour, not as
the minute since the latest check fell due.

The board's tiles, the locked board and the session window's status banner all read the level,
the words and the glyph from here; the UI only chooses the colours for a level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from bedside.protocol import MonitoringRules, Protocol
from bedside.rules.pump import PumpOverrun, pump_overrun
from bedside.state import SessionState
from charting.schedule import (
    CheckStatus,
    DueCheck,
    Slipping,
    countdown_text,
    due_checks,
    slipping,
)


class Escalation(IntEnum):
    """A chair's check level; higher is louder."""

    NONE = 0
    DUE = 1
    """Amber: a check due now, or overdue less than the red threshold."""
    LATE = 2
    """Red: the vitals are at least ``overdue_red_after_min`` late."""
    URGENT = 3
    """Inverted and flashing: at least ``overdue_urgent_after_min`` late."""

    @property
    def key(self) -> str:
        """The level's name for style sheets and tests: none, due, late, urgent."""
        return self.name.lower()

    @property
    def word(self) -> str:
        """The level in one word, shown beside its colour ("" for none)."""
        return _WORDS[self]

    @property
    def glyph(self) -> str:
        """A shape for the level, so it never rests on colour alone ("" for none)."""
        return _GLYPHS[self]

    @property
    def flashing(self) -> bool:
        """The level the views flash."""
        return self is Escalation.URGENT


_WORDS = {
    Escalation.NONE: "",
    Escalation.DUE: "DUE",
    Escalation.LATE: "LATE",
    Escalation.URGENT: "URGENT",
}
_GLYPHS = {Escalation.NONE: "", Escalation.DUE: "◷", Escalation.LATE: "⚠", Escalation.URGENT: "‼"}


def headline(level: Escalation, words: str) -> str:
    """The words led by the level's glyph and word: "‼ URGENT · Vitals overdue 17:00"."""
    if level is Escalation.NONE or not words:
        return words
    return f"{level.glyph} {level.word} · {words}"


def escalation_level(
    late: Slipping | None, check: DueCheck | None, rules: MonitoringRules, now: datetime
) -> Escalation:
    """The level of a chair's checks at ``now``.

    Parameters
    ----------
    late : Slipping or None
        :func:`charting.schedule.slipping` at ``now`` (None when the vitals are not late).
    check : DueCheck or None
        The chair's next open check at ``now``.
    rules : MonitoringRules
        The session protocol's ``overdue_red_after_min`` and ``overdue_urgent_after_min``.
    now : datetime
        The moment (timezone-aware).

    Returns
    -------
    Escalation
        URGENT from the urgent threshold on, LATE from the red one, DUE while late by less or
        while the next check is due now, NONE otherwise (the thresholds are inclusive).
    """
    if late is not None:
        by = late.late_by(now)
        if by >= timedelta(minutes=rules.overdue_urgent_after_min):
            return Escalation.URGENT
        if by >= timedelta(minutes=rules.overdue_red_after_min):
            return Escalation.LATE
        return Escalation.DUE
    if check is not None and check.status is CheckStatus.DUE:
        return Escalation.DUE
    return Escalation.NONE


def missed_words(count: int) -> str:
    """ "1 check missed", "2 checks missed", or "" for none."""
    if count <= 0:
        return ""
    return f"{count} check{'' if count == 1 else 's'} missed"


def check_words(check: DueCheck | None, countdown: str) -> str:
    """The next check in words: "Vitals in 5:08", "BP check overdue 2:00" ("" if none; while
    the vitals are late without an open check listed, "Vitals overdue …")."""
    if check is None:
        return f"Vitals {countdown}" if countdown else ""
    return f"{'BP check' if check.mandatory_bp else 'Vitals'} {countdown}"


def status_words(check: DueCheck | None, countdown: str, missed: int) -> str:
    """The checks in one line: "Vitals overdue 17:00 — 2 checks missed"."""
    return " — ".join(t for t in (check_words(check, countdown), missed_words(missed)) if t)


@dataclass(frozen=True)
class MonitoringStatus:
    """Where a session's checks and pump stand at a moment, and how loudly to say it."""

    next_check: DueCheck | None
    """The earliest check still open (due, overdue or upcoming)."""
    late: Slipping | None
    """The current run of overdue or missed checks, if the vitals are late."""
    late_by: timedelta | None
    """How late the vitals are (from the first check of the run), or None."""
    missed: int
    """Checks of the session missed so far (their windows closed without a reading)."""
    level: Escalation
    countdown: str
    """The next check's time in words (:func:`charting.schedule.countdown_text`)."""
    overrun: PumpOverrun | None
    """The pump past its planned end (:func:`bedside.rules.pump.pump_overrun`), or None."""

    @property
    def words(self) -> str:
        """The checks in one line: "Vitals overdue 17:00 — 2 checks missed"."""
        return status_words(self.next_check, self.countdown, self.missed)

    @property
    def overrun_text(self) -> str:
        """The pump overrun in words, or ""."""
        return self.overrun.words() if self.overrun is not None else ""


def monitoring_status(
    state: SessionState,
    protocol: Protocol,
    now: datetime,
    checks: list[DueCheck] | None = None,
) -> MonitoringStatus:
    """The session's checks and pump at ``now`` (``checks``: :func:`due_checks` at ``now``, if
    the caller has them). A closed session has none of either."""
    if checks is None:
        checks = [] if state.closed else due_checks(state, protocol, now)
    check = next((c for c in checks if c.is_open), None)
    late = slipping(checks, now)
    return MonitoringStatus(
        next_check=check,
        late=late,
        late_by=late.late_by(now) if late is not None else None,
        missed=sum(1 for c in checks if c.status is CheckStatus.MISSED),
        level=escalation_level(late, check, protocol.monitoring, now),
        countdown=countdown_text(check, now, late),
        overrun=pump_overrun(state, protocol, now),
    )


__all__ = [
    "Escalation",
    "MonitoringStatus",
    "check_words",
    "escalation_level",
    "headline",
    "missed_words",
    "monitoring_status",
    "status_words",
]
