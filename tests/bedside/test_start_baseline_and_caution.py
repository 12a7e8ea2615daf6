"""Issue 10 item 9: the start is judged on a fresh baseline, and a baseline in the caution band is
put on record by a clinician.

Protocol defaults (CLINICAL.md §13): a baseline blood pressure at most 30 min old at the start
(``monitoring.baseline_max_age_min``); caution above 140/90 (``alerts.caution_before_start``),
acknowledged by a clinician with a reason. The reference session charts its baseline at
T0+5 min and has the drug prepared at T0+16 min.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from bedside.clock import FixedClock
from bedside.errors import InputRejected, OperationRefused, PermissionDenied
from bedside.eventlog import check_log, export_session, import_log, parse_log, to_json
from bedside.events import InfusionStarted, Phase, PhaseAdvanced
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.rules import baseline_age
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.signatures import Meaning
from bedside.store import Store
from charting.record_text import Wording, entry_words
from tests.bedside.clinic_support import jo_roe_with_course, reference_session_until
from tests.bedside.test_import_guards import rehashed
from tests.conftest import T0
from tests.importing import receiving_admin
from tests.session_builders import screened_session
from ui.demo import DEMO_PASSWORD, SIGNATURE_STROKES, DemoStaff
from ui.demo.answers import cssrs_negative, phq9_answers
from ui.demo.reference import prepare_reference_dose

BASELINE_AT = T0 + timedelta(minutes=5)
"""When the reference session's baseline is charted."""

FULL_SET: dict[str, Any] = {
    "systolic": 128,
    "diastolic": 82,
    "heart_rate": 76,
    "spo2": 98,
    "resp_rate": 14,
    "weight_kg": 72.0,
}


@pytest.fixture
def patient(service: ChartService, staff: DemoStaff) -> Patient:
    return jo_roe_with_course(service, staff)


@pytest.fixture
def prepared(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> SessionId:
    """The reference session with the drug drawn up, just before the start."""
    return reference_session_until(service, clock, staff, patient, Phase.PREPARED)


def start_refused(service: ChartService, staff: DemoStaff, sid: SessionId, **kw: Any) -> Any:
    with pytest.raises(OperationRefused) as refused:
        service.start_infusion(staff.nurse, sid, **kw)
    return refused.value.report


# --- a stale baseline at the start --------------------------------------------------------------


def test_a_baseline_older_than_the_limit_refuses_the_start_naming_its_age(
    service: ChartService, clock: FixedClock, staff: DemoStaff, prepared: SessionId
) -> None:
    clock.set(BASELINE_AT + timedelta(minutes=97))  # the walk found a 97-minute-old baseline
    report = start_refused(service, staff, prepared)
    (stale,) = report.errors
    assert stale.code == "start.baseline_stale"
    assert stale.overridable
    assert "97 min old (limit 30 min)" in stale.message
    assert "fresh baseline set" in stale.message
    assert "clinician" in stale.message
    assert service.state(prepared).phase is Phase.PREPARED


def test_a_baseline_exactly_at_the_limit_still_starts(
    service: ChartService, clock: FixedClock, staff: DemoStaff, prepared: SessionId
) -> None:
    clock.set(BASELINE_AT + timedelta(minutes=30))
    assert service.start_infusion(staff.nurse, prepared).event.kind == "infusion_started"


def test_the_age_is_taken_at_the_starts_clinical_time(
    service: ChartService, clock: FixedClock, staff: DemoStaff, prepared: SessionId
) -> None:
    # Charted late: the pump went on at +25, typed at +60. The baseline was fresh then.
    clock.set(BASELINE_AT + timedelta(minutes=60))
    when = BASELINE_AT + timedelta(minutes=25)
    event = service.start_infusion(staff.nurse, prepared, clinical_time=when).event
    assert event.clinical_time == when


def test_a_clinician_confirms_a_stale_baseline_with_password_and_reason(
    service: ChartService, clock: FixedClock, staff: DemoStaff, prepared: SessionId
) -> None:
    clock.set(BASELINE_AT + timedelta(minutes=45))
    before = len(service.store.events(prepared))
    with pytest.raises(PermissionDenied):
        service.start_infusion(
            staff.nurse,
            prepared,
            override_by=staff.nurse2,
            override_password=DEMO_PASSWORD,
            override_reason="patient calm, nothing changed",
        )
    with pytest.raises(InputRejected, match="reason"):
        service.start_infusion(
            staff.nurse, prepared, override_by=staff.clinician, override_password=DEMO_PASSWORD
        )
    assert len(service.store.events(prepared)) == before
    event = service.start_infusion(
        staff.nurse,
        prepared,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="Re-checked at the chair 132/84, calm; start now",
    ).event
    override = cast(InfusionStarted, event.payload).override
    assert override is not None
    assert override.finding_codes == ("start.baseline_stale",)
    assert override.clinician_id == staff.clinician.id
    assert override.signature.meaning is Meaning.OVERRIDE
    assert override.reason == "Re-checked at the chair 132/84, calm; start now"
    state = service.state(prepared)
    assert state.phase is Phase.INFUSING
    # The whole record says who confirmed the start and why.
    words = entry_words(event, Wording(state, {staff.clinician.id: "Jordan Lee"}, "UTC"))
    assert words.endswith(
        " · confirmed by Jordan Lee: Re-checked at the chair 132/84, calm; start now"
    )


def test_a_fresh_baseline_set_charted_before_the_start_is_the_new_baseline(
    service: ChartService, clock: FixedClock, staff: DemoStaff, prepared: SessionId
) -> None:
    clock.set(BASELINE_AT + timedelta(minutes=50))
    start_refused(service, staff, prepared)
    # Charted in the dose-and-preparation step: allowed up to the start.
    fresh = {**FULL_SET, "systolic": 132, "diastolic": 84}
    fresh.pop("weight_kg")
    service.record_baseline(staff.nurse, prepared, **fresh)
    state = service.state(prepared)
    assert baseline_age.baseline_age_min(state, clock.now()) == 0
    assert state.baseline_value("systolic") == 132
    assert state.baseline_value("weight_kg") == 72.0  # the dose's weight, from the first set
    event = service.start_infusion(staff.nurse, prepared).event
    assert cast(InfusionStarted, event.payload).override is None


def test_a_weight_only_set_does_not_make_the_baseline_fresh(
    service: ChartService, clock: FixedClock, staff: DemoStaff, prepared: SessionId
) -> None:
    clock.set(BASELINE_AT + timedelta(minutes=40))
    service.record_baseline(staff.nurse, prepared, weight_kg=72.0)
    assert baseline_age.latest_bp_set(service.state(prepared)) is not None
    assert baseline_age.baseline_age_min(service.state(prepared), clock.now()) == 40


def test_a_fresh_set_in_the_do_not_start_band_blocks_the_start(
    service: ChartService, clock: FixedClock, staff: DemoStaff, prepared: SessionId
) -> None:
    clock.set(BASELINE_AT + timedelta(minutes=40))
    service.record_baseline(staff.nurse, prepared, **{**FULL_SET, "systolic": 188})
    codes = start_refused(service, staff, prepared).codes()
    assert "start.baseline.do_not_start.systolic.high" in codes
    assert "start.baseline_stale" not in codes


def test_an_old_start_without_a_confirmation_is_stored_as_before() -> None:
    # The field is left out when absent: starts charted before it existed hash the same.
    started = InfusionStarted(rate_ml_h=155.4, vtbi_ml=103.6)
    assert "override" not in started.model_dump(mode="json")


def test_a_confirmed_start_is_accepted_by_import(
    service: ChartService,
    clock: FixedClock,
    staff: DemoStaff,
    prepared: SessionId,
    tmp_path: Path,
) -> None:
    clock.set(BASELINE_AT + timedelta(minutes=45))
    service.start_infusion(
        staff.nurse,
        prepared,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="Re-checked at the chair, calm; start now",
    )
    log = export_session(service.store, prepared, now=clock.now())
    with Store(tmp_path / "other.db") as other:
        import_log(
            other, log, now=clock.now(), authors_confirmed_by=receiving_admin(other)
        )  # replayed through the start's guard: accepted
    # A forged log without the clinician's confirmation (re-chained, so only the rules object).
    data = json.loads(to_json(log))
    started = next(e for e in data["events"] if e["payload"]["kind"] == "infusion_started")
    started["payload"].pop("override")
    codes = check_log(parse_log(rehashed(data, resign=True))).codes()
    assert any(code.endswith("start.baseline_stale") for code in codes), codes


# --- the caution band ---------------------------------------------------------------------------


def at_baseline_step(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient, **vitals: Any
) -> SessionId:
    """A session screened at T0, in the baseline step with the scores charted and a full
    baseline set (``vitals`` over a normal one) at T0+6."""
    sid = screened_session(service, clock, staff.nurse, patient, T0, phq9_answers(16))
    service.score_scale(staff.nurse, sid, ScaleName.MOAAS, {"response": 5})
    service.score_scale(staff.nurse, sid, ScaleName.CSSRS, cssrs_negative())
    clock.set(T0 + timedelta(minutes=6))
    service.record_baseline(staff.nurse, sid, **{**FULL_SET, **vitals})
    return sid


def consent_and_prepare(
    service: ChartService, clock: FixedClock, staff: DemoStaff, sid: SessionId
) -> None:
    """Consent, the dose step, and the drug drawn up (clock at T0+16)."""
    service.record_consent(
        staff.nurse,
        sid,
        elements_acknowledged=list(service.consent_template.keys),
        capacity_confirmed=True,
        patient_signature=SIGNATURE_STROKES,
        clinician=staff.clinician,
        clinician_password=DEMO_PASSWORD,
    )
    service.advance(staff.nurse, sid, Phase.PREPARED)
    prepare_reference_dose(service, clock, staff, sid, T0)


def test_a_baseline_in_the_caution_band_is_acknowledged_by_a_clinician_with_a_reason(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = at_baseline_step(service, clock, staff, patient, systolic=150, diastolic=95)
    report = service.guard(sid, Phase.CONSENT)
    assert [f.code for f in report.errors] == [
        "baseline.caution.systolic",
        "baseline.caution.diastolic",
    ]
    assert report.overridable
    (systolic, _) = report.errors
    assert systolic.message == (
        "Caution: Systolic BP 150 mmHg above 140 — a clinician acknowledges it with a reason"
    )
    with pytest.raises(OperationRefused):
        service.advance(staff.nurse, sid, Phase.CONSENT)
    event = service.advance(
        staff.nurse,
        sid,
        Phase.CONSENT,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="Usual for her (150/95 at home); benefit outweighs the risk",
    ).event
    override = cast(PhaseAdvanced, event.payload).override
    assert override is not None
    assert override.finding_codes == ("baseline.caution.systolic", "baseline.caution.diastolic")
    assert override.clinician_id == staff.clinician.id
    # Acknowledged once: the start checks the baseline again and does not block on it.
    consent_and_prepare(service, clock, staff, sid)
    clock.set(T0 + timedelta(minutes=20))
    started = service.start_infusion(staff.nurse, sid).event
    assert cast(InfusionStarted, started.payload).override is None


def test_a_fresh_set_newly_in_the_caution_band_is_caught_at_the_start(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = at_baseline_step(service, clock, staff, patient)
    service.advance(staff.nurse, sid, Phase.CONSENT)  # 128/82: nothing to acknowledge
    consent_and_prepare(service, clock, staff, sid)
    clock.set(T0 + timedelta(minutes=18))
    service.record_baseline(staff.nurse, sid, **{**FULL_SET, "systolic": 152})
    report = start_refused(service, staff, sid)
    (caution,) = report.errors
    assert caution.code == "start.baseline.caution.systolic"
    assert caution.message.endswith("(baseline re-checked)")
    assert caution.overridable
    event = service.start_infusion(
        staff.nurse,
        sid,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="Anxious before the start; re-check in 10 min",
    ).event
    override = cast(InfusionStarted, event.payload).override
    assert override is not None
    assert override.finding_codes == ("start.baseline.caution.systolic",)
