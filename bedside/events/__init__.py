"""Chart events: the append-only record of a session.

Every event has a clinical time (when it happened), a recorded time (when it was typed, never
editable), an author, and a payload validated by the model for its kind. A correction is a new
event of the same kind whose ``supersedes`` names the event it replaces, with a ``reason``; a
void is an :class:`EntryVoided` event. Nothing is ever edited or deleted.

Where to look:

* :mod:`bedside.events.kinds` — every :class:`Kind` and the one table of what each allows
  (phases, corrections, two workstations at once, signatures, role);
* :mod:`bedside.events.phase` — the session phases;
* ``opening``, ``observations``, ``preparation``, ``infusion``, ``entries``, ``closing`` — the
  payload models, grouped by the part of the session they record;
* :mod:`bedside.events.record` — :class:`ChartEvent` and :class:`EventDraft`.
"""

from bedside.events.base import LongText, Override, PayloadBase, ShortText
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
    Route,
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
from bedside.events.kinds import (
    AFTER_START,
    CLOSED,
    CORRECTABLE_KINDS,
    DISCHARGING,
    KIND_RULES,
    OPEN_PHASES,
    RUNNING,
    Kind,
    KindRule,
    rule_for,
)
from bedside.events.observations import BaselineVitals, ScaleScored, VitalsBase, VitalsRecorded
from bedside.events.opening import (
    Identifier,
    IntakeScreened,
    PhaseAdvanced,
    SessionEndedEarly,
    SessionOpened,
)
from bedside.events.phase import Phase
from bedside.events.preparation import ConsentRecorded, DosePlanned, DrugPrepared, SignaturePad
from bedside.events.record import PAYLOAD_TYPES, ChartEvent, EventDraft, Payload

__all__ = [
    "AFTER_START",
    "CLOSED",
    "CORRECTABLE_KINDS",
    "DISCHARGING",
    "KIND_RULES",
    "OPEN_PHASES",
    "PAYLOAD_TYPES",
    "RUNNING",
    "AddendumAdded",
    "AlertAcknowledged",
    "AlertRaised",
    "BaselineVitals",
    "ChartAttested",
    "ChartEvent",
    "CheckDeferred",
    "ConsentRecorded",
    "DischargeAssessed",
    "DosePlanned",
    "DrugPrepared",
    "EntryVoided",
    "EventDraft",
    "ForkResolved",
    "Identifier",
    "InfusionPaused",
    "InfusionResumed",
    "InfusionStarted",
    "InfusionStopped",
    "IntakeScreened",
    "Kind",
    "KindRule",
    "LongText",
    "NoteAdded",
    "Override",
    "Payload",
    "PayloadBase",
    "Phase",
    "PhaseAdvanced",
    "PrnGiven",
    "RateChanged",
    "Route",
    "ScaleScored",
    "SessionEndedEarly",
    "SessionOpened",
    "SessionSigned",
    "ShortText",
    "SideEffectNoted",
    "SideEffectResolved",
    "SignaturePad",
    "VitalsBase",
    "VitalsRecorded",
    "WasteRecorded",
    "rule_for",
]
