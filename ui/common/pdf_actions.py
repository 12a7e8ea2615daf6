"""Save, open and print a summary PDF from the app: a session's (signed or not) or a patient's
course.

The PDF is rendered by ``export`` (no Qt) with the signed-in person as "printed by"
and the app's clock as "printed at". Opening goes to the system's PDF viewer; printing goes to
the system's print service (CUPS ``lp``) where there is one, and says clearly when there is not.
The paper size is the clinic's setting ``paper_size`` (A4 or Letter).

Saving, opening and printing are each written to the clinic's audit log first
(:mod:`bedside.printouts`); when that row cannot be written the PDF is not handed out and a
message says why.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QPushButton, QWidget

from bedside.errors import BedsideError
from bedside.ids import PatientId, SessionId
from bedside.people import User
from bedside.printouts import Export, ExportKind, ExportLog, PrintedBy
from bedside.service import ChartService
from ui.dialogs.print_choice import PrintChoice, PrintChoiceDialog

# reportlab (through ``export``) is imported when a PDF is first made, not at start-up: it is
# a quarter of a second the chair board should not wait for.

PRINT_COMMAND = "lp"
"""The CUPS client: present wherever a Linux desktop can print."""


def paper_size(service: ChartService) -> str:
    """The clinic's paper size (setting ``paper_size``: ``A4`` or ``Letter``)."""
    value = service.store.get_setting("paper_size", "A4")
    return "Letter" if value.lower() == "letter" else "A4"


@dataclass(frozen=True)
class Rendered:
    """A PDF ready to hand out: its suggested file name, its bytes, what it is (for the audit
    row) and the log that row goes to."""

    name: str
    data: bytes
    export: Export
    log: ExportLog


Document = Callable[[], Rendered]
"""Renders a PDF when asked."""


def session_document(service: ChartService, session_id: SessionId, user: User) -> Document:
    """A session's summary, printed now by ``user``."""

    def render() -> Rendered:
        from export.session_pdf import load_inputs, pdf_file_name, render_session_pdf

        now = service.clock.now()
        by = PrintedBy(user=user)
        inputs = load_inputs(service, session_id)
        data = render_session_pdf(
            inputs, printed_at=now, printed_by=by.text, page_size=paper_size(service)
        )
        export = Export.of_session(ExportKind.SESSION_SUMMARY, inputs.context.state, by, now)
        return Rendered(pdf_file_name(inputs), data, export, _log(service))

    return render


def course_document(service: ChartService, patient_id: PatientId, user: User) -> Document:
    """A patient's course summary as it stands now, printed by ``user``."""

    def render() -> Rendered:
        from charting.course import course_summary
        from export.course_pdf import course_pdf, course_pdf_file_name

        now = service.clock.now()
        by = PrintedBy(user=user)
        summary = course_summary(service, patient_id, now)  # read once: for the name and the PDF
        data = course_pdf(
            service,
            patient_id,
            printed_at=now,
            printed_by=by.text,
            page_size=paper_size(service),
            summary=summary,
        )
        export = Export(
            kind=ExportKind.COURSE_SUMMARY,
            subject=patient_id,
            by=by,
            printed_at=now,
            record_hashes={r.session_id: r.record_hash for r in summary.sessions},
        )
        return Rendered(course_pdf_file_name(summary), data, export, _log(service))

    return render


def _log(service: ChartService) -> ExportLog:
    return ExportLog(service.store, service.clock)


def ask_save_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """The file dialog (tests replace this function)."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Save session summary", str(suggested), "PDF documents (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """A short message (tests replace this function)."""
    QMessageBox.information(parent, title, text)


def open_url(path: Path) -> bool:
    """Hand a file to the desktop's viewer (tests replace this function)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _documents() -> Path:
    """The user's Documents folder, or their home folder (never the app's working folder)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()


def _write_bytes(path: Path, data: bytes) -> Path:
    from export.session_pdf import write_bytes  # atomic: a viewer never sees half a file

    return write_bytes(path, data)


VIEWER_PREFIX = "bedside-pdf-"
STALE_AFTER_S = 12 * 3600
_viewer_folders: list[Path] = []


def _private_copy(name: str, data: bytes) -> Path:
    """A copy only this user can read (a patient record must not sit world-readable in /tmp),
    removed when the app quits; copies left by an app that did not quit cleanly are removed
    the next time one is made, once they are older than :data:`STALE_AFTER_S`."""
    if not _viewer_folders:
        atexit.register(remove_viewer_copies)
        _remove_stale_copies()
    folder = Path(tempfile.mkdtemp(prefix=VIEWER_PREFIX))
    os.chmod(folder, 0o700)
    _viewer_folders.append(folder)
    return _write_bytes(folder / name, data)


def remove_viewer_copies() -> None:
    """Remove the copies this app made for the viewer and the printer (at quit: a viewer that
    still shows one keeps its open file)."""
    while _viewer_folders:
        shutil.rmtree(_viewer_folders.pop(), ignore_errors=True)


def _remove_stale_copies() -> None:
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(f"{VIEWER_PREFIX}*"):
        try:
            info = folder.stat()
        except OSError:
            continue
        if folder.is_dir() and info.st_uid == os.getuid() and now - info.st_mtime > STALE_AFTER_S:
            shutil.rmtree(folder, ignore_errors=True)


def save(parent: QWidget | None, document: Document) -> Path | None:
    """Ask where, then write the document there (audited); returns the path written."""
    doc = document()
    path = ask_save_path(parent, _documents() / doc.name)
    if path is None:
        return None
    try:
        doc.log.save(doc.export, path, doc.data)
    except OSError as exc:
        inform(parent, "PDF not saved", f"Could not write {path}: {exc.strerror or exc}")
        return None
    except BedsideError as exc:  # the audit row could not be written: nothing was saved
        inform(parent, "PDF not saved", f"Nothing was saved: {exc}.")
        return None
    inform(parent, "PDF saved", f"Saved the summary to\n{path}")
    return path


def open_in_viewer(parent: QWidget | None, document: Document) -> Path | None:
    """Open the document in the system's PDF viewer (audited before it is opened)."""
    doc = document()
    path = _private_copy(doc.name, doc.data)
    try:
        doc.log.record(doc.export, f"opened in the PDF viewer (private copy {path})")
    except BedsideError as exc:
        _discard(path)
        inform(parent, "PDF not opened", f"Nothing was opened: {exc}.")
        return None
    if not open_url(path):
        inform(
            parent,
            "No PDF viewer",
            f"No program on this computer opens PDF files. The PDF was written to\n{path}",
        )
    return path


def available_printers() -> tuple[list[str], str]:
    """The print service's printers and its default one ("" when none is set), as Qt's print
    support reads them from CUPS (tests replace this function)."""
    from PySide6.QtPrintSupport import QPrinterInfo  # loaded only when printing is asked for

    return list(QPrinterInfo.availablePrinterNames()), QPrinterInfo.defaultPrinterName()


def ask_print_choice(
    parent: QWidget | None, what: str, printers: list[str], default: str
) -> PrintChoice | None:
    """The printer and copies dialog (tests replace this function)."""
    return PrintChoiceDialog.ask(what, printers, default, parent)


def send_to_printer(parent: QWidget | None, document: Document) -> bool:
    """Ask which printer and how many copies, then send the document there through the
    system's print service; audited before the job is sent, and the refusal too if the print
    service refuses it."""
    command = shutil.which(PRINT_COMMAND)
    printers, default = available_printers() if command is not None else ([], "")
    if command is None or not printers:
        why = (
            "This computer has no print service (CUPS is not installed)"
            if command is None
            else "No printer is set up on this computer (ask IT to add one to CUPS)"
        )
        inform(
            parent,
            "No print service" if command is None else "No printer",
            f"{why}, so Bedside cannot print. Use “Save PDF…” and print the file from "
            "another computer.",
        )
        return False
    doc = document()
    choice = ask_print_choice(parent, f"Print {doc.name}", printers, default)
    if choice is None:
        return False
    copies = "1 copy" if choice.copies == 1 else f"{choice.copies} copies"
    how = f"sent to the printer {choice.printer} ({copies}) with lp"
    path = _private_copy(doc.name, doc.data)
    try:
        doc.log.record(doc.export, how)
    except BedsideError as exc:
        _discard(path)
        inform(parent, "Not printed", f"Nothing was sent to the printer: {exc}.")
        return False
    done = subprocess.run(
        [command, "-d", choice.printer, "-n", str(choice.copies), "-t", doc.name, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip() or f"exit code {done.returncode}"
        doc.log.failed(doc.export, how, reason)
        inform(parent, "Not printed", f"The print service refused the job: {reason}")
        return False
    inform(parent, "Sent to the printer", done.stdout.strip() or "The summary was sent.")
    return True


def _discard(path: Path) -> None:
    """Remove a viewer or printer copy that is not handed out after all."""
    path.unlink(missing_ok=True)


ACTIONS: tuple[tuple[str, str, str, Callable[[QWidget | None, Document], object]], ...] = (
    ("save", "Save PDF…", "Ctrl+S", save),
    ("open", "Open PDF", "Ctrl+O", open_in_viewer),
    ("print", "Print", "Ctrl+P", send_to_printer),
)
"""(name, label, keys, action) for the "Summary PDF" menus."""


def pdf_menu_button(parent: QWidget, document: Callable[[], Document | None]) -> QPushButton:
    """A "Summary PDF ▾" button whose menu saves, opens or prints ``document()``; the keys are
    added to ``parent`` so they work without opening the menu. ``document`` returns None when
    nobody is signed in (nothing happens then)."""
    button = QPushButton("Summary PDF ▾")
    button.setObjectName("pdf")
    button.setMinimumHeight(44)
    button.setAutoDefault(False)
    menu = QMenu(button)
    for name, label, keys, action in ACTIONS:
        item = QAction(label, parent)
        item.setObjectName(f"pdf_{name}")
        item.setShortcut(QKeySequence(keys))
        item.setToolTip(f"{label} ({keys})")

        def run(
            _: bool = False, act: Callable[[QWidget | None, Document], object] = action
        ) -> None:
            doc = document()
            if doc is not None:
                act(parent, doc)

        item.triggered.connect(run)
        menu.addAction(item)
        parent.addAction(item)
    button.setMenu(menu)
    button.setToolTip("Save (Ctrl+S), open (Ctrl+O) or print (Ctrl+P) the summary")
    return button
