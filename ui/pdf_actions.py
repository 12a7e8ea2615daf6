"""Save, open and print a session's summary PDF from the app (signed or not).

The PDF is rendered by ``export.session_pdf`` (no Qt) with the signed-in person as "printed by"
and the app's clock as "printed at". Opening goes to the system's PDF viewer; printing goes to
the system's print service (CUPS ``lp``) where there is one, and says clearly when there is not.
The paper size is the clinic's setting ``paper_size`` (A4 or Letter).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from export.session_pdf import load_inputs, pdf_file_name, render_session_pdf, write_bytes

PRINT_COMMAND = "lp"
"""The CUPS client: present wherever a Linux desktop can print."""


def paper_size(service: ChartService) -> str:
    """The clinic's paper size (setting ``paper_size``: ``A4`` or ``Letter``)."""
    value = service.store.get_setting("paper_size", "A4")
    return "Letter" if value.lower() == "letter" else "A4"


def render(service: ChartService, session_id: SessionId, user: User) -> tuple[str, bytes]:
    """The summary's suggested file name and bytes, printed now by ``user``."""
    inputs = load_inputs(service, session_id)
    data = render_session_pdf(
        inputs,
        printed_at=service.clock.now(),
        printed_by=user.display_name,
        page_size=paper_size(service),
    )
    return pdf_file_name(inputs), data


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
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def _private_copy(name: str, data: bytes) -> Path:
    """A copy only this user can read (a patient record must not sit world-readable in /tmp)."""
    folder = Path(tempfile.mkdtemp(prefix="bedside-pdf-"))
    os.chmod(folder, 0o700)
    return write_bytes(folder / name, data)


def save_pdf(
    parent: QWidget | None, service: ChartService, session_id: SessionId, user: User
) -> Path | None:
    """Ask where, then write the summary there; returns the path written."""
    name, data = render(service, session_id, user)
    path = ask_save_path(parent, _documents() / name)
    if path is None:
        return None
    try:
        write_bytes(path, data)
    except OSError as exc:
        inform(parent, "PDF not saved", f"Could not write {path}: {exc.strerror or exc}")
        return None
    inform(parent, "PDF saved", f"Saved the session summary to\n{path}")
    return path


def open_pdf(
    parent: QWidget | None, service: ChartService, session_id: SessionId, user: User
) -> Path | None:
    """Open the summary in the system's PDF viewer."""
    name, data = render(service, session_id, user)
    path = _private_copy(name, data)
    if not open_url(path):
        inform(
            parent,
            "No PDF viewer",
            f"No program on this computer opens PDF files. The summary was written to\n{path}",
        )
    return path


def print_pdf(
    parent: QWidget | None, service: ChartService, session_id: SessionId, user: User
) -> bool:
    """Send the summary to the default printer through the system's print service."""
    command = shutil.which(PRINT_COMMAND)
    if command is None:
        inform(
            parent,
            "No print service",
            "This computer has no print service (CUPS is not installed), so Bedside cannot "
            "print. Use “Save PDF…” and print the file from another computer.",
        )
        return False
    name, data = render(service, session_id, user)
    path = _private_copy(name, data)
    done = subprocess.run(
        [command, "-t", name, str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip() or f"exit code {done.returncode}"
        inform(parent, "Not printed", f"The print service refused the job: {reason}")
        return False
    inform(parent, "Sent to the printer", done.stdout.strip() or "The summary was sent.")
    return True
