"""Every clinician override in a session's record, and the steps of the session completed
through one (Qt-free: the sign-off summary, the step bar and the printout read the same list).

An override is a clinician's signed decision to go on past blocking findings
(:class:`bedside.events.Override`): a step advanced past its guard, the pump started on a
stale baseline, a PRN given despite a recorded allergy, a mandatory check deferred, a discharge
signed although the criteria were not all met. Any entry that carries one (as ``override``, or
as ``allowed`` for a deferral) is listed, so an override added to a new kind of entry is never
left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bedside.events import (
    ChartEvent,
    CheckDeferred,
    InfusionStarted,
    Override,
    Phase,
    PhaseAdvanced,
    PrnGiven,
    SessionSigned,
)
from bedside.ids import UserId
from bedside.state import SessionState, fold
from bedside.timeutil import local_text
from charting.marks import prn_label
from charting.record import WHAT

_STEP_ORDER: tuple[Phase, ...] = (
    Phase.INTAKE,
    Phase.BASELINE,
    Phase.CONSENT,
    Phase.PREPARED,
    Phase.INFUSING,
    Phase.OBSERVING,
    Phase.READY_FOR_DISCHARGE,
    Phase.SIGNED,
)
"""The steps a session goes through, in order (a pause is part of the infusion)."""


@dataclass(frozen=True)
class ClinicianOverride:
    """One override: the entry that carries it, what it let through, and the clinician's
    signed reason."""

    event: ChartEvent
    override: Override
    what: str
    """What it let through, in words ("Pump start", "Intake → Baseline")."""

    def words(self, names: Mapping[UserId, str], tz: str) -> str:
        """ "14:20 Pump start — Dr Lee (findings: baseline.stale): Baseline rechecked by
        phone"."""
        who = names.get(self.override.clinician_id, self.override.signature.signer_name)
        when = local_text(self.event.clinical_time, tz, "%H:%M")
        codes = ", ".join(self.override.finding_codes)
        return f"{when} {self.what} — {who} (findings: {codes}): {self.override.reason}"


def carried_override(payload: object) -> Override | None:
    """The override an entry's payload carries, whatever its kind (None when it has none)."""
    for name in ("override", "allowed"):
        value = getattr(payload, name, None)
        if isinstance(value, Override):
            return value
    return None


def _what(event: ChartEvent, tz: str) -> str:
    p = event.payload
    if isinstance(p, PhaseAdvanced):
        return f"{p.from_phase.label} → {p.to_phase.label}"
    if isinstance(p, InfusionStarted):
        return "Pump start"
    if isinstance(p, SessionSigned):
        return "Discharge sign-off"
    if isinstance(p, PrnGiven):
        return f"PRN {prn_label(p)}"
    if isinstance(p, CheckDeferred):
        what = "mandatory BP" if p.mandatory else "vitals check"
        return f"Deferral of the {what} due {local_text(p.due_at, tz, '%H:%M')}"
    return WHAT.get(event.kind, str(event.kind))


def clinician_overrides(state: SessionState) -> list[ClinicianOverride]:
    """Every override carried by an entry in force, in the order charted.

    Parameters
    ----------
    state : SessionState
        The folded session record.

    Returns
    -------
    list of ClinicianOverride
        A corrected or voided entry's override is not listed (its replacement's is).
    """
    tz = state.opened.clinic_timezone
    found = []
    for event in state.events:
        override = carried_override(event.payload)
        if override is not None and event.id in state.effective:
            found.append(ClinicianOverride(event, override, _what(event, tz)))
    return found


def _phase_at_signing(state: SessionState, signed: ChartEvent) -> Phase:
    """The phase the session was in when it was signed."""
    before = [e for e in state.events if e.seq < signed.seq]
    return fold(before).phase


def _step(phase: Phase) -> int:
    return _STEP_ORDER.index(Phase.INFUSING if phase is Phase.PAUSED else phase)


def overridden_steps(state: SessionState) -> dict[Phase, ClinicianOverride]:
    """The steps completed through a clinician's override, each with that override.

    A step advanced with an override (its guard overridden) is the step it left; the pump
    started on an override completes the dose-and-preparation step; a sign-off with an
    override completes, past its findings, every step from the one the session was in when
    signed up to "Signed".

    Parameters
    ----------
    state : SessionState
        The folded session record.

    Returns
    -------
    dict
        Each overridden step (by the phase that starts it; the infusion's is ``INFUSING``).
    """
    steps: dict[Phase, ClinicianOverride] = {}
    for found in clinician_overrides(state):
        p = found.event.payload
        if isinstance(p, PhaseAdvanced):
            steps[_STEP_ORDER[_step(p.from_phase)]] = found
        elif isinstance(p, InfusionStarted):
            steps[Phase.PREPARED] = found
        elif isinstance(p, SessionSigned):
            first = _step(_phase_at_signing(state, found.event))
            for phase in _STEP_ORDER[first:]:
                steps[phase] = found
    return steps


__all__ = ["ClinicianOverride", "carried_override", "clinician_overrides", "overridden_steps"]
