"""Controlled-substance reconciliation (bedside.rules.controlled), on sessions charted through the
service: drawn = infused + wasted, infused derived from the pump volume (CLINICAL.md §1.4, §7).

The reference session (ui.demo) draws 50 mg (5 mL of 10 mg/mL), adds 36 mg to a 100 mL bag
(103.6 mL, 36/103.6 mg/mL) and starts the pump at 155.4 mL/h at T0 + 20 min.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from bedside.clock import FixedClock
from bedside.errors import InputRejected, OperationRefused
from bedside.events import EventDraft, Phase, WasteRecorded
from bedside.ids import SessionId
from bedside.rules import controlled
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.signatures import Meaning
from bedside.store import Store
from tests.bedside.clinic_support import copied_store, patient_with_course, staff_in
from tests.conftest import T0
from ui.demo import DEMO_PASSWORD, DemoStaff, chart_reference_session, create_staff
from ui.demo.answers import ALDRETE_FULL, cadss6_answers

CONCENTRATION = 36 / 103.6  # mg/mL in the bag
START = T0 + timedelta(minutes=20)


@dataclass(frozen=True)
class Template:
    path: Path
    infusing: SessionId
    ready: SessionId


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """One database, built once per module and copied for each test (scrypt is slow on
    purpose): staff, and two reference sessions, one infusing (chair 1) and one ready for
    discharge (chair 2)."""
    path = tmp_path_factory.mktemp("controlled") / "template.db"
    store = Store(path)
    clock = FixedClock(T0)
    service = ChartService(store, clock)
    store.set_settings({"timezone": "America/New_York"}, actor=None, at=clock.now())
    staff = create_staff(service)
    service.ensure_protocol(staff.admin)
    sessions = []
    for n, (chair, until) in enumerate(((1, Phase.INFUSING), (2, Phase.READY_FOR_DISCHARGE))):
        patient = patient_with_course(service, staff, f"MRN-CS{n}")
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
def infusing(template: Template, clock: FixedClock) -> SessionId:
    """The reference session, started at T0 + 20 at 155.4 mL/h; now T0 + 40."""
    clock.set(T0 + timedelta(minutes=40))
    return template.infusing


def at(clock: FixedClock, minutes: float) -> None:
    clock.set(T0 + timedelta(minutes=minutes))


def reconciled(service: ChartService, sid: SessionId) -> controlled.SubstanceRecord:
    """The controlled-substance record of the session as it stands, under its protocol."""
    ctx = service.context(sid)
    return controlled.reconcile(ctx.state, ctx.protocol)


def waste(service: ChartService, staff: DemoStaff, sid: SessionId, mg: float) -> None:
    service.record_waste(
        staff.nurse, sid, wasted_mg=mg, witness=staff.nurse2, witness_password=DEMO_PASSWORD
    )


def waste_past_the_service(
    service: ChartService, staff: DemoStaff, sid: SessionId, mg: float
) -> None:
    """A waste above what is open, which the service now refuses (test_waste_bounds.py): as a
    log from a release without that bound would bring it, appended straight to the store, so
    the reconciliation's own findings stay tested."""
    ctx = service.context(sid)
    witness = service.accounts.sign(
        staff.nurse2, DEMO_PASSWORD, Meaning.WITNESSED_WASTE, ctx.state.head_hash
    )
    payload = WasteRecorded(
        wasted_mg=mg,
        wasted_ml=round(mg / 10.0, 3),
        source="vial",
        method="rendered unrecoverable in waste container",
        witness=witness,
    )
    service.store.append_after(
        sid,
        [EventDraft(payload=payload, clinical_time=service.clock.now())],
        author=staff.nurse.id,
        at=service.clock.now(),
        expected_head=ctx.state.head_hash,
    )


def test_while_infusing_the_infused_amount_is_open(
    service: ChartService, infusing: SessionId
) -> None:
    record = reconciled(service, infusing)
    assert (record.drawn_mg, record.added_to_bag_mg) == (50.0, 36.0)
    assert record.infused_mg is None
    assert record.discrepancy_mg is None
    assert not record.reconciled
    assert "cs.infusion_open" in record.report.codes()
    assert record.report.is_valid  # open, not wrong
    assert (record.lot, record.concentration_mg_ml) == ("KX2291A", 10.0)


def test_full_infusion_without_waste_is_unaccounted(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    at(clock, 60)
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=103.6)
    record = reconciled(service, infusing)
    assert record.infused_mg == 36.0
    assert record.discrepancy_mg == pytest.approx(14.0)
    assert not record.reconciled
    (finding,) = record.report.errors
    assert finding.code == "cs.unaccounted"
    assert finding.message.startswith("14 mg not accounted for")
    assert "witness" in finding.message


def test_witnessed_waste_of_the_remainder_reconciles(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    at(clock, 60)
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=103.6)
    waste(service, staff, infusing, 14.0)
    record = reconciled(service, infusing)
    assert (record.drawn_mg, record.infused_mg, record.wasted_mg) == (50.0, 36.0, 14.0)
    assert record.discrepancy_mg == pytest.approx(0.0)
    assert record.reconciled
    assert record.report.errors == ()
    assert record.witnesses == ("Sam Okafor, RN",)


def test_waste_split_over_two_entries_adds_up(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    at(clock, 60)
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=103.6)
    waste(service, staff, infusing, 10.0)
    assert "cs.unaccounted" in reconciled(service, infusing).report.codes()
    waste(service, staff, infusing, 4.0)
    record = reconciled(service, infusing)
    assert record.wasted_mg == 14.0
    assert record.reconciled


def test_more_waste_than_possible_is_over_accounted(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    at(clock, 60)
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=103.6)
    waste_past_the_service(service, staff, infusing, 20.0)
    record = reconciled(service, infusing)
    assert record.discrepancy_mg == pytest.approx(-6.0)
    assert not record.reconciled
    (finding,) = record.report.errors
    assert finding.code == "cs.over_accounted"
    assert "6 mg more than the 50 mg drawn" in finding.message


def test_waste_within_tolerance_is_reconciled(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    at(clock, 60)
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=103.6)
    waste(service, staff, infusing, 13.96)  # 0.04 mg short: within the 0.05 mg tolerance
    assert reconciled(service, infusing).reconciled


def test_waste_short_by_more_than_tolerance_is_not(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    at(clock, 60)
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=103.6)
    waste(service, staff, infusing, 13.9)
    record = reconciled(service, infusing)
    assert not record.reconciled
    assert "cs.unaccounted" in record.report.codes()


def test_early_stop_derives_infused_mg_from_volume_times_concentration(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    # Stopped after 20 of 40 min: 155.4 mL/h × 20 min = 51.8 mL = 18 mg.
    at(clock, 40)
    service.stop_infusion(
        staff.nurse,
        infusing,
        volume_infused_ml=51.8,
        completed=False,
        reason="patient asked to stop",
    )
    state = service.state(infusing)
    assert state.infusion.completed is False
    record = reconciled(service, infusing)
    assert record.infused_mg == pytest.approx(51.8 * CONCENTRATION, abs=0.01)
    assert record.infused_mg == pytest.approx(18.0, abs=0.01)
    assert "cs.volume_differs_from_rates" not in record.report.codes()
    # 14 mg left in the vial + 18 mg left in the bag must be wasted.
    assert record.discrepancy_mg == pytest.approx(32.0, abs=0.01)
    waste(service, staff, infusing, 32.0)
    assert reconciled(service, infusing).reconciled


def test_early_stop_needs_a_reason(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    before = len(service.store.events(infusing))
    with pytest.raises(InputRejected, match="reason"):
        service.stop_infusion(staff.nurse, infusing, volume_infused_ml=51.8, completed=False)
    assert len(service.store.events(infusing)) == before


def test_pause_and_rate_change_enter_the_expected_volume(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    # 20 min at 155.4, pause 5 min, 5 min at 155.4, 10 min at 100 mL/h.
    n = staff.nurse
    at(clock, 40)
    service.pause_infusion(n, infusing, "headache")
    at(clock, 45)
    service.resume_infusion(n, infusing)
    at(clock, 50)
    service.change_rate(n, infusing, 100.0, "blood pressure rising")
    at(clock, 60)
    expected = 155.4 * 20 / 60 + 155.4 * 5 / 60 + 100.0 * 10 / 60  # 81.42 mL
    service.stop_infusion(
        n, infusing, volume_infused_ml=round(expected, 1), completed=False, reason="stopped early"
    )
    state = service.state(infusing)
    assert state.infusion.expected_volume_ml() == pytest.approx(expected, abs=0.01)
    assert state.infusion.running_minutes(T0 + timedelta(hours=2)) == pytest.approx(35.0)
    assert [(p[0], p[1]) for p in state.infusion.pauses] == [
        (T0 + timedelta(minutes=40), T0 + timedelta(minutes=45))
    ]
    record = reconciled(service, infusing)
    assert "cs.volume_differs_from_rates" not in record.report.codes()
    assert record.infused_mg == pytest.approx(81.4 * CONCENTRATION, abs=0.01)


@pytest.mark.parametrize(
    ("volume", "warns"),
    [(103.6, False), (99.0, False), (98.0, True), (80.0, True)],
)
def test_pump_volume_far_from_charted_rates_warns(
    service: ChartService,
    clock: FixedClock,
    staff: DemoStaff,
    infusing: SessionId,
    volume: float,
    warns: bool,
) -> None:
    # 40 min at 155.4 mL/h = 103.6 mL expected; the warning is at more than 5 % (5.18 mL).
    at(clock, 60)
    # 80 mL of the 103.6 mL bag is no finished bag: stopped early, with the reason.
    early = {"completed": False, "reason": "patient asked to stop"} if volume < 90 else {}
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=volume, **early)
    record = reconciled(service, infusing)
    assert ("cs.volume_differs_from_rates" in {f.code for f in record.report.warnings}) is warns
    if warns:
        (finding,) = [f for f in record.report.warnings]
        assert f"Pump volume {volume:g} mL" in finding.message
        assert "103.6 mL" in finding.message


def test_short_pump_volume_counts_only_what_was_infused(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    at(clock, 60)
    service.stop_infusion(
        staff.nurse, infusing, volume_infused_ml=80.0, completed=False, reason="patient asked"
    )
    record = reconciled(service, infusing)
    assert record.infused_mg == pytest.approx(80.0 * CONCENTRATION, abs=0.01)  # 27.80 mg


def test_pump_reading_above_the_bag_volume_is_refused(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    # A 110 mL reading from a 103.6 mL bag is a misread pump: refused, never capped silently.
    at(clock, 60)
    with pytest.raises(InputRejected, match="more than the bag held"):
        service.stop_infusion(staff.nurse, infusing, volume_infused_ml=110.0)
    assert service.state(infusing).infusion.stopped_at is None


def test_full_bag_within_half_a_millilitre_is_the_whole_dose(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    at(clock, 60)
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=103.2)
    assert reconciled(service, infusing).infused_mg == 36.0


# --- the drug record blocks sign-off ---------------------------------------------------------------


@pytest.fixture
def ready(template: Template, clock: FixedClock) -> SessionId:
    """The reference session, ready for discharge; now T0 + 110."""
    clock.set(T0 + timedelta(minutes=110))
    return template.ready


def test_reference_session_is_reconciled_before_sign_off(
    service: ChartService, ready: SessionId
) -> None:
    assert reconciled(service, ready).reconciled


def test_sign_off_refused_when_drug_record_does_not_balance(
    service: ChartService, clock: FixedClock, staff: DemoStaff, ready: SessionId
) -> None:
    waste_past_the_service(service, staff, ready, 1.0)  # 15 mg wasted: 1 mg more than left
    before = len(service.store.events(ready))
    with pytest.raises(OperationRefused) as info:
        service.sign_off(staff.clinician, ready, DEMO_PASSWORD)
    assert "cs.over_accounted" in info.value.report.codes()
    assert len(service.store.events(ready)) == before
    assert not service.state(ready).locked
    # The discrepancy is not overridable either.
    with pytest.raises(OperationRefused, match="cannot be overridden"):
        service.sign_off(
            staff.clinician, ready, DEMO_PASSWORD, override_reason="counted twice by mistake"
        )
    assert not service.state(ready).locked


# --- the open remainder (issue 9 C8) ----------------------------------------------------------------


def test_the_whole_vial_drawn_leaves_its_remainder_open_from_the_start(
    service: ChartService, infusing: SessionId
) -> None:
    # 50 mg drawn, 36 mg in the bag: the 14 mg in the syringe is open while the pump runs,
    # measured at the vial's strength (10 mg/mL).
    record = reconciled(service, infusing)
    assert record.open_parts == (controlled.Remainder("vial", 14.0, 1.4),)
    assert (record.open_mg, record.open_ml) == (14.0, 1.4)
    assert record.open_words() == "14 mg (1.4 mL) left in the vial or syringe"
    assert not record.reconciled


def test_an_early_stop_opens_the_bag_too_each_part_at_its_own_strength(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    at(clock, 40)
    service.stop_infusion(
        staff.nurse, infusing, volume_infused_ml=51.8, completed=False, reason="asked to stop"
    )
    record = reconciled(service, infusing)
    vial, bag = record.open_parts
    assert (vial.source, vial.mg, vial.ml) == ("vial", 14.0, 1.4)
    assert (bag.source, bag.ml) == ("bag", pytest.approx(51.8, abs=0.05))
    assert bag.mg == pytest.approx(18.0, abs=0.01)
    assert record.open_mg == pytest.approx(record.discrepancy_mg)
    # Waste booked against the vial only still closes the record: the parts follow the total.
    waste(service, staff, infusing, 20.0)
    (left,) = reconciled(service, infusing).open_parts
    assert (left.source, left.mg) == ("bag", pytest.approx(12.0, abs=0.01))


def test_nothing_is_open_once_the_remainder_is_wasted(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    waste(service, staff, infusing, 14.0)  # while the pump runs, the witness at hand
    assert reconciled(service, infusing).open_parts == ()
    at(clock, 60)
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=103.6)
    record = reconciled(service, infusing)
    assert record.open_parts == ()
    assert record.reconciled


def test_the_unaccounted_finding_says_where_the_remainder_is(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    at(clock, 60)
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=103.6)
    (finding,) = reconciled(service, infusing).report.errors
    assert "(open: 14 mg (1.4 mL) left in the vial or syringe)" in finding.message


def test_sign_off_with_an_open_remainder_is_refused_then_signed_past_with_a_reason(
    service: ChartService, clock: FixedClock, staff: DemoStaff, infusing: SessionId
) -> None:
    # The reference session charted to discharge without its 14 mg waste.
    n, sid = staff.nurse, infusing
    at(clock, 60)
    service.stop_infusion(n, sid, volume_infused_ml=103.6)
    service.score_scale(n, sid, ScaleName.CADSS6, cadss6_answers(0))
    for minutes in (80, 95):
        at(clock, minutes)
        service.record_vitals(
            n, sid, systolic=126, diastolic=80, heart_rate=76, spo2=98, resp_rate=14
        )
        service.score_scale(n, sid, ScaleName.MOAAS, {"response": 5})
    at(clock, 100)
    service.assess_discharge(
        n,
        sid,
        answers=ALDRETE_FULL,
        escort_present=True,
        escort_name="Chris Doe",
        instructions_given=True,
    )
    with pytest.raises(OperationRefused) as refusal:
        service.sign_off(staff.clinician, sid, DEMO_PASSWORD)
    assert refusal.value.report.codes() == {"cs.unaccounted"}
    (finding,) = refusal.value.report.errors
    assert finding.overridable
    assert finding.message.startswith(
        "Open remainder: 14 mg (1.4 mL) left in the vial or syringe — drawn but neither "
        "infused nor wasted."
    )
    assert not service.state(sid).locked
    signed = service.sign_off(
        staff.clinician,
        sid,
        DEMO_PASSWORD,
        override_reason="vial dropped and broke before waste; pharmacy informed",
    )
    override = signed.event.payload.override  # type: ignore[union-attr]
    assert override is not None
    assert override.finding_codes == ("cs.unaccounted",)
    assert service.state(sid).locked


@pytest.mark.parametrize(("volume", "refused"), [(103.6, False), (98.0, False), (69.0, True)])
def test_a_bag_stopped_part_way_is_never_recorded_as_finished(
    service: ChartService,
    clock: FixedClock,
    staff: DemoStaff,
    infusing: SessionId,
    volume: float,
    refused: bool,
) -> None:
    """69 mL of a 103.6 mL bag saved as completed would read as the whole dose given; within
    the pump's accuracy (5 %) it is the whole bag."""
    at(clock, 60)
    if refused:
        with pytest.raises(InputRejected, match="not a finished bag: mark it stopped early"):
            service.stop_infusion(staff.nurse, infusing, volume_infused_ml=volume)
        assert service.state(infusing).infusion.stopped_at is None
        return
    service.stop_infusion(staff.nurse, infusing, volume_infused_ml=volume)
    assert service.state(infusing).infusion.stopped_at is not None
