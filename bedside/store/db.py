"""Opening the database: location, permissions, pragmas, integrity check, migrations.

Every connection runs in WAL mode with ``synchronous=FULL``: an entry reported as saved has
reached the disk, so a crash, a kill or a power cut loses nothing the nurse saw as saved.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bedside.errors import IntegrityError, StoreError
from bedside.private_files import sync_folder, tighten
from bedside.store import bound_rows
from bedside.store.failures import BUSY_TIMEOUT_MS, Cause, cause_of, explain
from bedside.store.schema import is_up_to_date, unknown_migrations
from bedside.store.start_check import start_check_pragmas
from bedside.text_fold import fold_text


def _create_private_file(path: Path) -> None:
    """Create the database file readable and writable by its owner only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def connect(
    path: Path | str, *, check_integrity: bool = False, quick: bool = False
) -> sqlite3.Connection:
    """A connection with the pragmas every connection must have.

    With ``check_integrity`` the file is checked before anything is written to it (switching
    to WAL rewrites the header), so a damaged file is refused untouched; with ``quick``, by
    the app's start check (:mod:`bedside.store.start_check`: SQLite's quick check of every
    table but the two big append-only ones; the full check runs after the board shows).
    """
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.create_function("fold_text", 1, fold_text, deterministic=True)
    bound_rows.register(conn)
    if check_integrity:
        problems = integrity_problems(conn, on_start=quick)
        if problems:
            conn.close()
            raise IntegrityError(
                f"The database {path} failed its integrity check "
                f"({'; '.join(problems[:3])}). Nothing has been changed. Restore the most "
                "recent backup with `bedside restore BACKUP_FILE` (backups are made with "
                "`bedside backup`), or contact support with this message."
            )
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(path) != ":memory:" and mode != "wal":
        raise StoreError(f"could not switch {path} to WAL journal mode (got {mode!r})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def explain_database_error(exc: BaseException) -> StoreError | None:
    """A SQLite failure raised while reading (a page damaged after the file was opened), in
    words for a user (:func:`bedside.store.failures.explain`); ``None`` for anything that is
    not a SQLite failure."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    return explain(exc, None, outcome="nothing was changed")


def _tighten_files(target: Path) -> None:
    """The database and its -wal and -shm, owner-only: a file made by an older release or
    copied in with the default umask (0644) is tightened when it is opened."""
    for suffix in ("", "-wal", "-shm"):
        tighten(Path(f"{target}{suffix}"))


def integrity_problems(
    conn: sqlite3.Connection, *, quick: bool = False, on_start: bool = False
) -> list[str]:
    """The result of ``PRAGMA integrity_check``: empty when the file is sound.

    ``quick`` runs ``PRAGMA quick_check``: every page and record is read and checked, but not
    that each index holds exactly its table's rows, which is most of the full check's time on
    years of data (bench: ``app_start_large_db``). On badly damaged pages SQLite raises instead
    of listing problems; that is a finding too. ``on_start`` (the app's start): the quick check
    of every table but ``chart_events`` and ``ledger`` (:mod:`bedside.store.start_check`).
    """
    try:
        if on_start:
            pragmas = start_check_pragmas(conn)  # reads the schema: inside the try
        else:
            pragmas = ["PRAGMA quick_check" if quick else "PRAGMA integrity_check"]
        rows = [str(r[0]) for sql in pragmas for r in conn.execute(sql).fetchall()]
    except sqlite3.DatabaseError as exc:
        if cause_of(exc) in (Cause.LOCKED, Cause.FULL, Cause.READ_ONLY):
            raise  # a sound file that cannot be read now: not a finding of damage
        return [f"the file is damaged: {exc}"]
    return [row for row in rows if row != "ok"]


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply pending migrations (sqlite-utils loads only here: it costs ~0.1 s at start-up)."""
    from sqlite_utils import Database

    from bedside.store.migrations import migrations

    migrations.apply(Database(conn, execute_plugins=False))
    # A migration may add or change triggers: the ledger binds them as they now are.
    with write_transaction(conn):
        bound_rows.bind_safeguards(conn)


def open_database(
    path: Path | str, *, check_integrity: bool = True, quick: bool = False
) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date
    (``quick``: checked by ``PRAGMA quick_check`` instead of the full integrity check).

    Raises
    ------
    IntegrityError
        The file is damaged; the message says how to restore from a backup.
    StoreError
        The file cannot be opened (not a database, no permission, disk full ...).
    """
    target = Path(path)
    on_disk = str(path) != ":memory:"
    if on_disk and not target.exists():
        try:
            _create_private_file(target)
        except OSError as exc:
            raise explain(exc, target, outcome="the database was not created") from exc
    if on_disk:
        _tighten_files(target)
    conn: sqlite3.Connection | None = None
    try:
        conn = connect(
            target if on_disk else ":memory:", check_integrity=check_integrity, quick=quick
        )
        newer = unknown_migrations(conn)
        if newer:
            conn.close()
            raise StoreError(
                f"{target} was written by a newer release of Bedside (it has "
                f"{', '.join(newer)}, which this release does not know). Nothing was changed: "
                "use that release or a later one on this database."
            )
        if not is_up_to_date(conn):
            _migrate(conn)
        if on_disk:
            _tighten_files(target)  # the -wal and -shm SQLite has just made
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise explain(
            exc, target if on_disk else None, outcome="the database was not opened"
        ) from exc
    return conn


def database_path(conn: sqlite3.Connection) -> Path | None:
    """The file behind a connection (``None`` in memory or when it cannot be asked)."""
    try:
        rows = conn.execute("PRAGMA database_list").fetchall()
    except sqlite3.Error:
        return None
    main = next((str(r[2]) for r in rows if r[1] == "main" and r[2]), "")
    return Path(main) if main else None


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One logical change, all or nothing, holding the write lock from the start.

    ``BEGIN IMMEDIATE`` takes the write lock before reading the chain head, so two processes
    appending to the same session serialise instead of both extending the same head.
    A full disk, a read-only folder or a lock held too long becomes a :class:`StoreError` in
    words (:mod:`bedside.store.failures`) after the rollback, with nothing half-written.
    """
    try:
        # Inside the try: a lock another program holds past the busy timeout (SQLite retries
        # until then) is refused in words, like a full disk, not raised raw.
        conn.execute("BEGIN IMMEDIATE")
        yield conn
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise explain(exc, database_path(conn), outcome="this change was NOT saved") from exc
    except sqlite3.IntegrityError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StoreError(f"The database refused the change: {exc}") from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """An online, consistent copy made with SQLite's backup API, owner-only, written to a
    temporary file in the target's folder and renamed when complete: a full disk or a kill
    leaves no partial backup behind."""
    if target.exists():
        raise StoreError(f"{target} already exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)  # mkstemp made it 0600; SQLite writes into it
    tmp = Path(tmp_name)
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except sqlite3.OperationalError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            f"The backup could not be written to {target} ({exc}); nothing was left there. "
            "Free some space or choose another folder."
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(target.parent)
    return target
