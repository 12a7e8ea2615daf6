"""SIGKILL in the middle of charting loses nothing that was acknowledged as saved and leaves a
record that verifies. The child appends notes as fast as it can, so the kill lands at a random
point: between transactions, inside one, or during a commit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bedside.store import Store
from tests.store.support import Ack, Clinic, Worker

pytestmark = pytest.mark.slow

ACKS_BEFORE_KILL = 40
ROUNDS = 3


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for w in started:
        w.cleanup()


def _check_after_crash(path: Path, session_id: str, acked: list[Ack]) -> int:
    with Store(path) as store:
        assert store.verify() == []
        stored = {e.id: e.seq for e in store.events(session_id)}  # type: ignore[arg-type]
        seqs = sorted(stored.values())
    assert seqs == list(range(1, len(seqs) + 1))
    missing = [a for a in acked if a.event_id not in stored]
    assert missing == [], f"{len(missing)} acknowledged events were lost"
    moved = [a for a in acked if stored[a.event_id] != a.seq]
    assert moved == [], "acknowledged events came back with another seq"
    return len(seqs)


@pytest.mark.parametrize("via", ["service", "store"])
def test_sigkill_loses_no_acknowledged_event(
    clinic: Clinic, workers: list[Worker], via: str
) -> None:
    sid = clinic.open_session()
    nurse = clinic.staff.nurse.id
    start = clinic.clock.now()
    clinic.close()

    acked: list[Ack] = []
    stored = 1
    for round_no in range(ROUNDS):
        worker = Worker(
            clinic.path, sid, nurse, start + timedelta(hours=round_no), via=via, count=0
        )
        workers.append(worker)
        worker.wait_ready()
        worker.read_acks(ACKS_BEFORE_KILL)
        worker.kill()
        assert len(worker.acks) >= ACKS_BEFORE_KILL
        acked.extend(worker.acks)
        now_stored = _check_after_crash(clinic.path, sid, acked)
        # every event is either acknowledged or the one that was committing when killed
        assert now_stored - stored in (len(worker.acks), len(worker.acks) + 1)
        stored = now_stored
