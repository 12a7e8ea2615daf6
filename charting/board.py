"""What the chair board shows for each chair, and which chair needs the nurse first.

One nurse covers two to four chairs: the board must say at a glance where to go next. The
urgency order is a clinical judgement, so it lives here (tested without Qt), and the board only
draws it (issue 10, item 7):

1. an open "pause" alert or the pump past its planned end;
2. vitals overdue during the infusion (infusing or paused);
3. vitals overdue in observation;
4. an open "notify" alert;
5. a check due now;
6. a patient ready for discharge sign-off;
7. everything that is merely running, then chairs still being prepared.

Inside each group the chair whose vitals are latest goes first (how late is counted from the
first check of the current run, :mod:`charting.escalation`), then the sooner next check, then
the chair number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from bedside.events import Phase
from bedside.people import Patient
from bedside.protocol import AlertLevel, Protocol
from bedside.rules import controlled
from bedside.rules.controlled import Remainder
from bedside.rules.pump import PumpOverrun
from bedside.state import SessionState
from charting.escalation import (
    Escalation,
    MonitoringStatus,
    check_words,
    missed_words,
    monitoring_status,
    status_words,
)
from charting.flowsheet import FlowsheetRow, build_flowsheet
from charting.schedule import (
    CheckStatus,
    DueCheck,
    infusion_elapsed,
    observation_elapsed,
    seconds_until,
)


class Urgency(IntEnum):
    """Why a chair is where it is in the order; lower is more urgent (:data:`RANK_GROUP` puts
    a pause alert and a pump overrun in one group)."""

    PAUSE_ALERT = 0
    PUMP_OVERRUN = 1
    OVERDUE_INFUSING = 2
    OVERDUE_OBSERVING = 3
    NOTIFY_ALERT = 4
    DUE_NOW = 5
    AWAITING_SIGN_OFF = 6
    RUNNING = 7
    PREPARING = 8
    CLOSED = 9
    EMPTY = 10


RANK_GROUP = {u: (0 if u is Urgency.PUMP_OVERRUN else int(u)) for u in Urgency}
"""The group each urgency ranks in: a pump past its planned end is as urgent as an open pause
alert (both need the nurse at the pump now)."""

_URGENCY_WORDS = {
    Urgency.PAUSE_ALERT: "Pause alert open",
    Urgency.PUMP_OVERRUN: "Pump past its planned end",
    Urgency.OVERDUE_INFUSING: "Check overdue during the infusion",
    Urgency.OVERDUE_OBSERVING: "Check overdue in observation",
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
    escalation: Escalation = Escalation.NONE
    """How loudly the chair's checks call (:func:`charting.escalation.escalation_level`)."""
    late_by: timedelta | None = None
    """How late the vitals are, from the first check of the current run; None if not late."""
    missed: int = 0
    """Checks of the session missed so far."""
    overrun: PumpOverrun | None = None
    """The pump past its planned end, or None."""
    charted_at: str = ""
    """The workstation that charts this session when it is not this one (issue 14)."""
    branches_waiting: bool = False
    """Charted at two workstations while cut off: a clinician must resolve it (issue 14)."""

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
        return check_words(self.next_check, self.countdown)

    @property
    def missed_text(self) -> str:
        """How many checks were missed ("2 checks missed"), or ""."""
        return missed_words(self.missed)

    @property
    def escalation_text(self) -> str:
        """The checks in one line: "Vitals overdue 17:00 — 2 checks missed" ("" if none)."""
        return status_words(self.next_check, self.countdown, self.missed)

    @property
    def overrun_text(self) -> str:
        """The pump overrun in words ("Pump past its planned end: running 47 of 40 min; …")."""
        return self.overrun.words() if self.overrun is not None else ""

    @property
    def urgency_text(self) -> str:
        """Why this chair is where it is in the order ("Check overdue …", ...)."""
        return _URGENCY_WORDS[self.urgency]

    @property
    def needs_action(self) -> bool:
        """Something to do at this chair now (up to a sign-off waiting): "go here first" is
        said only of such a chair."""
        return self.urgency <= Urgency.AWAITING_SIGN_OFF

    @property
    def occupied(self) -> bool:
        """A session is on this chair."""
        return self.session_id is not None

    @property
    def lateness(self) -> float:
        """Seconds the vitals are late (from the first check of the run; a check due now counts
        from its due time); 0 when nothing is late."""
        if self.late_by is not None:
            return self.late_by.total_seconds()
        if self.seconds_to_next is not None and self.seconds_to_next < 0:
            return -self.seconds_to_next
        return 0.0


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


def _urgency(state: SessionState, watch: MonitoringStatus, levels: set[AlertLevel]) -> Urgency:
    """Where the chair stands in the nurse's order, given its checks and pump (``watch``) and
    its open alert levels."""
    if state.closed:
        return Urgency.CLOSED
    if AlertLevel.PAUSE in levels:
        return Urgency.PAUSE_ALERT
    if watch.overrun is not None:
        return Urgency.PUMP_OVERRUN
    if watch.late is not None:
        infusing = state.phase in (Phase.INFUSING, Phase.PAUSED)
        return Urgency.OVERDUE_INFUSING if infusing else Urgency.OVERDUE_OBSERVING
    if levels:
        return Urgency.NOTIFY_ALERT
    check = watch.next_check
    if check is not None and check.status is CheckStatus.DUE:
        return Urgency.DUE_NOW
    if state.phase is Phase.READY_FOR_DISCHARGE:
        return Urgency.AWAITING_SIGN_OFF
    if state.infusion.started_at is not None:
        return Urgency.RUNNING
    return Urgency.PREPARING


def _last_vitals(flowsheet: tuple[FlowsheetRow, ...]) -> FlowsheetRow | None:
    """The last set taken in the session; before the first, the baseline (the tile said "no
    vitals charted yet" through baseline, consent and preparation with a baseline charted)."""
    rows = [r for r in flowsheet if not r.struck and not r.scores_only]
    in_session = [r for r in rows if not r.baseline]
    return in_session[-1] if in_session else rows[-1] if rows else None


def summarize(
    chair: int,
    state: SessionState,
    protocol: Protocol,
    patient: Patient,
    now: datetime,
    session_number: int | None = None,
    flowsheet: tuple[FlowsheetRow, ...] | None = None,
    charted_at: str = "",
) -> ChairSummary:
    """The tile of a chair with a session, as it stands at ``now``.

    ``flowsheet`` may pass rows the caller already built, so they are not built twice;
    ``charted_at`` names the workstation that charts the session when it is another one.
    """
    watch = monitoring_status(state, protocol, now)
    check = watch.next_check
    if flowsheet is None:
        flowsheet = build_flowsheet(state, protocol)
    alerts = tuple(
        (a.payload.level, a.payload.message)
        for a in sorted(state.open_alerts(), key=lambda a: a.raised.clinical_time)
    )
    label, minutes = _elapsed(state, now)
    return ChairSummary(
        chair=chair,
        session_id=state.session_id,
        patient=patient,
        session_number=session_number,
        phase=state.phase,
        elapsed_label=label,
        elapsed_minutes=minutes,
        next_check=check,
        seconds_to_next=seconds_until(check, now) if check is not None else None,
        countdown=watch.countdown,
        last_vitals=_last_vitals(flowsheet),
        open_alerts=alerts,
        urgency=_urgency(state, watch, {level for level, _ in alerts}),
        drug_open=controlled.reconcile(state, protocol).open_parts,
        escalation=watch.level,
        late_by=watch.late_by,
        missed=watch.missed,
        overrun=watch.overrun,
        charted_at=charted_at,
        branches_waiting=state.fork is not None and state.fork.pending,
    )


def by_urgency(summaries: Iterable[ChairSummary]) -> list[ChairSummary]:
    """Most urgent first (the module's order); inside a group the latest vitals first, then the
    sooner next check, then the chair number."""
    return sorted(
        summaries,
        key=lambda s: (
            RANK_GROUP[s.urgency],
            -s.lateness,
            s.seconds_to_next if s.seconds_to_next is not None else float("inf"),
            s.urgency,
            s.chair,
        ),
    )
