"""Session phases: the step a session is in (ARCHITECTURE.md), with words for a nurse."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    """Session phases (ARCHITECTURE.md): the step the session is in."""

    INTAKE = "intake"
    BASELINE = "baseline"
    CONSENT = "consent"
    PREPARED = "prepared"  # dose and preparation; ends when the infusion starts
    INFUSING = "infusing"
    PAUSED = "paused"
    OBSERVING = "observing"
    READY_FOR_DISCHARGE = "ready_for_discharge"
    SIGNED = "signed"
    ENDED_EARLY = "ended_early"

    @property
    def label(self) -> str:
        """Words for a nurse."""
        return _PHASE_LABELS[self]


_PHASE_LABELS = {
    Phase.INTAKE: "Intake",
    Phase.BASELINE: "Baseline",
    Phase.CONSENT: "Consent",
    Phase.PREPARED: "Dose & preparation",
    Phase.INFUSING: "Infusing",
    Phase.PAUSED: "Paused",
    Phase.OBSERVING: "Observation",
    Phase.READY_FOR_DISCHARGE: "Ready for discharge",
    Phase.SIGNED: "Signed",
    Phase.ENDED_EARLY: "Ended early",
}
