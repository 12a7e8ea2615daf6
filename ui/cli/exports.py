"""``bedside export``: a session's event log (JSON), its summary PDF, a day's summaries, or a
patient's course summary.

Who prints is a Bedside account named with ``--as`` and proved by its password, or else
"command line (OS user NAME)", never a bare login that could pass for an account. Every file
written (and a log sent to standard output) is first written to the clinic's audit log
(:mod:`bedside.printouts`): if that row cannot be written, nothing is handed out.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bedside.clock import Clock
from bedside.errors import AuthenticationFailed, BedsideError, StoreError
from bedside.printouts import Export, ExportKind, ExportLog, PrintedBy
from bedside.state import fold
from ui.cli.common import (
    EXIT_OK,
    EXIT_TAMPERED,
    EXIT_USAGE,
    _open,
    _os_user,
    _paper,
    _read_secret,
)

if TYPE_CHECKING:
    from bedside.service import ChartService

# The service (and reportlab, through ``export``) load when a command runs, not when the
# launcher starts: the desktop app shares this import path.

DRAFT_MARK = "DRAFT — not signed"
"""What a day's export says beside a session that is not signed (its file name says _DRAFT)."""


def cmd_export(args: argparse.Namespace, clock: Clock) -> int:
    """Export a session's log or summary, a day's summaries, or a patient's course summary."""
    if args.password_stdin and args.as_user is None:
        print(
            f"bedside export {args.format}: --password-stdin reads the password of the --as "
            "USER account: give --as USER too (nothing was written)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.format == "pdf":
        if (args.session is None) == (args.date is None):
            print(
                "bedside export pdf: give a SESSION or --date YYYY-MM-DD (not both)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        return _export_day(args, clock) if args.date is not None else _export_session(args, clock)
    if args.format == "course":
        return _export_course(args, clock)
    return _export_json(args, clock)


def printed_by(args: argparse.Namespace, service: ChartService) -> PrintedBy:
    """Who prints: the ``--as`` account once its password is checked (so nobody prints in
    another person's name), or the command line and the operating-system user.

    Raises
    ------
    bedside.errors.AuthenticationFailed
        Unknown or deactivated account, wrong or missing password: one line naming ``--as``.
    """
    if args.as_user is None:
        return PrintedBy(os_user=_os_user())

    def refused(exc: BedsideError) -> AuthenticationFailed:
        return AuthenticationFailed(f"--as {args.as_user}: {exc}; nothing was written")

    try:
        password = _read_secret(f"Password for {args.as_user}: ", args.password_stdin)
    except BedsideError as exc:  # no line on standard input, no terminal to ask on
        raise refused(exc) from exc
    try:
        user = service.accounts.authenticate(args.as_user, password)
    except AuthenticationFailed as exc:  # damage met on the way is answered as damage
        raise refused(exc) from exc
    return PrintedBy(user=user)


def _printed_at(args: argparse.Namespace, clock: Clock) -> datetime:
    """``--printed-at`` (parsed, with its offset, by the parser), or now."""
    pinned: datetime | None = args.printed_at
    return pinned if pinned is not None else clock.now()


def _export_json(args: argparse.Namespace, clock: Clock) -> int:
    """One session's event log, to a file or standard output."""
    from bedside.eventlog import export_session, to_json
    from bedside.service import ChartService

    with _open(args) as store:
        service = ChartService(store, clock)
        header = store.find_session(args.session)
        by = printed_by(args, service)
        now = clock.now()
        state = fold(store.events(header.id))
        text = to_json(export_session(store, header.id, now=now))
        export = Export.of_session(ExportKind.SESSION_LOG, state, by, now)
        log = ExportLog(store, clock)
        if args.output:
            # Names, dates of birth and MRNs: owner-only, and whole or not at all.
            log.save(export, args.output, (text + "\n").encode("utf-8"))
        else:
            log.record(export, "written to standard output")
    if args.output:
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        print(text)
    return EXIT_OK


def _export_session(args: argparse.Namespace, clock: Clock) -> int:
    """One session's summary PDF to a file."""
    from bedside.service import ChartService
    from export.session_pdf import load_inputs, render_session_pdf

    with _open(args) as store:
        service = ChartService(store, clock)
        header = store.find_session(args.session)
        by, when = printed_by(args, service), _printed_at(args, clock)
        inputs = load_inputs(service, header.id)
        data = render_session_pdf(
            inputs, printed_at=when, printed_by=by.text, page_size=_paper(args, store)
        )
        export = Export.of_session(ExportKind.SESSION_SUMMARY, inputs.context.state, by, when)
        ExportLog(store, clock).save(export, args.output, data)
    print(f"Wrote {args.output}", file=sys.stderr)
    return _verification_exit(inputs.problems, str(args.output))


def _export_day(args: argparse.Namespace, clock: Clock) -> int:
    """Every session of a clinic-local day into a folder, one progress line per file; a draft
    is named ``..._DRAFT.pdf`` and its line says so; the last line counts signed and drafts."""
    from bedside.service import ChartService
    from export.session_pdf import load_inputs, pdf_file_name, render_session_pdf

    with _open(args) as store:
        service, paper, log = (
            ChartService(store, clock),
            _paper(args, store),
            ExportLog(store, clock),
        )
        by, when = printed_by(args, service), _printed_at(args, clock)
        headers = sorted(store.sessions_on(args.date), key=lambda h: (h.chair, h.opened_at))
        if not headers:
            print(f"No sessions on {args.date} (clinic time); nothing written.", file=sys.stderr)
            return EXIT_OK
        if args.output.exists() and not args.output.is_dir():
            raise BedsideError(f"{args.output} is a file: with --date, -o names a folder")
        args.output.mkdir(parents=True, exist_ok=True)
        failed: list[str] = []
        drafts = 0
        for number, header in enumerate(headers, start=1):
            inputs = load_inputs(service, header.id)
            target = args.output / pdf_file_name(inputs)
            data = render_session_pdf(inputs, printed_at=when, printed_by=by.text, page_size=paper)
            export = Export.of_session(ExportKind.SESSION_SUMMARY, inputs.context.state, by, when)
            log.save(export, target, data)
            failed.extend(inputs.problems)
            drafts += export.draft
            patient = inputs.context.patient
            # The mark goes before the arrow: the path stays last, for scripts to cut.
            mark = f" – {DRAFT_MARK}" if export.draft else ""
            print(
                f"[{number}/{len(headers)}] chair {header.chair} – {patient.display_name} – "
                f"{patient.mrn}{mark} → {target}",
                flush=True,
            )
    print(
        f"Wrote {len(headers)} summaries to {args.output}: {len(headers) - drafts} signed, "
        f"{drafts} {'draft' if drafts == 1 else 'drafts'} (not signed)",
        file=sys.stderr,
    )
    return _verification_exit(failed, str(args.output))


def _verification_exit(problems: Sequence[str], where: str) -> int:
    """Exit 3, saying so, when a record printed fails verification (its PDF is stamped)."""
    if not problems:
        return EXIT_OK
    print(
        f"WARNING: a record printed to {where} FAILED VERIFICATION and is stamped so: "
        f"{problems[0]}. Run 'bedside verify'.",
        file=sys.stderr,
    )
    return EXIT_TAMPERED


def _export_course(args: argparse.Namespace, clock: Clock) -> int:
    """A patient's course summary PDF, as of its print time."""
    from bedside.service import ChartService
    from charting.course import course_summary
    from export.course_pdf import course_pdf

    with _open(args) as store:
        service = ChartService(store, clock)
        patient = store.patient_by_mrn(args.mrn)
        if patient is None:
            raise StoreError(f"no patient with MRN {args.mrn}")
        if service.active_course(patient.id) is None:
            raise BedsideError(f"{patient.display_name} ({patient.mrn}) has no course order")
        by, when = printed_by(args, service), _printed_at(args, clock)
        summary = course_summary(service, patient.id, when)
        data = course_pdf(
            service,
            patient.id,
            printed_at=when,
            printed_by=by.text,
            page_size=_paper(args, store),
            summary=summary,
        )
        export = Export(
            kind=ExportKind.COURSE_SUMMARY,
            subject=patient.id,
            by=by,
            printed_at=when,
            record_hashes={r.session_id: r.record_hash for r in summary.sessions},
        )
        ExportLog(store, clock).save(export, args.output, data)
    print(f"Wrote {args.output}", file=sys.stderr)
    return EXIT_OK
