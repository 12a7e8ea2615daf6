"""Opening a session, moving it on a step, ending it early, and the intake screen."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import AfterValidator, Field, model_validator

from bedside.allergies import AllergyStatus
from bedside.events.base import Override, PayloadBase, ShortText
from bedside.events.phase import Phase
from bedside.ids import CourseId, PatientId, ProtocolId
from bedside.timeutil import timezone_problem


def _known_zone(name: str) -> str:
    """A clinic time zone must be one this computer can read (a log may carry anything)."""
    problem = timezone_problem(name)
    if problem:
        raise ValueError(problem)
    return name


class SessionOpened(PayloadBase):
    kind: Literal["session_opened"] = "session_opened"
    patient_id: PatientId
    course_id: CourseId
    number_in_course: int = Field(ge=1, le=200)
    chair: int = Field(ge=1, le=24)
    protocol_id: ProtocolId
    protocol_version: int = Field(ge=1)
    protocol_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    clinic_timezone: Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_known_zone)]


class PhaseAdvanced(PayloadBase):
    """The nurse completed a step; the guard report was clean or a clinician overrode it."""

    kind: Literal["phase_advanced"] = "phase_advanced"
    from_phase: Phase
    to_phase: Phase
    override: Override | None = None


class SessionEndedEarly(PayloadBase):
    kind: Literal["session_ended_early"] = "session_ended_early"
    reason: Annotated[str, Field(min_length=3, max_length=1000)]


# --- intake ---------------------------------------------------------------------------------------

Identifier = Literal["full_name", "date_of_birth", "mrn", "photo_id", "address"]


class IntakeScreened(PayloadBase):
    """Identity check, contraindication screen (CLINICAL.md §6.2), the allergies confirmed
    for this session, and pre-session checks."""

    kind: Literal["intake_screened"] = "intake_screened"
    identifiers_checked: tuple[Identifier, ...] = Field(min_length=2)
    contraindications: dict[str, bool]
    pregnancy_test: Literal["not_applicable", "negative", "positive", "declined"]
    medicines_reviewed: bool
    new_medicines: tuple[str, ...] = ()
    fasting_as_instructed: bool
    substance_use_48h: bool
    escort_name: Annotated[str, Field(max_length=120)] = ""
    escort_phone: Annotated[str, Field(max_length=40)] = ""
    notes: ShortText = ""
    allergies: AllergyStatus | None = None
    """The allergies as the nurse confirmed them with the patient at this intake, with who and
    when (the service fills both in from the entry). ``None`` only in intakes recorded before
    allergies were confirmed at intake; such an intake does not let the session move on."""

    @model_validator(mode="after")
    def _two_distinct_identifiers(self) -> Self:
        if len(set(self.identifiers_checked)) < 2:
            raise ValueError("identity must be checked on two different identifiers")
        return self
