"""Side effects, rescue medicines, notes, alerts, deferred checks and voids."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bedside.events.base import LongText, Override, PayloadBase, ShortText
from bedside.ids import EventId, UserId
from bedside.medicine_terms import DoseUnit
from bedside.medicine_terms import Route as Route  # still importable from bedside.events
from bedside.protocol import AlertLevel
from bedside.timeutil import UtcDatetime


class SideEffectNoted(PayloadBase):
    kind: Literal["side_effect_noted"] = "side_effect_noted"
    effect: str = Field(min_length=2, max_length=60, pattern=r"^[a-z0-9_]+$")
    severity: int = Field(ge=0, le=3, description="none/mild/moderate/severe = CTCAE 0-3")
    action: ShortText = ""
    serious: bool = False
    note: ShortText = ""


class SideEffectResolved(PayloadBase):
    kind: Literal["side_effect_resolved"] = "side_effect_resolved"
    side_effect_event_id: EventId
    note: ShortText = ""


class PrnGiven(PayloadBase):
    """A rescue medicine given. ``override`` is the clinician's signed override when the drug
    matched a recorded allergy; ``warnings_acknowledged`` the warnings the nurse read and
    confirmed (allergies unknown, above the session maximum, inside the minimum interval, not
    on the clinic list), in the words shown."""

    kind: Literal["prn_given"] = "prn_given"
    drug: str = Field(min_length=2, max_length=80)
    dose: float = Field(gt=0, le=10000)
    unit: DoseUnit
    route: Route
    indication: str = Field(min_length=2, max_length=300)
    ordered_by: UserId
    related_event_id: EventId | None = None
    effect: ShortText = ""
    override: Override | None = None
    warnings_acknowledged: tuple[Annotated[str, Field(max_length=1000)], ...] = ()


class NoteAdded(PayloadBase):
    kind: Literal["note"] = "note"
    text: LongText


class AlertRaised(PayloadBase):
    """Written by the service in the same transaction as the reading that caused it."""

    kind: Literal["alert_raised"] = "alert_raised"
    level: AlertLevel
    source_event_id: EventId
    rule_codes: tuple[str, ...] = Field(min_length=1)
    message: str = Field(min_length=1, max_length=1000)


class AlertAcknowledged(PayloadBase):
    kind: Literal["alert_acknowledged"] = "alert_acknowledged"
    alert_event_id: EventId
    action_taken: Annotated[str, Field(min_length=3, max_length=1000)]
    clinician_notified: bool = False


class CheckDeferred(PayloadBase):
    """ "Patient resting - check deferred", with a reason, for the check due at ``due_at``."""

    kind: Literal["check_deferred"] = "check_deferred"
    due_at: UtcDatetime
    reason: Annotated[str, Field(min_length=3, max_length=500)]
    mandatory: bool = Field(default=False, exclude_if=lambda v: not v)
    """The check was one the protocol marks mandatory (the mandatory BP)."""
    allowed: Override | None = Field(default=None, exclude_if=lambda v: v is None)
    """The clinician who allowed deferring a mandatory check, with their reason and signature."""


class EntryVoided(PayloadBase):
    """Marks an entry as entered in error. The original stays in the record, struck through;
    the reason is on the event (``ChartEvent.reason``)."""

    kind: Literal["entry_voided"] = "entry_voided"
    wrong_patient: bool = Field(default=False, exclude_if=lambda v: not v)
    """The entry was charted on the wrong patient's record: its words belong to another
    patient, so printouts of this record withhold them. Left out when False, so a void stored
    before the field existed writes (and hashes) exactly as it did."""
