"""Resolving a session charted at two workstations while they were cut off (issue 14,
DESIGN.md §4): a clinician chooses whose judged steps stand, with a reason. The resolution is a
new entry naming the other branches' newest entries, so this line's chain covers both; every
independent entry of both branches stays merged in clinical-time order, and the steps set
aside stay in the record, marked so."""

from __future__ import annotations

from typing import Literal

from bedside.context import SessionChange
from bedside.errors import OperationRefused
from bedside.events import EventDraft, ForkResolved
from bedside.people import User
from bedside.service.base import ServiceBase, SessionRef
from bedside.validation import parse

StepsFrom = Literal["here", "other"]
"""Whose judged steps since the fork stand: this workstation's line, or the other branches'."""


class ForkOperations(ServiceBase):
    """The clinician's resolution of a fork."""

    def resolve_fork(
        self, actor: User, session: SessionRef, *, steps_from: StepsFrom, reason: str
    ) -> SessionChange:
        """Close the session's fork: the steps of ``steps_from`` stand, the others are set
        aside (refused when nothing waits, or for a role that may not override)."""
        ctx = self.context(session)
        fork = ctx.state.fork
        if fork is None or not fork.pending:
            raise OperationRefused("Nothing waits to be resolved on this session.")
        here = [e.id for e in fork.competing_steps]
        other = [e.id for e in fork.waiting_steps]
        kept, set_aside = (here, other) if steps_from == "here" else (other, here)
        payload = parse(
            ForkResolved,
            {
                "merged_heads": list(fork.other_heads),
                "kept": kept,
                "set_aside": set_aside,
                "reason": reason.strip(),
            },
        )
        draft = EventDraft(payload=payload, clinical_time=self.clock.now())
        return self._append(actor, ctx, [draft])
