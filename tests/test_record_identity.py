"""The record and its printout do not move when the code is reshaped.

The demo clinic and the long session are charted through the service with deterministic ids
(``uuid.uuid4`` seeded) at fixed moments; every session's exported log (JSON) and summary PDF
are hashed and compared with the digests committed in ``tests/golden/record_digests.json``.

A refactor must leave every digest as it is. A change that is meant to alter the record or the
printout (a new protocol setting, a new PDF section) updates the file in the same commit, and
its message says why: run ``python tests/test_record_identity.py --write`` to rewrite it.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "record_digests.json"
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
LONG_START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
PRINTED_AT = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)


class _SeededIds:
    """``uuid.uuid4`` from a seeded generator, so ids (and so hashes) repeat run to run."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_digests(folder: Path, patch_uuid: Iterator[None] | None = None) -> dict[str, str]:
    """Chart both clinics in ``folder`` and hash every session's log and PDF."""
    from bedside.clock import FixedClock
    from bedside.eventlog import export_session, to_json
    from bedside.service import ChartService
    from bedside.store import Store
    from export.session_pdf import load_inputs, render_session_pdf
    from ui.demo import build_demo
    from ui.demo.long_session import build_long_clinic

    out: dict[str, str] = {}
    for name, build in (
        ("demo", lambda store: build_demo(store, NOW)),
        ("long", lambda store: build_long_clinic(store, LONG_START)),
    ):
        with Store(folder / f"{name}.db") as store:
            build(store)
            service = ChartService(store, FixedClock(NOW))
            headers = sorted(store.all_sessions(), key=lambda h: (h.opened_at, h.chair))
            for n, header in enumerate(headers, start=1):
                key = f"{name}/{n:02d} chair {header.chair} session {header.number_in_course}"
                log = to_json(export_session(store, header.id, now=PRINTED_AT))
                out[f"{key} log"] = _digest(log.encode("utf-8"))
                pdf = render_session_pdf(
                    load_inputs(service, header.id), printed_at=PRINTED_AT, printed_by="golden"
                )
                out[f"{key} pdf"] = _digest(pdf)
    return out


def seeded_digests(folder: Path) -> dict[str, str]:
    """:func:`record_digests` with ``uuid.uuid4`` seeded for the duration."""
    from bedside import passwords, signing_keys

    real, real_entropy, real_salt = uuid.uuid4, signing_keys._entropy, passwords._salt
    uuid.uuid4 = _SeededIds(20261124)  # type: ignore[assignment]
    # Signing keys too: their public halves and seals are in every log. And password salts:
    # accounts are bound into the ledger, whose head every summary prints.
    signing_keys._entropy = random.Random(20261124).randbytes
    passwords._salt = random.Random(20261125).randbytes
    try:
        return record_digests(folder)
    finally:
        uuid.uuid4 = real  # type: ignore[assignment]
        signing_keys._entropy = real_entropy
        passwords._salt = real_salt


@pytest.mark.slow
def test_logs_and_pdfs_match_the_committed_digests(tmp_path: Path) -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = seeded_digests(tmp_path)
    changed = sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    assert not changed, f"these logs or summaries changed: {changed}"


def test_seeded_ids_repeat() -> None:
    a, b = _SeededIds(1), _SeededIds(1)
    assert [a() for _ in range(3)] == [b() for _ in range(3)]
    assert _SeededIds(1)().version == 4


if __name__ == "__main__":  # python tests/test_record_identity.py --write
    import tempfile

    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as scratch:
        digests = seeded_digests(Path(scratch))
    text = json.dumps(digests, indent=2, sort_keys=True) + "\n"
    if "--write" in sys.argv:
        GOLDEN.write_text(text, encoding="utf-8")
    print(text)
