"""The read model: what the views and the printouts are given instead of the service.

* :class:`SessionContext` — one session as read: header, patient, course order, protocol and
  the folded record.
* :class:`SessionChange` — what one operation changed: the entries it appended and the session
  as it stands after them. Every chart operation returns one, so a window and the board redraw
  from it without reading the record again (Anki's ``OpChanges``).
* :class:`CourseRecords` — a patient's course as read: the order chain and each session.
* :class:`ClinicReader` — the reads ``charting`` and ``export`` may make (the service provides
  them), so neither imports the service or the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bedside.branches import with_entries
from bedside.course import CourseOrder
from bedside.events import ChartEvent
from bedside.ids import PatientId, SessionId, UserId
from bedside.people import Patient, User
from bedside.protocol import Protocol as ClinicProtocol
from bedside.sessions import HeldElsewhere, SessionHeader
from bedside.state import SessionState


@dataclass(frozen=True)
class SessionContext:
    """Everything a rule needs about one session, as read at one moment."""

    header: SessionHeader
    patient: Patient
    order: CourseOrder
    protocol: ClinicProtocol
    state: SessionState
    held_elsewhere: HeldElsewhere | None = None
    """Another workstation of the clinic charts this session (read-only here until taken
    over); None when this workstation may chart it."""

    @property
    def session_id(self) -> SessionId:
        """The session's id."""
        return self.header.id

    def with_events(self, events: Sequence[ChartEvent]) -> SessionContext:
        """This session with ``events`` appended to the record as read: one fold, no read."""
        return replace(self, state=with_entries(self.state, events))


@dataclass(frozen=True)
class SessionChange:
    """What one operation changed.

    Attributes
    ----------
    session_id : SessionId
        The session written to.
    events : tuple of ChartEvent
        The entries the operation appended, in order (an alert raised by a reading follows
        the reading; a pause made by acknowledging an alert comes before the acknowledgement).
    context : SessionContext
        The session as it stands after them.
    """

    session_id: SessionId
    events: tuple[ChartEvent, ...]
    context: SessionContext

    @property
    def event(self) -> ChartEvent:
        """The entry the operation is about (its first)."""
        return self.events[0]

    @property
    def state(self) -> SessionState:
        """The record after the change."""
        return self.context.state


@dataclass(frozen=True)
class CourseSessionRecord:
    """One session of a course: header, folded record and the protocol it ran under."""

    header: SessionHeader
    state: SessionState
    protocol: ClinicProtocol


@dataclass(frozen=True)
class CourseRecords:
    """A patient's course as read: the live order with the orders it superseded (oldest
    first; empty without an order), and the sessions opened under any of them."""

    patient: Patient
    orders: tuple[CourseOrder, ...]
    sessions: tuple[CourseSessionRecord, ...]
    timezone: str


class ClinicReader(Protocol):
    """The reads a printout or a view makes of the clinic's record."""

    @property
    def timezone(self) -> str:
        """The clinic's IANA time zone."""

    def context(self, session: SessionId) -> SessionContext:
        """One session as it stands."""

    def course_records(self, patient_id: PatientId) -> CourseRecords:
        """A patient's current course."""

    def staff(self) -> dict[UserId, User]:
        """Every account, by id (authors and signers are named from it)."""

    def clinic_settings(self) -> dict[str, str]:
        """The clinic's name, address and paper size."""

    def is_demo(self) -> bool:
        """Whether the database holds the demo clinic (printouts then say so on every page)."""

    def session_problems(self, session: SessionId) -> list[str]:
        """What verification finds wrong with one session's record (empty: it is sound)."""

    def ledger_head(self) -> str:
        """The state of the whole record as ``SEQ:HASH`` (``bedside verify --against``)."""
