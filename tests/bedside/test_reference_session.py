"""The issue's reference session, charted end to end through the service, with its numbers."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pytest

from bedside.clock import FixedClock
from bedside.eventlog import export_session, import_log, parse_log, to_json
from bedside.events import AlertRaised, DosePlanned, Phase, PrnGiven, ScaleScored
from bedside.ids import SessionId
from bedside.protocol import AlertLevel
from bedside.rules import controlled, discharge
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.state import fold
from bedside.store import Store
from tests.bedside.clinic_support import patient_with_course
from tests.conftest import T0
from tests.importing import receiving_admin
from ui.demo import DemoStaff, chart_reference_session


@pytest.fixture
def reference(service: ChartService, staff: DemoStaff, clock: FixedClock) -> SessionId:
    patient = patient_with_course(service, staff, "MRN-7")
    return chart_reference_session(service, clock, staff, patient, chair=1, start=T0)


def test_dose_plan_numbers(service: ChartService, reference: SessionId) -> None:
    plan = cast(DosePlanned, service.state(reference).dose_plan.payload)  # type: ignore[union-attr]
    assert plan.dose_mg == 36.0
    assert plan.drug_volume_ml == 3.6
    assert plan.final_volume_ml == 103.6
    assert plan.rate_ml_h == 155.4  # about 150 mL/h: 103.6 mL over 40 min
    assert "0.5 mg/kg × 72 kg" in plan.formula
    assert "36 mg ÷ 10 mg/mL = 3.6 mL" in plan.formula


def test_pause_alert_at_30_minutes(service: ChartService, reference: SessionId) -> None:
    state = service.state(reference)
    assert len(state.alerts) == 1
    (alert,) = state.alerts.values()
    raised = cast(AlertRaised, alert.raised.payload)
    assert raised.level is AlertLevel.PAUSE
    assert "Systolic BP 186 mmHg above 180" in raised.message
    assert "Diastolic BP 104 mmHg above 100" in raised.message
    start = state.infusion.started_at
    assert start is not None
    assert alert.raised.clinical_time - start == timedelta(minutes=30)
    assert alert.acknowledged is not None


def test_prn_cadss_and_phases(service: ChartService, reference: SessionId) -> None:
    state = service.state(reference)
    (prn,) = state.prns
    p = cast(PrnGiven, prn.payload)
    assert (p.drug, p.dose, p.unit, p.route) == ("ondansetron", 4, "mg", "IV")
    end_cadss = [cast(ScaleScored, e.payload).total for e in state.scale_events(ScaleName.CADSS6)]
    assert end_cadss == [0, 6, 0]
    assert state.phase is Phase.SIGNED
    assert state.locked
    assert len(state.vitals) == 7


def test_first_ready_time_and_reconciliation(service: ChartService, reference: SessionId) -> None:
    ctx = service.context(reference)
    ready = discharge.first_ready_time(ctx.state, ctx.protocol, until=T0 + timedelta(hours=4))
    # Discharge assessment (the last missing criterion) was charted at start + 100 min.
    assert ready == T0 + timedelta(minutes=100)
    record = controlled.reconcile(ctx.state, ctx.protocol)
    assert (record.drawn_mg, record.infused_mg, record.wasted_mg) == (50.0, 36.0, 14.0)
    assert record.reconciled
    assert record.report.is_valid


def test_readiness_lists_what_is_missing_before_ready(
    service: ChartService, reference: SessionId
) -> None:
    ctx = service.context(reference)
    stop = ctx.state.infusion.stopped_at
    assert stop is not None
    early = discharge.evaluate(ctx.state, ctx.protocol, stop + timedelta(minutes=20))
    missing = {c.code for c in early.missing}
    assert {"min_observation", "discharge_score", "escort", "dissociation_resolved"} <= missing
    assert not early.all_met


def test_export_import_round_trip(
    service: ChartService, reference: SessionId, tmp_path, clock: FixedClock
) -> None:
    text = to_json(export_session(service.store, reference, now=clock.now()))
    other = Store(tmp_path / "other.db")
    try:
        sid = import_log(
            other, parse_log(text), now=clock.now(), authors_confirmed_by=receiving_admin(other)
        )
        assert sid == reference
        original = service.store.events(reference)
        copied = other.events(sid)
        assert [e.hash for e in copied] == [e.hash for e in original]
        assert copied == original
        a, b = fold(original), fold(copied)
        assert (a.phase, a.head_hash, len(a.effective)) == (b.phase, b.head_hash, len(b.effective))
        assert other.verify() == []
        # Exporting the imported copy gives the same document apart from the export time.
        again = export_session(other, sid, now=clock.now())
        assert to_json(again) == text
    finally:
        other.close()
