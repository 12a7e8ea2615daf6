"""The whole session record as a nurse reads it at the chair: every entry in clinical-time
order, with who charted it and when, late entries marked, and each corrected or voided entry
kept, struck through with its reason, just before what replaced it (Qt-free; the session
window's record table and the printout list the same rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bedside.events import CORRECTABLE_KINDS, AlertRaised, ChartEvent, Kind, ScaleScored
from bedside.ids import EventId, UserId
from bedside.protocol import AlertLevel, Protocol
from bedside.state import SessionState, Supersession
from charting.record_text import Wording, entry_words


class EntryGroup(StrEnum):
    """What a nurse filters the record by."""

    VITALS = "Vitals & checks"
    SCORES = "Scores"
    MEDICINES = "Medicines"
    SIDE_EFFECTS = "Side effects"
    NOTES = "Notes & addenda"
    ALERTS = "Alerts"
    PUMP = "Pump"
    STEPS = "Steps & signatures"


GROUP_OF: dict[Kind, EntryGroup] = {
    Kind.SESSION_OPENED: EntryGroup.STEPS,
    Kind.PHASE_ADVANCED: EntryGroup.STEPS,
    Kind.SESSION_ENDED_EARLY: EntryGroup.STEPS,
    Kind.INTAKE_SCREENED: EntryGroup.STEPS,
    Kind.BASELINE_VITALS: EntryGroup.VITALS,
    Kind.VITALS_RECORDED: EntryGroup.VITALS,
    Kind.SCALE_SCORED: EntryGroup.SCORES,
    Kind.CONSENT_RECORDED: EntryGroup.STEPS,
    Kind.DOSE_PLANNED: EntryGroup.MEDICINES,
    Kind.DRUG_PREPARED: EntryGroup.MEDICINES,
    Kind.INFUSION_STARTED: EntryGroup.PUMP,
    Kind.INFUSION_PAUSED: EntryGroup.PUMP,
    Kind.INFUSION_RESUMED: EntryGroup.PUMP,
    Kind.RATE_CHANGED: EntryGroup.PUMP,
    Kind.INFUSION_STOPPED: EntryGroup.PUMP,
    Kind.SIDE_EFFECT_NOTED: EntryGroup.SIDE_EFFECTS,
    Kind.SIDE_EFFECT_RESOLVED: EntryGroup.SIDE_EFFECTS,
    Kind.PRN_GIVEN: EntryGroup.MEDICINES,
    Kind.NOTE: EntryGroup.NOTES,
    Kind.ALERT_RAISED: EntryGroup.ALERTS,
    Kind.ALERT_ACKNOWLEDGED: EntryGroup.ALERTS,
    Kind.CHECK_DEFERRED: EntryGroup.VITALS,
    Kind.DISCHARGE_ASSESSED: EntryGroup.STEPS,
    Kind.WASTE_RECORDED: EntryGroup.MEDICINES,
    Kind.SESSION_SIGNED: EntryGroup.STEPS,
    Kind.CHART_ATTESTED: EntryGroup.STEPS,
    Kind.ADDENDUM: EntryGroup.NOTES,
    Kind.ENTRY_VOIDED: EntryGroup.STEPS,
    Kind.FORK_RESOLVED: EntryGroup.STEPS,
}
"""Each kind's group (every kind has one)."""

WHAT: dict[Kind, str] = {
    Kind.SESSION_OPENED: "Opened",
    Kind.PHASE_ADVANCED: "Step",
    Kind.SESSION_ENDED_EARLY: "Ended early",
    Kind.INTAKE_SCREENED: "Intake",
    Kind.BASELINE_VITALS: "Baseline vitals",
    Kind.VITALS_RECORDED: "Vitals",
    Kind.SCALE_SCORED: "Score",
    Kind.CONSENT_RECORDED: "Consent",
    Kind.DOSE_PLANNED: "Dose plan",
    Kind.DRUG_PREPARED: "Preparation",
    Kind.INFUSION_STARTED: "Pump start",
    Kind.INFUSION_PAUSED: "Pump pause",
    Kind.INFUSION_RESUMED: "Pump resume",
    Kind.RATE_CHANGED: "Rate change",
    Kind.INFUSION_STOPPED: "Pump stop",
    Kind.SIDE_EFFECT_NOTED: "Side effect",
    Kind.SIDE_EFFECT_RESOLVED: "Resolved",
    Kind.PRN_GIVEN: "PRN",
    Kind.NOTE: "Note",
    Kind.ALERT_RAISED: "Alert",
    Kind.ALERT_ACKNOWLEDGED: "Alert action",
    Kind.CHECK_DEFERRED: "Deferred",
    Kind.DISCHARGE_ASSESSED: "Discharge score",
    Kind.WASTE_RECORDED: "Waste",
    Kind.SESSION_SIGNED: "Signed",
    Kind.CHART_ATTESTED: "Charting signed",
    Kind.ADDENDUM: "Addendum",
    Kind.ENTRY_VOIDED: "Void",
    Kind.FORK_RESOLVED: "Two workstations",
}
"""Each kind's short name for the record's "what" column."""


@dataclass(frozen=True)
class Replacement:
    """What became of a struck entry: corrected or voided, when, by whom, and why;
    ``wrong_patient`` for a void of an entry charted on the wrong patient's record."""

    voided: bool
    at: datetime
    by: str
    reason: str
    wrong_patient: bool = False
    set_aside: bool = False
    """A judged step a clinician's resolution set aside (charted at two workstations while
    cut off): not an error, another nurse's step that does not stand."""

    @property
    def why(self) -> str:
        """The reason as staff read it, the void's category beside it: "charted on the wrong
        chair (wrong patient)". The words stay on screen (staff must see what was voided);
        the category tells them printouts withhold them."""
        return f"{self.reason} (wrong patient)" if self.wrong_patient else self.reason


@dataclass(frozen=True)
class RecordRow:
    """One entry of the record as the nurse reads it.

    Attributes
    ----------
    event_id : EventId
        The entry (for correcting or voiding it).
    kind : Kind
        Its kind.
    group : EntryGroup
        What the record is filtered by.
    clinical_time, recorded_time : datetime
        When it happened, and when it was typed.
    late : bool
        First charted later than the protocol's late-entry limit after it happened.
    author : str
        Who charted it.
    what : str
        The kind in a word or two ("PRN", "Vitals"); a score names its scale.
    words : str
        What was charted, in words.
    level : AlertLevel or None
        An alert's level (its row is coloured, and named, by it).
    replaced : Replacement or None
        Set when the entry is struck through (corrected or voided).
    correction_of : str or None
        For a correction: the reason it replaced an earlier version.
    correctable : bool
        The entry is in force and of a kind a nurse may correct or void.
    """

    event_id: EventId
    kind: Kind
    group: EntryGroup
    clinical_time: datetime
    recorded_time: datetime
    late: bool
    author: str
    what: str
    words: str
    level: AlertLevel | None
    replaced: Replacement | None
    correction_of: str | None
    correctable: bool

    @property
    def struck(self) -> bool:
        """Corrected or voided: kept, struck through."""
        return self.replaced is not None


def history(state: SessionState, kinds: Iterable[str] | None = None) -> list[ChartEvent]:
    """Every entry of ``kinds`` (all when None), voids excluded: they are shown on what they
    voided.

    Parameters
    ----------
    state : SessionState
        The folded record.
    kinds : iterable of str, optional
        Payload kinds, e.g. ``{"scale_scored"}``.

    Returns
    -------
    list of ChartEvent
        Chains of corrections in clinical-time order of their latest version, oldest version
        first within a chain.
    """
    wanted = None if kinds is None else set(kinds)
    events = [
        e
        for e in state.events
        if e.kind is not Kind.ENTRY_VOIDED and (wanted is None or e.kind in wanted)
    ]
    by_id: dict[EventId, ChartEvent] = {e.id: e for e in events}
    replaced = {e.supersedes for e in events if e.supersedes is not None}
    heads = sorted(
        (e for e in events if e.id not in replaced), key=lambda e: (e.clinical_time, e.seq)
    )
    ordered: list[ChartEvent] = []
    for head in heads:
        chain = [head]
        while chain[-1].supersedes is not None and chain[-1].supersedes in by_id:
            previous = by_id[chain[-1].supersedes]
            if previous in chain:
                break
            chain.append(previous)
        ordered += reversed(chain)
    return ordered


def wrong_patient_void(state: SessionState, event: ChartEvent) -> Supersession | None:
    """The void "charted on the wrong patient's record" that ends ``event``'s correction
    chain, if that is how the chain ended.

    Every version of such an entry is withheld from printouts, not only the one voided: a
    note corrected and then found to be another patient's was that patient's words each time.

    Parameters
    ----------
    state : SessionState
        The folded record.
    event : ChartEvent
        Any version of an entry (the original, a correction, or the last one).

    Returns
    -------
    Supersession or None
        The wrong-patient void, or None when the chain is in force, corrected, or voided for
        another reason.
    """
    gone = state.superseded.get(event.id)
    seen: set[EventId] = set()
    while gone is not None and not gone.voided and gone.by_event.id not in seen:
        seen.add(gone.by_event.id)  # a cycle cannot be stored; a guard costs nothing
        gone = state.superseded.get(gone.by_event.id)
    return gone if gone is not None and gone.wrong_patient else None


_ALERT_WHAT = {
    AlertLevel.NOTIFY: "Notify alert",
    AlertLevel.PAUSE: "Pause alert",
    AlertLevel.DO_NOT_START: "Do-not-start alert",
}


def _what(event: ChartEvent) -> str:
    payload = event.payload
    if isinstance(payload, ScaleScored):
        return payload.scale.label
    if isinstance(payload, AlertRaised):
        return _ALERT_WHAT[payload.level]
    return WHAT[event.kind]


def record_row(
    event: ChartEvent, state: SessionState, protocol: Protocol, wording: Wording
) -> RecordRow:
    """One entry as a row of the record.

    Parameters
    ----------
    event : ChartEvent
        An entry of ``state`` (not a void: a void is shown on what it voided).
    state : SessionState
        The folded record.
    protocol : Protocol
        The session's protocol (its late-entry limit).
    wording : Wording
        Names and time zone for the words.

    Returns
    -------
    RecordRow
        The row.
    """
    gone = state.superseded.get(event.id)
    replaced = (
        Replacement(
            voided=gone.voided,
            at=gone.by_event.recorded_time,
            by=wording.name(gone.by_event.author),
            reason=gone.reason,
            wrong_patient=gone.wrong_patient,
            set_aside=gone.by_event.kind == Kind.FORK_RESOLVED,
        )
        if gone is not None
        else None
    )
    return RecordRow(
        event_id=event.id,
        kind=event.kind,
        group=GROUP_OF[event.kind],
        clinical_time=event.clinical_time,
        recorded_time=event.recorded_time,
        late=state.is_late(event, protocol.monitoring.late_entry_after_min),
        author=wording.name(event.author),
        what=_what(event),
        words=entry_words(event, wording),
        level=event.payload.level if isinstance(event.payload, AlertRaised) else None,
        replaced=replaced,
        correction_of=event.reason if event.supersedes is not None else None,
        correctable=(gone is None and event.kind in CORRECTABLE_KINDS and not state.closed),
    )


def session_record(
    state: SessionState, protocol: Protocol, names: Mapping[UserId, str], tz: str
) -> list[RecordRow]:
    """The whole record, in the order :func:`history` gives it.

    Parameters
    ----------
    state : SessionState
        The folded record.
    protocol : Protocol
        The session's protocol.
    names : mapping of UserId to str
        The clinic's staff names.
    tz : str
        The clinic's time zone (for times named inside the words).

    Returns
    -------
    list of RecordRow
        Every entry, struck ones included.
    """
    wording = Wording(state, names, tz)
    return [record_row(e, state, protocol, wording) for e in history(state)]
