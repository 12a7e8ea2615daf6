"""Copy-forward: a value copied from an earlier vitals set is that set's value, and says so.

A nurse may copy the last set's values into a new one (an explicit key, never a default); the
new set records which values were copied and from which set. Nothing else may claim to be
copied: a copied value that differs from its source, or a source that is not a vitals set of
this session in force, is refused. A set whose every value is copied measures nothing: it is
refused too (it would read as a new check that was never taken).
"""

from __future__ import annotations

from typing import get_args

from bedside.errors import InputRejected
from bedside.events import Payload
from bedside.events.observations import CopiedField, VitalsBase
from bedside.state import SessionState


def check_copied(state: SessionState, payload: Payload) -> None:
    """Refuse a vitals set whose copied values are not its source's.

    Parameters
    ----------
    state : SessionState
        The record the set is charted into.
    payload : Payload
        Any payload (only vitals sets carry copied values).

    Raises
    ------
    InputRejected
        When the source is unknown or a copied value differs from it.
    """
    if not isinstance(payload, VitalsBase) or not payload.copied:
        return
    source = state.effective.get(payload.copied_from) if payload.copied_from else None
    if source is None or not isinstance(source.payload, VitalsBase):
        raise InputRejected(
            "Copied values must come from a vitals set of this session that is still in force"
        )
    differ = [
        name for name in payload.copied if getattr(payload, name) != getattr(source.payload, name)
    ]
    if differ:
        raise InputRejected(
            f"{', '.join(n.replace('_', ' ') for n in differ)}: marked copied but not the "
            "value of the set it was copied from"
        )
    typed = [
        name
        for name in get_args(CopiedField)
        if getattr(payload, name) is not None and name not in payload.copied
    ]
    if not typed:
        raise InputRejected(
            "Nothing in this set was measured: every value is copied from the previous set. "
            "Type at least one value measured now (or defer the check, with the reason)"
        )
