"""May this vitals check be deferred now? ("Patient resting — check deferred".)

A check is deferred only while it is open: from the opening of its window until the window
closes. A missed check stays missed (a later deferral would hide the slip), and a check already
done or deferred is not deferred again. A check the protocol marks mandatory (the mandatory BP,
CLINICAL.md §13) is never deferred by one nurse: with ``monitoring.mandatory_deferral =
"clinician"`` a clinician allows it with their password and a reason (an overridable finding),
with ``"refused"`` nobody may.
"""

from __future__ import annotations

from datetime import datetime

from bedside.protocol import Protocol
from bedside.report import Finding, RuleReport, error
from bedside.rules.schedule import CheckStatus, DueCheck
from bedside.state import SessionState
from bedside.timeutil import local_text


def deferral_report(
    state: SessionState, protocol: Protocol, check: DueCheck, at: datetime
) -> RuleReport:
    """Whether ``check`` may be deferred at ``at`` (the moment the patient was found resting).

    Parameters
    ----------
    state : SessionState
        The folded session record.
    protocol : Protocol
        The session's protocol (``monitoring.mandatory_deferral``).
    check : DueCheck
        The check as it stands at ``at`` (:func:`bedside.rules.schedule.check_at`).
    at : datetime
        The deferral's clinical time.

    Returns
    -------
    RuleReport
        Errors when it may not; the only overridable one is a mandatory check under the
        "clinician" policy.
    """
    tz = state.opened.clinic_timezone
    due = local_text(check.due_at, tz, "%H:%M")
    closed = _closed_findings(check, due, tz, at)
    if closed is not None or not check.mandatory:
        return RuleReport.of([closed] if closed is not None else [])
    if protocol.monitoring.mandatory_deferral == "refused":
        return RuleReport.of(
            [
                error(
                    "defer.mandatory_refused",
                    f"The mandatory BP due at {due} cannot be deferred under this protocol: "
                    "take the blood pressure.",
                )
            ]
        )
    return RuleReport.of(
        [
            error(
                "defer.mandatory",
                f"The mandatory BP due at {due} is deferred only with a clinician's password "
                "and reason.",
                overridable=True,
            )
        ]
    )


def _closed_findings(check: DueCheck, due: str, tz: str, at: datetime) -> Finding | None:
    """Why the check is not open for a deferral at ``at`` (done, deferred, missed, not yet)."""
    what = "mandatory BP" if check.mandatory else "vitals check"
    if check.status is CheckStatus.DONE:
        return error("defer.done", f"The {what} due at {due} is already done")
    if check.status is CheckStatus.DEFERRED:
        return error("defer.again", f"The {what} due at {due} is already deferred")
    if check.status is CheckStatus.MISSED:
        closed = local_text(check.window_end, tz, "%H:%M")
        return error(
            "defer.missed",
            f"The {what} due at {due} was missed (its time ran out at {closed}): a missed "
            "check stays missed. Chart a note saying why.",
        )
    if at < check.window_start:
        opens = local_text(check.window_start, tz, "%H:%M")
        return error("defer.early", f"The {what} due at {due} can be deferred from {opens}")
    return None
