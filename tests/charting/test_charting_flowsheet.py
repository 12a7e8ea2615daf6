"""The flowsheet: rows per vitals entry, abnormal cells, struck corrections, late entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from charting_fixtures import Charted, Clinic, Reference, at

from charting import FLOWSHEET_COLUMNS, FlowsheetRow, build_flowsheet, build_series


def row_at(rows: tuple[FlowsheetRow, ...], minutes: float) -> FlowsheetRow:
    """The only effective row at S+minutes."""
    (row,) = [r for r in rows if r.minutes == minutes and not r.struck]
    return row


def test_columns_expose_key_header_and_unit() -> None:
    columns = {c.key: (c.header, c.unit) for c in FLOWSHEET_COLUMNS}
    assert columns["systolic"] == ("Systolic", "mmHg")
    assert columns["heart_rate"] == ("Heart rate", "/min")
    assert columns["spo2"] == ("SpO₂", "%")
    assert list(columns)[:5] == ["systolic", "diastolic", "heart_rate", "spo2", "resp_rate"]


def test_reference_rows_in_clinical_time_order(reference: Reference) -> None:
    rows = build_flowsheet(reference.state, reference.protocol)
    assert [r.minutes for r in rows] == [-15, 10, 20, 30, 35, 40, 60, 75]
    assert [r.baseline for r in rows] == [True] + [False] * 7
    assert not any(r.struck or r.late for r in rows)
    assert [r.cell("systolic").text for r in rows] == [
        "128",
        "134",
        "148",
        "186",
        "156",
        "144",
        "132",
        "126",
    ]
    assert rows[0].cell("temperature_c").text == "36.7"


def test_the_186_over_104_row_is_abnormal_at_pause_level(reference: Reference) -> None:
    rows = build_flowsheet(reference.state, reference.protocol)
    peak = row_at(rows, 30)
    assert peak.level == "pause"
    assert peak.cell("systolic").level == "pause"
    assert peak.cell("diastolic").level == "pause"
    assert peak.cell("heart_rate").level is None
    assert any("186" in reason for reason in peak.cell("systolic").reasons)
    others = [r for r in rows if r is not peak]
    assert all(r.level is None for r in others)


def test_notify_level_from_the_rise_over_baseline(infusing: Charted) -> None:
    # Baseline systolic 128; 170 is above the notify limit (160) and rose 42 (> 40).
    infusing.clock.set(at(25))
    infusing.service.record_vitals(infusing.staff.nurse, infusing.sid, systolic=170, diastolic=90)
    row = row_at(build_flowsheet(infusing.state(), infusing.protocol), 25)
    assert row.cell("systolic").level == "notify"
    assert len(row.cell("systolic").reasons) == 2
    assert row.cell("diastolic").level is None


def test_baseline_rows_use_the_do_not_start_limits(clinic: Clinic) -> None:
    sid = clinic.open_to_baseline(systolic=185, diastolic=95, heart_rate=76, spo2=98)
    clinic.clock.set(at(-10))
    clinic.service.record_baseline(
        clinic.staff.nurse, sid, systolic=150, diastolic=85, heart_rate=76, spo2=98
    )
    series = build_series(clinic.state(sid), clinic.protocol)
    assert not series.anchored_to_infusion
    first, second = series.flowsheet
    assert first.baseline
    assert second.baseline
    assert first.cell("systolic").level == "do_not_start"
    assert first.level == "do_not_start"
    # 150 is under the do-not-start limit but over the caution limit (140): advisory only.
    assert second.cell("systolic").level is None
    assert second.cell("systolic").caution
    assert second.level is None


def test_corrected_reading_is_struck_with_its_reason_next_to_the_replacement(
    infusing: Charted,
) -> None:
    state = infusing.state()
    (original,) = [e for e in state.vitals if e.clinical_time == at(10)]
    infusing.clock.set(at(40))  # corrected 30 minutes after the reading
    correction = infusing.service.correct(
        infusing.staff.nurse, infusing.sid, original.id, "typo", systolic=143
    ).event
    rows = build_flowsheet(infusing.state(), infusing.protocol)
    assert [(r.minutes, r.struck) for r in rows] == [
        (-15, False),
        (10, True),
        (10, False),
        (20, False),
    ]
    struck, replacement = rows[1], rows[2]
    assert struck.event_id == original.id
    assert struck.struck_reason == "typo"
    assert struck.replaced_by == correction.id
    assert not struck.voided
    assert struck.cell("systolic").text == "134"
    assert replacement.event_id == correction.id
    assert replacement.corrects == original.id
    assert replacement.correction_reason == "typo"
    assert replacement.cell("systolic").text == "143"
    # A correction is typed late by nature; the reading itself was charted on time.
    assert not replacement.late


def test_struck_readings_are_not_plotted(infusing: Charted) -> None:
    (original,) = [e for e in infusing.state().vitals if e.clinical_time == at(10)]
    correction = infusing.service.correct(
        infusing.staff.nurse, infusing.sid, original.id, "typo", systolic=143
    ).event
    systolic = build_series(infusing.state(), infusing.protocol).vitals.systolic
    assert [p.value for p in systolic] == [128, 143, 142]
    assert [p.corrected for p in systolic] == [False, True, False]
    assert systolic[1].event_id == correction.id


def test_voided_reading_stays_struck_without_replacement(infusing: Charted) -> None:
    (original,) = [e for e in infusing.state().vitals if e.clinical_time == at(20)]
    infusing.service.void(infusing.staff.nurse, infusing.sid, original.id, "wrong patient")
    rows = build_flowsheet(infusing.state(), infusing.protocol)
    last = rows[-1]
    assert last.event_id == original.id
    assert last.struck
    assert last.voided
    assert last.struck_reason == "wrong patient"
    assert last.replaced_by is None


@pytest.mark.parametrize(("delay_min", "late"), [(30, True), (15, False)])
def test_late_entry_is_flagged(infusing: Charted, delay_min: int, late: bool) -> None:
    assert infusing.protocol.monitoring.late_entry_after_min == 15
    infusing.clock.set(at(55))
    (event, *_) = infusing.service.record_vitals(
        infusing.staff.nurse,
        infusing.sid,
        clinical_time=infusing.clock.now() - timedelta(minutes=delay_min),
        heart_rate=80,
        spo2=97,
    ).events
    series = build_series(infusing.state(), infusing.protocol)
    (row,) = [r for r in series.flowsheet if r.event_id == event.id]
    assert row.late is late
    assert row.minutes == 55 - delay_min
    assert [r.late for r in series.flowsheet if r.event_id != event.id] == [False] * 3
    (point,) = [p for p in series.vitals.heart_rate if p.event_id == event.id]
    assert point.late is late


def test_every_vitals_row_carries_its_news2(reference: Reference) -> None:
    rows = [r for r in build_flowsheet(reference.state, reference.protocol) if not r.struck]
    peak = next(r for r in rows if r.cell("systolic").value == 186)
    assert peak.news2 is not None
    # 186/104, HR 96, SpO2 96, RR 16 on air; last MOAA/S 4 (at +10) reads as not alert:
    # SBP 0, HR 1, SpO2 0, RR 0, consciousness 3; no temperature charted.
    assert peak.news2.parts == {
        "air_or_oxygen": 0,
        "resp_rate": 0,
        "spo2": 0,
        "systolic": 0,
        "heart_rate": 1,
        "consciousness": 3,
    }
    assert peak.news2.total == 4
    assert peak.news2.missing == ("temperature_c",)
    baseline = next(r for r in rows if r.baseline)
    assert baseline.news2 is not None
    # 128/82, HR 76, SpO2 98, RR 14, 36.7 °C, with MOAA/S 5 scored the same minute: all 0.
    assert baseline.news2.total == 0
    assert baseline.news2.complete
    assert baseline.news2.parts["consciousness"] == 0


def test_the_oxygen_column_says_air_when_no_oxygen_was_given(infusing: Charted) -> None:
    # Issue 12 item 4: a blank O₂ cell read as "not recorded"; on air is an answer, so say it.
    infusing.clock.set(at(25))
    infusing.service.record_vitals(
        infusing.staff.nurse, infusing.sid, spo2=95, on_oxygen=True, o2_flow_l_min=2
    )
    rows = build_flowsheet(infusing.state(), infusing.protocol)
    assert rows[0].cell("oxygen").text == "air"
    assert row_at(rows, 25).cell("oxygen").text == "2"
