"""The clinic's settings an admin edits on screen, and this workstation's readable name.

Both are rows of the ``settings`` table, changed only by someone with the clinic permission and
audited in the same way (a ``settings_changed`` row with each value before and after). A
workstation's name is keyed by its id (the host name, :func:`bedside.app_log.workstation_id`):
the clinic database is shared by the workstations that chart into it, and each keeps its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bedside.backups import SETTINGS as BACKUP_SETTINGS
from bedside.backups import backup_setting_values
from bedside.errors import InputRejected, OperationRefused
from bedside.ids import ProtocolId
from bedside.paper import PAPER_SIZES
from bedside.people import Permission, User
from bedside.service.base import ServiceBase
from bedside.timeutil import timezone_problem

CLINIC_SETTINGS = ("clinic_name", "clinic_address", "paper_size", "timezone", *BACKUP_SETTINGS)
"""Settings an admin edits on screen. The time zone is chosen when the clinic is set up; a
change applies to sessions opened after it (each session keeps the zone it was opened under)."""

NO_TIMEZONE = (
    "The clinic's time zone is not set, so no session can be opened (its times and dates would "
    "be wrong). An administrator sets it in Admin ▸ Clinic settings, or with "
    "'bedside clinic set --timezone Area/City --as ADMIN'."
)

WORKSTATION_NAME_MAX = 40
"""A workstation's name is shown in the status bar beside the user and the clinic: short."""

_WORKSTATION_PREFIX = "workstation_name:"

Changes = dict[str, tuple[str, str]]
"""What a settings operation changed: ``{setting: (before, after)}`` (empty: nothing)."""


@dataclass(frozen=True)
class ProtocolSaved:
    """A protocol version saved from the clinic settings: its id and number, each changed
    setting (dotted key → value before, value after) and the clinical settings that make it
    wait for a clinician's approval (empty: it took effect at once)."""

    protocol_id: ProtocolId
    version: int
    changes: dict[str, tuple[Any, Any]]
    pending: tuple[str, ...]


@dataclass(frozen=True)
class SettingsSaved:
    """What one save of the clinic settings changed: the settings (the clinic's and this
    workstation's name, ``{key: (before, after)}``) and the protocol version, if one was made."""

    settings: Changes
    protocol: ProtocolSaved | None = None


def clinic_values(values: dict[str, str]) -> dict[str, str]:
    """Clinic settings as they are stored (spaces tidied), or refused naming the setting and
    what it allows; nothing is stored by this check."""
    unknown = set(values) - set(CLINIC_SETTINGS)
    if unknown:
        raise InputRejected(f"Unknown clinic setting(s): {', '.join(sorted(unknown))}")
    clean = {
        k: " ".join(str(v).split()) if k != "clinic_address" else str(v).strip()
        for k, v in values.items()
        if k not in BACKUP_SETTINGS
    }
    clean.update(backup_setting_values({k: v for k, v in values.items() if k in BACKUP_SETTINGS}))
    if "clinic_name" in clean and not 2 <= len(clean["clinic_name"]) <= 120:
        raise InputRejected("Clinic name must have 2–120 characters")
    if "clinic_address" in clean and len(clean["clinic_address"]) > 300:
        raise InputRejected("Clinic address must have at most 300 characters")
    if "paper_size" in clean and clean["paper_size"] not in PAPER_SIZES:
        raise InputRejected("Paper size must be A4 or Letter")
    problem = timezone_problem(clean["timezone"]) if "timezone" in clean else None
    if problem:
        raise InputRejected(problem)
    return clean


def workstation_name_value(name: str) -> str:
    """A workstation's name as it is stored (spaces tidied), or refused naming the field and
    the allowed length; nothing is stored by this check."""
    clean = " ".join(str(name).split())
    if not 1 <= len(clean) <= WORKSTATION_NAME_MAX:
        raise InputRejected(
            f"Workstation name must have 1–{WORKSTATION_NAME_MAX} characters "
            f"({'it is empty' if not clean else f'it has {len(clean)}'})"
        )
    return clean


def workstation_key(workstation: str) -> str:
    """The settings key of a workstation's name; refused for an empty workstation id."""
    if not workstation.strip():
        raise InputRejected("This workstation has no id (host name): it cannot be named")
    return _WORKSTATION_PREFIX + workstation.strip()


class ClinicSettingsOperations(ServiceBase):
    """The clinic's settings and the workstations' names: read by anyone, changed by admins."""

    CLINIC_SETTINGS = CLINIC_SETTINGS

    def clinic_settings(self) -> dict[str, str]:
        """Name and address printed on every summary, the paper size and the time zone (empty
        when it was never set)."""
        return {
            "clinic_name": self.store.get_setting("clinic_name", ""),
            "clinic_address": self.store.get_setting("clinic_address", ""),
            "paper_size": self.store.get_setting("paper_size", "A4"),
            "timezone": self.store.get_setting("timezone", ""),
            **{
                key: self.store.get_setting(key, default)
                for key, default in BACKUP_SETTINGS.items()
            },
        }

    def is_demo(self) -> bool:
        """Whether this database holds the demo clinic (:mod:`bedside.demo_mark`)."""
        return self.store.is_demo()

    def require_timezone(self) -> str:
        """The clinic's time zone; refused, saying how to set it, when it was never set."""
        zone = self.store.get_setting("timezone", "")
        if not zone:
            raise OperationRefused(NO_TIMEZONE)
        return zone

    def workstation_name(self, workstation: str) -> str:
        """The name an admin gave ``workstation`` (its id, the host name); empty if none."""
        return self.store.get_setting(workstation_key(workstation), "")

    def update_clinic_settings(self, actor: User, **values: str) -> Changes:
        """An admin changes the clinic's name, address, paper size or time zone (audited, with
        the values before and after). Returns what changed: ``{setting: (before, after)}``.

        A new time zone applies to sessions opened from then on; each session keeps the zone it
        was opened under, so its times and dates do not move.
        """
        self.accounts.require(actor, Permission.MANAGE_CLINIC, "change the clinic settings")
        clean = clinic_values(values)
        before = self.clinic_settings()
        return self._save_settings(actor, {k: (before[k], v) for k, v in clean.items()})

    def name_workstation(self, actor: User, workstation: str, name: str) -> Changes:
        """An admin gives ``workstation`` (its id, the host name) a readable name, e.g. "Chair
        room PC 2" (audited like the clinic settings, with the name before). Returns what
        changed: ``{"workstation_name:<id>": (before, after)}``, empty if it was already so."""
        self.accounts.require(actor, Permission.MANAGE_CLINIC, "change the clinic settings")
        key = workstation_key(workstation)
        clean = workstation_name_value(name)
        return self._save_settings(actor, {key: (self.store.get_setting(key, ""), clean)})

    def _save_settings(self, actor: User, proposed: Changes) -> Changes:
        """Store the values that differ from before in one transaction, audited with each
        value before; the caller has checked the role and the values."""
        changed = {k: (old, new) for k, (old, new) in proposed.items() if old != new}
        if changed:
            audited = {k: new for k, (_, new) in changed.items()}
            audited.update({f"{k}_before": old for k, (old, _) in changed.items()})
            self.store.set_settings(
                {k: new for k, (_, new) in changed.items()},
                actor=actor.id,
                at=self.clock.now(),
                audit=audited,
            )
        return changed
