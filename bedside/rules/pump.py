"""The pump past its planned end: an alert derived from the clock and the charted rates.

A pump still charted as running when its running time exceeds the planned duration by more than
``dosing.pump_overrun_fraction`` (default 10 %), or when the charted rates and times imply more
volume than the bag held (``final_volume_ml`` + ``dosing.bag_overrun_ml``), is either still
infusing a bag that should be empty or was stopped without the stop being charted. Either way
the nurse must look at the pump now (CLINICAL.md §13, "Pump past planned end").

It is not a charted event: it is true from the moment the numbers say so until the stop is
charted, and every view reads it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bedside.events import DosePlanned
from bedside.protocol import Protocol
from bedside.state import SessionState


@dataclass(frozen=True)
class PumpOverrun:
    """How far past its plan the pump is at a moment."""

    running_min: float
    planned_min: float
    time_limit_min: float
    implied_ml: float
    bag_ml: float
    volume_limit_ml: float
    implied_mg: float
    planned_mg: float

    @property
    def past_time(self) -> bool:
        """Running longer than the plan allows."""
        return self.running_min > self.time_limit_min

    @property
    def past_volume(self) -> bool:
        """The charted rates imply more than the bag held."""
        return self.implied_ml > self.volume_limit_ml

    def words(self) -> str:
        """E.g. "Pump past its planned end: running 47 of 40 min; the charted rates imply
        112 of 103.6 mL (39.0 of 36 mg). Check the pump and chart the stop." """
        parts = []
        if self.past_time:
            parts.append(f"running {self.running_min:.0f} of {self.planned_min:g} min")
        if self.past_volume:
            parts.append(
                f"the charted rates imply {self.implied_ml:.0f} of {self.bag_ml:g} mL "
                f"({self.implied_mg:.1f} of {self.planned_mg:g} mg)"
            )
        return (
            "Pump past its planned end: " + "; ".join(parts) + ". Check the pump, chart the stop."
        )


def pump_overrun(state: SessionState, protocol: Protocol, now: datetime) -> PumpOverrun | None:
    """The overrun at ``now`` while the pump is charted as started and not stopped, else None.

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The session's protocol (``dosing.pump_overrun_fraction``, ``dosing.bag_overrun_ml``).
    now : datetime
        The moment to judge at (timezone-aware).
    """
    infusion = state.infusion
    plan = state.typed(state.dose_plan, DosePlanned)
    if plan is None or infusion.started_at is None or infusion.stopped_at is not None:
        return None
    if state.closed:
        return None
    implied = infusion.expected_volume_ml(now) or 0.0
    found = PumpOverrun(
        running_min=infusion.running_minutes(now),
        planned_min=plan.duration_min,
        time_limit_min=plan.duration_min * (1 + protocol.dosing.pump_overrun_fraction),
        implied_ml=implied,
        bag_ml=plan.final_volume_ml,
        volume_limit_ml=plan.final_volume_ml + protocol.dosing.bag_overrun_ml,
        implied_mg=implied * plan.concentration_mg_ml,
        planned_mg=plan.dose_mg,
    )
    return found if found.past_time or found.past_volume else None
