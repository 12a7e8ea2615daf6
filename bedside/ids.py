"""Typed identifiers, so mypy catches a patient id passed where a session id belongs."""

from __future__ import annotations

import uuid
from typing import NewType

PatientId = NewType("PatientId", str)
SessionId = NewType("SessionId", str)
CourseId = NewType("CourseId", str)
EventId = NewType("EventId", str)
UserId = NewType("UserId", str)
ProtocolId = NewType("ProtocolId", str)


def new_id() -> str:
    """A new globally unique id (UUID4, lowercase hex with dashes).

    Globally unique ids let events from several workstations be merged into one central store
    later without renumbering.
    """
    return str(uuid.uuid4())
