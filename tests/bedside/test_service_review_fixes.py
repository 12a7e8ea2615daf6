"""Regression tests for the core review: each reproduces a scenario that used to get through."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import pytest

from bedside.clock import FixedClock
from bedside.demo import ALDRETE_FULL, DEMO_PASSWORD, DemoStaff, chart_reference_session
from bedside.errors import InputRejected, OperationRefused, PermissionDenied, SessionLocked
from bedside.events import Phase, WasteRecorded
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.scales import ScaleName
from bedside.service import ChartService
from tests.bedside.clinic_support import patient_with_course
from tests.conftest import T0


@pytest.fixture
def patient(service: ChartService, staff: DemoStaff) -> Patient:
    p = service.register_patient(
        staff.nurse,
        mrn="MRN-9",
        family_name="Roe",
        given_name="Jo",
        date_of_birth=date(1980, 1, 1),
        sex="male",
    )
    service.order_course(
        staff.clinician,
        DEMO_PASSWORD,
        patient_id=p.id,
        indication="TRD",
        planned_infusions=6,
        mg_per_kg=0.5,
        duration_min=40,
        max_dose_mg=60,
    )
    return p


def session(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient, until: Phase
) -> SessionId:
    return chart_reference_session(service, clock, staff, patient, chair=1, start=T0, until=until)


def test_ready_session_with_worse_findings_cannot_be_signed(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.READY_FOR_DISCHARGE)
    clock.advance(minutes=1)
    service.score_scale(staff.nurse, sid, ScaleName.MOAAS, {"response": 3})
    with pytest.raises(OperationRefused) as refused:
        service.sign_off(staff.clinician, sid, DEMO_PASSWORD)
    assert "discharge.sedation_resolved" in refused.value.report.codes()
    assert not service.state(sid).locked


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
    started = service.start_infusion(staff.nurse, sid)
    assert started.kind == "infusion_started"
    assert service.state(sid).dose_plan.payload.dose_mg == 26.0  # type: ignore[union-attr]


def test_stale_deactivated_admin_object_cannot_manage_users(
    service: ChartService, staff: DemoStaff
) -> None:
    other_admin = service.accounts.create_user(
        staff.admin,
        username="admin2",
        full_name="Second Admin",
        role=staff.admin.role,
        password=DEMO_PASSWORD,
    )
    service.accounts.set_active(staff.admin, other_admin.id, False)
    with pytest.raises(PermissionDenied, match="deactivated"):
        service.accounts.set_active(other_admin, other_admin.id, True)
    with pytest.raises(PermissionDenied, match="deactivated"):
        service.new_protocol_version(other_admin, {"alerts.pause.systolic_max": 240})


def test_copied_user_object_cannot_witness_own_waste(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.INFUSING)
    clock.advance(minutes=25)
    service.stop_infusion(staff.nurse, sid, volume_infused_ml=103.6)
    impostor = staff.nurse.model_copy(update={"id": staff.nurse2.id})
    with pytest.raises((InputRejected, PermissionDenied)):
        service.record_waste(
            staff.nurse, sid, wasted_mg=14.0, witness=impostor, witness_password=DEMO_PASSWORD
        )
    assert service.state(sid).waste == []


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
    service.give_prn(
        staff.nurse,
        sid,
        drug="ondansetron",
        dose=4,
        unit="mg",
        route="IV",
        indication="nausea",
        ordered_by=staff.clinician.id,
    )


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
    )
    # Bag waste is measured at the bag's concentration (0.3475 mg/mL), not the vial's.
    assert cast(WasteRecorded, bag.payload).wasted_ml == pytest.approx(51.8, abs=0.1)
    service.end_early(staff.nurse, sid, "patient unwell")
    with pytest.raises(SessionLocked):
        service.add_note(staff.nurse, sid, "after the end")


def test_ended_session_is_locked_in_the_database(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    import sqlite3

    from bedside.events import EventDraft, NoteAdded

    clock.set(T0)
    sid = service.open_session(staff.nurse, patient_id=patient.id, chair=2)
    clock.advance(minutes=1)
    service.end_early(staff.nurse, sid, "patient did not attend")
    with pytest.raises((SessionLocked, sqlite3.IntegrityError)):
        service.store.append(
            sid,
            [EventDraft(payload=NoteAdded(text="sneaked"), clinical_time=clock.now())],
            author=staff.nurse.id,
            at=clock.now(),
        )


def test_discharge_assessment_correction_is_rescored(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.READY_FOR_DISCHARGE)
    assessment = service.state(sid).discharge_assessments[-1]
    clock.advance(minutes=2)
    fixed = service.correct(
        staff.nurse,
        sid,
        assessment.id,
        "activity mis-scored",
        answers={**ALDRETE_FULL, "activity": 1},
    )
    assert fixed.payload.total == 9  # type: ignore[union-attr]
    assert clock.now() - T0 > timedelta(minutes=100)


def test_a_concurrent_append_is_refused_not_judged_on_a_stale_record(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient, tmp_path
) -> None:
    from bedside.errors import ConcurrentChange
    from bedside.store import Store

    sid = session(service, clock, staff, patient, Phase.PREPARED)
    clock.set(T0 + timedelta(minutes=20))
    ctx = service.context(sid)  # workstation A reads the record ...
    other = ChartService(Store(service.store.path), clock)
    other.start_infusion(staff.nurse2, sid)  # ... workstation B starts the pump first
    from bedside.events import EventDraft, InfusionStarted

    draft = EventDraft(
        payload=InfusionStarted(rate_ml_h=155.4, vtbi_ml=103.6), clinical_time=clock.now()
    )
    with pytest.raises(ConcurrentChange, match="NOT saved"):
        service._append(staff.nurse, ctx, [draft])
    starts = [e for e in service.state(sid).events if e.kind == "infusion_started"]
    assert len(starts) == 1
    other.store.close()


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


def test_a_patient_in_a_chair_cannot_be_opened_on_another(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    session(service, clock, staff, patient, Phase.INFUSING)
    with pytest.raises(OperationRefused, match="already has an open session on chair 1"):
        service.open_session(staff.nurse, patient_id=patient.id, chair=2)


def test_a_dose_change_order_continues_the_session_count(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    first = session(service, clock, staff, patient, Phase.SIGNED)
    assert service.store.session(first).number_in_course == 1
    old = service.active_course(patient.id)
    assert old is not None
    changed = service.order_course(
        staff.clinician,
        DEMO_PASSWORD,
        patient_id=patient.id,
        indication="TRD",
        planned_infusions=6,
        mg_per_kg=0.6,
        duration_min=40,
        max_dose_mg=60,
        supersedes=old.id,
    )
    assert service.sessions_given(changed) == 1
    clock.set(T0 + timedelta(days=3))
    second = service.open_session(staff.nurse, patient_id=patient.id, chair=2)
    header = service.store.session(second)
    assert (header.course_id, header.number_in_course) == (changed.id, 2)


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


def test_a_second_infusion_the_same_day_is_refused(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    first = session(service, clock, staff, patient, Phase.SIGNED)
    with pytest.raises(OperationRefused, match="already had an infusion today"):
        service.open_session(staff.nurse, patient_id=patient.id, chair=2)
    assert [h.id for h in service.store.sessions_for_patient(patient.id)] == [first]
    clock.set(T0 + timedelta(days=2))
    service.open_session(staff.nurse, patient_id=patient.id, chair=2)  # another day: fine


def test_a_session_ended_before_its_pump_started_does_not_block_the_day(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    clock.set(T0)
    wrong = service.open_session(staff.nurse, patient_id=patient.id, chair=1)
    service.end_early(staff.nurse, wrong, "Opened for the wrong patient")
    service.open_session(staff.nurse, patient_id=patient.id, chair=1)


def test_the_charting_nurse_signs_the_record_before_sign_off(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    from bedside.errors import AuthenticationFailed
    from bedside.events import ChartAttested
    from bedside.signatures import Meaning

    sid = session(service, clock, staff, patient, Phase.INFUSING)
    with pytest.raises(OperationRefused, match="sign the charting"):
        service.attest_chart(staff.nurse, sid, DEMO_PASSWORD)  # not while the pump runs
    ready = chart_reference_session(
        service,
        clock,
        staff,
        patient_with_course(service, staff, "MRN-10"),
        chair=2,
        start=T0,
        until=Phase.READY_FOR_DISCHARGE,
    )
    with pytest.raises(AuthenticationFailed):
        service.attest_chart(staff.nurse, ready, "wrong password")
    event = service.attest_chart(staff.nurse, ready, DEMO_PASSWORD)
    signature = cast(ChartAttested, event.payload).signature
    assert signature.meaning is Meaning.CHARTED_BY
    assert signature.signer_id == staff.nurse.id
    with pytest.raises(OperationRefused, match="already signed"):
        service.attest_chart(staff.nurse, ready, DEMO_PASSWORD)
    assert [e.id for e in service.state(ready).attestations] == [event.id]
