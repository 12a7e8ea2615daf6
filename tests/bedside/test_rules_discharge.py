"""Discharge readiness (bedside.rules.discharge) on sessions charted through the service.

The reference session's baseline is 128/82 mmHg, HR 76, CADSS-6 0, MOAA/S 5; the infusion starts
at T0 + 20 min at 155.4 mL/h. Here it is stopped at T0 + 60 (40 min, 103.6 mL), so the default
30-minute observation ends at T0 + 90. Limits (CLINICAL.md §5.4, protocol_default.toml): BP and HR
within 20 % of baseline (SBP 103–153, DBP 66–98, HR 61–91), SpO2 ≥ 94 % on air, MOAA/S 5,
CADSS-6 not above baseline, Aldrete ≥ 9, escort present, instructions given.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.protocol import Protocol
from bedside.rules import discharge
from bedside.scales import ScaleName
from bedside.service import ChartService
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

STOP = T0 + timedelta(minutes=60)
READY = STOP + timedelta(minutes=30)
#: When the recovery set is charted: 10 min before READY, inside the protocol's 15-minute vitals
#: freshness window (discharge.vitals_max_age_min), so that window is not what is being tested.
RECOVERY = 80
GOOD_VITALS = {"systolic": 130, "diastolic": 84, "heart_rate": 78, "spo2": 98, "resp_rate": 14}
CADSS6_KEYS = ("item_01", "item_02", "item_06", "item_07", "item_15", "item_22")


def cadss6(total: int) -> dict[str, int]:
    answers = dict.fromkeys(CADSS6_KEYS, 0)
    for i in range(total):
        answers[CADSS6_KEYS[i % 6]] += 1
    return answers


def minutes(m: float) -> datetime:
    return T0 + timedelta(minutes=m)


@dataclass(frozen=True)
class Template:
    path: Path
    observing: SessionId
    infusing: SessionId


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """One database, built once per module and copied for each test (scrypt is slow on
    purpose): the reference session stopped at T0 + 60 on chair 1, and another still infusing
    on chair 2."""
    path = tmp_path_factory.mktemp("discharge") / "template.db"
    store = Store(path)
    clock = FixedClock(T0)
    service = ChartService(store, clock)
    store.set_settings({"timezone": "America/New_York"}, actor=None, at=clock.now())
    staff = create_staff(service)
    service.ensure_protocol(staff.admin)
    sessions = []
    for chair in (1, 2):
        patient = patient_with_course(service, staff, f"MRN-DC{chair}")
        sessions.append(
            chart_reference_session(
                service, clock, staff, patient, chair=chair, start=T0, until=Phase.INFUSING
            )
        )
    clock.set(STOP)
    service.stop_infusion(staff.nurse, sessions[0], volume_infused_ml=103.6)
    store.close()
    return Template(path, *sessions)


@pytest.fixture
def store(template: Template, tmp_path: Path) -> Iterator[Store]:
    yield from copied_store(template.path, tmp_path)


@pytest.fixture
def staff(store: Store) -> DemoStaff:
    return staff_in(store)


@pytest.fixture
def observing(template: Template, clock: FixedClock) -> SessionId:
    """Infusion started at T0 + 20, stopped at T0 + 60 after 40 min; nothing charted since."""
    clock.set(STOP)
    return template.observing


@pytest.fixture
def infusing(template: Template, clock: FixedClock) -> SessionId:
    """The same reference session still infusing; now T0 + 40."""
    clock.set(minutes(40))
    return template.infusing


def chart_recovery(
    service: ChartService,
    clock: FixedClock,
    staff: DemoStaff,
    sid: SessionId,
    *,
    at: float = 70,
    vitals: dict[str, Any] | None = GOOD_VITALS,
    moaas: int | None = 5,
    cadss: int | None = 0,
    aldrete: dict[str, int] | None = ALDRETE_FULL,
    escort: bool = True,
    instructions: bool = True,
) -> None:
    """Chart a recovery set at T0 + ``at`` min: every criterion met unless told otherwise
    (``None`` leaves that entry out)."""
    n = staff.nurse
    clock.set(minutes(at))
    if vitals is not None:
        service.record_vitals(n, sid, **vitals)
    if moaas is not None:
        service.score_scale(n, sid, ScaleName.MOAAS, {"response": moaas})
    if cadss is not None:
        service.score_scale(n, sid, ScaleName.CADSS6, cadss6(cadss))
    if aldrete is not None:
        service.assess_discharge(
            n,
            sid,
            answers=aldrete,
            escort_present=escort,
            escort_name="Chris Doe" if escort else "",
            instructions_given=instructions,
        )


def missing(service: ChartService, sid: SessionId, when: datetime) -> set[str]:
    ctx = service.context(sid)
    return {c.code for c in discharge.evaluate(ctx.state, ctx.protocol, when).missing}


def first_ready(service: ChartService, sid: SessionId, until: datetime | None = None) -> Any:
    ctx = service.context(sid)
    return discharge.first_ready_time(ctx.state, ctx.protocol, until or minutes(300))


# --- before and at the end of observation ---------------------------------------------------------


def test_while_infusing_nothing_can_be_met(service: ChartService, infusing: SessionId) -> None:
    assert {"infusion_stopped", "min_observation"} <= missing(service, infusing, minutes(40))
    assert first_ready(service, infusing) is None


def test_vitals_during_the_infusion_do_not_count(
    service: ChartService, observing: SessionId
) -> None:
    ctx = service.context(observing)
    readiness = discharge.evaluate(ctx.state, ctx.protocol, READY)
    by_code = {c.code: c for c in readiness.criteria}
    assert not by_code["vitals_near_baseline"].met
    assert by_code["vitals_near_baseline"].detail == "no vitals charted since the infusion stopped"
    assert not by_code["spo2"].met
    assert not by_code["sedation_resolved"].met  # the MOAA/S 4 at T0 + 30 was during the infusion
    assert not by_code["dissociation_resolved"].met


def test_min_observation_boundary_is_exactly_30_minutes(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(service, clock, staff, observing, at=RECOVERY)
    assert missing(service, observing, READY - timedelta(seconds=1)) == {"min_observation"}
    assert missing(service, observing, READY) == set()


def test_first_ready_time_when_min_observation_is_the_last_criterion(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(service, clock, staff, observing, at=RECOVERY)
    assert first_ready(service, observing) == READY


def test_first_ready_time_is_none_before_the_criteria_hold(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(service, clock, staff, observing, at=RECOVERY)
    assert first_ready(service, observing, until=READY - timedelta(minutes=1)) is None


def test_first_ready_time_when_a_later_entry_is_the_last_criterion(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(service, clock, staff, observing, at=RECOVERY, moaas=4)
    assert missing(service, observing, minutes(92)) == {"sedation_resolved"}
    clock.set(minutes(93))
    service.score_scale(staff.nurse, observing, ScaleName.MOAAS, {"response": 5})
    assert first_ready(service, observing) == minutes(93)


def test_first_ready_time_is_not_moved_by_a_later_bad_reading(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(service, clock, staff, observing, at=RECOVERY)
    clock.set(minutes(110))
    service.record_vitals(
        staff.nurse, observing, systolic=158, diastolic=90, heart_rate=80, spo2=98, resp_rate=14
    )
    assert missing(service, observing, minutes(110)) == {"vitals_near_baseline"}
    assert first_ready(service, observing) == READY


def test_first_ready_time_finds_a_late_entry_by_its_clinical_time(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(service, clock, staff, observing, at=RECOVERY, aldrete=None)
    # The assessment was done at T0 + 93 but charted at T0 + 120.
    clock.set(minutes(120))
    service.assess_discharge(
        staff.nurse,
        observing,
        answers=ALDRETE_FULL,
        escort_present=True,
        escort_name="Chris Doe",
        instructions_given=True,
        clinical_time=minutes(93),
    )
    assert first_ready(service, observing) == minutes(93)


def test_min_total_monitoring_time_can_be_the_last_criterion(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    # Recovery charted at T0 + 130, so the vitals are still fresh at the 2-hour mark.
    chart_recovery(service, clock, staff, observing, at=130)
    ctx = service.context(observing)
    rems_like: Protocol = ctx.protocol.model_copy(
        update={
            "discharge": ctx.protocol.discharge.model_copy(update={"min_total_monitoring_min": 120})
        }
    )
    # 2 h from the start (T0 + 20) is T0 + 140.
    early = discharge.evaluate(ctx.state, rems_like, minutes(139))
    assert {c.code for c in early.missing} == {"min_total_monitoring"}
    assert discharge.evaluate(ctx.state, rems_like, minutes(140)).all_met
    assert discharge.first_ready_time(ctx.state, rems_like, minutes(300)) == minutes(140)


# --- each criterion missing on its own -----------------------------------------------------------


def vitals(**changes: Any) -> dict[str, Any]:
    return {**GOOD_VITALS, **changes}


@pytest.mark.parametrize(
    ("recovery", "unmet"),
    [
        pytest.param({}, set(), id="all-met"),
        pytest.param({"vitals": vitals(systolic=153)}, set(), id="sbp-153-within-20pc"),
        pytest.param(
            {"vitals": vitals(systolic=154)}, {"vitals_near_baseline"}, id="sbp-154-above-20pc"
        ),
        pytest.param({"vitals": vitals(systolic=103, diastolic=70)}, set(), id="sbp-103-within"),
        pytest.param(
            {"vitals": vitals(systolic=102, diastolic=70)},
            {"vitals_near_baseline"},
            id="sbp-102-below-20pc",
        ),
        pytest.param({"vitals": vitals(diastolic=98)}, set(), id="dbp-98-within"),
        pytest.param({"vitals": vitals(diastolic=99)}, {"vitals_near_baseline"}, id="dbp-99"),
        pytest.param({"vitals": vitals(diastolic=65)}, {"vitals_near_baseline"}, id="dbp-65"),
        pytest.param({"vitals": vitals(heart_rate=91)}, set(), id="hr-91-within"),
        pytest.param({"vitals": vitals(heart_rate=92)}, {"vitals_near_baseline"}, id="hr-92"),
        pytest.param({"vitals": vitals(heart_rate=60)}, {"vitals_near_baseline"}, id="hr-60"),
        pytest.param(
            {"vitals": {"spo2": 98, "heart_rate": 78}}, {"vitals_near_baseline"}, id="no-bp"
        ),
        pytest.param({"vitals": vitals(spo2=94)}, set(), id="spo2-94-on-air"),
        # SpO2 93 % also raises the notify alert (< 94 %), which nobody has acknowledged yet.
        pytest.param({"vitals": vitals(spo2=93)}, {"spo2", "alerts_acknowledged"}, id="spo2-93"),
        pytest.param(
            {"vitals": vitals(spo2=97, on_oxygen=True, o2_flow_l_min=2)},
            {"spo2"},
            id="spo2-on-oxygen",
        ),
        pytest.param({"moaas": 4}, {"sedation_resolved"}, id="moaas-4"),
        pytest.param({"moaas": None}, {"sedation_resolved"}, id="moaas-not-scored"),
        pytest.param({"cadss": 1}, {"dissociation_resolved"}, id="cadss6-above-baseline"),
        pytest.param({"cadss": None}, {"dissociation_resolved"}, id="cadss6-not-scored"),
        pytest.param({"aldrete": {**ALDRETE_FULL, "activity": 1}}, set(), id="aldrete-9"),
        pytest.param(
            {"aldrete": {**ALDRETE_FULL, "activity": 1, "respiration": 1}},
            {"discharge_score"},
            id="aldrete-8",
        ),
        pytest.param({"escort": False}, {"escort"}, id="no-escort"),
        pytest.param({"instructions": False}, {"instructions"}, id="no-instructions"),
    ],
)
def test_each_criterion_individually(
    service: ChartService,
    clock: FixedClock,
    staff: DemoStaff,
    observing: SessionId,
    recovery: dict[str, Any],
    unmet: set[str],
) -> None:
    chart_recovery(service, clock, staff, observing, at=RECOVERY, **recovery)
    assert missing(service, observing, READY) == unmet
    assert (first_ready(service, observing) == READY) is (not unmet)


def test_latest_entries_count_not_the_first(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(
        service, clock, staff, observing, at=RECOVERY, vitals=vitals(systolic=160), escort=False
    )
    # 160 systolic also raised the notify alert; it blocks until acknowledged.
    first = {"vitals_near_baseline", "escort", "alerts_acknowledged"}
    assert missing(service, observing, READY) == first
    clock.set(minutes(95))
    (alert,) = service.state(observing).alerts
    service.acknowledge_alert(staff.nurse, observing, alert, action_taken="Repeat set taken")
    chart_recovery(service, clock, staff, observing, at=95)
    assert missing(service, observing, minutes(95)) == set()
    # The evaluation only looks at what was charted up to the moment asked about.
    assert missing(service, observing, minutes(94)) == first


def test_dissociation_compares_with_the_patients_own_baseline(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    sid = infusing
    # A pre-infusion CADSS-6 of 3 charted late (clinical time T0 + 15, before the start).
    service.score_scale(staff.nurse, sid, ScaleName.CADSS6, cadss6(3), clinical_time=minutes(15))
    clock.set(STOP)
    service.stop_infusion(staff.nurse, sid, volume_infused_ml=103.6)
    chart_recovery(service, clock, staff, sid, at=RECOVERY, cadss=3)
    assert missing(service, sid, READY) == set()
    chart_recovery(service, clock, staff, sid, at=95, cadss=4)
    ctx = service.context(sid)
    readiness = discharge.evaluate(ctx.state, ctx.protocol, minutes(95))
    (unmet,) = readiness.missing
    assert unmet.code == "dissociation_resolved"
    assert "CADSS-6 ≤ 3" in unmet.label
    assert unmet.detail == "last CADSS-6 4"


def test_criteria_are_described_in_words(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(
        service,
        clock,
        staff,
        observing,
        at=RECOVERY,
        vitals=vitals(systolic=160),
        moaas=4,
        escort=False,
    )
    ctx = service.context(observing)
    by_code = {c.code: c for c in discharge.evaluate(ctx.state, ctx.protocol, READY).criteria}
    assert (
        by_code["vitals_near_baseline"].label
        == "BP and HR within 20 % of baseline and BP < 160/100"
    )
    assert by_code["vitals_near_baseline"].detail == (
        "BP 160/84 vs baseline 128/82, HR 78 vs 76; systolic 160 at or above 160 (the discharge ceiling)"
    )
    assert by_code["vitals_fresh"].detail == "taken at 10:20, 10 min ago"
    assert by_code["sedation_resolved"].detail == "last 4"
    assert by_code["escort"].detail == "escort not confirmed"
    assert by_code["discharge_score"].detail == "10/10"
    assert by_code["min_observation"].detail == "30 min"


def test_unmet_min_observation_never_reads_as_complete(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(service, clock, staff, observing, at=RECOVERY)
    ctx = service.context(observing)
    readiness = discharge.evaluate(ctx.state, ctx.protocol, READY - timedelta(seconds=1))
    (unmet,) = readiness.missing
    assert unmet.code == "min_observation"
    assert unmet.detail == "29 of 30 min"  # never rounded up to look complete


# --- the moment a record is judged at ---------------------------------------------------------------


def test_an_open_record_is_judged_now(service: ChartService, observing: SessionId) -> None:
    state = service.state(observing)
    assert discharge.judged_at(state, minutes(95)) == minutes(95)


def test_a_record_ended_early_is_judged_when_it_ended(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(service, clock, staff, observing, at=70)
    service.record_waste(
        staff.nurse, observing, wasted_mg=14.0, witness=staff.nurse2, witness_password=DEMO_PASSWORD
    )
    clock.set(minutes(72))
    service.end_early(staff.nurse, observing, "patient left against advice")
    state = service.state(observing)
    assert state.closed_at == minutes(72)
    # Hours later, the record is still judged as it stood when it ended.
    assert discharge.judged_at(state, minutes(400)) == minutes(72)


def test_a_signed_record_is_judged_at_its_sign_off(
    service: ChartService, clock: FixedClock, staff: DemoStaff, observing: SessionId
) -> None:
    chart_recovery(service, clock, staff, observing, at=95)
    service.record_waste(
        staff.nurse, observing, wasted_mg=14.0, witness=staff.nurse2, witness_password=DEMO_PASSWORD
    )
    clock.set(minutes(100))
    service.sign_off(staff.clinician, observing, DEMO_PASSWORD)
    state = service.state(observing)
    assert discharge.judged_at(state, minutes(600)) == minutes(100)
    assert state.last_entry_at == minutes(100)
