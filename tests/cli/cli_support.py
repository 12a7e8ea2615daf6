"""Helpers for the command-line tests: run ``bedside`` in-process, read a PDF it wrote."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from bedside.store import Store
from ui.launcher import main

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
"""The moment the demo clinic is built for (13:00 in New York)."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``bedside ARGV...`` in-process: the exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def text_of(path: Path) -> str:
    """The text of every page of the PDF at ``path``, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


PW = "first-admin-pw"
"""The password of ``boss``, the first administrator :func:`init` sets up."""


def with_password(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    password: str,
    *argv: str,
) -> tuple[int, str, str]:
    """``bedside ARGV... --password-stdin`` with ``password`` on standard input."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return run(capsys, *argv, "--password-stdin")


def with_boss_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str
) -> tuple[int, str, str]:
    """``bedside ARGV...`` with ``boss``'s password on standard input (``--password-stdin``)."""
    return with_password(capsys, monkeypatch, PW, *argv)


def copy_of(db: Path, target: Path) -> Path:
    """A copy of the database ``db`` at ``target``, for a test that writes to it (an export
    writes its audit row)."""
    with Store(db) as store:
        store.backup(target)
    return target


def init(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    *extra: str,
) -> tuple[int, str, str]:
    """``bedside init`` of the Lakeside clinic at ``db``, first administrator ``boss``."""
    return with_boss_password(
        capsys,
        monkeypatch,
        *("--db", str(db), "init", "--clinic-name", "Lakeside Infusion Centre"),
        *("--admin", "boss", "--name", "Pat Boss", *extra),
    )


def import_confirmed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path, log: Path
) -> tuple[int, str, str]:
    """``bedside import LOG`` with ``boss`` confirming the people it names."""
    return with_boss_password(
        capsys,
        monkeypatch,
        *("--db", str(db), "import", str(log), "--confirm-authors", "--as", "boss"),
    )
