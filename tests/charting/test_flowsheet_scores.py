"""Sedation and CADSS-6 on the flowsheet, beside the vitals of the same check."""

from __future__ import annotations

from charting_fixtures import Charted

from bedside.protocol import AlertLevel
from bedside.scales import ScaleName
from charting.board import summarize
from charting.flowsheet import FLOWSHEET_COLUMNS, build_flowsheet
from charting.flowsheet_scores import SAME_CHECK_MIN

CADSS = dict.fromkeys(["item_01", "item_02", "item_06", "item_07", "item_15", "item_22"], 0)


def test_the_flowsheet_has_sedation_and_cadss_columns() -> None:
    keys = [c.key for c in FLOWSHEET_COLUMNS]
    assert keys[-2:] == ["sedation", "cadss6"]


def test_scores_sit_on_the_row_of_their_check(infusing: Charted) -> None:
    s, nurse = infusing.service, infusing.staff.nurse
    infusing.clock.advance(minutes=8)  # the next check
    reading = s.record_vitals(nurse, infusing.sid, systolic=128, diastolic=80).events[0]
    infusing.clock.advance(minutes=2)
    s.score_scale(nurse, infusing.sid, ScaleName.MOAAS, {"response": 4})
    s.score_scale(nurse, infusing.sid, ScaleName.CADSS6, {**CADSS, "item_01": 2})
    rows = build_flowsheet(infusing.state(), infusing.protocol)
    row = next(r for r in rows if r.event_id == reading.id)
    assert row.cell("sedation").text == "MOAA/S 4"
    assert row.cell("cadss6").text == "2"
    assert not any(r.scores_only for r in rows)


def test_a_score_charted_alone_has_a_row_of_its_own(infusing: Charted) -> None:
    s, nurse = infusing.service, infusing.staff.nurse
    infusing.clock.advance(minutes=SAME_CHECK_MIN + 1)
    scored = s.score_scale(nurse, infusing.sid, ScaleName.MOAAS, {"response": 5}).events[0]
    rows = build_flowsheet(infusing.state(), infusing.protocol)
    alone = rows[-1]
    assert alone.scores_only
    assert alone.event_id == scored.id
    assert alone.cell("sedation").text == "MOAA/S 5"
    assert alone.cell("systolic").text == ""
    assert alone.news2 is None
    # The board's "last vitals" is still the last vitals set, not the score.
    summary = summarize(1, infusing.state(), infusing.protocol, None, infusing.clock.now())
    assert summary.last_vitals is not None
    assert not summary.last_vitals.scores_only


def test_a_sedation_score_past_the_limit_is_coloured_by_the_same_rule(infusing: Charted) -> None:
    s, nurse = infusing.service, infusing.staff.nurse
    change = s.score_scale(nurse, infusing.sid, ScaleName.MOAAS, {"response": 2})
    raised = [e for e in change.events if e.kind == "alert_raised"]
    assert raised  # the score raised an alert ...
    rows = build_flowsheet(infusing.state(), infusing.protocol)
    cell = next(r for r in reversed(rows) if r.cell("sedation").text).cell("sedation")
    assert cell.level is raised[0].payload.level  # type: ignore[union-attr]  # ... its colour
    assert cell.level in (AlertLevel.NOTIFY, AlertLevel.PAUSE)


def test_a_corrected_score_shows_its_corrected_value(infusing: Charted) -> None:
    s, nurse = infusing.service, infusing.staff.nurse
    infusing.clock.advance(minutes=8)
    s.record_vitals(nurse, infusing.sid, systolic=128, diastolic=80)
    scored = s.score_scale(nurse, infusing.sid, ScaleName.MOAAS, {"response": 5}).events[0]
    s.correct(nurse, infusing.sid, scored.id, "wrong line", answers={"response": 4})
    rows = build_flowsheet(infusing.state(), infusing.protocol)
    texts = [r.cell("sedation").text for r in rows if r.cell("sedation").text]
    assert texts[-1] == "MOAA/S 4"
    assert "MOAA/S 5" not in texts[-1:]


def test_a_copied_value_is_marked_on_its_cell(infusing: Charted) -> None:
    s, nurse = infusing.service, infusing.staff.nurse
    last = infusing.state().vitals[-1]
    spo2 = last.payload.spo2  # type: ignore[union-attr]
    s.record_vitals(
        nurse, infusing.sid, heart_rate=90, spo2=spo2, copied=["spo2"], copied_from=last.id
    )
    row = build_flowsheet(infusing.state(), infusing.protocol)[-1]
    assert row.cell("spo2").copied
    assert not row.cell("heart_rate").copied


def test_news2_reads_consciousness_from_the_score_on_its_own_row(infusing: Charted) -> None:
    """A row showing MOAA/S 5 (scored a minute after its vitals) is scored alert; it used to
    take the older MOAA/S 4 and add 3 points, and the row before it with MOAA/S 4 scored 0."""
    s, nurse = infusing.service, infusing.staff.nurse
    infusing.clock.advance(minutes=8)
    s.score_scale(nurse, infusing.sid, ScaleName.MOAAS, {"response": 4})
    first = s.record_vitals(
        nurse, infusing.sid, systolic=126, diastolic=80, heart_rate=76, spo2=98, resp_rate=16
    ).events[0]
    infusing.clock.advance(minutes=10)
    second = s.record_vitals(
        nurse, infusing.sid, systolic=126, diastolic=80, heart_rate=76, spo2=98, resp_rate=16
    ).events[0]
    infusing.clock.advance(minutes=1)
    s.score_scale(nurse, infusing.sid, ScaleName.MOAAS, {"response": 5})
    rows = {r.event_id: r for r in build_flowsheet(infusing.state(), infusing.protocol)}
    lethargic, alert = rows[first.id], rows[second.id]
    assert lethargic.cell("sedation").text == "MOAA/S 4"
    assert lethargic.news2 is not None
    assert lethargic.news2.parts["consciousness"] == 3
    assert alert.cell("sedation").text == "MOAA/S 5"
    assert alert.news2 is not None
    assert alert.news2.parts["consciousness"] == 0
