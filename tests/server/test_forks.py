"""A session charted at two workstations while they were cut off (issue 14, DESIGN.md §4): after
the next syncs, every entry of both branches is on both workstations; independent entries are
merged in clinical-time order, judged steps of the other branch wait for a clinician, the
session cannot be closed until one resolves it on screen, and once resolved both workstations
fold the same session — the step set aside still in the record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from server_helpers import LATER, sync_at

from bedside.errors import InputRejected, OperationRefused
from bedside.events import Kind, Phase
from bedside.ids import SessionId
from bedside.rules.append import append_report
from bedside.service import ChartService
from bedside.store.server.pull import waiting_forks
from bedside.store.server.setup import connect
from bedside.store.server.verify import verify_server
from charting.board import summarize


def test_both_branches_are_on_both_workstations_and_the_steps_wait_for_a_clinician(
    forked_at: tuple[ChartService, ChartService, SessionId],
) -> None:
    at_a, at_b, session = forked_at
    for here, kind_here, kind_there in (
        (at_b, Kind.RATE_CHANGED, Kind.INFUSION_STOPPED),
        (at_a, Kind.INFUSION_STOPPED, Kind.RATE_CHANGED),
    ):
        state = here.context(session).state
        assert state.fork is not None
        assert state.fork.pending
        # Independent entries of both branches are in the session, in clinical-time order.
        times = [e.clinical_time for e in state.vitals]
        assert times == sorted(times)
        assert {LATER + timedelta(minutes=1), LATER + timedelta(minutes=2)} <= set(times)
        # The other branch's judged step waits; this line's step stands meanwhile.
        assert [e.kind for e in state.fork.waiting_steps] == [kind_there]
        assert [e.kind for e in state.fork.competing_steps] == [kind_here]
        assert kind_there not in {e.kind for e in state.events}
        # Every board flags the chair.
        ctx = here.context(session)
        tile = summarize(ctx.header.chair, state, ctx.protocol, ctx.patient, LATER)
        assert tile.branches_waiting
        # Nobody closes the session while it waits.
        drlee = here.accounts.authenticate("drlee", "bedside-demo")
        codes = append_report(state, Kind.SESSION_SIGNED, drlee).codes()
        assert "session.fork_pending" in codes


def test_a_clinician_resolves_it_and_both_workstations_fold_the_same_session(
    forked_at: tuple[ChartService, ChartService, SessionId], workstation_urls: tuple[str, str]
) -> None:
    at_a, at_b, session = forked_at
    assert [waiting_forks(s.store.conn) for s in (at_a, at_b)] == [1, 1]  # the status bars
    with connect(workstation_urls[1]) as server:
        assert verify_server(server).forks == 1  # and IT's check
    sam = at_b.accounts.authenticate("sam", "bedside-demo")
    with pytest.raises(OperationRefused, match="may not resolve entries charted at two"):
        at_b.resolve_fork(sam, session, steps_from="other", reason="a nurse may not choose")
    drlee = at_b.accounts.authenticate("drlee", "bedside-demo")
    with pytest.raises(InputRejected, match="Reason must have at least 5"):
        at_b.resolve_fork(drlee, session, steps_from="other", reason=" ")
    at_b.resolve_fork(
        drlee, session, steps_from="other", reason="The pump was stopped at the chair"
    )
    sync_at(at_b.store, workstation_urls[1])
    sync_at(at_a.store, workstation_urls[0])
    states = [s.context(session).state for s in (at_a, at_b)]
    for state in states:
        assert state.fork is not None
        assert not state.fork.pending
        assert state.phase is Phase.OBSERVING  # A's stop stands
        assert [e.kind for e in state.fork.set_aside] == [Kind.RATE_CHANGED]  # kept, aside
        aside = state.fork.set_aside[0]
        assert aside in state.events  # still in the record …
        assert state.superseded[aside.id].reason == "The pump was stopped at the chair"
        assert state.superseded[aside.id].by_event.kind == Kind.FORK_RESOLVED
        assert aside.id not in state.effective  # … struck through, never folded
    assert [e.id for e in states[0].events] == [e.id for e in states[1].events]
    assert [waiting_forks(s.store.conn) for s in (at_a, at_b)] == [0, 0]
    with connect(workstation_urls[1]) as server:
        check = verify_server(server)
    assert (check.problems, check.forks) == ([], 0)
    assert states[0].infusion.stopped_at == states[1].infusion.stopped_at
    # Both summaries name the same two workstations, whichever prints.
    assert states[0].fork is not None
    assert states[1].fork is not None
    assert states[0].fork.workstations == states[1].fork.workstations
    assert [w[:5] for w in states[0].fork.workstations] == ["ws_a_", "ws_b_"]
    with pytest.raises(OperationRefused):
        at_b.resolve_fork(drlee, session, steps_from="here", reason="nothing left to resolve")
