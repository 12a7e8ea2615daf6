"""A restore from start to finish, for the command line and for Admin ▸ Backups alike: check
the backup, replace the database (:mod:`bedside.store.restore`), record who restored what in
the restored database's audit log, move this workstation's anchor to the restored state, and
say what the replaced database held beyond the backup in words a clinic's IT can act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bedside.errors import StoreError
from bedside.ids import UserId
from bedside.store.anchor import Anchor, AnchorFile, LedgerHead
from bedside.store.identity import another_database as differs
from bedside.store.identity import identity_of
from bedside.store.restore import Restored, backup_problems, restore
from bedside.store.store import Store
from bedside.timeutil import local_text


class BackupUnsound(StoreError):
    """The backup failed verification; nothing was changed."""

    def __init__(self, backup: Path, problems: list[str]) -> None:
        super().__init__(
            f"{backup} is not a sound Bedside backup; nothing was changed: {problems[:3]}"
        )
        self.problems = problems


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did and what the clinic must do next."""

    backup: Path
    target: Path
    head: LedgerHead
    """The restored database's head, the restore's own audit row included."""
    done: Restored
    anchored: Anchor | None
    """What this workstation had written into the database before the restore."""
    behind: str | None
    """Why the restored database lacks the anchored state (None: it holds it)."""

    def report(self, bedside: str = "bedside", timezone: str = "UTC") -> list[str]:
        """The outcome in lines: what was restored, any state this workstation had saved that
        is gone, where the replaced file is, and how to get back what it held beyond the
        backup (``bedside``: how to run the command on this computer; times in ``timezone``,
        the clinic's, as on every screen)."""
        lines = [
            f"Restored {self.backup} to {self.target}; the restore itself is recorded in its "
            f"audit log (the database now ends at {self.head.words()})."
        ]
        if self.anchored is not None and self.behind is not None:
            saved = local_text(self.anchored.at, timezone)
            zone = "UTC" if timezone == "UTC" else "clinic time"
            # A deliberate restore goes back in time: say so plainly, not as tampering
            # (``behind`` is the verifier's wording for a file found rolled back unasked).
            lines.append(
                f"WARNING: this workstation had saved up to {self.anchored.head.words()} at "
                f"{saved} ({zone}); the backup is older, so what was saved after it is not in "
                "the restored database: it is in the replaced file, listed below."
            )
        kept = self.done.kept_as
        if kept is None:
            return lines
        lines.append(f"The database it replaced was kept as {kept}")
        if not self.done.later:
            lines.append(
                "Every chart entry in it is also in the backup. Accounts, clinic settings and the "
                "audit log are now as they were in the backup: changes made since (a user "
                "deactivated, a password reset) must be made again."
            )
            return lines
        total = sum(s.entries for s in self.done.later)
        lines.append(
            f"It holds {total} entries the backup does not have, in {len(self.done.later)} "
            "session(s):"
        )
        for s in self.done.later:
            if s.in_backup:
                lines.append(
                    f"  session {s.session_id[:8]}: {s.entries} later entries; print them with "
                    f"'{bedside} export pdf {s.session_id[:8]} --db {kept} -o FILE' and "
                    "chart them again as late entries"
                )
            else:
                lines.append(
                    f"  session {s.session_id[:8]} ({s.entries} entries, not in the backup): "
                    f"'{bedside} export json {s.session_id[:8]} --db {kept} -o FILE' then "
                    f"'{bedside} import FILE'"
                )
        return lines


def backup_of_another(backup: Path, target: Path) -> str:
    """Why ``backup`` must not replace ``target`` ("" when it may)."""
    return differs(identity_of(backup), identity_of(target))


def restore_backup(
    backup: Path,
    target: Path,
    *,
    now: datetime,
    anchors: AnchorFile,
    restored_by: tuple[UserId | None, str],
    already_verified: bool = False,
    another_database: bool = False,
) -> RestoreOutcome:
    """Verify ``backup``, put it in place of ``target`` and record it. ``restored_by`` is the
    account id (None from the command line) and who, in words, for the audit log. Raises
    :class:`BackupUnsound` (nothing changed) or a :class:`StoreError` in words (the database
    open elsewhere on this computer: nothing changed), or when ``backup`` is of another
    database (the demo's over the clinic's, another workstation's) unless
    ``another_database`` (IT putting a copy on a new file deliberately). ``already_verified``: the caller has just
    run :func:`backup_problems` (the app does, before it lets go of its database) — on a large
    database verifying twice would double a wait of minutes."""
    if not backup.is_file():
        raise StoreError(f"There is no backup file {backup}; nothing was changed.")
    refusal = backup_of_another(backup, target)
    if refusal and not another_database:
        raise StoreError(refusal)
    problems = [] if already_verified else backup_problems(backup)
    if problems:
        raise BackupUnsound(backup, problems)
    anchored = anchors.get(target)
    done = restore(backup, target, now=now)
    with Store(target, check_integrity=False) as restored:
        behind = restored.extends_state(anchored.head) if anchored else None
        actor, who = restored_by
        restored.record_restore(
            actor,
            {
                "backup": backup.name,
                "by": who,
                "replaced_kept_as": done.kept_as.name if done.kept_as else "",
            },
            at=now,
        )
        head = restored.ledger_head()
    # The restored state is now the one this workstation vouches for (it is older).
    anchors.set(target, head, now)
    return RestoreOutcome(backup, target, head, done, anchored, behind)
