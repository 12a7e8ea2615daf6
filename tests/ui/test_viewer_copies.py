"""Issue 11, item 9: the copies made for the PDF viewer and the printer are owner-only and are
removed when the app quits; copies left by an app that did not quit are swept later."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ui.common import pdf_actions


def test_viewer_copies_are_private_and_removed_at_quit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(pdf_actions.tempfile, "tempdir", None)
    monkeypatch.setattr(pdf_actions, "_viewer_folders", [])
    monkeypatch.setattr(pdf_actions.atexit, "register", lambda f: f)
    stale = tmp_path / "bedside-pdf-left-behind"
    stale.mkdir()
    (stale / "old.pdf").write_bytes(b"%PDF")
    old = time.time() - pdf_actions.STALE_AFTER_S - 60
    os.utime(stale, (old, old))
    recent = tmp_path / "bedside-pdf-other-window"
    recent.mkdir()
    copy = pdf_actions._private_copy("s.pdf", b"%PDF-1.4 patient")
    assert copy.read_bytes() == b"%PDF-1.4 patient"
    assert copy.stat().st_mode & 0o777 == 0o600
    assert copy.parent.stat().st_mode & 0o777 == 0o700
    assert not stale.exists()  # swept: older than the limit
    assert recent.exists()  # perhaps another app's: kept
    pdf_actions.remove_viewer_copies()
    assert not copy.parent.exists()
