"""What the summary-PDF tests of the app share: the messages and viewer calls caught, the demo's
signed session, the audit rows of exports, and a fake ``lp`` alone on PATH."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bedside.ids import SessionId
from bedside.service import ChartService
from ui.common import pdf_actions


def catch_messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The (title, text) of every message the PDF actions show, instead of showing them."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(
        pdf_actions, "inform", lambda parent, title, text: seen.append((title, text))
    )
    return seen


def catch_opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file handed to the PDF viewer, instead of opening it."""
    seen: list[Path] = []

    def open_url(path: Path) -> bool:
        seen.append(path)
        return True

    monkeypatch.setattr(pdf_actions, "open_url", open_url)
    return seen


def signed_session(service: ChartService) -> SessionId:
    """The demo's signed session (Minh Nguyen's)."""
    minh = service.store.patient_by_mrn("MRN-1002")
    assert minh is not None
    return service.store.sessions_for_patient(minh.id)[0].id


def exports(service: ChartService) -> list[dict[str, Any]]:
    """The audit rows of summaries saved, opened or printed."""
    return [e for e in service.store.audit_entries() if e["action"].startswith("record_export")]


def fake_lp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, job: str, refuse: bool = False
) -> Path:
    """An ``lp`` alone on PATH that logs its arguments to the returned file and answers
    "request id is JOB" (or refuses: "the printer is offline")."""
    log = tmp_path / "lp.log"
    fake = tmp_path / "bin" / "lp"
    fake.parent.mkdir()
    answer = (
        'echo "lp: The printer is offline" >&2; exit 1' if refuse else f'echo "request id is {job}"'
    )
    fake.write_text(f'#!/bin/sh\necho "$@" > {log}\n{answer}\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    return log
