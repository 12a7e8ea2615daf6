"""Whether a patient may start a session now: the one rule that both the new-session dialog
(which greys the patient out and says why) and the service's ``open_session`` (which refuses)
apply.

A patient may start the next session of a course when a clinician has ordered the course, the
course still has infusions left, the patient is not already in a chair, and the patient has not
had an infusion already that clinic day (CLINICAL.md §1: 2–3 infusions a week; a session ended
before its pump started does not count).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bedside.course import CourseOrder
from bedside.report import Finding, RuleReport, error
from bedside.timeutil import local_text


@dataclass(frozen=True)
class PatientToday:
    """What the rule needs to know about one patient at one moment.

    Attributes
    ----------
    order : CourseOrder or None
        The live course order.
    sessions_given : int
        Sessions that count towards the course's planned infusions (across dose changes): those
        opened, less those ended before their pump started.
    sessions_opened : int or None
        Every session opened in the course, numbered in order (``None``: as many as given).
    seated_on_chair : int or None
        The chair of the patient's open session, if any.
    infused_today : tuple of (int, datetime) or None
        The session number and pump start of an infusion already given this clinic day.
    """

    order: CourseOrder | None
    sessions_given: int
    seated_on_chair: int | None = None
    infused_today: tuple[int, datetime] | None = None
    sessions_opened: int | None = None

    @property
    def next_number(self) -> int:
        """The number the next session would have in the course (every session opened is
        numbered, an infusion or not: numbers are never reused)."""
        opened = self.sessions_given if self.sessions_opened is None else self.sessions_opened
        return opened + 1


def eligibility(facts: PatientToday, timezone: str) -> RuleReport:
    """Errors that keep the patient from starting a session now (empty when they may).

    Codes: ``eligibility.no_course``, ``eligibility.seated``, ``eligibility.infused_today``,
    ``eligibility.course_complete``, in that order.
    """
    findings: list[Finding] = []
    if facts.order is None:
        findings.append(
            error(
                "eligibility.no_course",
                "This patient has no course order: a clinician must order the course first.",
            )
        )
    if facts.seated_on_chair is not None:
        findings.append(
            error(
                "eligibility.seated",
                f"This patient already has an open session on chair {facts.seated_on_chair}",
            )
        )
    if facts.infused_today is not None:
        number, started = facts.infused_today
        at = local_text(started, timezone, "%H:%M")
        findings.append(
            error(
                "eligibility.infused_today",
                f"This patient already had an infusion today (session {number}, started {at}). "
                "A second infusion on the same day is not part of a course; open the next "
                "session on another day.",
            )
        )
    if facts.order is not None and facts.sessions_given >= facts.order.planned_infusions:
        findings.append(
            error(
                "eligibility.course_complete",
                f"The course order covers {facts.order.planned_infusions} infusions and all have "
                "been given: a clinician must order a new course",
            )
        )
    return RuleReport.of(findings)
