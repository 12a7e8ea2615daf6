"""Where the chair board's numbers come from: the open sessions as read once, kept up to date
from what this workstation's windows change, re-read chair by chair when another workstation
writes, and summarised at every tick without reading anything.

What each chair costs:

* a change made here (a :class:`~bedside.context.SessionChange`) redraws its chair from the
  change: no read, one flowsheet built;
* another workstation's write (``data_version`` moved) re-reads only the chairs whose record
  head moved, and finds sessions opened or closed there (one query, nothing folded);
* an idle tick reads nothing and builds no flowsheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bedside.context import SessionChange, SessionContext
from bedside.ids import SessionId
from bedside.service import ChartService
from bedside.timeutil import local_date
from charting.board import ChairSummary, by_urgency, summarize
from charting.flowsheet import FlowsheetRow, build_flowsheet


@dataclass(frozen=True)
class _Chair:
    """One occupied chair as last read: the session and its flowsheet (built once per change,
    not per tick)."""

    ctx: SessionContext
    flowsheet: tuple[FlowsheetRow, ...]

    @classmethod
    def of(cls, ctx: SessionContext, flowsheet: tuple[FlowsheetRow, ...] | None = None) -> _Chair:
        if flowsheet is None:
            flowsheet = build_flowsheet(ctx.state, ctx.protocol)
        return cls(ctx, flowsheet)


class BoardSource:
    """Chair summaries for the board. No Qt: the widgets only draw what this returns."""

    def __init__(self, service: ChartService) -> None:
        self.service = service
        self._chairs: dict[int, _Chair] = {}
        self._data_version: int | None = None
        self._day: date | None = None
        self._stale = True
        self.external_changes = 0
        """How many times another process (another workstation) was seen to write."""
        self.moved: set[SessionId] = set()
        """Sessions another workstation wrote to at the last external change."""

    def invalidate(self) -> None:
        """Read every chair again at the next summary (a course order changed, say)."""
        self._stale = True

    def apply(
        self, change: SessionChange, flowsheet: tuple[FlowsheetRow, ...] | None = None
    ) -> None:
        """A change made on this workstation: its chair is redrawn from it, nothing read
        (``flowsheet``: the rows the session's window already built from the same change)."""
        ctx = change.context
        chair = ctx.header.chair
        held = self._chairs.get(chair)
        if ctx.state.closed:
            if held is not None and held.ctx.session_id == change.session_id:
                del self._chairs[chair]
            return
        if held is None or held.ctx.session_id == change.session_id or _newer(ctx, held.ctx):
            self._chairs[chair] = _Chair.of(ctx, flowsheet)

    def chairs(self) -> int:
        """How many chairs the clinic has (protocol setting)."""
        _, protocol = self.service.ensure_protocol()
        return protocol.monitoring.chairs

    def idle_lock_seconds(self) -> float:
        """After how long without input the workstation locks (protocol setting, read each time:
        a new protocol version applies without a restart)."""
        _, protocol = self.service.ensure_protocol()
        return protocol.monitoring.idle_lock_min * 60.0

    def summaries(self, now: datetime) -> list[ChairSummary]:
        """One summary per chair, in chair order."""
        day = local_date(now, self.service.timezone)
        if self._stale or day != self._day:
            self._reload(now)
            self._day = day
            self._stale = False
        elif self._external():
            self._reread_moved(now)
        out = []
        # A chair with an open session is shown even when the protocol now counts fewer chairs
        # (the count lowered while chair 5 infuses): a session never drops off the board.
        last = max(self.chairs(), max(self._chairs, default=0))
        for chair in range(1, last + 1):
            held = self._chairs.get(chair)
            if held is None:
                out.append(ChairSummary(chair=chair))
                continue
            ctx = held.ctx
            out.append(
                summarize(
                    chair,
                    ctx.state,
                    ctx.protocol,
                    ctx.patient,
                    now,
                    ctx.header.number_in_course,
                    flowsheet=held.flowsheet,
                    charted_at=ctx.held_elsewhere.workstation if ctx.held_elsewhere else "",
                )
            )
        return out

    def most_urgent(self, summaries: list[ChairSummary]) -> ChairSummary | None:
        """The occupied chair to go to first, if any."""
        occupied = [s for s in summaries if s.occupied]
        return by_urgency(occupied)[0] if occupied else None

    # --- reading ----------------------------------------------------------------------------------

    def _external(self) -> bool:
        # PRAGMA data_version moves when another connection commits; our own writes arrive
        # through apply().
        version = self.service.store.data_version()
        changed = self._data_version is not None and version != self._data_version
        self._data_version = version
        if changed:
            self.external_changes += 1
        return changed

    def _reload(self, now: datetime) -> None:
        self._external()  # our own reading is the new baseline
        self._chairs = {
            chair: _Chair.of(ctx) for chair, ctx in self.service.open_sessions(now).items()
        }
        self.moved = set()

    def _reread_moved(self, now: datetime) -> None:
        """Another workstation wrote: re-read the chairs whose record moved, and pick up the
        sessions it opened or closed (nothing else is read)."""
        busy = self.service.busy_chairs(now)
        heads = self.service.store.head_hashes(list(busy.values()))
        self.moved = set()
        chairs: dict[int, _Chair] = {}
        for chair, sid in busy.items():
            held = self._chairs.get(chair)
            unmoved = held is not None and heads.get(sid) == held.ctx.state.head_hash
            if held is not None and held.ctx.session_id == sid and unmoved:
                chairs[chair] = held
                continue
            self.moved.add(sid)
            chairs[chair] = _Chair.of(self.service.context(sid))
        self.moved |= {h.ctx.session_id for h in self._chairs.values()} - set(busy.values())
        self._chairs = chairs


def _newer(ctx: SessionContext, held: SessionContext) -> bool:
    """A session opened on a chair after the one the board holds there."""
    return ctx.header.opened_at > held.header.opened_at
