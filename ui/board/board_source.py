"""Where the chair board's numbers come from: today's open sessions, re-read only when the
database changed (by this window or another process), summarised at every tick."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bedside.protocol import Protocol
from bedside.service import ChartService
from bedside.state import SessionState
from charting.board import ChairSummary, by_urgency, summarize


@dataclass
class _Cached:
    state: SessionState
    protocol: Protocol
    number: int


class BoardSource:
    """Chair summaries for the board. No Qt: the widgets only draw what this returns."""

    def __init__(self, service: ChartService) -> None:
        self.service = service
        self._data_version: int | None = None
        self._sessions: dict[int, _Cached] = {}
        self._dirty = True
        self.external_changes = 0
        """How many times another process (another workstation) was seen to write: open
        session windows redraw from the record when this moves."""

    def invalidate(self) -> None:
        """Something was charted: re-read the sessions at the next summary."""
        self._dirty = True

    def _changed(self) -> bool:
        # PRAGMA data_version changes when another connection commits; our own writes are
        # reported through invalidate().
        version = self.service.store.data_version()
        changed = version != self._data_version
        self._data_version = version
        return changed

    def _reload(self, now: datetime) -> None:
        self._sessions = {
            chair: _Cached(ctx.state, ctx.protocol, ctx.header.number_in_course)
            for chair, ctx in self.service.open_sessions(now).items()
        }
        self._dirty = False

    def chairs(self) -> int:
        """How many chairs the clinic has (protocol setting)."""
        _, protocol = self.service.ensure_protocol()
        return protocol.monitoring.chairs

    def summaries(self, now: datetime) -> list[ChairSummary]:
        """One summary per chair, in chair order."""
        external = self._changed()
        if external:
            self.external_changes += 1
        if external or self._dirty:
            self._reload(now)
        out = []
        for chair in range(1, self.chairs() + 1):
            cached = self._sessions.get(chair)
            if cached is None:
                out.append(ChairSummary(chair=chair))
                continue
            patient = self.service.store.patient(cached.state.opened.patient_id)
            out.append(summarize(chair, cached.state, cached.protocol, patient, now, cached.number))
        return out

    def most_urgent(self, summaries: list[ChairSummary]) -> ChairSummary | None:
        """The occupied chair to go to first, if any."""
        occupied = [s for s in summaries if s.occupied]
        return by_urgency(occupied)[0] if occupied else None
