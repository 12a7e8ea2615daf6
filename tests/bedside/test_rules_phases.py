"""Phase guards (bedside.rules.phases, bedside.rules.intake) through the chart service.

Codes and limits are written out from CLINICAL.md §2.2 (do not start 180/100), §6.1–6.2 (consent,
absolute vs relative contraindications) and the default protocol; a session is walked step by
step as a nurse would.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from bedside.clock import FixedClock
from bedside.errors import AuthenticationFailed, InputRejected, OperationRefused, PermissionDenied
from bedside.events import DrugPrepared, EventDraft, InfusionStarted, Phase, PhaseAdvanced
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.signatures import Meaning
from bedside.store import Store
from tests.bedside.clinic_support import patient_with_course, staff_in
from tests.conftest import T0
from ui.demo import DEMO_PASSWORD, SIGNATURE_STROKES, DemoStaff, create_staff

ALL_SCREEN_ITEMS = (
    "hypersensitivity",
    "aneurysm_avm",
    "intracerebral_haemorrhage",
    "uncontrolled_hypertension",
    "recent_cardiac_event",
    "raised_icp_iop",
    "psychosis_mania",
    "substance_use",
    "hepatic_impairment",
    "pregnancy_breastfeeding",
    "untreated_hyperthyroidism",
    "cystitis",
)
ABSOLUTE = ("hypersensitivity", "aneurysm_avm", "intracerebral_haemorrhage")
RELATIVE = tuple(k for k in ALL_SCREEN_ITEMS if k not in ABSOLUTE)
PHQ9_KEYS = (
    "q1_interest",
    "q2_depressed",
    "q3_sleep",
    "q4_energy",
    "q5_appetite",
    "q6_self_worth",
    "q7_concentration",
    "q8_psychomotor",
    "q9_self_harm",
)
CSSRS_NONE = {"q1_wish_dead": 0, "q2_active_thoughts": 0, "q6_behaviour": 0}
GOOD_BASELINE = {
    "systolic": 128,
    "diastolic": 82,
    "heart_rate": 76,
    "spo2": 98,
    "resp_rate": 14,
    "temperature_c": 36.7,
    "weight_kg": 72.0,
    "height_cm": 170.0,
}


def phq9(item9: int = 0) -> dict[str, int]:
    answers = dict.fromkeys(PHQ9_KEYS, 2)
    answers["q9_self_harm"] = item9
    return answers


# --- walking a session -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Staff, a patient and a signed course order, built once per module and copied for each
    test (scrypt is slow on purpose)."""
    path = tmp_path_factory.mktemp("phases") / "template.db"
    store = Store(path)
    clock = FixedClock(T0)
    service = ChartService(store, clock)
    store.set_settings({"timezone": "America/New_York"}, actor=None, at=clock.now())
    staff = create_staff(service)
    service.ensure_protocol(staff.admin)
    patient_with_course(service, staff, "MRN-PH1")
    store.close()
    return path


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Iterator[Store]:
    target = tmp_path / "bedside.db"
    shutil.copyfile(template, target)
    s = Store(target)
    yield s
    s.close()


@pytest.fixture
def staff(store: Store) -> DemoStaff:
    return staff_in(store)


@pytest.fixture
def patient(store: Store) -> Patient:
    found = store.patient_by_mrn("MRN-PH1")
    assert found is not None
    return found


@pytest.fixture
def sid(service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient) -> SessionId:
    clock.set(T0)
    return service.open_session(staff.nurse, patient_id=patient.id, chair=1).session_id


def record_intake(service: ChartService, staff: DemoStaff, sid: SessionId, **changes: Any) -> None:
    fields: dict[str, Any] = {
        "identifiers_checked": ("full_name", "date_of_birth"),
        "contraindications": dict.fromkeys(ALL_SCREEN_ITEMS, False),
        "pregnancy_test": "negative",
        "medicines_reviewed": True,
        "fasting_as_instructed": True,
        "substance_use_48h": False,
        "escort_name": "Chris Doe",
        "escort_phone": "555-0142",
        "allergies": {"state": "nkda"},
    }
    fields.update(changes)
    service.record_intake(staff.nurse, sid, **fields)


def with_items(*present: str) -> dict[str, bool]:
    return {k: k in present for k in ALL_SCREEN_ITEMS}


def record_baseline(
    service: ChartService,
    staff: DemoStaff,
    sid: SessionId,
    *,
    vitals: dict[str, Any] | None = None,
    moaas: bool = True,
    phq: dict[str, int] | None = None,
    cssrs: dict[str, int] | None = None,
    skip: tuple[str, ...] = (),
) -> None:
    n = staff.nurse
    service.record_baseline(n, sid, **(vitals or GOOD_BASELINE))
    if moaas:
        service.score_scale(n, sid, ScaleName.MOAAS, {"response": 5})
    if "phq9" not in skip:
        service.score_scale(n, sid, ScaleName.PHQ9, phq or phq9())
    if "cssrs" not in skip:
        service.score_scale(n, sid, ScaleName.CSSRS, cssrs or CSSRS_NONE)


def record_consent(service: ChartService, staff: DemoStaff, sid: SessionId, **changes: Any) -> None:
    fields: dict[str, Any] = {
        "elements_acknowledged": list(service.consent_template.keys),
        "capacity_confirmed": True,
        "patient_signature": SIGNATURE_STROKES,
        "clinician": staff.clinician,
        "clinician_password": DEMO_PASSWORD,
    }
    fields.update(changes)
    service.record_consent(staff.nurse, sid, **fields)


def to_baseline(service: ChartService, staff: DemoStaff, sid: SessionId) -> None:
    record_intake(service, staff, sid)
    service.advance(staff.nurse, sid, Phase.BASELINE)


def to_consent(service: ChartService, staff: DemoStaff, sid: SessionId) -> None:
    to_baseline(service, staff, sid)
    record_baseline(service, staff, sid)
    service.advance(staff.nurse, sid, Phase.CONSENT)


def to_prepared(service: ChartService, staff: DemoStaff, sid: SessionId) -> None:
    to_consent(service, staff, sid)
    record_consent(service, staff, sid)
    service.advance(staff.nurse, sid, Phase.PREPARED)
    service.plan_dose(staff.nurse, sid, vial_concentration_mg_ml=10.0, bag_volume_ml=100.0)


def prepare(service: ChartService, staff: DemoStaff, sid: SessionId, **changes: Any) -> None:
    fields: dict[str, Any] = {
        "vial_concentration_mg_ml": 10.0,
        "vial_volume_ml": 5.0,
        "lot": "KX2291A",
        "expiry": date(2027, 6, 30),
        "drawn_mg": 50.0,
        "drawn_ml": 5.0,
        "bag_volume_ml": 100.0,
    }
    fields.update(changes)
    service.record_preparation(
        staff.nurse, sid, checker=staff.nurse2, checker_password=DEMO_PASSWORD, **fields
    )


def count(service: ChartService, sid: SessionId) -> int:
    return len(service.store.events(sid))


def refused(fn: Any, *args: Any, **kwargs: Any) -> OperationRefused:
    with pytest.raises(OperationRefused) as info:
        fn(*args, **kwargs)
    return info.value


# --- intake -> baseline -------------------------------------------------------------------------


def test_no_intake_refuses_baseline_and_cannot_be_overridden(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    assert service.guard(sid, Phase.BASELINE).codes() == {"intake.missing"}
    before = count(service, sid)
    error = refused(service.advance, staff.nurse, sid, Phase.BASELINE)
    assert error.report.codes() == {"intake.missing"}
    error = refused(
        service.advance,
        staff.nurse,
        sid,
        Phase.BASELINE,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="we know the patient well",
    )
    assert "cannot be overridden" in str(error)
    assert count(service, sid) == before
    assert service.state(sid).phase is Phase.INTAKE


def test_clean_intake_advances(service: ChartService, staff: DemoStaff, sid: SessionId) -> None:
    record_intake(service, staff, sid)
    assert service.guard(sid, Phase.BASELINE).findings == ()
    event = service.advance(staff.nurse, sid, Phase.BASELINE).event
    payload = cast(PhaseAdvanced, event.payload)
    assert (payload.from_phase, payload.to_phase, payload.override) == (
        Phase.INTAKE,
        Phase.BASELINE,
        None,
    )
    assert service.state(sid).phase is Phase.BASELINE


@pytest.mark.parametrize("item", ABSOLUTE)
def test_absolute_contraindication_is_not_overridable(
    service: ChartService, staff: DemoStaff, sid: SessionId, item: str
) -> None:
    record_intake(service, staff, sid, contraindications=with_items(item))
    report = service.guard(sid, Phase.BASELINE)
    (finding,) = report.errors
    assert finding.code == f"intake.contraindication.{item}"
    assert "(absolute)" in finding.message
    assert not finding.overridable
    assert not report.overridable


def test_absolute_contraindication_refused_even_with_a_clinician_override(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    record_intake(service, staff, sid, contraindications=with_items("aneurysm_avm"))
    before = count(service, sid)
    error = refused(
        service.advance,
        staff.nurse,
        sid,
        Phase.BASELINE,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="aneurysm repaired in 2019",
    )
    assert "cannot be overridden" in str(error)
    assert "intake.contraindication.aneurysm_avm" in error.report.codes()
    assert count(service, sid) == before


@pytest.mark.parametrize("item", RELATIVE)
def test_relative_contraindications_are_overridable(
    service: ChartService, staff: DemoStaff, sid: SessionId, item: str
) -> None:
    record_intake(service, staff, sid, contraindications=with_items(item))
    report = service.guard(sid, Phase.BASELINE)
    (finding,) = report.errors
    assert finding.code == f"intake.contraindication.{item}"
    assert finding.overridable
    assert "(absolute)" not in finding.message


def test_relative_contraindication_needs_clinician_reason_and_password(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    record_intake(service, staff, sid, contraindications=with_items("psychosis_mania"))
    before = count(service, sid)
    n, dr = staff.nurse, staff.clinician
    # No override at all.
    assert "Not allowed yet" in str(refused(service.advance, n, sid, Phase.BASELINE))
    # A nurse may not override.
    with pytest.raises(PermissionDenied, match=r"\(nurse\)"):
        service.advance(
            n,
            sid,
            Phase.BASELINE,
            override_by=staff.nurse2,
            override_password=DEMO_PASSWORD,
            override_reason="stable on treatment",
        )
    # A clinician needs a real reason …
    for reason in (None, "", "ok", "    ok    "):
        with pytest.raises(InputRejected, match="reason"):
            service.advance(
                n,
                sid,
                Phase.BASELINE,
                override_by=dr,
                override_password=DEMO_PASSWORD,
                override_reason=reason,
            )
    # … and the password.
    with pytest.raises(InputRejected, match="password"):
        service.advance(n, sid, Phase.BASELINE, override_by=dr, override_reason="stable on lithium")
    with pytest.raises(AuthenticationFailed):
        service.advance(
            n,
            sid,
            Phase.BASELINE,
            override_by=dr,
            override_password="not-the-password",
            override_reason="stable on lithium",
        )
    assert count(service, sid) == before
    event = service.advance(
        n,
        sid,
        Phase.BASELINE,
        override_by=dr,
        override_password=DEMO_PASSWORD,
        override_reason="  stable on lithium, reviewed today  ",
    ).event
    override = cast(PhaseAdvanced, event.payload).override
    assert override is not None
    assert override.clinician_id == dr.id
    assert override.reason == "stable on lithium, reviewed today"
    assert override.finding_codes == ("intake.contraindication.psychosis_mania",)
    assert override.signature.meaning is Meaning.OVERRIDE
    assert override.signature.signer_name == "Jordan Lee, MD"
    assert event.author == n.id
    assert service.state(sid).phase is Phase.BASELINE


@pytest.mark.parametrize(
    ("changes", "code", "overridable"),
    [
        ({"pregnancy_test": "positive"}, "intake.pregnancy_positive", False),
        ({"substance_use_48h": True}, "intake.substance_use_48h", True),
        ({"medicines_reviewed": False}, "intake.medicines_not_reviewed", False),
    ],
)
def test_other_intake_errors(
    service: ChartService,
    staff: DemoStaff,
    sid: SessionId,
    changes: dict[str, Any],
    code: str,
    overridable: bool,
) -> None:
    record_intake(service, staff, sid, **changes)
    (finding,) = service.guard(sid, Phase.BASELINE).errors
    assert (finding.code, finding.overridable) == (code, overridable)


def test_unanswered_and_unknown_screen_items(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    answers = {k: False for k in ALL_SCREEN_ITEMS if k != "cystitis"}
    answers["made_up_item"] = False
    record_intake(service, staff, sid, contraindications=answers)
    report = service.guard(sid, Phase.BASELINE)
    assert {f.code for f in report.errors} == {"intake.unanswered", "intake.unknown_item"}
    (unanswered,) = [f for f in report.errors if f.code == "intake.unanswered"]
    assert "Ulcerative or interstitial cystitis" in unanswered.message


def test_not_fasting_and_no_escort_are_warnings_only(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    record_intake(service, staff, sid, fasting_as_instructed=False, escort_name="", escort_phone="")
    report = service.guard(sid, Phase.BASELINE)
    assert report.is_valid
    assert {f.code for f in report.warnings} == {"intake.not_fasting", "intake.no_escort"}
    service.advance(staff.nurse, sid, Phase.BASELINE)


@pytest.mark.parametrize("ids", [("full_name",), ("mrn", "mrn")])
def test_identity_needs_two_different_identifiers(
    service: ChartService, staff: DemoStaff, sid: SessionId, ids: tuple[str, ...]
) -> None:
    before = count(service, sid)
    with pytest.raises(InputRejected):
        record_intake(service, staff, sid, identifiers_checked=ids)
    assert count(service, sid) == before


# --- baseline -> consent ("OK to start") ------------------------------------------------------------


def test_good_baseline_is_ok_to_start(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_baseline(service, staff, sid)
    record_baseline(service, staff, sid)
    assert service.guard(sid, Phase.CONSENT).findings == ()


def test_no_baseline_at_all(service: ChartService, staff: DemoStaff, sid: SessionId) -> None:
    to_baseline(service, staff, sid)
    assert service.guard(sid, Phase.CONSENT).codes() == {"baseline.missing"}


def test_incomplete_baseline_and_no_weight(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_baseline(service, staff, sid)
    partial = {"systolic": 128, "diastolic": 82, "heart_rate": 76, "spo2": 98}
    record_baseline(service, staff, sid, vitals=partial)
    report = service.guard(sid, Phase.CONSENT)
    assert {f.code for f in report.errors} == {"baseline.incomplete", "baseline.no_weight"}
    (incomplete,) = [f for f in report.errors if f.code == "baseline.incomplete"]
    assert incomplete.message == "Baseline lacks respiratory rate"


def test_do_not_start_baseline_needs_a_clinician_override(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_baseline(service, staff, sid)
    record_baseline(
        service, staff, sid, vitals={**GOOD_BASELINE, "systolic": 190, "diastolic": 100}
    )
    report = service.guard(sid, Phase.CONSENT)
    finding, *cautions = report.errors
    assert finding.code == "baseline.do_not_start.systolic.high"
    assert finding.message == "Do not start: Systolic BP 190 mmHg above 180"
    assert finding.overridable
    # The caution band is acknowledged by the same clinician's override (issue 10 item 9).
    assert [f.code for f in cautions] == ["baseline.caution.systolic", "baseline.caution.diastolic"]
    assert all(f.overridable for f in cautions)
    assert report.warnings == ()
    before = count(service, sid)
    refused(service.advance, staff.nurse, sid, Phase.CONSENT)
    with pytest.raises(PermissionDenied):
        service.advance(
            staff.nurse,
            sid,
            Phase.CONSENT,
            override_by=staff.nurse,
            override_password=DEMO_PASSWORD,
            override_reason="rested and still high, usual for her",
        )
    assert count(service, sid) == before
    event = service.advance(
        staff.nurse,
        sid,
        Phase.CONSENT,
        override_by=staff.clinician,
        override_password=DEMO_PASSWORD,
        override_reason="white-coat effect, 175/95 at home",
    ).event
    override = cast(PhaseAdvanced, event.payload).override
    assert override is not None
    assert override.finding_codes == (
        "baseline.do_not_start.systolic.high",
        "baseline.caution.systolic",
        "baseline.caution.diastolic",
    )
    assert service.state(sid).phase is Phase.CONSENT


def test_repeat_baseline_after_rest_replaces_the_high_one(
    service: ChartService, clock: FixedClock, staff: DemoStaff, sid: SessionId
) -> None:
    to_baseline(service, staff, sid)
    record_baseline(
        service, staff, sid, vitals={**GOOD_BASELINE, "systolic": 190, "diastolic": 100}
    )
    clock.advance(minutes=10)
    service.record_baseline(
        staff.nurse, sid, systolic=150, diastolic=88, heart_rate=74, spo2=98, resp_rate=14
    )
    report = service.guard(sid, Phase.CONSENT)
    # The do-not-start reading is replaced; 150 is still in the caution band, which a
    # clinician acknowledges (issue 10 item 9).
    assert report.codes() == {"baseline.caution.systolic"}
    assert report.overridable


def test_missing_phq9_and_cssrs(service: ChartService, staff: DemoStaff, sid: SessionId) -> None:
    to_baseline(service, staff, sid)
    record_baseline(service, staff, sid, skip=("phq9", "cssrs"))
    report = service.guard(sid, Phase.CONSENT)
    assert {f.code for f in report.errors} == {"baseline.no_phq9", "baseline.no_cssrs"}
    assert report.overridable


def test_missing_sedation_score_is_not_overridable(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_baseline(service, staff, sid)
    record_baseline(service, staff, sid, moaas=False)
    report = service.guard(sid, Phase.CONSENT)
    (finding,) = report.errors
    assert finding.code == "baseline.no_sedation_score"
    assert "MOAA/S" in finding.message
    assert not report.overridable


def test_cssrs_high_risk_blocks(service: ChartService, staff: DemoStaff, sid: SessionId) -> None:
    to_baseline(service, staff, sid)
    high = {
        "q1_wish_dead": 1,
        "q2_active_thoughts": 1,
        "q3_method": 0,
        "q4_intent": 1,
        "q5_plan": 0,
        "q6_behaviour": 0,
    }
    record_baseline(service, staff, sid, cssrs=high)
    (finding,) = service.guard(sid, Phase.CONSENT).errors
    assert finding.code == "baseline.cssrs_high"
    assert "safety plan" in finding.message
    refused(service.advance, staff.nurse, sid, Phase.CONSENT)


def test_cssrs_moderate_and_phq9_item9_warn(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_baseline(service, staff, sid)
    moderate = {"q1_wish_dead": 1, "q2_active_thoughts": 0, "q6_behaviour": 1, "q6_recent": 0}
    record_baseline(service, staff, sid, cssrs=moderate, phq=phq9(item9=1))
    report = service.guard(sid, Phase.CONSENT)
    assert report.is_valid
    assert {f.code for f in report.warnings} == {"baseline.cssrs_moderate", "baseline.phq9_item9"}


# --- consent -> prepared ------------------------------------------------------------------------


def test_no_consent(service: ChartService, staff: DemoStaff, sid: SessionId) -> None:
    to_consent(service, staff, sid)
    assert service.guard(sid, Phase.PREPARED).codes() == {"consent.missing"}


def test_consent_missing_elements_is_refused_before_it_is_signed(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    # Issue 9 C12: an incomplete consent used to be stored, clinician-signed, and only blocked
    # at the next step; now nothing is signed or stored and the refusal names what is missing.
    to_consent(service, staff, sid)
    before = count(service, sid)
    keys = [k for k in service.consent_template.keys if k not in ("pregnancy", "driving_escort")]
    with pytest.raises(InputRejected) as refusal:
        record_consent(service, staff, sid, elements_acknowledged=keys)
    message = str(refusal.value)
    assert message.startswith("Consent not recorded:")
    assert "“driving escort” not acknowledged" in message
    assert "“pregnancy” not acknowledged" in message
    assert "capacity" not in message
    assert count(service, sid) == before
    assert service.guard(sid, Phase.PREPARED).codes() == {"consent.missing"}


def test_consent_without_capacity_is_refused_before_it_is_signed(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_consent(service, staff, sid)
    before = count(service, sid)
    with pytest.raises(InputRejected, match="capacity to consent not confirmed"):
        record_consent(service, staff, sid, capacity_confirmed=False)
    # Refused before the password is even checked: a wrong one does not change the answer.
    with pytest.raises(InputRejected, match="capacity to consent not confirmed"):
        record_consent(
            service, staff, sid, capacity_confirmed=False, clinician_password="wrong-password"
        )
    assert count(service, sid) == before


def test_an_incomplete_consent_in_an_imported_log_still_blocks(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    """The guard stays for a record the service did not write (an imported or older log)."""
    from bedside.events import ConsentRecorded, SignaturePad

    to_consent(service, staff, sid)
    signature = service.accounts.sign(
        staff.clinician, DEMO_PASSWORD, Meaning.CONSENT_OBTAINED, "0" * 64
    )
    consent = ConsentRecorded(
        template_id=service.consent_template.id,
        template_version=service.consent_template.version,
        elements_acknowledged=("off_label",),
        capacity_confirmed=False,
        patient_signature=SignaturePad(strokes=tuple(tuple(s) for s in SIGNATURE_STROKES)),
        clinician_signature=signature,
    )
    service.store.append(
        sid,
        [EventDraft(payload=consent, clinical_time=service.clock.now())],
        author=staff.nurse.id,
        at=service.clock.now(),
    )
    report = service.guard(sid, Phase.PREPARED)
    assert report.codes() == {"consent.elements_missing", "consent.capacity"}
    assert not report.overridable


def test_consent_must_be_confirmed_by_a_clinician(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_consent(service, staff, sid)
    before = count(service, sid)
    with pytest.raises(PermissionDenied, match=r"\(nurse\)"):
        record_consent(service, staff, sid, clinician=staff.nurse2)
    with pytest.raises(AuthenticationFailed):
        record_consent(service, staff, sid, clinician_password="wrong-password")
    assert count(service, sid) == before


def test_valid_consent_advances(service: ChartService, staff: DemoStaff, sid: SessionId) -> None:
    to_consent(service, staff, sid)
    record_consent(service, staff, sid)
    assert service.guard(sid, Phase.PREPARED).findings == ()
    service.advance(staff.nurse, sid, Phase.PREPARED)
    assert service.state(sid).phase is Phase.PREPARED


def test_consent_out_of_date_is_not_valid(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_consent(service, staff, sid)
    record_consent(service, staff, sid, valid_until=T0.date() - timedelta(days=1))
    assert not service.guard(sid, Phase.PREPARED).is_valid


# --- starting the infusion ----------------------------------------------------------------------


def test_start_refused_without_dose_plan_or_preparation(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_consent(service, staff, sid)
    record_consent(service, staff, sid)
    service.advance(staff.nurse, sid, Phase.PREPARED)
    error = refused(service.start_infusion, staff.nurse, sid, rate_ml_h=155.4)
    assert error.report.codes() == {"start.no_dose_plan", "start.not_prepared"}


def test_start_refused_without_double_checked_preparation(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_prepared(service, staff, sid)
    before = count(service, sid)
    error = refused(service.start_infusion, staff.nurse, sid)
    assert error.report.codes() == {"start.not_prepared"}
    assert count(service, sid) == before
    assert service.state(sid).phase is Phase.PREPARED


def test_start_with_everything_in_place(
    service: ChartService, clock: FixedClock, staff: DemoStaff, sid: SessionId
) -> None:
    to_prepared(service, staff, sid)
    prepare(service, staff, sid)
    clock.advance(minutes=5)
    event = service.start_infusion(staff.nurse, sid).event
    payload = cast(InfusionStarted, event.payload)
    assert (payload.rate_ml_h, payload.vtbi_ml) == (155.4, 103.6)
    state = service.state(sid)
    assert state.phase is Phase.INFUSING
    assert state.infusion.started_at == clock.now()


def test_start_refused_with_expired_lot(
    service: ChartService, clock: FixedClock, staff: DemoStaff, sid: SessionId
) -> None:
    # An expired vial is refused when the preparation is recorded (test_service_medication_safety);
    # one that expires while the session waits (prepared before midnight, started after) is
    # caught by the start guard.
    to_prepared(service, staff, sid)
    prepare(service, staff, sid, expiry=date(2026, 11, 24))  # T0's own day: still usable
    clock.set(T0 + timedelta(hours=16))  # 01:00 the next day in New York
    errors = refused(service.start_infusion, staff.nurse, sid).report.errors
    expired = [f for f in errors if f.code == "start.expired"]
    assert [f.message for f in expired] == ["Vial lot KX2291A expired on 2026-11-24"]


def test_lot_expiring_today_may_still_be_used(
    service: ChartService, clock: FixedClock, staff: DemoStaff, sid: SessionId
) -> None:
    to_prepared(service, staff, sid)
    prepare(service, staff, sid, expiry=date(2026, 11, 24))  # T0 is 09:00 that day in New York
    assert clock.now() == T0
    event = service.start_infusion(staff.nurse, sid).event
    assert event.kind == "infusion_started"
    state = service.state(sid)
    assert state.phase is Phase.INFUSING
    assert state.infusion.started_at == T0
    assert state.preparation is not None
    assert cast(DrugPrepared, state.preparation.payload).expiry == date(2026, 11, 24)


def test_same_person_cannot_double_check(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_prepared(service, staff, sid)
    before = count(service, sid)
    with pytest.raises(InputRejected, match="second person"):
        service.record_preparation(
            staff.nurse,
            sid,
            checker=staff.nurse,
            checker_password=DEMO_PASSWORD,
            vial_concentration_mg_ml=10.0,
            vial_volume_ml=5.0,
            lot="KX2291A",
            expiry=date(2027, 6, 30),
            drawn_mg=50.0,
            drawn_ml=5.0,
            bag_volume_ml=100.0,
        )
    assert count(service, sid) == before


def test_self_checked_preparation_charted_directly_does_not_start(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_prepared(service, staff, sid)
    own = service.accounts.sign(
        staff.nurse, DEMO_PASSWORD, Meaning.DOUBLE_CHECKED_DOSE, service.state(sid).head_hash
    )
    prepared = DrugPrepared(
        vial_concentration_mg_ml=10.0,
        vial_volume_ml=5.0,
        lot="KX2291A",
        expiry=date(2027, 6, 30),
        drawn_mg=50.0,
        drawn_ml=5.0,
        bag_volume_ml=100.0,
        double_check=own,
    )
    # The service's own operation refuses this; an imported log could still carry it.
    with pytest.raises(OperationRefused, match="its own operation"):
        service._chart(staff.nurse, sid, prepared)
    service.store.append(
        sid,
        [EventDraft(payload=prepared, clinical_time=T0)],
        author=staff.nurse.id,
        at=service.clock.now(),
    )
    assert "start.same_checker" in refused(service.start_infusion, staff.nurse, sid).report.codes()


def test_start_refused_when_drawn_less_than_dose(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_prepared(service, staff, sid)
    prepare(service, staff, sid, drawn_mg=30.0, drawn_ml=3.0)  # dose is 36 mg
    (finding,) = refused(service.start_infusion, staff.nurse, sid).report.errors
    assert finding.code == "start.drawn_less_than_dose"
    assert finding.message == "30 mg drawn is less than the 36 mg dose"


def test_start_refused_when_vial_differs_from_plan(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_prepared(service, staff, sid)  # planned from 10 mg/mL
    prepare(
        service,
        staff,
        sid,
        vial_concentration_mg_ml=50.0,
        vial_volume_ml=10.0,
        drawn_mg=50.0,
        drawn_ml=1.0,
    )
    codes = refused(service.start_infusion, staff.nurse, sid).report.codes()
    assert codes == {"start.concentration_mismatch"}


def test_drawn_amount_must_match_volume_times_concentration(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_prepared(service, staff, sid)
    with pytest.raises(InputRejected, match="does not match"):
        prepare(service, staff, sid, drawn_mg=50.0, drawn_ml=4.0)


def test_rate_different_from_plan_is_refused(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    # The pump is started at the planned rate; a deliberate change is a rate change with a
    # reason once running (review finding: a 999 mL/h start used to be saved silently).
    to_prepared(service, staff, sid)
    prepare(service, staff, sid)
    with pytest.raises(OperationRefused) as refused:
        service.start_infusion(staff.nurse, sid, rate_ml_h=140.0)  # 10 % below 155.4
    assert "start.rate_differs" in refused.value.report.codes()
    event = service.start_infusion(staff.nurse, sid, rate_ml_h=155.0).event  # within 5 %
    assert cast(InfusionStarted, event.payload).rate_ml_h == 155.0


# --- transitions that are not steps -------------------------------------------------------------


@pytest.mark.parametrize("to", [Phase.CONSENT, Phase.INFUSING, Phase.SIGNED, Phase.INTAKE])
def test_phases_cannot_be_skipped(
    service: ChartService, staff: DemoStaff, sid: SessionId, to: Phase
) -> None:
    record_intake(service, staff, sid)
    report = service.guard(sid, to)
    assert report.codes() == {"phase.not_allowed"}
    assert not report.overridable


@pytest.mark.parametrize(
    "payload",
    [
        PhaseAdvanced(from_phase=Phase.INTAKE, to_phase=Phase.PREPARED),
        InfusionStarted(rate_ml_h=150.0, vtbi_ml=100.0),
    ],
    ids=["phase_advanced", "infusion_started"],
)
def test_generic_chart_cannot_skip_guards(
    service: ChartService, staff: DemoStaff, sid: SessionId, payload: Any
) -> None:
    before = count(service, sid)
    with pytest.raises(OperationRefused, match="its own operation"):
        service._chart(staff.nurse, sid, payload)
    assert count(service, sid) == before
    assert service.state(sid).phase is Phase.INTAKE


def test_expiry_is_judged_on_the_clinic_local_date(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    service.store.set_settings({"timezone": "Australia/Sydney"}, actor=None, at=clock.now())
    morning = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)  # 09:00 on 25 Nov in Sydney
    clock.set(morning)
    sid = service.open_session(staff.nurse, patient_id=patient.id, chair=1).session_id
    to_prepared(service, staff, sid)
    # 24 Nov is still "today" in UTC but already yesterday in Sydney: refused on recording.
    with pytest.raises(InputRejected, match="has expired"):
        prepare(service, staff, sid, expiry=date(2026, 11, 24))
    prepare(service, staff, sid, expiry=date(2026, 11, 25))  # Sydney's today: usable


# --- the vial's expiry, typed as printed (issue 9 C7) ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("30 Jun 2027", date(2027, 6, 30)),
        ("30/06/2027", date(2027, 6, 30)),
        ("06/2027", date(2027, 6, 30)),
        ("Jan 2027", date(2027, 1, 31)),
        ("2027-06-02", date(2027, 6, 2)),
    ],
)
def test_the_expiry_typed_is_stored_as_the_date_it_reads_as(
    service: ChartService, staff: DemoStaff, sid: SessionId, typed: str, stored: date
) -> None:
    to_prepared(service, staff, sid)
    prepare(service, staff, sid, expiry=typed)
    state = service.state(sid)
    assert state.preparation is not None
    assert cast(DrugPrepared, state.preparation.payload).expiry == stored


@pytest.mark.parametrize("typed", ["06/07/2027", "31/06/2027", "06/27", "soon"])
def test_an_expiry_that_cannot_be_read_is_refused_before_the_double_check_is_signed(
    service: ChartService, staff: DemoStaff, sid: SessionId, typed: str
) -> None:
    to_prepared(service, staff, sid)
    before = count(service, sid)
    with pytest.raises(InputRejected, match=r"^Expiry: "):
        prepare(service, staff, sid, expiry=typed)
    # Read before the checker's password: a wrong one does not change the answer.
    with pytest.raises(InputRejected, match=r"^Expiry: "):
        service.record_preparation(
            staff.nurse,
            sid,
            checker=staff.nurse2,
            checker_password="not-checked-yet",
            vial_volume_ml=5.0,
            lot="KX2291A",
            expiry=typed,
            drawn_ml=5.0,
        )
    assert count(service, sid) == before


def test_a_typed_expiry_in_the_past_is_still_refused_as_expired(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    to_prepared(service, staff, sid)
    before = count(service, sid)
    with pytest.raises(InputRejected, match="has expired"):
        prepare(service, staff, sid, expiry="10/2026")  # 31 Oct 2026; T0 is 24 Nov 2026
    assert count(service, sid) == before


def test_the_escort_warning_names_what_is_missing(
    service: ChartService, staff: DemoStaff, sid: SessionId
) -> None:
    """It said "name and phone not recorded" with the name typed (a newcomer's walk)."""
    record_intake(service, staff, sid, escort_name="Pat Doe", escort_phone="")
    (finding,) = [
        f for f in service.guard(sid, Phase.BASELINE).warnings if f.code == "intake.no_escort"
    ]
    assert finding.message == "Escort phone not recorded (needed before discharge)"
