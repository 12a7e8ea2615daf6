"""What may be appended to a session, given its state and the author's role.

Used both by the live service and by ``bedside import``, so an imported log passes exactly the
checks a nurse at the chair passes.
"""

from __future__ import annotations

from bedside.events import CORRECTABLE_KINDS, ChartEvent, Phase
from bedside.people import Permission, User
from bedside.report import Finding, RuleReport, error
from bedside.state import SessionState

_OPEN = frozenset(Phase) - {Phase.SIGNED, Phase.ENDED_EARLY}
_AFTER_START = frozenset({Phase.INFUSING, Phase.PAUSED, Phase.OBSERVING, Phase.READY_FOR_DISCHARGE})

ALLOWED_PHASES: dict[str, frozenset[Phase]] = {
    "intake_screened": frozenset({Phase.INTAKE}),
    "baseline_vitals": frozenset({Phase.BASELINE}),  # repeat after rest, before consent
    "vitals_recorded": _AFTER_START,
    "scale_scored": _OPEN,
    "consent_recorded": frozenset({Phase.CONSENT}),
    "dose_planned": frozenset({Phase.PREPARED}),
    "drug_prepared": frozenset({Phase.PREPARED}),
    "infusion_started": frozenset({Phase.PREPARED}),
    "infusion_paused": frozenset({Phase.INFUSING}),
    "infusion_resumed": frozenset({Phase.PAUSED}),
    "rate_changed": frozenset({Phase.INFUSING}),
    "infusion_stopped": frozenset({Phase.INFUSING, Phase.PAUSED}),
    "side_effect_noted": _OPEN,
    "side_effect_resolved": _OPEN,
    "prn_given": _OPEN,
    "note": _OPEN,
    "alert_raised": _OPEN,
    "alert_acknowledged": _OPEN,
    "check_deferred": _AFTER_START,
    "discharge_assessed": frozenset({Phase.OBSERVING, Phase.READY_FOR_DISCHARGE}),
    "waste_recorded": frozenset({Phase.PREPARED} | _AFTER_START),
    "phase_advanced": _OPEN,
    "session_ended_early": _OPEN,
    "session_signed": frozenset({Phase.OBSERVING, Phase.READY_FOR_DISCHARGE}),
    "chart_attested": frozenset({Phase.OBSERVING, Phase.READY_FOR_DISCHARGE}),
    "addendum": frozenset({Phase.SIGNED, Phase.ENDED_EARLY}),
    "entry_voided": _OPEN,
    "session_opened": frozenset(),
}

_ACTIONS = {
    "session_signed": "sign the discharge",
    "chart_attested": "sign the charting",
    "phase_advanced": "complete a step",
    "addendum": "add an addendum",
    "entry_voided": "void an entry",
}


def action_words(kind: str) -> str:
    """What appending ``kind`` means, in words ("record vitals", "sign the discharge")."""
    return _ACTIONS.get(kind, "record " + kind.replace("_", " ").removesuffix(" recorded"))


_NEEDS: dict[str, Permission] = {
    "session_signed": Permission.SIGN_DISCHARGE,
}


def append_report(
    state: SessionState, kind: str, author: User, *, supersedes: ChartEvent | None = None
) -> RuleReport:
    """Errors when ``author`` may not append an event of ``kind`` now."""
    findings: list[Finding] = []
    needed = _NEEDS.get(kind, Permission.CHART)
    if not author.can(needed):
        findings.append(
            error(
                "role.not_permitted",
                f"{author.display_name} ({author.role.value}) may not {action_words(kind)}: "
                f"that needs the '{needed.value.replace('_', ' ')}' permission",
            )
        )
    if state.closed and kind != "addendum":
        why = "signed and locked" if state.locked else "ended early and closed"
        findings.append(error("session.locked", f"The session is {why}: only addenda are accepted"))
    # A correction may fix an earlier entry in any open phase (a baseline typo found during
    # the infusion), even when a new entry of that kind would not be allowed now.
    elif state.phase not in (
        _OPEN if supersedes is not None else ALLOWED_PHASES.get(kind, frozenset())
    ):
        findings.append(
            error(
                "phase.kind_not_allowed",
                f"Cannot {action_words(kind)} while the session is in {state.phase.label}",
            )
        )
    if supersedes is not None:
        if supersedes.kind not in CORRECTABLE_KINDS:
            findings.append(
                error(
                    "correction.not_correctable",
                    f"A {supersedes.kind.replace('_', ' ')} entry cannot be corrected or voided; "
                    "add a note or an addendum instead",
                )
            )
        if supersedes.id in state.superseded:
            findings.append(
                error("correction.already_superseded", "That entry was already corrected or voided")
            )
        if (
            kind == "entry_voided"
            and supersedes.kind == "baseline_vitals"
            and state.infusion.started_at is not None
        ):
            findings.append(
                error(
                    "correction.baseline_anchors_alerts",
                    "The baseline cannot be voided once the infusion has started (alerts are "
                    "measured against it); correct the value instead",
                )
            )
        if kind not in (supersedes.kind, "entry_voided"):
            findings.append(
                error("correction.kind_mismatch", "A correction must be of the same kind")
            )
    return RuleReport.of(findings)
