"""The vitals checks of a session that were missed or deferred, as the sign-off and the
printout list them (Qt-free). Which check is missed is the domain's rule
(:func:`bedside.rules.schedule.missed_checks`); a deferral is the charted entry, with the
clinician who allowed it when the check was mandatory.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from bedside.events import ChartEvent, CheckDeferred, VitalsRecorded
from bedside.ids import UserId
from bedside.protocol import Protocol
from bedside.rules.check_times import CheckKind
from bedside.rules.schedule import due_checks, missed_checks
from bedside.state import SessionState
from bedside.timeutil import local_text, minutes_between


def check_name(mandatory: bool) -> str:
    """ "mandatory BP" or "vitals check": how a check is named wherever it is listed."""
    return "mandatory BP" if mandatory else "vitals check"


@dataclass(frozen=True)
class SlippedCheck:
    """A check missed (no reading in its window) or deferred (a charted deferral)."""

    due_at: datetime
    mandatory: bool
    kind: CheckKind | None
    """Why the check existed (None for a deferral whose check the schedule no longer lists,
    e.g. after a pause charted later moved it)."""
    window: tuple[datetime, datetime] | None = None
    """A missed check's window, in which no reading was charted."""
    deferral: ChartEvent | None = None
    """The ``check_deferred`` entry of a deferred check."""
    next_reading: datetime | None = None
    """A missed check's first reading after its window (a BP for a mandatory check), if any:
    it does not make the check done, but the record must not read as if none was taken."""

    def missed_words(self, hm: Callable[[datetime], str]) -> str:
        """ "no reading between 14:45 and 14:55", and when one came later ", next reading 14:59
        (4 min after the window)" (``hm``: how a time is printed)."""
        start, end = self.window or (self.due_at, self.due_at)
        text = f"no reading between {hm(start)} and {hm(end)}"
        if self.next_reading is not None:
            late = minutes_between(end, self.next_reading)
            text += f"; next reading {hm(self.next_reading)} ({late:.0f} min after the window)"
        return text

    @property
    def missed(self) -> bool:
        """No reading in its window and not deferred."""
        return self.deferral is None

    @property
    def deferred(self) -> CheckDeferred | None:
        """The deferral's payload, for a deferred check."""
        return cast(CheckDeferred, self.deferral.payload) if self.deferral is not None else None

    def check_words(self, tz: str, *, loud: bool = False) -> str:
        """ "vitals check due 15:20 (During the infusion)", "mandatory BP due 15:40" (``loud``:
        "MANDATORY BP due 15:40")."""
        name = check_name(self.mandatory)
        if loud and self.mandatory:
            name = name.upper()
        text = f"{name} due {local_text(self.due_at, tz, '%H:%M')}"
        if self.kind is not None and self.kind is not CheckKind.MANDATORY_BP:
            text += f" ({self.kind.label})"
        return text


def allowed_words(p: CheckDeferred, names: Mapping[UserId, str]) -> str:
    """Who allowed deferring a mandatory check, and why ("allowed by Dr Lee: asleep, calm");
    empty for a routine check."""
    if not p.mandatory:
        return ""
    if p.allowed is None:
        return "no clinician's approval recorded"
    who = names.get(p.allowed.clinician_id, p.allowed.signature.signer_name)
    return f"allowed by {who}: {p.allowed.reason}"


def deferral_words(p: CheckDeferred, names: Mapping[UserId, str], tz: str) -> str:
    """A deferral in words: which check, the reason, and for a mandatory one the clinician who
    allowed it ("Mandatory BP due 15:20 deferred: asleep · allowed by Dr Lee: calm, BP fine").

    When the clinician's reason is the deferral's own, it is said once ("Mandatory BP due 15:20
    deferred, allowed by Dr Lee: asleep, calm").
    """
    due = local_text(p.due_at, tz, "%H:%M")
    if not p.mandatory:
        return f"Check due {due} deferred: {p.reason}"
    head = f"Mandatory BP due {due} deferred"
    if p.allowed is not None and p.allowed.reason == p.reason:
        return f"{head}, {allowed_words(p, names)}"
    return f"{head}: {p.reason} · {allowed_words(p, names)}"


def slipped_checks(state: SessionState, protocol: Protocol, at: datetime) -> list[SlippedCheck]:
    """Every check missed by ``at`` (a closed record: by its closing) and every check deferred
    (entries in force), in due order.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The session's protocol (its schedule).
    at : datetime
        The moment of the sign-off or the printout (timezone-aware).
    """
    kinds = {c.due_at: c.kind for c in due_checks(state, protocol, state.closed_at or at)}
    found = [
        SlippedCheck(
            c.due_at,
            c.mandatory,
            c.kind,
            window=(c.window_start, c.window_end),
            next_reading=_next_reading(state, c.window_end, bp_only=c.mandatory),
        )
        for c in missed_checks(state, protocol, at)
    ]
    for event in state.deferrals:
        p = cast(CheckDeferred, event.payload)
        found.append(SlippedCheck(p.due_at, p.mandatory, kinds.get(p.due_at), deferral=event))
    return sorted(found, key=lambda s: s.due_at)


def _next_reading(state: SessionState, after: datetime, *, bp_only: bool) -> datetime | None:
    times = [
        e.clinical_time
        for e in state.vitals
        if e.clinical_time > after and (not bp_only or cast(VitalsRecorded, e.payload).has_bp)
    ]
    return min(times, default=None)


__all__ = ["SlippedCheck", "allowed_words", "check_name", "deferral_words", "slipped_checks"]
