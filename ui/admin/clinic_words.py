"""Admin ▸ Clinic settings in the clinic's words: each setting's label, and what a save changed.

No rule or limit is here: the allowed ranges are read from the domain (the protocol's field
limits, :func:`bedside.protocol_settings.allowed_text`) and the values are judged there.
"""

from __future__ import annotations

from typing import Any

from bedside.backups import LIMITS
from bedside.protocol_settings import value_text
from bedside.service.clinic_settings import SettingsSaved

BACKUP_FIELDS = (
    ("backup_folder", "Backup folder"),
    *((key, name) for key, (name, _, _) in LIMITS.items()),
)
"""The backup schedule's settings, in the order shown (a second disk or a share for the
folder; the domain checks each value and its range)."""

PROTOCOL_FIELDS = (
    ("monitoring.idle_lock_min", "Lock the screen after … minutes idle"),
    ("monitoring.chairs", "Chairs on the board"),
)
"""Workstation settings kept in the protocol, in the clinic's words; saving one makes a new
protocol version (no clinician's approval: they are not clinical)."""

LABELS: dict[str, str] = {
    "clinic_name": "Clinic name",
    "clinic_address": "Address",
    "paper_size": "Paper size",
    "timezone": "Time zone",
    **dict(BACKUP_FIELDS),
    **dict(PROTOCOL_FIELDS),
}

WORKSTATION_LABEL = "This workstation's name"


def _label(key: str) -> str:
    return WORKSTATION_LABEL if key.startswith("workstation_name:") else LABELS.get(key, key)


def _shown(value: Any) -> str:
    text = value_text(value) if not isinstance(value, str) else value
    return f"“{' '.join(text.split())}”" if text.strip() else "(none)"


def change_lines(
    settings: dict[str, tuple[str, str]], protocol: dict[str, tuple[Any, Any]]
) -> list[str]:
    """Each change as "Label: before → after", in the order they were given."""
    every = {**settings, **protocol}
    return [f"{_label(k)}: {_shown(old)} → {_shown(new)}" for k, (old, new) in every.items()]


def saved_text(saved: SettingsSaved) -> str:
    """What a save changed, in one line for the status bar (the audit log has the same)."""
    protocol = saved.protocol
    lines = change_lines(saved.settings, protocol.changes if protocol else {})
    if not lines:
        return "Clinic settings: nothing changed."
    text = "Clinic settings saved: " + "; ".join(lines)
    if protocol is not None:
        text += (
            f" (protocol version {protocol.version}, "
            + (
                "PENDING a clinician's approval: it also carries clinical changes"
                if protocol.pending
                else "in effect now"
            )
            + ")"
        )
    return text + "."
