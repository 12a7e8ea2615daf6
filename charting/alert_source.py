"""An alert raised on a reading that was later corrected or voided says so wherever it is shown:
the alert stays in the record (it was raised, and acted on), but a reader must not take it for
a reading that still stands (the long demo session's "SpO2 89 %" was a displaced probe).
Qt-free."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bedside.ids import UserId
from bedside.state import SessionState, Supersession
from bedside.state_parts import AlertState
from bedside.timeutil import local_text


@dataclass(frozen=True)
class CorrectedSource:
    """How the reading an alert was raised on was replaced, and what its replacement raised."""

    gone: Supersession
    replacement_alerts: tuple[AlertState, ...]
    """Alerts the correcting entry raised itself (none for a void, or a reading now normal)."""


def corrected_source(state: SessionState, alert: AlertState) -> CorrectedSource | None:
    """The correction or void of the reading ``alert`` was raised on (None: it still stands)."""
    gone = state.superseded.get(alert.payload.source_event_id)
    if gone is None:
        return None
    replacement = gone.by_event.id
    raised = tuple(a for a in state.alerts.values() if a.payload.source_event_id == replacement)
    return CorrectedSource(gone, raised)


def corrected_source_words(
    source: CorrectedSource, names: Mapping[UserId, str], timezone: str
) -> str:
    """ "Raised on a reading later corrected (11:01 by Dana Reyes, RN: probe displaced); the
    corrected reading raised no alert"."""
    gone = source.gone
    what = "voided" if gone.voided else "corrected"
    by = gone.by_event
    who = names.get(by.author, str(by.author))
    text = (
        f"Raised on a reading later {what} ({local_text(by.recorded_time, timezone, '%H:%M')} "
        f"by {who}: {gone.reason})"
    )
    if gone.voided:
        return text
    if not source.replacement_alerts:
        return text + "; the corrected reading raised no alert"
    levels = ", ".join(a.payload.level.value.replace("_", " ") for a in source.replacement_alerts)
    return text + f"; the corrected reading raised its own alert ({levels})"
