"""What may be appended to a session, given its state and the author's role.

Used both by the live service and by ``bedside import``, so an imported log passes exactly the
checks a nurse at the chair passes. The per-kind facts (phases, correctable, permission) are
the table in :mod:`bedside.events.kinds`; this module applies them to one moment.
"""

from __future__ import annotations

from bedside.events import OPEN_PHASES, ChartEvent, Kind, rule_for
from bedside.people import User
from bedside.report import Finding, RuleReport, error
from bedside.state import SessionState


def action_words(kind: str) -> str:
    """What appending ``kind`` means, in words ("record vitals", "sign the discharge")."""
    return rule_for(kind).words


def allowed_now(state: SessionState, kind: str, *, correcting: bool = False) -> bool:
    """Whether an entry of ``kind`` may be appended in the session's phase (a correction of an
    earlier entry may be made in any open phase)."""
    if state.closed:
        return kind == Kind.ADDENDUM and state.phase in rule_for(kind).phases
    return state.phase in (OPEN_PHASES if correcting else rule_for(kind).phases)


def append_report(
    state: SessionState, kind: str, author: User, *, supersedes: ChartEvent | None = None
) -> RuleReport:
    """Errors when ``author`` may not append an event of ``kind`` now."""
    findings: list[Finding] = []
    rule = rule_for(kind)
    needed = rule.permission
    if not author.can(needed):
        findings.append(
            error(
                "role.not_permitted",
                f"{author.display_name} ({author.role.value}) may not {rule.words}: "
                f"that needs the '{needed.value.replace('_', ' ')}' permission",
            )
        )
    if state.closed and kind != Kind.ADDENDUM:
        why = "signed and locked" if state.locked else "ended early and closed"
        findings.append(error("session.locked", f"The session is {why}: only addenda are accepted"))
    # A correction may fix an earlier entry in any open phase (a baseline typo found during
    # the infusion), even when a new entry of that kind would not be allowed now.
    elif not allowed_now(state, kind, correcting=supersedes is not None):
        findings.append(
            error(
                "phase.kind_not_allowed",
                f"Cannot {rule.words} while the session is in {state.phase.label}",
            )
        )
    if supersedes is not None:
        findings.extend(_correction_findings(state, kind, supersedes))
    findings.extend(_fork_findings(state, kind))
    return RuleReport.of(findings)


_CLOSING = frozenset({Kind.SESSION_SIGNED, Kind.CHART_ATTESTED, Kind.SESSION_ENDED_EARLY})


def _fork_findings(state: SessionState, kind: str) -> list[Finding]:
    """A session charted at two workstations while cut off is closed only once a clinician
    has resolved it (the signature must cover both branches); a resolution needs a fork."""
    pending = state.fork is not None and state.fork.pending
    if kind in _CLOSING and pending:
        return [
            error(
                "session.fork_pending",
                "Entries charted at another workstation while the two were cut off wait for a "
                "clinician: resolve them (Two workstations…) before the session is closed",
            )
        ]
    if kind == Kind.FORK_RESOLVED and not pending:
        return [error("session.no_fork", "Nothing waits to be resolved on this session")]
    return []


def _correction_findings(state: SessionState, kind: str, supersedes: ChartEvent) -> list[Finding]:
    findings: list[Finding] = []
    if not rule_for(supersedes.kind).correctable:
        findings.append(
            error(
                "correction.not_correctable",
                f"A {supersedes.kind.replace('_', ' ')} entry cannot be corrected or voided; "
                "add a note or an addendum instead",
            )
        )
    elif kind == Kind.ENTRY_VOIDED and rule_for(supersedes.kind).never_voided:
        findings.append(
            error(
                "correction.never_voided",
                f"A {supersedes.kind.replace('_', ' ')} entry is corrected, never voided: the "
                "session rests on it (the screening, the dose, the drug record)",
            )
        )
    if supersedes.id in state.superseded:
        findings.append(
            error("correction.already_superseded", "That entry was already corrected or voided")
        )
    if (
        kind == Kind.ENTRY_VOIDED
        and supersedes.kind is Kind.BASELINE_VITALS
        and state.infusion.started_at is not None
    ):
        findings.append(
            error(
                "correction.baseline_anchors_alerts",
                "The baseline cannot be voided once the infusion has started (alerts are "
                "measured against it); correct the value instead",
            )
        )
    if kind not in (supersedes.kind, Kind.ENTRY_VOIDED):
        findings.append(error("correction.kind_mismatch", "A correction must be of the same kind"))
    return findings
