"""Every kind of chart event, and the one table of what each kind allows.

A newcomer's question "may this be charted now, may it be corrected, may two workstations
chart it at once, does it carry a signature?" has its answer here, once, in :data:`KIND_RULES`.
The append rule (:mod:`bedside.rules.append`), the service's write path, import and the session
window's buttons all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bedside.events.phase import Phase
from bedside.people import Permission


class Kind(StrEnum):
    """The kind of a chart event (the ``kind`` field of its payload, as stored)."""

    SESSION_OPENED = "session_opened"
    PHASE_ADVANCED = "phase_advanced"
    SESSION_ENDED_EARLY = "session_ended_early"
    INTAKE_SCREENED = "intake_screened"
    BASELINE_VITALS = "baseline_vitals"
    VITALS_RECORDED = "vitals_recorded"
    SCALE_SCORED = "scale_scored"
    CONSENT_RECORDED = "consent_recorded"
    DOSE_PLANNED = "dose_planned"
    DRUG_PREPARED = "drug_prepared"
    INFUSION_STARTED = "infusion_started"
    INFUSION_PAUSED = "infusion_paused"
    INFUSION_RESUMED = "infusion_resumed"
    RATE_CHANGED = "rate_changed"
    INFUSION_STOPPED = "infusion_stopped"
    SIDE_EFFECT_NOTED = "side_effect_noted"
    SIDE_EFFECT_RESOLVED = "side_effect_resolved"
    PRN_GIVEN = "prn_given"
    NOTE = "note"
    ALERT_RAISED = "alert_raised"
    ALERT_ACKNOWLEDGED = "alert_acknowledged"
    CHECK_DEFERRED = "check_deferred"
    DISCHARGE_ASSESSED = "discharge_assessed"
    WASTE_RECORDED = "waste_recorded"
    SESSION_SIGNED = "session_signed"
    CHART_ATTESTED = "chart_attested"
    ADDENDUM = "addendum"
    ENTRY_VOIDED = "entry_voided"
    FORK_RESOLVED = "fork_resolved"


OPEN_PHASES = frozenset(Phase) - {Phase.SIGNED, Phase.ENDED_EARLY}
"""Phases in which the record still takes entries (everything but signed and ended early)."""

AFTER_START = frozenset({Phase.INFUSING, Phase.PAUSED, Phase.OBSERVING, Phase.READY_FOR_DISCHARGE})
"""Phases from the infusion's start until the session closes."""

RUNNING = frozenset({Phase.INFUSING, Phase.PAUSED})
"""Phases while the pump is connected (running or paused)."""

DISCHARGING = frozenset({Phase.OBSERVING, Phase.READY_FOR_DISCHARGE})
"""Phases after the pump stops, before the sign-off."""

CLOSED = frozenset({Phase.SIGNED, Phase.ENDED_EARLY})
"""Phases of a closed record: only addenda follow."""


@dataclass(frozen=True)
class KindRule:
    """What one kind of entry allows.

    Attributes
    ----------
    phases : frozenset of Phase
        Phases in which a new entry of this kind may be appended (a correction of an earlier
        entry may be made in any open phase).
    words : str
        What appending it means, for a refusal: "record vitals", "sign the discharge".
    correctable : bool
        A nurse may correct or void it with a reason. Signatures, infusion timing and alerts
        are not: other entries and signatures depend on them, so an addendum or a new entry
        follows instead.
    own_correction : bool
        Corrected only through its own operation (:mod:`bedside.service.corrections`), which
        judges the corrected entry as a new one is judged: a PRN against the allergies and the
        PRN list, a dose plan computed again, a preparation double-checked afresh. The generic
        correction would copy what must be judged again (an override, a signature, totals).
    never_voided : bool
        Corrected, never voided: the infusion and the controlled-substance record rest on it,
        so it is put right, not removed.
    independent : bool
        Its validity does not depend on other entries charted in the same moment, so two
        workstations may chart it on one session at once (the write path re-checks it against
        the record as it is under the write lock instead of refusing it).
    as_typed : bool
        Charted as the nurse typed it: nothing computed from it (a score, an alert, a dose)
        and no signature. Kinds that are not go through their own operation.
    signed : bool
        Carries a password-bound signature (or, for a step, may carry a signed override).
    permission : Permission
        What the author's role must allow.
    """

    phases: frozenset[Phase]
    words: str
    correctable: bool = False
    own_correction: bool = False
    never_voided: bool = False
    independent: bool = False
    as_typed: bool = False
    signed: bool = False
    permission: Permission = Permission.CHART


def _rule(
    kind: Kind,
    phases: frozenset[Phase] | set[Phase],
    *,
    words: str = "",
    entry: bool = False,
    correctable: bool = False,
    own_correction: bool = False,
    never_voided: bool = False,
    independent: bool = False,
    as_typed: bool = False,
    signed: bool = False,
    permission: Permission = Permission.CHART,
) -> tuple[Kind, KindRule]:
    """One row of the table; ``entry`` is a plain entry: typed, correctable, and chartable
    from two workstations at once; ``own_correction`` implies correctable."""
    plain = "record " + kind.value.replace("_", " ").removesuffix(" recorded")
    return kind, KindRule(
        frozenset(phases),
        words or plain,
        correctable=correctable or entry or own_correction,
        own_correction=own_correction,
        never_voided=never_voided,
        independent=independent or entry,
        as_typed=as_typed or entry,
        signed=signed,
        permission=permission,
    )


KIND_RULES: dict[Kind, KindRule] = dict(
    (
        _rule(Kind.SESSION_OPENED, set()),
        _rule(Kind.PHASE_ADVANCED, OPEN_PHASES, words="complete a step", signed=True),
        _rule(Kind.SESSION_ENDED_EARLY, OPEN_PHASES, as_typed=True),
        # Its allergies are confirmed by someone at some time: corrected by its own operation;
        # never voided (the session's screening would vanish mid-session).
        _rule(
            Kind.INTAKE_SCREENED,
            {Phase.INTAKE},
            own_correction=True,
            never_voided=True,
            as_typed=True,
        ),
        # Repeated after rest, and again up to the start when the last set is too old to
        # start on (the start judges the latest set: bedside.rules.baseline_age, phases).
        _rule(
            Kind.BASELINE_VITALS,
            {Phase.BASELINE, Phase.CONSENT, Phase.PREPARED},
            correctable=True,
            as_typed=True,
        ),
        _rule(Kind.VITALS_RECORDED, AFTER_START, correctable=True, independent=True),
        _rule(Kind.SCALE_SCORED, OPEN_PHASES, correctable=True, independent=True),
        _rule(Kind.CONSENT_RECORDED, {Phase.CONSENT}, signed=True),
        # A lot or weight typo noticed after the pump started is put right while the session
        # is open: the plan computed again, the preparation double-checked again.
        _rule(Kind.DOSE_PLANNED, {Phase.PREPARED}, own_correction=True, never_voided=True),
        _rule(
            Kind.DRUG_PREPARED,
            {Phase.PREPARED},
            signed=True,
            own_correction=True,
            never_voided=True,
        ),
        _rule(Kind.INFUSION_STARTED, {Phase.PREPARED}, signed=True),
        _rule(Kind.INFUSION_PAUSED, {Phase.INFUSING}, as_typed=True),
        _rule(Kind.INFUSION_RESUMED, {Phase.PAUSED}, as_typed=True),
        _rule(Kind.RATE_CHANGED, {Phase.INFUSING}, as_typed=True),
        _rule(Kind.INFUSION_STOPPED, RUNNING, as_typed=True),
        _rule(Kind.SIDE_EFFECT_NOTED, OPEN_PHASES, entry=True),
        _rule(Kind.SIDE_EFFECT_RESOLVED, OPEN_PHASES, entry=True),
        # Judged again when corrected: a correction is no way around an allergy refusal.
        _rule(Kind.PRN_GIVEN, OPEN_PHASES, entry=True, own_correction=True),
        _rule(Kind.NOTE, OPEN_PHASES, entry=True),
        _rule(Kind.ALERT_RAISED, OPEN_PHASES),
        _rule(Kind.ALERT_ACKNOWLEDGED, OPEN_PHASES, independent=True, as_typed=True),
        _rule(Kind.CHECK_DEFERRED, AFTER_START, entry=True),
        _rule(Kind.DISCHARGE_ASSESSED, DISCHARGING, correctable=True),
        _rule(Kind.WASTE_RECORDED, {Phase.PREPARED} | AFTER_START, signed=True),
        _rule(
            Kind.SESSION_SIGNED,
            DISCHARGING,
            words="sign the discharge",
            signed=True,
            permission=Permission.SIGN_DISCHARGE,
        ),
        _rule(Kind.CHART_ATTESTED, DISCHARGING, words="sign the charting", signed=True),
        _rule(Kind.ADDENDUM, CLOSED, words="add an addendum", signed=True),
        _rule(Kind.ENTRY_VOIDED, OPEN_PHASES, words="void an entry"),
        # A clinician's choice between steps charted at two workstations while cut off.
        _rule(
            Kind.FORK_RESOLVED,
            OPEN_PHASES,
            words="resolve entries charted at two workstations",
            permission=Permission.OVERRIDE,
        ),
    )
)


def rule_for(kind: str) -> KindRule:
    """The rule of a kind given as stored text (an unknown kind may never be appended)."""
    try:
        return KIND_RULES[Kind(kind)]
    except ValueError:
        return KindRule(frozenset(), "record " + kind.replace("_", " "))


CORRECTABLE_KINDS = frozenset(k for k, r in KIND_RULES.items() if r.correctable)
"""Kinds a nurse may correct or void (see :attr:`KindRule.correctable`)."""
