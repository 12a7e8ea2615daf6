"""The long session's timetable (every timed reading as it finally stands, which were charted
late) and the helper that charts it on a moving clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bedside.clock import FixedClock
from bedside.events import ChartEvent
from bedside.ids import EventId, SessionId
from bedside.service import ChartService
from ui.demo.staff import (
    DemoStaff,
)

INFUSION_START_MIN = 20
"""Minutes from opening to the infusion start (the time axis's zero)."""

SIGN_OFF_MIN = 180
"""Minutes from opening to the clinician's sign-off: a three-hour session."""

# (minutes from the infusion start, systolic, diastolic, heart rate, SpO2, resp. rate)
TIMED_VITALS: tuple[tuple[int, int, int, int, int, int], ...] = (
    (5, 138, 86, 80, 98, 14),
    (10, 146, 90, 84, 97, 15),
    (15, 154, 92, 88, 97, 15),
    (20, 164, 96, 86, 97, 16),  # first charted with HR 68 (transposed), corrected
    (25, 184, 104, 96, 96, 16),  # pause alert: infusion paused
    (28, 176, 100, 94, 96, 16),  # charted late (nurse with the paused pump)
    (32, 158, 94, 90, 97, 15),  # charted late
    (35, 152, 92, 88, 97, 15),
    (40, 150, 90, 86, 97, 14),
    (45, 162, 96, 88, 96, 15),
    (50, 156, 94, 86, 97, 14),
    (55, 150, 92, 84, 97, 14),
    (60, 148, 90, 82, 97, 14),
    (70, 146, 90, 82, 97, 14),  # entered twice; the duplicate is voided
    (80, 144, 88, 80, 98, 14),
    (90, 142, 88, 80, 97, 14),
    (100, 140, 86, 78, 97, 14),  # first charted as SpO2 89 (probe displaced), corrected
    (110, 138, 86, 78, 98, 14),
    (120, 136, 84, 78, 98, 14),
    (130, 136, 84, 76, 98, 14),
    (135, 134, 84, 76, 98, 14),
    (140, 134, 82, 76, 98, 14),
    (145, 132, 82, 76, 98, 14),
    (150, 132, 82, 74, 98, 14),
)
"""The 24 timed readings as they finally stand (with the baseline: 25 vitals sets)."""

LATE_VITALS_MIN = frozenset({28, 32})
LATE_CHARTED_AT_MIN = 48  # the two late sets were typed 20 and 16 minutes after they happened


@dataclass
class LongCharting:
    """The long session being charted: who charts, the session, its clock, and the side
    effects charted so far (resolved later by name)."""

    service: ChartService
    clock: FixedClock
    staff: DemoStaff
    sid: SessionId
    start: datetime
    effects: dict[str, EventId] = field(default_factory=dict)

    @property
    def t0(self) -> datetime:
        """The infusion start: the time axis's zero."""
        return self.start + timedelta(minutes=INFUSION_START_MIN)

    def opened(self, minutes: float) -> None:
        """Move the clock to ``minutes`` after the session's opening."""
        self.clock.set(self.start + timedelta(minutes=minutes))

    def at(self, minutes: float) -> None:
        """Move the clock to ``minutes`` after the infusion start."""
        self.clock.set(self.t0 + timedelta(minutes=minutes))

    def vitals(self, minutes: int, **override: int) -> list[ChartEvent]:
        """The timed reading at ``minutes`` (as in :data:`TIMED_VITALS`, or overridden)."""
        s, d, hr, o2, rr = READINGS[minutes]
        values: dict[str, Any] = {
            "systolic": s,
            "diastolic": d,
            "heart_rate": hr,
            "spo2": o2,
            "resp_rate": rr,
        }
        values.update(override)
        return list(self.service.record_vitals(self.staff.nurse, self.sid, **values).events)

    def ack(self, action: str, notified: bool = True) -> None:
        """Acknowledge every open alert (a corrected reading is judged again and may raise
        its own) with the action taken."""
        for alert in self.service.state(self.sid).open_alerts():
            self.service.acknowledge_alert(
                self.staff.nurse,
                self.sid,
                alert.raised.id,
                action_taken=action,
                clinician_notified=notified,
            )

    def effect(self, effect: str, severity: int, action: str, note: str = "") -> EventId:
        """A side effect, remembered by name for its resolution."""
        event = self.service.note_side_effect(
            self.staff.nurse, self.sid, effect=effect, severity=severity, action=action, note=note
        ).event
        self.effects[effect] = event.id
        return event.id

    def prn(self, drug: str, dose: float, indication: str, effect_id: EventId, effect: str) -> None:
        """A rescue medicine ordered by Dr Lee, for the side effect it treats."""
        self.service.give_prn(
            self.staff.nurse,
            self.sid,
            drug=drug,
            dose=dose,
            unit="mg",
            route="IV",
            indication=indication,
            ordered_by=self.staff.clinician.id,
            related_event_id=effect_id,
            effect=effect,
        )


READINGS = {m: (s, d, hr, o2, rr) for m, s, d, hr, o2, rr in TIMED_VITALS}
"""The timed readings by minute."""
