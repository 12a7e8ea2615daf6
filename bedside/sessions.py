"""The session header: which patient, course, chair and protocol a session belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field

from bedside.ids import CourseId, PatientId, ProtocolId, SessionId, UserId
from bedside.model_config import FROZEN
from bedside.timeutil import UtcDatetime


class SessionHeader(BaseModel):
    """Immutable facts fixed when the session is opened."""

    model_config = FROZEN

    id: SessionId
    patient_id: PatientId
    course_id: CourseId
    number_in_course: int = Field(ge=1)
    chair: int = Field(ge=1, le=24)
    protocol_id: ProtocolId
    opened_at: UtcDatetime
    local_date: date
    opened_by: UserId


@dataclass(frozen=True)
class HeldElsewhere:
    """A session another workstation of the clinic charts (issue 14): shown here read-only
    until it is taken over."""

    workstation: str
    """The holder's clinic-server login (named after the workstation by IT)."""
    taken_by: str
    """The user id of whoever opened it there or took it over."""
    taken_at: datetime
    epoch: int
    """Which hold this is (1: the opener's; each takeover the next)."""
