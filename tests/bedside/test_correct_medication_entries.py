"""Correcting a PRN, the dose plan and the preparation (issue 9 A3): each is judged again as a
new one would be. A corrected PRN meets the allergy check and the PRN list again (the
original's override is never carried over); a corrected dose plan is computed again by the
core; a corrected preparation needs a fresh second-person double-check. The original stays,
struck, with the reason, and the controlled-substance record and the printout read the
corrected entry."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from typing import Any, cast

import pytest
from pypdf import PdfReader

from bedside.clock import FixedClock
from bedside.errors import AuthenticationFailed, InputRejected, OperationRefused, PermissionDenied
from bedside.events import DosePlanned, DrugPrepared, IntakeScreened, Kind, Phase, PrnGiven
from bedside.ids import SessionId
from bedside.rules import controlled, phases
from bedside.service import ChartService
from export.session_pdf import session_pdf
from tests.bedside.clinic_support import jo_roe_with_course, reference_session_until
from tests.bedside.test_prn_checks import PENICILLIN, give, infusing
from ui.demo import DEMO_PASSWORD, DemoStaff

FIELDS: dict[str, Any] = {
    "drug": "ondansetron",
    "dose": 4,
    "unit": "mg",
    "route": "IV",
    "indication": "nausea",
}


def _prn(service: ChartService, sid: SessionId) -> Any:
    return service.state(sid).prns[-1]


def _pdf_text(service: ChartService, sid: SessionId) -> str:
    data = session_pdf(service, sid, printed_at=datetime(2026, 11, 25, tzinfo=UTC), printed_by="t")
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pages))


# --- a PRN given ----------------------------------------------------------------------------------


def test_a_prn_corrected_to_an_allergy_drug_is_refused_unless_a_clinician_overrides(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    sid = infusing(service, clock, staff, PENICILLIN)
    give(service, staff, sid)
    original = _prn(service, sid)
    before = len(service.state(sid).events)
    clock.advance(minutes=5)
    to_penicillin: dict[str, Any] = {"drug": "penicillin V", "dose": 250, "route": "PO"}
    with pytest.raises(OperationRefused, match="was NOT given") as refused:
        service.correct_prn(
            staff.nurse, sid, original.id, "wrong drug charted", **to_penicillin,
            acknowledged=("prn.not_on_list",),
        )  # fmt: skip
    assert [f.code for f in refused.value.report.errors] == ["prn.allergy"]
    with pytest.raises(PermissionDenied):  # a nurse cannot override, in a correction either
        service.correct_prn(
            staff.nurse, sid, original.id, "wrong drug charted", **to_penicillin,
            acknowledged=("prn.not_on_list",), override_by=staff.nurse2,
            override_password=DEMO_PASSWORD, override_reason="we always give it",
        )  # fmt: skip
    assert len(service.state(sid).events) == before  # nothing saved
    service.correct_prn(
        staff.nurse, sid, original.id, "wrong drug charted", **to_penicillin,
        acknowledged=("prn.not_on_list",), override_by=staff.clinician,
        override_password=DEMO_PASSWORD, override_reason="allergist letter on file: tolerated",
    )  # fmt: skip
    state = service.state(sid)
    fixed = state.prns[-1]
    prn = cast(PrnGiven, fixed.payload)
    assert (prn.drug, prn.dose, prn.route) == ("penicillin V", 250, "PO")
    assert prn.override is not None
    assert prn.override.finding_codes == ("prn.allergy",)
    assert fixed.supersedes == original.id
    assert fixed.reason == "wrong drug charted"
    assert fixed.clinical_time == original.clinical_time  # when it was given is kept
    assert state.superseded[original.id].reason == "wrong drug charted"


def test_a_corrected_prn_never_keeps_the_originals_override(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    sid = infusing(service, clock, staff, PENICILLIN)
    give(
        service, staff, sid, drug="penicillin V", dose=250, route="PO",
        acknowledged=("prn.not_on_list",), override_by=staff.clinician,
        override_password=DEMO_PASSWORD, override_reason="allergist letter on file: tolerated",
    )  # fmt: skip
    original = _prn(service, sid)
    with pytest.raises(OperationRefused) as refused:
        service.correct_prn(
            staff.nurse, sid, original.id, "dose typo", dose=500,
            acknowledged=("prn.not_on_list",),
        )  # fmt: skip
    assert "prn.allergy" in refused.value.report.codes()
    with pytest.raises(InputRejected, match="cannot be given"):
        service.correct_prn(
            staff.nurse, sid, original.id, "dose typo", dose=500,
            override=cast(PrnGiven, original.payload).override,
        )  # fmt: skip


def test_a_corrected_prn_is_not_its_own_previous_dose(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    sid = infusing(service, clock, staff, {"state": "nkda"})
    give(service, staff, sid)
    original = _prn(service, sid)
    clock.advance(minutes=10)
    # 8 mg is the session maximum and 4 mg was charted 10 min ago: judged as a new dose
    # beside the one it replaces, it would warn twice; judged in its place, it is clean.
    preview = service.preview_prn_correction(
        sid, original.id, drug="ondansetron", dose=8, unit="mg", route="IV"
    )
    assert not preview.findings
    service.correct_prn(staff.nurse, sid, original.id, "8 mg was given, not 4", dose=8)
    assert cast(PrnGiven, _prn(service, sid).payload).dose == 8
    # A second dose 5 min later is still judged against the corrected one.
    clock.advance(minutes=5)
    with pytest.raises(OperationRefused) as refused:
        give(service, staff, sid, dose=1)
    assert {"prn.above_max", "prn.interval"} <= set(refused.value.report.codes())


def test_the_generic_correction_refuses_the_kinds_that_are_judged_again(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    sid = infusing(service, clock, staff, PENICILLIN)
    give(service, staff, sid)
    state = service.state(sid)
    for entry, fields in (
        (state.prns[-1], {"drug": "penicillin V"}),
        (state.dose_plan, {"dose_mg": 20.0}),
        (state.preparation, {"lot": "OTHER1"}),
        (state.intake, {"fasting_as_instructed": False}),
    ):
        assert entry is not None
        with pytest.raises(InputRejected, match="its own form"):
            service.correct(staff.nurse, sid, entry.id, "typo", **fields)


# --- the dose plan and the preparation --------------------------------------------------------


@pytest.fixture
def started(service: ChartService, clock: FixedClock, staff: DemoStaff) -> SessionId:
    """The reference session infusing (a 50 mg / 5 mL vial drawn whole, 36 mg planned)."""
    patient = jo_roe_with_course(service, staff)
    return reference_session_until(service, clock, staff, patient, Phase.INFUSING)


def test_a_preparation_corrected_after_the_start_is_double_checked_afresh(
    service: ChartService, clock: FixedClock, staff: DemoStaff, started: SessionId
) -> None:
    sid = started
    original = service.state(sid).preparation
    assert original is not None
    was = cast(DrugPrepared, original.payload)
    clock.advance(minutes=3)
    fix: dict[str, Any] = {"lot": "KX2291B", "expiry": "06/2028"}
    with pytest.raises(InputRejected, match="second person"):
        service.correct_preparation(
            staff.nurse, sid, original.id, "lot misread", checker=staff.nurse,
            checker_password=DEMO_PASSWORD, **fix,
        )  # fmt: skip
    with pytest.raises(AuthenticationFailed):
        service.correct_preparation(
            staff.nurse, sid, original.id, "lot misread", checker=staff.nurse2,
            checker_password="wrong", **fix,
        )  # fmt: skip
    service.correct_preparation(
        staff.nurse, sid, original.id, "lot misread", checker=staff.nurse2,
        checker_password=DEMO_PASSWORD, **fix,
    )  # fmt: skip
    state = service.state(sid)
    assert state.preparation is not None
    assert state.preparation.supersedes == original.id
    prep = cast(DrugPrepared, state.preparation.payload)
    assert prep.lot == "KX2291B"
    assert prep.expiry == date(2028, 6, 30)  # "06/2028" read as the month's last day
    assert (prep.drawn_ml, prep.drawn_mg, prep.ndc) == (was.drawn_ml, was.drawn_mg, was.ndc)
    # A fresh signature over the record as it is now, never the original one copied.
    assert prep.double_check != was.double_check
    assert prep.double_check.signed_at == clock.now()
    assert prep.double_check.signer_id == staff.nurse2.id
    assert state.preparation.clinical_time == original.clinical_time
    assert controlled.reconcile(state, service.store.protocol(state.opened.protocol_id)).lot == (
        "KX2291B"
    )
    text = _pdf_text(service, sid)
    assert "KX2291B" in text
    with pytest.raises(OperationRefused, match="corrected, never voided"):
        service.void(staff.nurse, sid, state.preparation.id, "made in error")


def test_an_expired_vial_found_after_the_start_is_recorded_and_flagged_at_sign_off(
    service: ChartService, clock: FixedClock, staff: DemoStaff, started: SessionId
) -> None:
    """The vial already infused turns out to have expired: the record must say so (refusing
    the correction would keep a known-wrong expiry); the sign-off then needs a clinician's
    reason, and the finding names the lot and both dates."""
    original = service.state(started).preparation
    assert original is not None
    assert not any(
        f.code == "cs.expired_vial_used"
        for f in phases.sign_report(
            service.state(started), service.context(started).protocol, clock.now()
        ).findings
    )
    service.correct_preparation(
        staff.nurse,
        started,
        original.id,
        "expiry misread: the vial says JAN 2020",
        expiry="01/2020",
        checker=staff.nurse2,
        checker_password=DEMO_PASSWORD,
    )
    state = service.state(started)
    prep = cast(DrugPrepared, state.preparation.payload)  # type: ignore[union-attr]
    assert prep.expiry == date(2020, 1, 31)
    report = phases.sign_report(state, service.context(started).protocol, clock.now())
    (finding,) = [f for f in report.errors if f.code == "cs.expired_vial_used"]
    assert finding.overridable
    assert "expired on 31 Jan 2020" in finding.message


def test_a_corrected_preparation_is_refused_an_overdraw(
    service: ChartService, clock: FixedClock, staff: DemoStaff, started: SessionId
) -> None:
    original = service.state(started).preparation
    assert original is not None
    sign: dict[str, Any] = {"checker": staff.nurse2, "checker_password": DEMO_PASSWORD}
    with pytest.raises(InputRejected, match="more than the vial holds"):
        service.correct_preparation(
            staff.nurse, started, original.id, "amount misread", drawn_ml=6.0, **sign
        )
    assert service.state(started).preparation == original


def test_a_dose_plan_corrected_is_computed_again_from_the_charted_weight(
    service: ChartService, clock: FixedClock, staff: DemoStaff, started: SessionId
) -> None:
    sid = started
    state = service.state(sid)
    original = state.dose_plan
    assert original is not None
    was = cast(DosePlanned, original.payload)
    assert was.weight_kg == 72.0
    assert was.dose_mg == 36.0
    clock.advance(minutes=2)
    weigh_in = state.baseline_vitals[-1]
    service.correct(staff.nurse, sid, weigh_in.id, "scale read wrong", weight_kg=70.0)
    with pytest.raises(InputRejected, match="correct the preparation first"):
        service.correct_dose_plan(
            staff.nurse, sid, original.id, "weight typo", vial_concentration_mg_ml=50.0
        )
    service.correct_dose_plan(
        staff.nurse, sid, original.id, "weight typo", vial_concentration_mg_ml=10.0
    )
    state = service.state(sid)
    assert state.dose_plan is not None
    assert state.dose_plan.supersedes == original.id
    plan = cast(DosePlanned, state.dose_plan.payload)
    # Computed by the core as a new plan would be: 0.5 mg/kg × 70 kg in the same bag.
    assert (plan.weight_kg, plan.dose_mg, plan.drug_volume_ml) == (70.0, 35.0, 3.5)
    assert plan.bag_volume_ml == was.bag_volume_ml
    assert plan.weight_measured_on == was.weight_measured_on
    assert plan.final_volume_ml == 103.5
    assert state.dose_plan.clinical_time == original.clinical_time
    record = controlled.reconcile(state, service.store.protocol(state.opened.protocol_id))
    assert (
        record.added_to_bag_mg == 35.0
    )  # the controlled-substance record reads the corrected plan
    assert "35 mg" in _pdf_text(service, sid)
    with pytest.raises(OperationRefused, match="corrected, never voided"):
        service.void(staff.nurse, sid, state.dose_plan.id, "made in error")


def test_only_the_plan_in_force_is_corrected_and_hard_stops_still_refuse(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    patient = jo_roe_with_course(service, staff)
    sid = reference_session_until(service, clock, staff, patient, Phase.PREPARED)
    first = service.state(sid).dose_plan
    assert first is not None
    service.plan_dose(staff.nurse, sid, vial_concentration_mg_ml=10.0, bag_volume_ml=100.0)
    with pytest.raises(InputRejected, match="recorded again since"):
        service.correct_dose_plan(staff.nurse, sid, first.id, "typo", vial_concentration_mg_ml=10.0)
    current = service.state(sid).dose_plan
    assert current is not None
    with pytest.raises(OperationRefused, match="Dose not planned") as refused:
        service.correct_dose_plan(
            staff.nurse, sid, current.id, "bag", vial_concentration_mg_ml=10.0, bag_volume_ml=5
        )
    assert "dose.impossible" in refused.value.report.codes()
    with pytest.raises(InputRejected, match="Reason for correction"):
        service.correct_dose_plan(staff.nurse, sid, current.id, " ", vial_concentration_mg_ml=10.0)
    assert service.state(sid).dose_plan == current
    assert Kind.DOSE_PLANNED in {e.kind for e in service.state(sid).events}


# --- the intake screen ---------------------------------------------------------------------


def test_an_intake_corrected_keeps_the_allergies_as_confirmed_unless_they_change(
    service: ChartService, clock: FixedClock, staff: DemoStaff, started: SessionId
) -> None:
    """A wrongly ticked answer is corrected; the allergies keep who confirmed them and when
    while their answer is the same, and a changed answer is confirmed afresh by the nurse
    correcting it and joins the patient's allergy history."""
    original = service.state(started).intake
    assert original is not None
    was = cast(IntakeScreened, original.payload)
    assert was.allergies is not None
    values = was.model_dump(exclude={"allergies", "kind"})
    same = {"state": was.allergies.state.value, "allergies": list(was.allergies.allergies)}
    clock.advance(minutes=3)
    service.correct_intake(
        staff.nurse2,
        started,
        original.id,
        "fasting was ticked by mistake",
        **{**values, "fasting_as_instructed": not was.fasting_as_instructed},
        allergies=same,
    )
    fixed = service.state(started).intake
    assert fixed is not None
    assert fixed.supersedes == original.id
    assert fixed.clinical_time == original.clinical_time
    now = cast(IntakeScreened, fixed.payload)
    assert now.fasting_as_instructed is not was.fasting_as_instructed
    assert now.allergies == was.allergies  # same answer: confirmed as before, by whom it was
    clock.advance(minutes=3)
    service.correct_intake(
        staff.nurse2,
        started,
        fixed.id,
        "patient remembered a latex allergy",
        **values,
        allergies={"state": "listed", "allergies": ["latex (hives)"]},
    )
    latest = cast(IntakeScreened, service.state(started).intake.payload)  # type: ignore[union-attr]
    assert latest.allergies is not None
    assert latest.allergies.listed_text == "latex (hives)"
    assert latest.allergies.confirmed_by == staff.nurse2.id
    assert latest.allergies.confirmed_at == clock.now()
    patient = service.context(started).patient
    assert patient.allergies.listed_text == "latex (hives)"  # the next session starts from it
    with pytest.raises(InputRejected, match="Allergies"):
        service.correct_intake(
            staff.nurse2, started, service.state(started).intake.id, "x" * 5, **values
        )  # type: ignore[union-attr]


def test_the_intake_screen_is_corrected_never_voided(
    service: ChartService, staff: DemoStaff, started: SessionId
) -> None:
    """Voiding the intake mid-session would leave the session with no screening at all."""
    intake = service.state(started).intake
    assert intake is not None
    with pytest.raises(OperationRefused, match="corrected, never voided"):
        service.void(staff.nurse, started, intake.id, "entered on the wrong form")
    assert service.state(started).intake == intake
