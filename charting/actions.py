"""Which actions a session offers now, and to whom: the one rule behind the session window's
buttons and keys.

Each action charts one kind of entry, so it is offered only when the kind's row in
:data:`bedside.events.KIND_RULES` allows that kind in the session's phase and the signed-in
person's role allows charting it; a few actions also need something to act on (an open alert, a
side effect not yet settled, a check that is due, drug not yet accounted for). The core checks
every one again when it is used: hiding a button is presentation, never the safeguard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import cast

from bedside.events import AFTER_START, ChartAttested, Kind, Phase, rule_for
from bedside.people import Permission, User
from bedside.protocol import Protocol
from bedside.rules import controlled
from bedside.rules.append import allowed_now
from bedside.state import SessionState
from charting.schedule import next_check


class Action(StrEnum):
    """An action of the session window (its button's name)."""

    START = "start"
    VITALS = "vitals"
    SEDATION = "sedation"
    CADSS = "cadss"
    EFFECT = "effect"
    RESOLVE = "resolve"
    PRN = "prn"
    NOTE = "note"
    DEFER = "defer"
    ALERT = "alert"
    PAUSE = "pause"
    RATE = "rate"
    STOP = "stop"
    DISCHARGE = "discharge"
    WASTE = "waste"
    ATTEST = "attest"
    READY = "ready"
    SIGN = "sign"
    ADDENDUM = "addendum"
    END = "end"


@dataclass(frozen=True)
class _Moment:
    """What the extra conditions look at."""

    state: SessionState
    protocol: Protocol
    user: User
    now: datetime


def _started(m: _Moment) -> bool:
    return m.state.infusion.started_at is not None


def _charting(m: _Moment) -> bool:
    # The quick actions chart during and after the infusion; before it, the guided steps do.
    return m.state.phase in AFTER_START


def _attested_by_me(m: _Moment) -> bool:
    return any(
        cast(ChartAttested, e.payload).signature.signer_id == m.user.id
        for e in m.state.attestations
    )


def _waste_open(m: _Moment) -> bool:
    # Whenever drawn drug is neither in the bag, infused nor wasted: from the moment the bag is
    # made up (the syringe's leftover is wasted while the witness is still at hand), through
    # the infusion, and after the stop (what the pump did not deliver).
    return bool(controlled.reconcile(m.state, m.protocol).open_parts)


def _always(m: _Moment) -> bool:
    return True


_RULES: dict[Action, tuple[tuple[Kind, ...], Callable[[_Moment], bool]]] = {
    Action.START: ((Kind.INFUSION_STARTED,), lambda m: m.state.preparation is not None),
    Action.VITALS: ((Kind.VITALS_RECORDED,), _always),
    Action.SEDATION: ((Kind.SCALE_SCORED,), _charting),
    Action.CADSS: ((Kind.SCALE_SCORED,), _charting),
    Action.EFFECT: ((Kind.SIDE_EFFECT_NOTED,), _started),
    Action.RESOLVE: (
        (Kind.SIDE_EFFECT_RESOLVED,),
        lambda m: any(se.resolved is None for se in m.state.side_effects.values()),
    ),
    Action.PRN: ((Kind.PRN_GIVEN,), _started),
    Action.NOTE: ((Kind.NOTE,), _always),
    Action.DEFER: (
        (Kind.CHECK_DEFERRED,),
        lambda m: next_check(m.state, m.protocol, m.now) is not None,
    ),
    Action.ALERT: ((Kind.ALERT_ACKNOWLEDGED,), lambda m: bool(m.state.open_alerts())),
    Action.PAUSE: ((Kind.INFUSION_PAUSED, Kind.INFUSION_RESUMED), _always),
    Action.RATE: ((Kind.RATE_CHANGED,), _always),
    Action.STOP: ((Kind.INFUSION_STOPPED,), _always),
    Action.DISCHARGE: ((Kind.DISCHARGE_ASSESSED,), _always),
    Action.WASTE: ((Kind.WASTE_RECORDED,), _waste_open),
    Action.ATTEST: ((Kind.CHART_ATTESTED,), lambda m: not _attested_by_me(m)),
    Action.READY: ((Kind.PHASE_ADVANCED,), lambda m: m.state.phase is Phase.OBSERVING),
    # Any charting nurse calls up the sign-off; the clinician signs in it with their own password
    # (the core checks that the signer may sign the discharge).
    Action.SIGN: ((Kind.SESSION_SIGNED,), _always),
    Action.ADDENDUM: ((Kind.ADDENDUM,), _always),
    Action.END: ((Kind.SESSION_ENDED_EARLY,), _always),
}
"""Action → the kinds it may chart, and what else it needs."""

_CALLED_UP_BY_ANY_CHARTING_USER = frozenset({Action.SIGN})
"""Actions whose entry is signed by someone who signs in inside their dialog."""


def available_actions(
    state: SessionState,
    protocol: Protocol,
    user: User | None,
    now: datetime,
    *,
    held_elsewhere: bool = False,
) -> frozenset[Action]:
    """The actions the session offers ``user`` at ``now`` (none to nobody signed in).

    Parameters
    ----------
    state : SessionState
        The folded session.
    protocol : Protocol
        The protocol it runs under (for the due checks and the drug record).
    user : User or None
        Whoever is signed in.
    now : datetime
        The moment (timezone-aware).
    held_elsewhere : bool
        Another workstation of the clinic charts the session (issue 14): nothing is offered
        here until it is taken over (the store refuses such an entry anyway).

    Returns
    -------
    frozenset of Action
        Every action whose kind the phase and the role allow and whose condition holds.
    """
    if user is None or held_elsewhere:
        return frozenset()
    moment = _Moment(state, protocol, user, now)
    offered = set()
    for action, (kinds, condition) in _RULES.items():
        for kind in kinds:
            rule = rule_for(kind)
            needed = (
                Permission.CHART if action in _CALLED_UP_BY_ANY_CHARTING_USER else rule.permission
            )
            if user.can(needed) and allowed_now(state, kind) and condition(moment):
                offered.add(action)
                break
    return frozenset(offered)
