"""A clinician approves a pending protocol version: what changes, a reason, their password.

The core decides everything (``ChartService.approve_protocol_version``): who may approve, that
the preparer may not, the reason's length, the password. This module shows what the clinician
signs and hands back the typed values; a refusal is shown by ``operations.run`` and the dialog
reopens with the reason as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from html import escape

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from bedside.people import Permission, User
from bedside.protocol_approval import (
    ProtocolApproval,
    ProtocolVersion,
    VersionStatus,
    changes_in_words,
)
from bedside.service import ChartService
from bedside.signatures import Meaning
from bedside.timeutil import local_text
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.dialogs.text import named_line, ok_cancel


@dataclass(frozen=True)
class ApprovalEntry:
    """The approving clinician's reason and password, as typed."""

    reason: str
    password: str


@dataclass(frozen=True)
class ApprovalFacts:
    """What the dialog shows: the version to approve, the one in effect, who prepared it."""

    pending: ProtocolVersion
    in_effect: ProtocolVersion
    prepared_by: str
    tz: str


class ApprovalDialog(SurvivesLock):
    """The changes against the version in effect, then reason and password."""

    def __init__(self, facts: ApprovalFacts, reason: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        number = facts.pending.protocol.version
        self.setWindowTitle(f"Approve protocol version {number}")
        layout = QVBoxLayout(self)
        text = QLabel(_summary_html(facts))
        text.setObjectName("approvalSummary")
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.reason = named_line(
            "approvalReason", reason, hint="why this change is right (at least 5 characters)"
        )
        self.password = named_line("approvalPassword", hint="your password", secret=True)
        form.addRow("Reason", self.reason)
        form.addRow("Password", self.password)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, f"Approve version {number}"))
        self.setMinimumWidth(620)
        (self.password if reason else self.reason).setFocus()

    @classmethod
    def ask(
        cls, facts: ApprovalFacts, reason: str = "", parent: QWidget | None = None
    ) -> ApprovalEntry | None:
        """The reason and password, or None if cancelled."""
        dialog = cls(facts, reason, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return ApprovalEntry(dialog.reason.text().strip(), dialog.password.text())


def _summary_html(facts: ApprovalFacts) -> str:
    """The changes a clinician signs for, and what approving does."""
    pending, current = facts.pending, facts.in_effect
    lines = changes_in_words(current.protocol, pending.protocol)
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    saved = local_text(pending.created_at, facts.tz, "%d %b %Y %H:%M")
    return (
        f"<p>Version {pending.protocol.version} (prepared by {escape(facts.prepared_by)} on "
        f"{saved}) changes these settings from version {current.protocol.version}, which is "
        f"in effect now:</p><ul>{items}</ul>"
        f"<p>Once approved, sessions opened from then on run under version "
        f"{pending.protocol.version}; sessions already open keep theirs.</p>"
        f"<p>You sign: <b>“{Meaning.PROTOCOL_APPROVED.value}”</b>, with your reason, bound to "
        "this version.</p>"
    )


def ask_approval(facts: ApprovalFacts, reason: str, parent: QWidget | None) -> ApprovalEntry | None:
    """Module-level hook so tests can answer the approval dialog."""
    return ApprovalDialog.ask(facts, reason, parent)


def approve_version(
    parent: QWidget, service: ChartService, actor: User, facts: ApprovalFacts
) -> ProtocolApproval | None:
    """Ask the domain whether ``actor`` may approve, then ask for the reason and password
    until the core accepts them or the clinician cancels. None: nothing was approved."""
    allowed = operations.run(
        parent,
        lambda: service.accounts.require(
            actor, Permission.APPROVE_PROTOCOL, "approve a clinical protocol change"
        ),
    )
    if allowed is None:
        return None
    reason = ""
    while True:
        entry = ask_approval(facts, reason, parent)
        if entry is None:
            return None
        reason = entry.reason
        approved = operations.run(
            parent,
            partial(
                service.approve_protocol_version,
                actor,
                entry.password,
                facts.pending.id,
                entry.reason,
            ),
        )
        if approved is not None:
            return approved


def approve_shown(
    parent: QWidget,
    service: ChartService,
    actor: User,
    version: ProtocolVersion,
    versions: list[ProtocolVersion],
) -> ProtocolApproval | None:
    """Approve ``version`` (one of ``versions``, as the history lists them) if it is pending."""
    in_effect = next((v for v in versions if v.status is VersionStatus.IN_EFFECT), None)
    if in_effect is None or version.status is not VersionStatus.PENDING:
        return None
    names = {str(u.id): u.display_name for u in service.store.users()}
    facts = ApprovalFacts(
        pending=version,
        in_effect=in_effect,
        prepared_by=names.get(version.created_by or "", "an unknown account"),
        tz=service.timezone,
    )
    return approve_version(parent, service, actor, facts)


def state_words(version: ProtocolVersion, *, newest: bool) -> str:
    """Where the version shown stands, for the screen's version line."""
    if version.status is VersionStatus.PENDING:
        return "PENDING APPROVAL: not in effect until a clinician approves it"
    if version.status is VersionStatus.SUPERSEDED:
        return "never in effect, read-only"
    if version.status is VersionStatus.IN_EFFECT:
        return "current version" if newest else "current version; a newer one awaits approval"
    return "earlier version, read-only"


def pending_banner(versions: list[ProtocolVersion]) -> str:
    """The banner while a clinical change waits: which version, and which one is in effect."""
    waiting = sorted(v.protocol.version for v in versions if v.status is VersionStatus.PENDING)
    current = next((v for v in versions if v.status is VersionStatus.IN_EFFECT), None)
    if not waiting or current is None:
        return ""
    which = (
        f"Version {waiting[0]} changes"
        if len(waiting) == 1
        else f"Versions {', '.join(map(str, waiting))} change"
    )
    return (
        f"⚠ {which} clinical settings and {'is' if len(waiting) == 1 else 'are'} NOT in "
        f"effect: sessions open under version {current.protocol.version} until a clinician "
        f"approves (a clinician selects it below and presses “Approve version {waiting[-1]}…”)."
    )


def save_question(descriptions: list[str], clinical: list[str]) -> str:
    """The confirmation before saving: what changes, and whether it takes effect now."""
    listing = "\n".join(descriptions)
    if not clinical:
        return (
            f"These values change:\n{listing}\n\nOnly workstation settings change: the new "
            "version takes effect at once. Sessions opened from now on run under it; sessions "
            "already opened keep theirs."
        )
    return (
        f"These values change:\n{listing}\n\nThey change clinical settings, so the new "
        "version is saved PENDING: it takes effect only when a clinician (another person) "
        "approves it with their password and a reason. Until then sessions keep opening under "
        "the version in effect now."
    )


def saved_words(version: ProtocolVersion) -> str:
    """The status line after saving: in effect at once, or pending approval."""
    number = version.protocol.version
    if version.status is VersionStatus.PENDING:
        return (
            f"Saved as version {number}, PENDING: it changes clinical settings and takes "
            "effect only when a clinician approves it."
        )
    return f"Saved as version {number}: in effect now (no clinical setting changed)."
