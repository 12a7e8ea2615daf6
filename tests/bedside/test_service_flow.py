"""The chart service end to end: roles, accounts, signatures, locking, corrections, late entries,
clinical-time checks, refused input and alerts saved with their reading (ARCHITECTURE.md;
CLINICAL.md §9.2, §10).

One template database (staff and three reference sessions) is built once per module and copied
for each test, because every password check runs scrypt on purpose.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from bedside.clock import FixedClock
from bedside.errors import (
    AuthenticationFailed,
    InputRejected,
    OperationRefused,
    PermissionDenied,
    SessionLocked,
)
from bedside.events import AddendumAdded, AlertRaised, Phase, SessionSigned, VitalsRecorded
from bedside.ids import SessionId
from bedside.passwords import hash_password, password_problem, verify_password
from bedside.people import Permission, Role
from bedside.protocol import AlertLevel
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.signatures import Meaning
from bedside.store import Store
from tests.bedside.clinic_support import copied_store, patient_with_course, staff_in
from tests.conftest import T0
from ui.demo import (
    ALDRETE_FULL,
    DEMO_PASSWORD,
    DemoStaff,
    chart_reference_session,
    create_staff,
)


def minutes(m: float) -> datetime:
    return T0 + timedelta(minutes=m)


@dataclass(frozen=True)
class Template:
    path: Path
    ready: SessionId  # chair 1: ready for discharge (charted to T0 + 102)
    infusing: SessionId  # chair 2: infusing since T0 + 20 (charted to T0 + 40)
    signed: SessionId  # chair 3: signed at T0 + 105


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    path = tmp_path_factory.mktemp("flow") / "template.db"
    store = Store(path)
    clock = FixedClock(T0)
    service = ChartService(store, clock)
    store.set_settings({"timezone": "America/New_York"}, actor=None, at=clock.now())
    staff = create_staff(service)
    service.ensure_protocol(staff.admin)
    sessions = []
    for chair, until in ((1, Phase.READY_FOR_DISCHARGE), (2, Phase.INFUSING), (3, Phase.SIGNED)):
        patient = patient_with_course(service, staff, f"MRN-FL{chair}")
        sessions.append(
            chart_reference_session(
                service, clock, staff, patient, chair=chair, start=T0, until=until
            )
        )
    store.close()
    return Template(path, *sessions)


@pytest.fixture
def store(template: Template, tmp_path: Path) -> Iterator[Store]:
    yield from copied_store(template.path, tmp_path)


@pytest.fixture
def staff(store: Store) -> DemoStaff:
    return staff_in(store)


@pytest.fixture
def ready(template: Template, clock: FixedClock) -> SessionId:
    clock.set(minutes(110))
    return template.ready


@pytest.fixture
def infusing(template: Template, clock: FixedClock) -> SessionId:
    clock.set(minutes(40))
    return template.infusing


@pytest.fixture
def signed(template: Template, clock: FixedClock) -> SessionId:
    clock.set(minutes(120))
    return template.signed


def count(service: ChartService, sid: SessionId) -> int:
    return len(service.store.events(sid))


# --- roles --------------------------------------------------------------------------------------


def test_nurse_cannot_sign_off(service: ChartService, staff: DemoStaff, ready: SessionId) -> None:
    before = count(service, ready)
    with pytest.raises(PermissionDenied) as info:
        service.sign_off(staff.nurse, ready, DEMO_PASSWORD)
    assert str(info.value) == "Dana Reyes, RN (nurse) is not allowed to sign the discharge"
    assert count(service, ready) == before
    assert not service.state(ready).locked


def test_admin_cannot_sign_off(service: ChartService, staff: DemoStaff, ready: SessionId) -> None:
    with pytest.raises(PermissionDenied, match=r"\(admin\)"):
        service.sign_off(staff.admin, ready, DEMO_PASSWORD)


def test_nurse_cannot_order_a_course(service: ChartService, staff: DemoStaff) -> None:
    patient = service.store.patient_by_mrn("MRN-FL1")
    assert patient is not None
    with pytest.raises(PermissionDenied, match=r"\(nurse\) is not allowed to order"):
        service.order_course(
            staff.nurse,
            DEMO_PASSWORD,
            patient_id=patient.id,
            indication="TRD",
            planned_infusions=6,
            mg_per_kg=0.5,
            duration_min=40,
            max_dose_mg=60,
        )


def test_admin_cannot_chart(service: ChartService, staff: DemoStaff, infusing: SessionId) -> None:
    before = count(service, infusing)
    with pytest.raises(OperationRefused) as info:
        service.record_vitals(staff.admin, infusing, systolic=130, diastolic=80)
    (finding,) = info.value.report.errors
    assert finding.code == "role.not_permitted"
    assert "Avery Admin (admin)" in finding.message
    assert "'chart' permission" in finding.message
    with pytest.raises(OperationRefused, match=r"\(admin\)"):
        service.add_note(staff.admin, infusing, "admin note")
    patient = service.store.patient_by_mrn("MRN-FL3")
    assert patient is not None
    with pytest.raises(PermissionDenied, match=r"\(admin\) is not allowed to open a session"):
        service.open_session(staff.admin, patient_id=patient.id, chair=4)
    assert count(service, infusing) == before


def test_role_permissions(staff: DemoStaff) -> None:
    assert staff.nurse.can(Permission.CHART)
    assert not staff.nurse.can(Permission.OVERRIDE)
    assert not staff.nurse.can(Permission.SIGN_DISCHARGE)
    assert staff.clinician.can(Permission.OVERRIDE)
    assert staff.clinician.can(Permission.SIGN_DISCHARGE)
    assert not staff.admin.can(Permission.CHART)
    assert staff.admin.can(Permission.MANAGE_USERS)


def test_clinician_may_chart(service: ChartService, staff: DemoStaff, infusing: SessionId) -> None:
    (event,) = service.record_vitals(staff.clinician, infusing, systolic=130, diastolic=80).events
    assert event.author == staff.clinician.id


# --- accounts and passwords ----------------------------------------------------------------------


def test_deactivated_user_cannot_authenticate_or_sign(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    accounts = service.accounts
    assert accounts.authenticate("sam", DEMO_PASSWORD).id == staff.nurse2.id
    accounts.set_active(staff.admin, staff.nurse2.id, False)
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        accounts.authenticate("sam", DEMO_PASSWORD)
    stored = service.store.user(staff.nurse2.id)
    assert not stored.active
    assert not stored.can(Permission.CHART)
    # An old copy of the account cannot witness: signing re-checks the stored account.
    service.stop_infusion(
        staff.nurse, infusing, volume_infused_ml=51.8, completed=False, reason="patient request"
    )
    before = count(service, infusing)
    # Refused by the stored-account check before the password is even tried.
    with pytest.raises((AuthenticationFailed, PermissionDenied), match="deactivated"):
        service.record_waste(
            staff.nurse,
            infusing,
            wasted_mg=32.0,
            witness=staff.nurse2,
            witness_password=DEMO_PASSWORD,
        )
    with pytest.raises(PermissionDenied, match="deactivated"):
        service.record_waste(
            staff.nurse, infusing, wasted_mg=32.0, witness=stored, witness_password=DEMO_PASSWORD
        )
    assert count(service, infusing) == before
    accounts.set_active(staff.admin, staff.nurse2.id, True)
    assert accounts.authenticate("SAM ", DEMO_PASSWORD).active


def test_only_an_admin_manages_accounts(service: ChartService, staff: DemoStaff) -> None:
    with pytest.raises(PermissionDenied):
        service.accounts.set_active(staff.nurse, staff.nurse2.id, False)
    with pytest.raises(InputRejected, match="your own account"):
        service.accounts.set_active(staff.admin, staff.admin.id, False)
    with pytest.raises(PermissionDenied):
        service.accounts.create_user(
            None, username="eve", full_name="Eve", role=Role.ADMIN, password="long-enough-1"
        )


def test_wrong_or_unknown_credentials(service: ChartService) -> None:
    with pytest.raises(AuthenticationFailed, match="User name or password is wrong"):
        service.accounts.authenticate("dana", "not-the-password")
    with pytest.raises(AuthenticationFailed, match="User name or password is wrong"):
        service.accounts.authenticate("nobody", DEMO_PASSWORD)


def test_stored_hashes_are_argon2id_and_verify(service: ChartService) -> None:
    found = service.store.user_with_hash("dana")
    assert found is not None
    _, stored = found
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert DEMO_PASSWORD not in stored
    assert verify_password(DEMO_PASSWORD, stored)
    assert not verify_password("bedside-demO", stored)


def test_password_hash_format_and_salt() -> None:
    first = hash_password("correct horse")
    second = hash_password("correct horse")
    assert first != second  # a fresh salt each time
    _, scheme, version, params, salt, digest = first.split("$")
    # OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
    assert (scheme, version, params) == ("argon2id", "v=19", "m=19456,t=2,p=1")
    assert len(base64.b64decode(salt + "==")) == 16
    assert len(base64.b64decode(digest + "=")) == 32
    assert verify_password("correct horse", first)
    assert verify_password("correct horse", second)
    assert not verify_password("correct horse ", first)
    assert not verify_password("", first)


@pytest.mark.parametrize(
    "stored", ["", "plain-text", "md5$abc", "scrypt$16384$8$1$onlyfive", "bcrypt$1$2$3$4$5"]
)
def test_malformed_or_foreign_hashes_never_verify(stored: str) -> None:
    assert not verify_password("anything", stored)


@pytest.mark.parametrize(
    ("password", "problem"),
    [("short", "at least 8"), (" padded-password", "spaces"), ("padded-password ", "spaces")],
)
def test_weak_passwords_are_refused(
    service: ChartService, staff: DemoStaff, password: str, problem: str
) -> None:
    assert problem in (password_problem(password) or "")
    with pytest.raises(InputRejected, match=problem):
        service.accounts.create_user(
            staff.admin,
            username="newbie",
            full_name="New Nurse",
            role=Role.NURSE,
            password=password,
        )
    assert password_problem("long-enough-1") is None


# --- sign-off ------------------------------------------------------------------------------------


def test_wrong_password_on_sign_off_saves_nothing(
    service: ChartService, staff: DemoStaff, ready: SessionId
) -> None:
    before = count(service, ready)
    with pytest.raises(AuthenticationFailed):
        service.sign_off(staff.clinician, ready, "bedside-dem0")
    assert count(service, ready) == before
    assert not service.state(ready).locked


def test_wrong_witness_password_saves_nothing(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    # While infusing, the 14 mg left in the syringe is open: a waste of it is possible.
    before = count(service, infusing)
    with pytest.raises(AuthenticationFailed):
        service.record_waste(
            staff.nurse, infusing, wasted_mg=1.0, witness=staff.nurse2, witness_password="wrong-1"
        )
    with pytest.raises(InputRejected, match="second person"):
        service.record_waste(
            staff.nurse,
            infusing,
            wasted_mg=1.0,
            witness=staff.nurse,
            witness_password=DEMO_PASSWORD,
        )
    assert count(service, infusing) == before


def test_sign_off_locks_with_a_bound_signature(
    service: ChartService, staff: DemoStaff, ready: SessionId
) -> None:
    head = service.state(ready).head_hash
    event = service.sign_off(staff.clinician, ready, DEMO_PASSWORD).event
    payload = cast(SessionSigned, event.payload)
    sig = payload.signature
    assert sig.meaning is Meaning.DISCHARGE_APPROVED
    assert (sig.signer_id, sig.signer_name, sig.signer_role) == (
        staff.clinician.id,
        "Jordan Lee, MD",
        Role.CLINICIAN,
    )
    assert sig.signed_at == minutes(110)
    assert sig.content_hash == head
    assert payload.override is None
    state = service.state(ready)
    assert state.locked
    assert state.phase is Phase.SIGNED
    with pytest.raises(SessionLocked):
        service.sign_off(staff.clinician, ready, DEMO_PASSWORD)


def test_sign_off_refused_while_an_alert_is_open(
    service: ChartService, staff: DemoStaff, ready: SessionId
) -> None:
    saved = service.record_vitals(
        staff.nurse, ready, systolic=165, diastolic=96, heart_rate=80, spo2=98, resp_rate=14
    ).events
    alert = saved[1]
    before = count(service, ready)
    with pytest.raises(OperationRefused) as info:
        service.sign_off(staff.clinician, ready, DEMO_PASSWORD)
    errors = {f.code: f for f in info.value.report.errors}
    # The open alert blocks, and so does the reading itself: readiness is re-judged at signing.
    assert set(errors) == {"alerts.open", "discharge.vitals_near_baseline"}
    assert "Systolic BP 165 mmHg at or above 160" in errors["alerts.open"].message
    with pytest.raises(OperationRefused, match="cannot be overridden"):
        service.sign_off(
            staff.clinician, ready, DEMO_PASSWORD, override_reason="BP fine on repeat check"
        )
    assert count(service, ready) == before
    service.acknowledge_alert(
        staff.nurse, ready, alert.id, action_taken="Repeat BP 138/84 after 5 min rest"
    )
    with pytest.raises(OperationRefused, match="already acknowledged"):
        service.acknowledge_alert(staff.nurse, ready, alert.id, action_taken="again")
    service.record_vitals(
        staff.nurse, ready, systolic=138, diastolic=84, heart_rate=80, spo2=98, resp_rate=14
    )
    service.sign_off(staff.clinician, ready, DEMO_PASSWORD)
    assert service.state(ready).locked


def test_sign_off_is_refused_while_the_pump_runs_even_with_a_reason(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    before = count(service, infusing)
    with pytest.raises(OperationRefused) as info:
        service.sign_off(staff.clinician, infusing, DEMO_PASSWORD)
    assert "discharge.not_observing" in info.value.report.codes()
    assert "the infusion must be stopped" in str(info.value)
    with pytest.raises(OperationRefused, match="cannot be overridden"):
        service.sign_off(
            staff.clinician, infusing, DEMO_PASSWORD, override_reason="patient transferred"
        )
    assert count(service, infusing) == before
    assert not service.state(infusing).locked


def test_sign_off_before_discharge_criteria_needs_a_clinician_override(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    clock.set(minutes(60))
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=103.6)
    service.record_waste(
        staff.nurse, infusing, wasted_mg=14.0, witness=staff.nurse2, witness_password=DEMO_PASSWORD
    )
    clock.set(minutes(70))
    with pytest.raises(OperationRefused) as info:
        service.sign_off(staff.clinician, infusing, DEMO_PASSWORD)
    report = info.value.report
    expected = {
        "discharge.min_observation",
        "discharge.vitals_near_baseline",
        "discharge.spo2",
        "discharge.vitals_fresh",
        "discharge.sedation_resolved",
        "discharge.dissociation_resolved",
        "discharge.discharge_score",
        "discharge.escort",
        "discharge.instructions",
    }
    assert report.codes() == expected
    assert report.overridable
    event = service.sign_off(
        staff.clinician,
        infusing,
        DEMO_PASSWORD,
        override_reason="transferred to the ED with escort for review",
    ).event
    override = cast(SessionSigned, event.payload).override
    assert override is not None
    assert set(override.finding_codes) == expected
    assert override.signature.meaning is Meaning.OVERRIDE
    assert service.state(infusing).locked


# --- after sign-off ------------------------------------------------------------------------------


def test_after_sign_off_only_an_addendum_is_accepted(
    service: ChartService, staff: DemoStaff, signed: SessionId
) -> None:
    n = staff.nurse
    state = service.state(signed)
    vitals_id = state.vitals[0].id
    attempts: dict[str, Callable[[], Any]] = {
        "vitals": lambda: service.record_vitals(n, signed, systolic=120, diastolic=80),
        "note": lambda: service.add_note(n, signed, "forgot to mention"),
        "scale": lambda: service.score_scale(n, signed, ScaleName.MOAAS, {"response": 5}),
        "side effect": lambda: service.note_side_effect(n, signed, effect="nausea", severity=1),
        "correction": lambda: service.correct(n, signed, vitals_id, "typo", systolic=135),
        "void": lambda: service.void(n, signed, vitals_id, "wrong patient"),
        "end early": lambda: service.end_early(n, signed, "patient left"),
        "assessment": lambda: service.assess_discharge(
            n, signed, answers=ALDRETE_FULL, escort_present=True, instructions_given=True
        ),
        "waste": lambda: service.record_waste(
            n, signed, wasted_mg=1.0, witness=staff.nurse2, witness_password=DEMO_PASSWORD
        ),
        "sign again": lambda: service.sign_off(staff.clinician, signed, DEMO_PASSWORD),
    }
    before = count(service, signed)
    for name, attempt in attempts.items():
        with pytest.raises(SessionLocked):
            attempt()
        assert count(service, signed) == before, name
    event = service.add_addendum(
        n,
        signed,
        text="Patient phoned: home safely.",
        reason="follow-up call",
        password=DEMO_PASSWORD,
    ).event
    payload = cast(AddendumAdded, event.payload)
    assert payload.signature.meaning is Meaning.AUTHORED_ADDENDUM
    assert payload.signature.signer_id == n.id
    assert event.recorded_time == minutes(120)
    state = service.state(signed)
    assert [e.id for e in state.addenda] == [event.id]
    assert state.locked


def test_advance_on_a_signed_session_reports_the_lock(
    service: ChartService, staff: DemoStaff, signed: SessionId
) -> None:
    with pytest.raises(SessionLocked):
        service.advance(staff.nurse, signed, Phase.READY_FOR_DISCHARGE)


def test_addendum_needs_password_and_reason(
    service: ChartService, staff: DemoStaff, signed: SessionId
) -> None:
    before = count(service, signed)
    with pytest.raises(AuthenticationFailed):
        service.add_addendum(
            staff.nurse, signed, text="text", reason="follow-up", password="wrong-password"
        )
    with pytest.raises(InputRejected):
        service.add_addendum(staff.nurse, signed, text="text", reason="", password=DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        service.add_addendum(
            staff.admin, signed, text="text", reason="follow-up", password=DEMO_PASSWORD
        )
    assert count(service, signed) == before


def test_no_addendum_before_sign_off(
    service: ChartService, staff: DemoStaff, ready: SessionId
) -> None:
    with pytest.raises(OperationRefused) as info:
        service.add_addendum(
            staff.nurse, ready, text="text", reason="follow-up", password=DEMO_PASSWORD
        )
    assert "phase.kind_not_allowed" in info.value.report.codes()


# --- corrections and voids -----------------------------------------------------------------------


def test_correction_keeps_the_original_with_the_reason(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    original = service.state(infusing).vitals[0]  # 134/86 at T0 + 30
    assert cast(VitalsRecorded, original.payload).systolic == 134
    fixed = service.correct(
        staff.nurse, infusing, original.id, "transcription error", systolic=124
    ).event
    assert fixed.supersedes == original.id
    assert fixed.reason == "transcription error"
    assert fixed.clinical_time == original.clinical_time
    payload = cast(VitalsRecorded, fixed.payload)
    assert (payload.systolic, payload.diastolic, payload.heart_rate) == (124, 86, 82)
    state = service.state(infusing)
    replaced = state.superseded[original.id]
    assert replaced.reason == "transcription error"
    assert not replaced.voided
    assert replaced.by_event.id == fixed.id
    ids = [e.id for e in state.vitals]
    assert fixed.id in ids
    assert original.id not in ids
    assert len(state.vitals) == 2
    assert original in state.events  # never deleted
    assert original.id not in state.effective


def test_an_entry_is_corrected_once_then_the_correction_is_corrected(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    original = service.state(infusing).vitals[0]
    fixed = service.correct(staff.nurse, infusing, original.id, "typo", systolic=124).event
    with pytest.raises(InputRejected, match="already corrected"):
        service.correct(staff.nurse, infusing, original.id, "typo again", systolic=125)
    again = service.correct(staff.nurse, infusing, fixed.id, "second look", systolic=125).event
    state = service.state(infusing)
    assert [cast(VitalsRecorded, e.payload).systolic for e in state.vitals] == [125, 142]
    assert set(state.superseded) == {original.id, fixed.id}
    assert again.supersedes == fixed.id


def test_correction_needs_a_reason_and_possible_values(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    original = service.state(infusing).vitals[0]
    before = count(service, infusing)
    with pytest.raises(InputRejected, match="reason"):
        service.correct(staff.nurse, infusing, original.id, "  ", systolic=124)
    with pytest.raises(InputRejected, match="Systolic BP 400 mmHg is not possible"):
        service.correct(staff.nurse, infusing, original.id, "typo", systolic=400)
    assert count(service, infusing) == before


def test_void_removes_the_entry_but_keeps_it_in_the_record(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    state = service.state(infusing)
    first, second = state.vitals
    service.void(staff.nurse, infusing, second.id, "charted on the wrong patient")
    state = service.state(infusing)
    assert [e.id for e in state.vitals] == [first.id]
    assert state.superseded[second.id].voided
    assert state.superseded[second.id].reason == "charted on the wrong patient"
    assert second in state.events
    with pytest.raises(InputRejected):
        service.void(staff.nurse, infusing, second.id, "again")
    with pytest.raises(InputRejected, match="reason"):
        service.void(staff.nurse, infusing, first.id, "")


def test_infusion_start_cannot_be_corrected_or_voided(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    started = next(e for e in service.state(infusing).events if e.kind == "infusion_started")
    before = count(service, infusing)
    with pytest.raises(OperationRefused) as info:
        service.correct(staff.nurse, infusing, started.id, "wrong rate", rate_ml_h=150.0)
    assert "correction.not_correctable" in info.value.report.codes()
    with pytest.raises(OperationRefused) as info:
        service.void(staff.nurse, infusing, started.id, "wrong rate")
    assert "correction.not_correctable" in info.value.report.codes()
    assert count(service, infusing) == before


def test_correcting_a_reading_to_an_abnormal_value_raises_its_alert(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    original = service.state(infusing).vitals[0]
    service.correct(staff.nurse, infusing, original.id, "misread", systolic=186, diastolic=104)
    levels = [a.payload.level for a in service.state(infusing).open_alerts()]
    assert levels == [AlertLevel.PAUSE]


# --- clinical time -------------------------------------------------------------------------------


def test_late_entry_is_flagged(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    assert clock.now() == minutes(40)
    (late,) = service.record_vitals(
        staff.nurse, infusing, systolic=130, diastolic=84, clinical_time=minutes(10)
    ).events
    (on_time,) = service.record_vitals(staff.nurse, infusing, systolic=131, diastolic=84).events
    (borderline,) = service.record_vitals(
        staff.nurse, infusing, systolic=132, diastolic=84, clinical_time=minutes(25)
    ).events
    state = service.state(infusing)
    assert late.recorded_time - late.clinical_time == timedelta(minutes=30)
    assert state.is_late(late, 15)
    assert not state.is_late(late, 30)  # exactly 30 min is not more than 30
    assert not state.is_late(on_time, 15)
    assert not state.is_late(borderline, 15)  # exactly 15 min
    # Shown in clinical-time order, not in the order typed.
    assert [e.clinical_time for e in state.vitals] == [
        minutes(10),
        minutes(25),
        minutes(30),
        minutes(40),
        minutes(40),
    ]


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (minutes(42), "in the future"),
        (minutes(41) + timedelta(seconds=1), "in the future"),
        (T0 - timedelta(minutes=1), "before the session was opened"),
        (datetime(2026, 11, 24, 14, 30), "time zone"),  # naive
    ],
)
def test_impossible_clinical_times_are_refused(
    service: ChartService, staff: DemoStaff, infusing: SessionId, when: datetime, message: str
) -> None:
    before = count(service, infusing)
    with pytest.raises(InputRejected, match=message):
        service.record_vitals(staff.nurse, infusing, spo2=97, clinical_time=when)
    with pytest.raises(InputRejected, match=message):
        service.add_note(staff.nurse, infusing, "note", clinical_time=when)
    assert count(service, infusing) == before


def test_clinical_time_at_session_opening_is_allowed(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    event = service.add_note(staff.nurse, infusing, "arrived early", clinical_time=T0).event
    assert event.clinical_time == T0


def test_clinical_time_seconds_ahead_of_the_clock_is_refused(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    # The clock stands at minutes(40): there is no tolerance, 30 s ahead is already the future.
    assert service.clock.now() == minutes(40)
    when = minutes(40) + timedelta(seconds=30)
    before = count(service, infusing)
    with pytest.raises(InputRejected, match=r"^Clinical time cannot be in the future$"):
        service.record_vitals(staff.nurse, infusing, spo2=97, clinical_time=when)
    with pytest.raises(InputRejected, match=r"^Clinical time cannot be in the future$"):
        service.add_note(staff.nurse, infusing, "note", clinical_time=when)
    assert count(service, infusing) == before
    assert service.store.verify_session(infusing) == []


# --- refused and flagged input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"spo2": 101}, "SpO2 101 % is not possible (allowed 50–100 %)"),
        ({"systolic": 320, "diastolic": 90}, "Systolic BP 320 mmHg is not possible"),
        ({"systolic": 90, "diastolic": 120}, "Systolic BP 90 must be higher than diastolic 120"),
        ({"temperature_c": 98.6}, "°F"),
        ({"heart_rate": 0}, "Heart rate 0 /min is not possible (allowed 20–250 /min)"),
    ],
)
def test_impossible_vitals_are_refused_and_nothing_is_saved(
    service: ChartService,
    staff: DemoStaff,
    infusing: SessionId,
    values: dict[str, Any],
    message: str,
) -> None:
    before = count(service, infusing)
    with pytest.raises(InputRejected) as info:
        service.record_vitals(staff.nurse, infusing, **values)
    assert message in str(info.value)
    assert count(service, infusing) == before
    assert service.store.verify_session(infusing) == []


def test_abnormal_value_is_saved_with_its_alert_in_one_transaction(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    before = count(service, infusing)
    saved = service.record_vitals(
        staff.nurse, infusing, systolic=186, diastolic=104, heart_rate=96, spo2=96, resp_rate=16
    ).events
    assert [e.kind for e in saved] == ["vitals_recorded", "alert_raised"]
    reading, alert = saved
    raised = cast(AlertRaised, alert.payload)
    assert raised.source_event_id == reading.id
    assert raised.level is AlertLevel.PAUSE
    assert set(raised.rule_codes) == {"pause.systolic.high", "pause.diastolic.high"}
    assert raised.message == (
        "Pause infusion: Systolic BP 186 mmHg above 180; Diastolic BP 104 mmHg above 100"
    )
    assert alert.seq == reading.seq + 1
    assert alert.recorded_time == reading.recorded_time
    assert alert.clinical_time == reading.clinical_time
    assert count(service, infusing) == before + 2
    state = service.state(infusing)
    assert cast(VitalsRecorded, state.vitals[-1].payload).systolic == 186  # saved, not refused
    assert [a.raised.id for a in state.open_alerts()] == [alert.id]


def test_notify_level_alert_for_low_spo2(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    saved = service.record_vitals(staff.nurse, infusing, spo2=93, heart_rate=80).events
    raised = cast(AlertRaised, saved[1].payload)
    assert raised.level is AlertLevel.NOTIFY
    assert raised.message == "Notify clinician: SpO2 93 % below 94"


def test_normal_vitals_raise_nothing(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    saved = service.record_vitals(
        staff.nurse, infusing, systolic=140, diastolic=88, heart_rate=84, spo2=97, resp_rate=15
    ).events
    assert [e.kind for e in saved] == ["vitals_recorded"]
    assert service.state(infusing).open_alerts() == []


def test_moaas_two_during_the_infusion_raises_a_pause_alert(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    saved = service.score_scale(staff.nurse, infusing, ScaleName.MOAAS, {"response": 2}).events
    assert [e.kind for e in saved] == ["scale_scored", "alert_raised"]
    raised = cast(AlertRaised, saved[1].payload)
    assert raised.level is AlertLevel.PAUSE
    assert raised.rule_codes == ("pause.moaas.low",)
    assert raised.source_event_id == saved[0].id


def test_moaas_three_raises_nothing(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    saved = service.score_scale(staff.nurse, infusing, ScaleName.MOAAS, {"response": 3}).events
    assert [e.kind for e in saved] == ["scale_scored"]


def test_impossible_scale_answer_is_refused(
    service: ChartService, staff: DemoStaff, infusing: SessionId
) -> None:
    before = count(service, infusing)
    with pytest.raises(InputRejected):
        service.score_scale(staff.nurse, infusing, ScaleName.MOAAS, {"response": 6})
    assert count(service, infusing) == before
