"""Entries of some kinds as the paper record lists them: effective entries in clinical-time
order, each corrected or voided original kept (struck through) just before what replaced it.

The flowsheet has its own rows from ``charting.build_flowsheet``; this is the same ordering
for the other tables (scores, side effects, medicines, notes, discharge assessments).
"""

from __future__ import annotations

from collections.abc import Iterable

from bedside.events import ChartEvent
from bedside.ids import EventId
from bedside.state import SessionState


def history(state: SessionState, kinds: Iterable[str]) -> list[ChartEvent]:
    """Every entry of ``kinds`` (voids excluded: they are shown on what they voided).

    Parameters
    ----------
    state : SessionState
        The folded record.
    kinds : iterable of str
        Payload kinds, e.g. ``{"scale_scored"}``.

    Returns
    -------
    list of ChartEvent
        Chains of corrections in clinical-time order of their latest version, oldest version
        first within a chain.
    """
    wanted = set(kinds)
    events = [e for e in state.events if e.kind in wanted]
    by_id: dict[EventId, ChartEvent] = {e.id: e for e in events}
    replaced = {e.supersedes for e in events if e.supersedes is not None}
    heads = sorted(
        (e for e in events if e.id not in replaced), key=lambda e: (e.clinical_time, e.seq)
    )
    ordered: list[ChartEvent] = []
    for head in heads:
        chain = [head]
        while chain[-1].supersedes is not None and chain[-1].supersedes in by_id:
            previous = by_id[chain[-1].supersedes]
            if previous in chain:
                break
            chain.append(previous)
        ordered += reversed(chain)
    return ordered
