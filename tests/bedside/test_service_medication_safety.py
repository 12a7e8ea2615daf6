"""Medication safety at the chart service: the dose follows the charted weight, vials must be
stocked and in date, the pump may be slowed but never sped past the plan, PRN medicines need a
clinician's order, waste needs a real second person, and an early end needs the drug accounted
for.

Each test reproduces a scenario that once got through the core review.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pytest

from bedside.clock import FixedClock
from bedside.errors import InputRejected, OperationRefused, SessionLocked
from bedside.events import Phase, PrnGiven, WasteRecorded
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.service import ChartService
from tests.bedside.clinic_support import jo_roe_with_course, reference_session_until
from tests.conftest import T0
from ui.demo import DEMO_PASSWORD, DemoStaff, chart_reference_session


@pytest.fixture
def patient(service: ChartService, staff: DemoStaff) -> Patient:
    return jo_roe_with_course(service, staff)


def session(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient, until: Phase
) -> SessionId:
    return reference_session_until(service, clock, staff, patient, until)


def test_weight_corrected_after_planning_blocks_the_start(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.PREPARED)
    weigh_in = service.state(sid).baseline_vitals[-1]
    clock.advance(minutes=1)
    service.correct(staff.nurse, sid, weigh_in.id, "scale read in lb", weight_kg=52.0)
    with pytest.raises(OperationRefused) as refused:
        service.start_infusion(staff.nurse, sid)
    assert "start.weight_changed" in refused.value.report.codes()
    service.plan_dose(staff.nurse, sid, vial_concentration_mg_ml=10.0, bag_volume_ml=100.0)
    started = service.start_infusion(staff.nurse, sid).event
    assert started.kind == "infusion_started"
    assert service.state(sid).dose_plan.payload.dose_mg == 26.0  # type: ignore[union-attr]


def test_dose_plan_refuses_unstocked_vials_other_weights_and_impossible_bags(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.PREPARED)
    plan, report = service.preview_dose(sid, vial_concentration_mg_ml=25.0)
    assert plan is None
    assert "dose.vial_not_stocked" in report.codes()
    with pytest.raises(InputRejected, match="must use the charted weight"):
        service.plan_dose(staff.nurse, sid, vial_concentration_mg_ml=10.0, weight_kg=90.0)
    plan, report = service.preview_dose(sid, vial_concentration_mg_ml=10.0, bag_volume_ml=5.0)
    assert plan is None
    assert "dose.impossible" in report.codes()
    with pytest.raises(OperationRefused):
        service.plan_dose(staff.nurse, sid, vial_concentration_mg_ml=10.0, bag_volume_ml=5.0)


def test_weight_change_since_the_last_session_is_flagged(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    chart_reference_session(service, clock, staff, patient, chair=1, start=T0)  # 72 kg
    second = chart_reference_session(
        service,
        clock,
        staff,
        patient,
        chair=1,
        start=T0 + timedelta(days=3),
        until=Phase.PREPARED,
    )
    weigh_in = service.state(second).baseline_vitals[-1]
    clock.advance(minutes=1)
    service.correct(staff.nurse, second, weigh_in.id, "re-weighed", weight_kg=79.0)
    _, report = service.preview_dose(second, vial_concentration_mg_ml=10.0)
    assert "dose.weight_changed" in {f.code for f in report.warnings}
    assert "72 kg" in report.summary()


def test_an_expired_vial_is_refused_when_the_preparation_is_recorded(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.PREPARED)
    before = len(service.state(sid).events)
    yesterday = (T0 - timedelta(days=1)).date()
    with pytest.raises(InputRejected, match="has expired"):
        service.record_preparation(
            staff.nurse,
            sid,
            checker=staff.nurse2,
            checker_password=DEMO_PASSWORD,
            vial_concentration_mg_ml=10.0,
            vial_volume_ml=5.0,
            lot="OLD1",
            expiry=yesterday,
            drawn_mg=50.0,
            drawn_ml=5.0,
            bag_volume_ml=100.0,
        )
    assert len(service.state(sid).events) == before


def test_rate_changes_may_slow_the_pump_but_not_speed_it_up(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.INFUSING)
    with pytest.raises(OperationRefused, match="faster than the planned"):
        service.change_rate(staff.nurse, sid, 999.0, "catch up")
    service.change_rate(staff.nurse, sid, 120.0, "nausea: slowed")
    service.pause_infusion(staff.nurse, sid, "BP recheck")
    with pytest.raises(OperationRefused, match="faster than the planned"):
        service.resume_infusion(staff.nurse, sid, rate_ml_h=200.0)
    service.resume_infusion(staff.nurse, sid)  # at the last rate, 120 mL/h
    assert service.state(sid).infusion.segments[-1].rate_ml_h == 120.0


def test_prn_must_be_ordered_by_a_clinician(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.INFUSING)
    with pytest.raises(InputRejected, match="cannot order medicines"):
        service.give_prn(
            staff.nurse,
            sid,
            drug="ondansetron",
            dose=4,
            unit="mg",
            route="IV",
            indication="nausea",
            ordered_by=staff.nurse.id,
        )
    assert service.state(sid).prns == []
    given = service.give_prn(
        staff.nurse,
        sid,
        drug="ondansetron",
        dose=4,
        unit="mg",
        route="IV",
        indication="nausea",
        ordered_by=staff.clinician.id,
    ).event
    assert given.kind == "prn_given"
    assert cast(PrnGiven, given.payload).ordered_by == staff.clinician.id
    assert [e.id for e in service.state(sid).prns] == [given.id]


def test_copied_user_object_cannot_witness_own_waste(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.INFUSING)
    clock.advance(minutes=25)
    service.stop_infusion(staff.nurse, sid, volume_infused_ml=103.6)
    impostor = staff.nurse.model_copy(update={"id": staff.nurse2.id})
    with pytest.raises(InputRejected, match="must be witnessed by a second person"):
        service.record_waste(
            staff.nurse, sid, wasted_mg=14.0, witness=impostor, witness_password=DEMO_PASSWORD
        )
    assert service.state(sid).waste == []


def test_end_early_needs_the_pump_stopped_and_the_drug_accounted_for(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.INFUSING)
    with pytest.raises(OperationRefused, match="Stop the infusion first"):
        service.end_early(staff.nurse, sid, "patient unwell")
    clock.advance(minutes=5)
    service.stop_infusion(
        staff.nurse, sid, volume_infused_ml=51.8, completed=False, reason="patient unwell"
    )
    with pytest.raises(OperationRefused, match="not reconciled"):
        service.end_early(staff.nurse, sid, "patient unwell")
    # 51.8 mL of the 103.6 mL bag = 18 mg infused; 14 mg left in the vial, 18 mg in the bag.
    service.record_waste(
        staff.nurse, sid, wasted_mg=14.0, witness=staff.nurse2, witness_password=DEMO_PASSWORD
    )
    bag = service.record_waste(
        staff.nurse,
        sid,
        wasted_mg=18.0,
        witness=staff.nurse2,
        witness_password=DEMO_PASSWORD,
        source="bag",
    ).event
    # Bag waste is measured at the bag's concentration (0.3475 mg/mL), not the vial's.
    assert cast(WasteRecorded, bag.payload).wasted_ml == pytest.approx(51.8, abs=0.1)
    service.end_early(staff.nurse, sid, "patient unwell")
    with pytest.raises(SessionLocked):
        service.add_note(staff.nurse, sid, "after the end")
