"""One immutable entry of a session's record (:class:`ChartEvent`), the union of every payload
it can carry, and the draft an operation hands to the store before the entry has its place in
the hash chain."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Self, get_args

from pydantic import (
    BaseModel,
    Field,
    model_validator,
)

from bedside.events.base import PayloadBase
from bedside.events.closing import (
    AddendumAdded,
    ChartAttested,
    DischargeAssessed,
    SessionSigned,
    WasteRecorded,
)
from bedside.events.entries import (
    AlertAcknowledged,
    AlertRaised,
    CheckDeferred,
    EntryVoided,
    NoteAdded,
    PrnGiven,
    SideEffectNoted,
    SideEffectResolved,
)
from bedside.events.forks import ForkResolved
from bedside.events.infusion import (
    InfusionPaused,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    RateChanged,
)
from bedside.events.kinds import Kind
from bedside.events.observations import BaselineVitals, ScaleScored, VitalsRecorded
from bedside.events.opening import IntakeScreened, PhaseAdvanced, SessionEndedEarly, SessionOpened
from bedside.events.preparation import ConsentRecorded, DosePlanned, DrugPrepared
from bedside.ids import EventId, SessionId, UserId
from bedside.model_config import FROZEN
from bedside.stored_json import KeepsStoredJson
from bedside.timeutil import UtcDatetime

Payload = Annotated[
    SessionOpened
    | PhaseAdvanced
    | SessionEndedEarly
    | IntakeScreened
    | BaselineVitals
    | VitalsRecorded
    | ScaleScored
    | ConsentRecorded
    | DosePlanned
    | DrugPrepared
    | InfusionStarted
    | InfusionPaused
    | InfusionResumed
    | RateChanged
    | InfusionStopped
    | SideEffectNoted
    | SideEffectResolved
    | PrnGiven
    | NoteAdded
    | AlertRaised
    | AlertAcknowledged
    | CheckDeferred
    | DischargeAssessed
    | WasteRecorded
    | SessionSigned
    | ChartAttested
    | AddendumAdded
    | EntryVoided
    | ForkResolved,
    Field(discriminator="kind"),
]

_KINDS: dict[str, Kind] = {kind.value: kind for kind in Kind}

PAYLOAD_TYPES: dict[str, type[PayloadBase]] = {
    t.model_fields["kind"].default: t for t in get_args(get_args(Payload)[0])
}
"""Each kind's payload model, by the kind as stored."""


class ChartEvent(KeepsStoredJson):
    """One immutable entry of a session's record, with its place in the hash chain."""

    model_config = FROZEN

    id: EventId
    session_id: SessionId
    seq: int = Field(ge=1)
    clinical_time: UtcDatetime
    recorded_time: UtcDatetime
    author: UserId
    payload: Payload
    supersedes: EventId | None = None
    reason: Annotated[str, Field(max_length=1000)] | None = None
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    # The payload exactly as first stored: hashes and exports use it, so a model that later
    # gains an optional field still reads old records without changing what was signed.
    stored_field: ClassVar[str] = "payload"

    @property
    def kind(self) -> Kind:
        """The payload's kind, e.g. ``Kind.VITALS_RECORDED``."""
        return _KINDS[self.payload.kind]  # a dict: Kind(...) costs a microsecond a call

    @property
    def raw_payload(self) -> dict[str, Any]:
        """The payload as stored (or, for a new event, as it will be stored)."""
        return self.stored_json()

    @model_validator(mode="after")
    def _correction_rules(self) -> Self:
        if self.supersedes is not None and not (self.reason and len(self.reason.strip()) >= 3):
            raise ValueError("a correction or void needs a reason")
        if self.kind is Kind.ENTRY_VOIDED and self.supersedes is None:
            raise ValueError("a void must name the entry it voids")
        if self.clinical_time > self.recorded_time:
            raise ValueError("clinical time cannot be later than the time it was recorded")
        return self


class EventDraft(BaseModel):
    """What an operation wants to append, before the store gives it a place in the chain."""

    model_config = FROZEN

    payload: Payload
    clinical_time: UtcDatetime
    supersedes: EventId | None = None
    reason: str | None = None
