"""Two processes appending to the SAME session at the same time (two workstations, or the app
and the command line) serialise: one chain, seq 1..N without gaps or forks, nothing lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bedside.ids import SessionId
from bedside.store import Store
from tests.store.support import Clinic, Worker

pytestmark = pytest.mark.slow

PER_WORKER = 100


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for w in started:
        w.cleanup()


def test_two_processes_append_to_one_session(clinic: Clinic, workers: list[Worker]) -> None:
    sid = clinic.open_session()
    nurse = clinic.staff.nurse.id
    start = clinic.clock.now()
    clinic.close()

    # Both chart through the service. Each worker leaves a short gap between its appends, as
    # a person charting does: without it SQLite's busy handler sleeps while the writer holding
    # the lock takes it again at once, and the two would seldom interleave.
    for _ in range(2):
        workers.append(
            Worker(
                clinic.path,
                sid,
                nurse,
                start,
                count=PER_WORKER,
                via="service",
                wait_for_go=True,
                gap_ms=3,
            )
        )
    for w in workers:
        w.wait_ready()
    for w in workers:  # both are past start-up: released together
        w.go()
    for w in workers:
        w.finish()

    with Store(clinic.path) as store:
        events = store.events(SessionId(sid))
        assert store.verify() == []
    total = 1 + 2 * PER_WORKER  # session_opened + the notes
    assert len(events) == total
    assert [e.seq for e in events] == list(range(1, total + 1))
    stored = {e.id: e.seq for e in events}
    for w in workers:
        assert len(w.acks) == PER_WORKER
        assert {a.event_id: a.seq for a in w.acks}.items() <= stored.items()
        seqs = [a.seq for a in w.acks]
        assert seqs == sorted(seqs)
    # the two really ran at the same time (otherwise this test proved nothing)
    owner = {a.seq: i for i, w in enumerate(workers) for a in w.acks}
    switches = sum(owner[s] != owner[s + 1] for s in range(2, total))
    assert switches >= 2, f"the workers did not overlap (owner switched {switches} times)"
