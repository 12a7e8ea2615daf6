"""A session charted at two workstations while they were cut off from each other (issue 14,
DESIGN.md §4), folded into one session state, the same at every workstation once the same
entries have reached it.

The entries form a tree by their ``prev_hash`` (each workstation's line, and the branches it
received and kept aside). A resolution (``fork_resolved``) also names the heads it merges, so
"ancestor" here follows both. The record is read in one order: an entry after its parent,
and among entries ready at once, the earliest in clinical time (then recording time, then id)
— so each branch keeps its own order and the branches interleave by clinical time.

* Independent entries (vitals, scores, notes, side effects, PRN, alert actions; see
  :attr:`bedside.events.KindRule.independent`) of every branch are merged into the session.
* Judged steps (a start, a preparation, a stop, a sign-off…) of another branch are held out
  of the session until a clinician resolves the fork, then stand if the resolution kept them;
  steps charted after a resolution stand as charted. Steps of this workstation's own line
  stand unless a resolution set them aside. Steps set aside stay in the record (the fork view
  lists them), never in the state.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import cast

from bedside.events import ChartEvent, ForkResolved, Kind, rule_for
from bedside.ids import EventId
from bedside.state import SessionState, Supersession, fold
from bedside.state_parts import ForkView


def fold_branches(
    line: Sequence[ChartEvent],
    received: Sequence[ChartEvent] = (),
    origins: Mapping[EventId, str] | None = None,
) -> SessionState:
    """The session from this workstation's ``line`` and the entries of other branches it
    ``received`` (see the module); just ``fold(line)`` when it received none."""
    if not received:
        return fold(line)
    mine = {e.id for e in line}
    received = [e for e in received if e.id not in mine]
    everything = [*line, *received]
    parents = _parents(everything)
    heads = _heads(everything, parents)
    line_head = line[-1].hash
    # One head: one line, or every branch resolved (at a workstation whose own line was
    # merged by another's resolution, that resolution's line is the head).
    other_heads = tuple(sorted(heads - {line_head})) if len(heads) > 1 else ()
    by_hash = {e.hash: e for e in everything}
    resolutions = [e for e in everything if e.kind == Kind.FORK_RESOLVED]
    held_out = _HeldOut(everything, parents, resolutions, {e.id for e in line})
    set_aside_ids = held_out.set_aside
    ordered = _in_record_order(everything, parents)
    pending_other = _ancestors(other_heads, parents, by_hash) - _ancestors(
        [line_head], parents, by_hash
    )
    pending_line = (
        _ancestors([line_head], parents, by_hash) - _ancestors(other_heads, parents, by_hash)
        if other_heads
        else set()
    )
    view = ForkView(
        line=tuple(line),
        received=tuple(received),
        origins=dict(origins or {}),
        other_heads=other_heads,
        merged=tuple(e for e in ordered if e.hash in pending_other and not held_out(e)),
        waiting_steps=tuple(
            e
            for e in ordered
            if e.hash in pending_other and held_out(e) and e.id not in set_aside_ids
        ),
        competing_steps=tuple(
            e for e in ordered if e.hash in pending_line and not rule_for(e.kind).independent
        ),
        set_aside=tuple(e for e in ordered if e.id in set_aside_ids),
    )
    state = fold([e for e in ordered if not held_out(e)])
    return _with_set_aside(replace(state, fork=view), ordered, resolutions, held_out)


class _HeldOut:
    """Whether an entry stays out of the session's fold: a step a resolution set aside, or a
    judged step of another branch that no resolution kept and that was not charted after
    one (see the module)."""

    def __init__(
        self,
        everything: Sequence[ChartEvent],
        parents: Mapping[str, tuple[str, ...]],
        resolutions: Sequence[ChartEvent],
        line_ids: set[EventId],
    ) -> None:
        self.kept = {i for r in resolutions for i in cast(ForkResolved, r.payload).kept}
        self.set_aside = {i for r in resolutions for i in cast(ForkResolved, r.payload).set_aside}
        self.after_resolution = _descendants(everything, parents, {r.hash for r in resolutions})
        self.line_ids = line_ids

    def __call__(self, event: ChartEvent) -> bool:
        if event.id in self.set_aside:
            return True
        if rule_for(event.kind).independent or event.kind == Kind.FORK_RESOLVED:
            return False
        if event.id in self.line_ids:
            return False
        return event.id not in self.kept and event.hash not in self.after_resolution


def _with_set_aside(
    state: SessionState,
    ordered: Sequence[ChartEvent],
    resolutions: Sequence[ChartEvent],
    held_out: Callable[[ChartEvent], bool],
) -> SessionState:
    """The steps a resolution set aside back in the record, struck through with the
    resolution's reason (folded without them: they never move the session)."""
    by_resolution = {i: r for r in resolutions for i in cast(ForkResolved, r.payload).set_aside}
    if not by_resolution:
        return state
    superseded = dict(state.superseded)
    for event_id, resolution in by_resolution.items():
        superseded[event_id] = Supersession(
            by_event=resolution,
            reason=cast(ForkResolved, resolution.payload).reason,
            voided=True,
        )
    events = tuple(e for e in ordered if not held_out(e) or e.id in by_resolution)
    return replace(state, events=events, superseded=superseded)


def with_entries(state: SessionState, events: Sequence[ChartEvent]) -> SessionState:
    """``state`` with ``events`` just appended to this workstation's line (one fold, no
    read)."""
    if state.fork is None:
        return fold([*state.events, *events])
    fork = state.fork
    return at_workstation(
        fold_branches([*fork.line, *events], fork.received, fork.origins), fork.here
    )


def at_workstation(state: SessionState, here: str) -> SessionState:
    """``state`` with the workstation it was read at named in its fork view (if any)."""
    if state.fork is None or not here:
        return state
    return replace(state, fork=replace(state.fork, here=here))


def _parents(events: Iterable[ChartEvent]) -> dict[str, tuple[str, ...]]:
    """Each entry's parents by hash: its ``prev_hash``, and the heads a resolution merges."""
    out: dict[str, tuple[str, ...]] = {}
    for e in events:
        merged = (
            tuple(cast(ForkResolved, e.payload).merged_heads)
            if e.kind == Kind.FORK_RESOLVED
            else ()
        )
        out[e.hash] = (e.prev_hash, *merged)
    return out


def _heads(events: Sequence[ChartEvent], parents: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The entries nothing follows: one when the session is one line (or resolved)."""
    named = {p for ps in parents.values() for p in ps}
    return {e.hash for e in events if e.hash not in named}


def _ancestors(
    start: Iterable[str], parents: Mapping[str, tuple[str, ...]], by_hash: Mapping[str, object]
) -> set[str]:
    """``start`` and every entry before them (following resolutions' merged heads too)."""
    seen: set[str] = set()
    todo = [h for h in start if h in by_hash]
    while todo:
        h = todo.pop()
        if h in seen:
            continue
        seen.add(h)
        todo.extend(p for p in parents.get(h, ()) if p in by_hash)
    return seen


def _descendants(
    events: Sequence[ChartEvent], parents: Mapping[str, tuple[str, ...]], roots: set[str]
) -> set[str]:
    """Entries charted after any of ``roots`` on its own line (by ``prev_hash``)."""
    out: set[str] = set()
    for e in _in_record_order(events, parents):
        if e.prev_hash in roots or e.prev_hash in out:
            out.add(e.hash)
    return out


def _in_record_order(
    events: Sequence[ChartEvent], parents: Mapping[str, tuple[str, ...]]
) -> list[ChartEvent]:
    """Every entry after its parents; among those ready at once, the earliest in clinical
    time (then recording time, then id)."""
    present = {e.hash for e in events}
    waiting = {e.hash: {p for p in parents[e.hash] if p in present} for e in events}
    children: dict[str, list[ChartEvent]] = {}
    for e in events:
        for p in waiting[e.hash]:
            children.setdefault(p, []).append(e)
    ready = [_key(e) for e in events if not waiting[e.hash]]
    heapq.heapify(ready)
    out: list[ChartEvent] = []
    while ready:
        event = heapq.heappop(ready)[-1]
        out.append(event)
        for child in children.get(event.hash, []):
            waiting[child.hash].discard(event.hash)
            if not waiting[child.hash]:
                heapq.heappush(ready, _key(child))
    return out


def _key(e: ChartEvent) -> tuple[str, str, str, ChartEvent]:
    return (e.clinical_time.isoformat(), e.recorded_time.isoformat(), e.id, e)
