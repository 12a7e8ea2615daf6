"""Which actions a session offers, and to whom: ``charting.actions.available_actions``.

The buttons of the session window are drawn from this one rule, which reads the per-kind table
of ``bedside.events``; these tests walk a session through its phases and check what a nurse, a
clinician and an admin are offered at each.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from charting_fixtures import Clinic, at

from bedside.events import Phase
from charting.actions import Action, available_actions
from ui.demo import DEMO_PASSWORD

A = Action
CHARTING_ALWAYS = {A.VITALS, A.SEDATION, A.CADSS, A.EFFECT, A.PRN, A.NOTE, A.END}


def offered(clinic: Clinic, sid: str, who: str = "nurse") -> frozenset[Action]:
    ctx = clinic.service.context(sid)  # type: ignore[arg-type]
    user = getattr(clinic.staff, who)
    return available_actions(ctx.state, ctx.protocol, user, clinic.clock.now())


def test_before_the_pump_only_notes_and_ending_early(clinic: Clinic) -> None:
    sid = clinic.reference(until=Phase.PREPARED)
    # Prepared: the start is offered (the preparation is recorded), and waste of unused drug.
    assert offered(clinic, sid) == {A.START, A.NOTE, A.END, A.WASTE}


def test_while_infusing(clinic: Clinic) -> None:
    # The reference vial is drawn whole (50 mg) for a 36 mg dose: the 14 mg left in the syringe
    # is open until wasted, so waste is offered while the pump runs (it used to be hidden).
    sid = clinic.reference(until=Phase.INFUSING)
    assert offered(clinic, sid) == CHARTING_ALWAYS | {A.PAUSE, A.RATE, A.STOP, A.DEFER, A.WASTE}


def test_waste_is_offered_exactly_while_drawn_drug_is_open(clinic: Clinic) -> None:
    sid = clinic.reference(until=Phase.INFUSING)
    svc, nurse = clinic.service, clinic.staff.nurse
    svc.record_waste(
        nurse, sid, wasted_mg=14.0, witness=clinic.staff.nurse2, witness_password=DEMO_PASSWORD
    )
    assert A.WASTE not in offered(clinic, sid)  # the syringe's leftover is wasted
    # Stopped at half the bag: the 18 mg left in the bag is open, so waste is offered again.
    svc.stop_infusion(nurse, sid, volume_infused_ml=51.8, completed=False, reason="asked to stop")
    assert A.WASTE in offered(clinic, sid)
    svc.record_waste(
        nurse,
        sid,
        wasted_mg=18.0,
        source="bag",
        witness=clinic.staff.nurse2,
        witness_password=DEMO_PASSWORD,
    )
    assert A.WASTE not in offered(clinic, sid)


def test_an_open_alert_and_an_open_side_effect_add_their_actions(clinic: Clinic) -> None:
    sid = clinic.reference(until=Phase.INFUSING)
    nurse = clinic.staff.nurse
    clinic.service.note_side_effect(nurse, sid, effect="nausea", severity=1)
    clinic.service.record_vitals(nurse, sid, systolic=186, diastolic=104)
    assert {A.ALERT, A.RESOLVE} <= offered(clinic, sid)


def test_paused_offers_resume_but_no_rate_change(clinic: Clinic) -> None:
    sid = clinic.reference(until=Phase.INFUSING)
    clinic.service.pause_infusion(clinic.staff.nurse, sid, "patient asked for a break")
    actions = offered(clinic, sid)
    assert A.PAUSE in actions  # the button reads "Resume" in this phase
    assert A.RATE not in actions
    assert A.STOP in actions


def test_ready_for_discharge_offers_the_signatures(clinic: Clinic) -> None:
    sid = clinic.reference(until=Phase.READY_FOR_DISCHARGE)
    actions = offered(clinic, sid)
    assert {A.DISCHARGE, A.ATTEST, A.SIGN} <= actions
    assert not actions & {A.START, A.PAUSE, A.RATE, A.STOP, A.READY, A.WASTE}


def test_the_charting_nurse_signs_her_charting_once(clinic: Clinic) -> None:
    sid = clinic.reference(until=Phase.READY_FOR_DISCHARGE)
    clinic.service.attest_chart(clinic.staff.nurse, sid, DEMO_PASSWORD)
    assert A.ATTEST not in offered(clinic, sid, "nurse")
    assert A.ATTEST in offered(clinic, sid, "nurse2")


def test_signed_offers_only_the_addendum(clinic: Clinic) -> None:
    sid = clinic.reference()
    assert offered(clinic, sid) == {A.ADDENDUM}
    assert offered(clinic, sid, "clinician") == {A.ADDENDUM}


@pytest.mark.parametrize("until", [Phase.PREPARED, Phase.INFUSING, Phase.SIGNED])
def test_an_admin_who_may_not_chart_is_offered_nothing(clinic: Clinic, until: Phase) -> None:
    sid = clinic.reference(until=until)
    assert offered(clinic, sid, "admin") == frozenset()


def test_nobody_signed_in_is_offered_nothing(clinic: Clinic) -> None:
    sid = clinic.reference(until=Phase.INFUSING)
    ctx = clinic.service.context(sid)
    assert available_actions(ctx.state, ctx.protocol, None, clinic.clock.now()) == frozenset()


def test_defer_needs_a_check_to_defer(clinic: Clinic) -> None:
    sid = clinic.reference(until=Phase.INFUSING)
    ctx = clinic.service.context(sid)
    nurse = clinic.staff.nurse
    assert A.DEFER in available_actions(ctx.state, ctx.protocol, nurse, at(21))
    clinic.clock.set(at(21))
    clinic.service.stop_infusion(
        nurse, sid, volume_infused_ml=55.0, completed=False, reason="x" * 3
    )
    signed_later = at(21) + timedelta(hours=1)
    # After the stop, checks continue every 15 minutes until the session closes.
    ctx = clinic.service.context(sid)
    assert A.DEFER in available_actions(ctx.state, ctx.protocol, nurse, signed_later)
