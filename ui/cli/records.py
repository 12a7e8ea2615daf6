"""Commands over the record: list sessions, import a session log, verify the database (exports
are in :mod:`ui.cli.exports`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bedside.clock import Clock
from bedside.errors import BedsideError, IntegrityError, OperationRefused, StoreError
from bedside.ids import SessionId
from bedside.sessions import SessionHeader
from bedside.state import fold
from bedside.store import Store, default_db_path
from bedside.store.anchor import AnchorFile, LedgerHead
from bedside.store.verify_since import VerifiedMarks
from bedside.timeutil import local_date, local_text
from ui.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_TAMPERED,
    _open,
    _print_json,
    _read_secret,
)


def session_rows(
    store: Store, headers: Sequence[SessionHeader], tz: str
) -> list[dict[str, object]]:
    """What ``sessions`` lists for each header (``tz``: the clinic's zone, for sessions whose
    opening cannot be read)."""
    rows: list[dict[str, object]] = []
    for h in headers:
        state = fold(store.events(h.id))
        patient = store.patient(h.patient_id)
        rows.append(
            {
                "id": h.id,
                "patient": patient.display_name,
                "mrn": patient.mrn,
                "chair": h.chair,
                "date": h.local_date.isoformat(),
                # In the zone the session was opened under, like its date (the clinic's zone
                # may have changed since).
                "opened": local_text(
                    h.opened_at, state.opened.clinic_timezone if state.events else tz, "%H:%M"
                ),
                "session_in_course": h.number_in_course,
                "phase": state.phase.value,
                "phase_label": state.phase.label,
            }
        )
    return rows


def cmd_sessions(args: argparse.Namespace, clock: Clock) -> int:
    """List sessions."""
    with _open(args, check_integrity=False) as store:
        tz = store.get_setting("timezone", "UTC")
        if args.all:
            headers = store.all_sessions()
        else:
            headers = store.sessions_on(args.date or local_date(clock.now(), tz))
        rows = session_rows(store, headers, tz)
    if args.json:
        _print_json(rows)
        return EXIT_OK
    if not rows:
        when = "" if args.all else f" on {args.date or local_date(clock.now(), tz)} (clinic time)"
        print(f"No sessions{when}." + ("" if args.all else " Use --all to list every session."))
        return EXIT_OK
    print(f"{'ID':10} {'DATE':10} {'TIME':5} {'CHAIR':>5}  {'PATIENT':28} {'#':>2}  PHASE")
    for r in rows:
        print(
            f"{str(r['id'])[:8]:10} {r['date']:10} {r['opened']:5} {r['chair']:>5}  "
            f"{str(r['patient'])[:28]:28} {r['session_in_course']:>2}  {r['phase_label']}"
        )
    return EXIT_OK


def cmd_import(args: argparse.Namespace, clock: Clock) -> int:
    """Import a session log."""
    from bedside.eventlog import check_log, import_log, parse_log
    from bedside.service import ChartService

    try:
        text = args.file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BedsideError(f"There is no file {args.file}") from exc
    except UnicodeDecodeError as exc:
        raise BedsideError(f"{args.file} is not a text (JSON) file") from exc
    except OSError as exc:
        raise BedsideError(f"Cannot read {args.file}: {exc.strerror}") from exc
    log = parse_log(text)
    target = Path(args.db or default_db_path())
    if not target.exists():
        # A log is imported into a clinic, whose administrators vouch for the people it names.
        # Refused before any file is made; a log that breaks the rules is told so first.
        report = check_log(log, None, clock.now())
        if not report.is_valid:
            raise OperationRefused("The session log was refused; nothing was imported.", report)
        raise StoreError(
            f"There is no clinic database at {target} (check --db). Set the clinic up first "
            "(bedside init), then import into it; nothing was imported."
        )
    if args.confirm_authors and not args.admin:
        raise BedsideError("--confirm-authors needs --as ADMIN (an administrator's user name)")
    with _open(args) as store:
        confirmer = None
        if args.confirm_authors:
            password = _read_secret(f"Password for {args.admin}: ", args.password_stdin)
            confirmer = ChartService(store, clock).accounts.authenticate(args.admin, password)
        sid = import_log(store, log, now=clock.now(), authors_confirmed_by=confirmer)
        count = len(store.events(sid))
    print(f"Imported session {sid} ({count} events, chain verified).")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, clock: Clock) -> int:
    """Integrity and hash-chain check."""
    if args.server:
        from ui.cli.server import verify_server_copy

        return verify_server_copy(args.server, Path(args.db) if args.db else None)
    try:
        # verify() runs the integrity check itself; checking on open too would double the time.
        store = _open(args, check_integrity=False)
    except IntegrityError as exc:  # too damaged to open at all
        print(str(exc), file=sys.stderr)
        return EXIT_TAMPERED
    ok = ""  # the OK line, when not the usual one
    with store:
        if args.session:
            header = store.find_session(args.session)
            problems = store.verify_session(header.id)
            scope = f"session {header.id}"
            if args.hash and not problems:
                problems.extend(_hash_in_session(store, header.id, _printed_hash(args.hash)))
        else:
            problems, scope, ok = _verify_database(store, args, clock)
            if args.hash and not problems:
                found = _hash_in_database(store, _printed_hash(args.hash))
                if found is None:
                    return EXIT_FAILED
        if args.against and not problems:
            problems.extend(_against_problems(store, args.against))
            if not problems:
                print(f"The database extends the anchored state {args.against[:40]}.")
    if problems:
        print(f"VERIFY FAILED ({scope}):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return EXIT_TAMPERED
    print(ok or f"OK: integrity check passed and every hash chain is intact ({scope}).")
    return EXIT_OK


def _verify_database(
    store: Store, args: argparse.Namespace, clock: Clock
) -> tuple[list[str], str, str]:
    """The whole database: in full (``--full``, or never verified on this workstation), else
    from the head it last found sound. Returns the problems, the scope for a failure, and the
    OK line (empty: the usual one). A pass records the head as verified."""
    marks = VerifiedMarks.beside(AnchorFile())
    mark = None if args.full else marks.get(store.path)
    head = store.ledger_head()  # read before checking: what is recorded is what was checked
    if mark is None:
        problems = store.verify()
        scope = f"{len(store.all_sessions())} sessions, {store.event_count()} events"
        if not problems:
            marks.set(store.path, head, clock.now(), full=True)
        return problems, scope, ""
    problems, entries = store.verify_since(mark.head)
    scope = f"{entries} ledger entries since the verified {mark.head.words()}"
    if problems:
        return problems, scope, ""
    marks.set(store.path, head, clock.now(), full=False)
    full = (
        f"verified in full on {_utc(mark.full_at)}"
        if mark.full_at
        else "never verified in full on this workstation"
    )
    return (
        [],
        scope,
        (
            f"OK: quick check passed; checked {entries} ledger entries since the head verified on "
            f"{_utc(mark.at)} (ledger entry {mark.head.seq}; {full}), every session they wrote "
            "into and every bound record. Entries of other sessions were not re-read: run "
            "'bedside verify --full' periodically (see 'bedside verify --help')."
        ),
    )


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


MIN_HASH_PREFIX = 16
"""The fewest characters of a printed hash ``verify --hash`` accepts (64 bits: a chance match
among a clinic's entries is out of the question; fewer would invite one)."""


def _printed_hash(text: str) -> str:
    """A hash as typed or scanned from a printout: spaces, line breaks and a trailing "…"
    ignored, any case; at least :data:`MIN_HASH_PREFIX` hexadecimal characters."""
    digest = "".join(text.split()).rstrip("…").lower()
    if len(digest) < MIN_HASH_PREFIX or len(digest) > 64:
        raise BedsideError(
            f"--hash: give at least {MIN_HASH_PREFIX} and at most 64 characters of the hash "
            f"(got {len(digest)})"
        )
    if any(c not in "0123456789abcdef" for c in digest):
        raise BedsideError("--hash: a record hash has only the characters 0-9 and a-f")
    return digest


def _hash_in_session(store: Store, session_id: SessionId, prefix: str) -> list[str]:
    """Problems with a printed hash said to belong to one session; notes an earlier state."""
    hashes = [e.hash for e in store.events(session_id)]
    matches = [h for h in hashes if h.startswith(prefix)]
    if not matches:
        return [f"hash {prefix} is not in this session's record"]
    if len(matches) > 1:
        return [f"hash {prefix} matches {len(matches)} entries: give more of its characters"]
    if matches[0] != hashes[-1]:
        later = len(hashes) - hashes.index(matches[0]) - 1
        print(
            f"Note: {prefix[:16]}… is an earlier state of the record; {later} entries were "
            "added after it (e.g. addenda)."
        )
    return []


def _hash_in_database(store: Store, prefix: str) -> SessionId | None:
    """Say which session a printed hash belongs to (None, said on stderr: not found or not
    unique)."""
    found = store.entries_with_hash(prefix)
    if not found:
        print(f"Hash {prefix} is not in this database.", file=sys.stderr)
        return None
    if len(found) > 1:
        print(
            f"Hash {prefix} matches several entries: give more of its characters.", file=sys.stderr
        )
        return None
    session_id, digest = found[0]
    where = (
        "the current record hash" if store.head_hash(session_id) == digest else "an earlier state"
    )
    print(f"Hash found: it is {where} of session {session_id}.")
    return session_id


def _against_problems(store: Store, against: str) -> list[str]:
    """Why the database does not extend a backup's ledger head or a printed ``SEQ:HASH``."""
    path = Path(against)
    if path.is_file():
        with Store(path, check_integrity=False) as backup:
            head = backup.ledger_head()
    else:
        seq, _, digest = against.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            return [f"{against!r} is neither a backup file nor a ledger head SEQ:HASH"]
        head = LedgerHead(int(seq), digest.lower())
    why = store.extends_state(head)
    return [f"against {head.words()}: {why}"] if why else []
