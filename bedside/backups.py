"""Scheduled, verified backups kept by a retention rule (issue 13 item 4). Qt-free; time is given.

A backup is made online (SQLite's backup API, :meth:`Store.backup`), then opened on a scratch
copy and verified like the clinic's database; its ledger head (the state of the whole record, the
same words ``bedside verify --against`` takes) and the file's SHA-256 are written beside it in a
small JSON file. Only a backup that verified counts as good: "the last good backup" is the newest
one whose note says so and whose file still has the hash in its note.

Retention keeps every good backup of the last ``keep_recent_hours`` (the scheduled ones and those
after each sign-off), the newest of each of the last ``keep_daily`` days that had one and of each
of the last ``keep_weekly`` ISO weeks, and always the newest good one; everything else in
the folder made by this schedule (files named ``bedside-YYYYMMDDTHHMMSSZ.db``) is removed. A
backup that failed verification is kept (renamed ``.failed``) for IT to look at, never counted.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from bedside.errors import InputRejected
from bedside.private_files import write_private
from bedside.store import Store
from bedside.store.restore import backup_problems
from bedside.timeutil import require_aware

log = logging.getLogger(__name__)

PREFIX = "bedside-"
STAMP = "%Y%m%dT%H%M%SZ"

SETTINGS = {
    "backup_folder": "",
    "backup_every_hours": "4",
    "backup_keep_daily": "7",
    "backup_keep_weekly": "4",
    "backup_warn_after_hours": "26",
}
"""The clinic settings of the schedule and their defaults (an empty folder: beside the
database, in ``backups/``; IT points it at a second disk or a share)."""


LIMITS = {
    "backup_every_hours": ("Backup every (hours)", 0.5, 24.0),
    "backup_keep_daily": ("Daily backups kept", 1, 60),
    "backup_keep_weekly": ("Weekly backups kept", 0, 52),
    "backup_warn_after_hours": ("Warn when the last good backup is older than (hours)", 1, 168),
}
"""Each numeric backup setting's name on screen and its allowed range."""


def backup_setting_values(values: dict[str, str]) -> dict[str, str]:
    """Backup settings as stored, or refused naming the setting and its allowed range; the
    folder must be an absolute path (or empty: beside the database)."""
    clean = {k: str(v).strip() for k, v in values.items()}
    folder = clean.get("backup_folder", "")
    if folder and not Path(folder).is_absolute():
        raise InputRejected(
            f"Backup folder must be a full path such as /mnt/backup/bedside (not {folder!r}), "
            "or empty for the folder beside the database"
        )
    for key, (name, low, high) in LIMITS.items():
        if key not in clean:
            continue
        whole = isinstance(low, int)
        try:
            number = int(clean[key]) if whole else float(clean[key])
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            kind = "a whole number" if whole else "a number"
            raise InputRejected(f"{name} must be {kind} from {low:g} to {high:g}")
        clean[key] = f"{number:g}"
    return clean


@dataclass(frozen=True)
class BackupPolicy:
    """Where backups go, how often, how many are kept, and when the board warns."""

    folder: Path
    every_hours: float = 4.0
    keep_daily: int = 7
    keep_weekly: int = 4
    warn_after_hours: float = 26.0
    keep_recent_hours: float = 24.0
    database_id: str = ""
    """Whose backups these are: another database's in the same folder are neither listed,
    counted, retired nor offered for restore."""

    @classmethod
    def for_store(cls, store: Store) -> BackupPolicy:
        """The policy of ``store``'s database (its settings, its folder, its id)."""
        policy = cls.from_settings(store.get_setting, store.path)
        return replace(policy, database_id=store.database_id())

    @classmethod
    def from_settings(cls, get: Callable[[str, str], str], database: Path) -> BackupPolicy:
        """The policy from the clinic's settings (``get(key, default)``), the folder beside
        ``database`` when none is set. A setting that is not a number is refused in words."""
        values = {key: get(key, default) for key, default in SETTINGS.items()}
        folder = Path(values["backup_folder"]) if values["backup_folder"] else None
        try:
            return cls(
                folder=folder or default_folder(database),
                every_hours=float(values["backup_every_hours"]),
                keep_daily=int(values["backup_keep_daily"]),
                keep_weekly=int(values["backup_keep_weekly"]),
                warn_after_hours=float(values["backup_warn_after_hours"]),
            )
        except ValueError as exc:
            raise InputRejected(f"A backup setting is not a number: {exc}") from exc


def default_folder(database: Path) -> Path:
    """``backups/`` beside the clinic's ``bedside.db``; ``<name>-backups/`` beside any other
    file (the demo's ``demo.db``), so two databases in one folder never share their backups."""
    if database.name == "bedside.db":
        return database.parent / "backups"
    return database.parent / f"{database.stem}-backups"


@dataclass(frozen=True)
class BackupNote:
    """One backup as its note describes it."""

    path: Path
    made_at: datetime
    ledger_head: str
    """``SEQ:HASH``, as ``bedside verify --against`` takes it."""
    sha256: str
    reason: str
    problems: tuple[str, ...] = ()
    database_id: str = ""
    """The database it is a backup of (empty in notes made before the ids)."""
    clinic: str = ""

    @property
    def good(self) -> bool:
        """Verified when made, and still the same file."""
        return not self.problems and self.path.is_file() and _sha256(self.path) == self.sha256

    def to_json(self) -> str:
        """The note's text."""
        return json.dumps(
            {
                "file": self.path.name,
                "made_at": self.made_at.isoformat(),
                "ledger_head": self.ledger_head,
                "sha256": self.sha256,
                "reason": self.reason,
                "problems": list(self.problems),
                "database_id": self.database_id,
                "clinic": self.clinic,
            },
            indent=2,
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _note_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def make_backup(store: Store, policy: BackupPolicy, now: datetime, reason: str) -> BackupNote:
    """A backup of ``store`` into the policy's folder, verified, noted, and the folder tidied
    by the retention rule. Returns its note (``good`` False, and the file renamed ``.failed``,
    when it did not verify).

    Raises
    ------
    bedside.errors.StoreError
        When the backup cannot be written (full disk, no such share): nothing is left behind.
    """
    require_aware(now)
    target = policy.folder / f"{PREFIX}{now.strftime(STAMP)}.db"
    store.backup(target)
    problems = tuple(backup_problems(target))
    with Store(target) as copy:
        head = copy.ledger_head()
    if problems:
        failed = target.with_name(target.name + ".failed")
        target.rename(failed)
        target = failed
    note = BackupNote(
        target,
        now,
        f"{head.seq}:{head.hash}",
        _sha256(target),
        reason,
        problems,
        store.database_id(),
        store.get_setting("clinic_name", ""),
    )
    write_private(_note_path(target), note.to_json().encode())
    log.info("backup %s (%s): %s", target.name, reason, "verified" if not problems else "FAILED")
    if not problems:
        for old in retired(notes_in(policy.folder, store.database_id()), policy):
            old.path.unlink(missing_ok=True)
            _note_path(old.path).unlink(missing_ok=True)
    return note


def notes_in(folder: Path, database_id: str = "") -> list[BackupNote]:
    """The notes of the backups in ``folder``, oldest first (a note that cannot be read is
    skipped: it names no backup this schedule can vouch for); with ``database_id``, only that
    database's (and notes from before the ids, which name none)."""
    notes = []
    for path in sorted(folder.glob(f"{PREFIX}*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text())
            notes.append(
                BackupNote(
                    path.with_name(str(data["file"])),
                    datetime.fromisoformat(str(data["made_at"])),
                    str(data["ledger_head"]),
                    str(data["sha256"]),
                    str(data.get("reason", "")),
                    tuple(str(p) for p in data.get("problems", [])),
                    str(data.get("database_id", "")),
                    str(data.get("clinic", "")),
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("unreadable backup note %s", path.name)
    if database_id:
        notes = [n for n in notes if n.database_id in ("", database_id)]
    return sorted(notes, key=lambda n: n.made_at)


def last_good(folder: Path, database_id: str = "") -> BackupNote | None:
    """The newest backup (of ``database_id``'s database, when given) that verified and is
    unchanged since."""
    return next((n for n in reversed(notes_in(folder, database_id)) if n.good), None)


def retired(notes: list[BackupNote], policy: BackupPolicy) -> list[BackupNote]:
    """The good backups the retention rule no longer keeps (failed ones are never retired)."""
    good = [n for n in notes if not n.problems]
    keep: set[Path] = set()
    days: dict[object, BackupNote] = {}
    weeks: dict[object, BackupNote] = {}
    for note in good:  # oldest first: the newest of each day and week wins
        days[note.made_at.date()] = note
        weeks[note.made_at.isocalendar()[:2]] = note
    keep.update(n.path for n in list(days.values())[-policy.keep_daily :])
    keep.update(n.path for n in list(weeks.values())[-policy.keep_weekly :])
    if good:
        keep.add(good[-1].path)
        recent = good[-1].made_at - timedelta(hours=policy.keep_recent_hours)
        keep.update(n.path for n in good if n.made_at > recent)
    return [n for n in good if n.path not in keep]


def next_due(policy: BackupPolicy, last: BackupNote | None, now: datetime) -> datetime:
    """When the next scheduled backup is due (now, when there is no good one)."""
    if last is None:
        return now
    return last.made_at + timedelta(hours=policy.every_hours)


def overdue(policy: BackupPolicy, last: BackupNote | None, now: datetime) -> str | None:
    """Words for the board when the last good backup is older than the policy allows (None:
    it is recent enough)."""
    if last is None:
        return "No good backup of this database exists yet."
    age = (now - last.made_at).total_seconds() / 3600
    if age <= policy.warn_after_hours:
        return None
    return (
        f"The last good backup is {age:.0f} hours old (made {last.made_at:%Y-%m-%d %H:%M} UTC): "
        f"check the backup folder {policy.folder}."
    )
