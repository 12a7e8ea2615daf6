"""Helpers for the command-line tests: run ``bedside`` in-process, read a PDF it wrote."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

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
