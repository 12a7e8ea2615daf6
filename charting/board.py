"""What the chair board shows for each chair, and which chair needs the nurse first.

One nurse covers two to four chairs: the board must say at a glance where to go next. The
urgency order is a clinical judgement, so it lives here (tested without Qt), and the board only
draws it: an open "pause" alert first, then an overdue check, an open "notify" alert, a check due
now, a patient ready for discharge sign-off, and then everything that is merely running.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from bedside.events import Phase
from bedside.people import Patient
from bedside.protocol import AlertLevel, Protocol
from bedside.rules import controlled
from bedside.rules.controlled import Remainder
from bedside.state import SessionState
from charting.flowsheet import FlowsheetRow, build_flowsheet
from charting.schedule import (
    CheckStatus,
    DueCheck,
    countdown_text,
    infusion_elapsed,
    next_check,
    observation_elapsed,
    seconds_until,
)


class Urgency(IntEnum):
    """Lower is more urgent."""

    PAUSE_ALERT = 0
    OVERDUE = 1
    NOTIFY_ALERT = 2
    DUE_NOW = 3
    AWAITING_SIGN_OFF = 4
    RUNNING = 5
    PREPARING = 6
    CLOSED = 8
    EMPTY = 9


_URGENCY_WORDS = {
    Urgency.PAUSE_ALERT: "Pause alert open",
    Urgency.OVERDUE: "Check overdue",
    Urgency.NOTIFY_ALERT: "Alert: notify clinician",
    Urgency.DUE_NOW: "Check due now",
    Urgency.AWAITING_SIGN_OFF: "Ready for discharge sign-off",
    Urgency.RUNNING: "",
    Urgency.PREPARING: "",
    Urgency.CLOSED: "",
    Urgency.EMPTY: "",
}


@dataclass(frozen=True)
class ChairSummary:
    """One chair's tile."""

    chair: int
    session_id: str | None = None
    patient: Patient | None = None
    session_number: int | None = None
    phase: Phase | None = None
    elapsed_label: str = ""
    elapsed_minutes: float | None = None
    next_check: DueCheck | None = None
    seconds_to_next: float | None = None
    countdown: str = ""
    """The next check's time in words (:func:`charting.schedule.countdown_text`)."""
    last_vitals: FlowsheetRow | None = None
    open_alerts: tuple[tuple[AlertLevel, str], ...] = ()
    urgency: Urgency = Urgency.EMPTY
    drug_open: tuple[Remainder, ...] = ()
    """Drug drawn and neither in the bag, infused nor wasted: an open item until it is wasted
    with a witness (:func:`bedside.rules.controlled.reconcile`)."""

    @property
    def drug_open_text(self) -> str:
        """The open remainder in words ("Drug to waste: 14 mg (1.4 mL) left in the vial or
        syringe"), or "" when the whole vial is accounted for."""
        if not self.drug_open:
            return ""
        return "Drug to waste: " + "; ".join(p.words() for p in self.drug_open)

    @property
    def check_text(self) -> str:
        """The next check in words: "Vitals in 5:08", "BP check overdue 2:00" ("" if none)."""
        if self.next_check is None:
            return ""
        kind = "BP check" if self.next_check.mandatory_bp else "Vitals"
        return f"{kind} {self.countdown}"

    @property
    def urgency_text(self) -> str:
        """Why this chair is where it is in the order ("Check overdue", ...)."""
        return _URGENCY_WORDS[self.urgency]

    @property
    def occupied(self) -> bool:
        """A session is on this chair."""
        return self.session_id is not None


def _clock_text(minutes: float) -> str:
    whole = int(minutes * 60)
    return f"{whole // 60:d}:{whole % 60:02d}"


def _elapsed(state: SessionState, now: datetime) -> tuple[str, float | None]:
    """The tile's clock: minutes infusing (or paused at), or observing; nothing otherwise."""
    infusion = infusion_elapsed(state, now)
    observing = observation_elapsed(state, now)
    if state.phase in (Phase.INFUSING, Phase.PAUSED) and infusion is not None:
        minutes = infusion.running_minutes
        if state.phase is Phase.PAUSED:
            return f"Paused at {_clock_text(minutes)}", minutes
        return f"Infusing {_clock_text(minutes)}", minutes
    if observing is not None and not state.closed:
        minutes = observing.total_seconds() / 60
        return f"Observing {_clock_text(minutes)}", minutes
    return "", None


def _urgency(state: SessionState, check: DueCheck | None, levels: set[AlertLevel]) -> Urgency:
    """Where the chair stands in the nurse's order, given its next check and open alert levels."""
    if state.closed:
        return Urgency.CLOSED
    if AlertLevel.PAUSE in levels:
        return Urgency.PAUSE_ALERT
    if check is not None and check.status is CheckStatus.OVERDUE:
        return Urgency.OVERDUE
    if levels:
        return Urgency.NOTIFY_ALERT
    if check is not None and check.status is CheckStatus.DUE:
        return Urgency.DUE_NOW
    if state.phase is Phase.READY_FOR_DISCHARGE:
        return Urgency.AWAITING_SIGN_OFF
    if state.infusion.started_at is not None:
        return Urgency.RUNNING
    return Urgency.PREPARING


def summarize(
    chair: int,
    state: SessionState,
    protocol: Protocol,
    patient: Patient,
    now: datetime,
    session_number: int | None = None,
    flowsheet: tuple[FlowsheetRow, ...] | None = None,
) -> ChairSummary:
    """The tile of a chair with a session, as it stands at ``now``.

    ``flowsheet`` may pass rows the caller already built, so they are not built twice.
    """
    check = next_check(state, protocol, now)
    seconds = seconds_until(check, now) if check is not None else None
    if flowsheet is None:
        flowsheet = build_flowsheet(state, protocol)
    rows = [r for r in flowsheet if not r.struck and not r.scores_only]
    # The last set taken in the session; before the first, the baseline (the tile said "no
    # vitals charted yet" through baseline, consent and preparation with a baseline charted).
    in_session = [r for r in rows if not r.baseline]
    last = in_session[-1] if in_session else rows[-1] if rows else None
    alerts = tuple(
        (a.payload.level, a.payload.message)
        for a in sorted(state.open_alerts(), key=lambda a: a.raised.clinical_time)
    )
    label, minutes = _elapsed(state, now)
    urgency = _urgency(state, check, {level for level, _ in alerts})
    return ChairSummary(
        chair=chair,
        session_id=state.session_id,
        patient=patient,
        session_number=session_number,
        phase=state.phase,
        elapsed_label=label,
        elapsed_minutes=minutes,
        next_check=check,
        seconds_to_next=seconds,
        countdown=countdown_text(check, now),
        last_vitals=last,
        open_alerts=alerts,
        urgency=urgency,
        drug_open=controlled.reconcile(state, protocol).open_parts,
    )


def by_urgency(summaries: Iterable[ChairSummary]) -> list[ChairSummary]:
    """Most urgent first; ties by the time left to the next check, then by chair number."""
    return sorted(
        summaries,
        key=lambda s: (
            s.urgency,
            s.seconds_to_next if s.seconds_to_next is not None else float("inf"),
            s.chair,
        ),
    )
