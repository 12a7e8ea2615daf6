"""A clinician's resolution of a session charted at two workstations while they were cut off
from each other (issue 14, DESIGN.md §4)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bedside.events.base import PayloadBase
from bedside.ids import EventId

Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class ForkResolved(PayloadBase):
    """Closes a fork: ``merged_heads`` are the other branches' newest entries (hashes), so this
    entry's chain covers both branches; ``kept`` and ``set_aside`` are the judged steps (a
    start, a preparation, a stop…) charted after the fork that stand and that do not. Nothing
    is removed: a step set aside stays in the record, marked so."""

    kind: Literal["fork_resolved"] = "fork_resolved"
    merged_heads: list[Hash] = Field(min_length=1, max_length=20)
    kept: list[EventId] = Field(default_factory=list, max_length=200)
    set_aside: list[EventId] = Field(default_factory=list, max_length=200)
    reason: Annotated[str, Field(min_length=5, max_length=1000)]
