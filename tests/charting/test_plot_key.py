"""The trend plot cannot be misread: every series its own colour and shape, marks in shapes no
series uses, alert levels told apart without colour, a legend naming everything drawn, and the
words behind every mark (``charting.plot_key`` and ``charting.plot_lane``)."""

from __future__ import annotations

from charting_fixtures import Charted, Reference, at

from bedside.protocol import AlertLevel
from charting import build_series
from charting.plot_key import (
    HOLLOW_KEY,
    MARK_STYLES,
    PLOT_BANDS,
    SERIES_HUES,
    SERIES_STYLES,
    LineStyle,
    MarkKind,
    alert_kind,
    band_of,
    legend_entries,
    series_style,
)
from charting.plot_lane import (
    lane_marks,
    mark_words,
    pack_rows,
    placing_order,
    point_words,
    pump_marks,
    pump_words,
)

ALERTS = (MarkKind.ALERT_NOTIFY, MarkKind.ALERT_PAUSE, MarkKind.ALERT_DO_NOT_START)


def test_every_series_has_its_own_colour_and_its_own_shape() -> None:
    glyphs = [s.glyph for s in SERIES_STYLES]
    assert len({g.hue for g in glyphs}) == len(glyphs)  # colour alone tells them apart…
    assert len({g.shape for g in glyphs}) == len(glyphs)  # …and so does shape alone (greyscale)
    assert {g.hue for g in glyphs} <= SERIES_HUES
    assert all(g.line is not LineStyle.NONE for g in glyphs)
    # Heart rate runs beside the diastolic pressure on the same scale: its line differs too.
    assert series_style("heart_rate").glyph.line != series_style("diastolic").glyph.line
    assert [s.key for s in SERIES_STYLES] == ["systolic", "diastolic", "heart_rate", "spo2"]
    for style in SERIES_STYLES:
        assert style.key in band_of(style).series


def test_no_mark_looks_like_a_series_point() -> None:
    series_shapes = {s.glyph.shape for s in SERIES_STYLES}
    for kind, style in MARK_STYLES.items():
        assert style.glyph.shape not in series_shapes, kind
        assert style.glyph.hue not in SERIES_HUES, kind
    # Not the ▼ above the 220 line any more: an alert is a lettered octagon.
    assert {MARK_STYLES[k].glyph.shape for k in ALERTS} == {MARK_STYLES[ALERTS[0]].glyph.shape}


def test_alert_levels_differ_without_colour() -> None:
    glyphs = [MARK_STYLES[k].glyph for k in ALERTS]
    seen = {(g.shape, g.filled, g.letter) for g in glyphs}
    assert len(seen) == len(ALERTS)
    assert MARK_STYLES[MarkKind.ALERT_NOTIFY].glyph.filled is False
    assert MARK_STYLES[MarkKind.ALERT_PAUSE].glyph.filled is True
    assert {MARK_STYLES[k].glyph.letter for k in ALERTS} == {"N", "P", "D"}
    assert [alert_kind(level) for level in AlertLevel] == list(ALERTS)


def test_the_legend_names_every_series_and_every_mark_present(reference: Reference) -> None:
    series = build_series(reference.state, reference.protocol)
    keys = [e.key for e in legend_entries(series)]
    assert keys == [
        "systolic",
        "diastolic",
        "heart_rate",
        "spo2",
        MarkKind.ALERT_PAUSE,
        MarkKind.PRN,
        MarkKind.SIDE_EFFECT,
        MarkKind.INFUSION_START_STOP,
        MarkKind.INFUSION_PAUSED,
    ]
    # No notify alert, rate change or late entry in the reference session: not in its key.
    assert MarkKind.ALERT_NOTIFY not in keys
    assert HOLLOW_KEY not in keys
    labels = {e.key: e.label for e in legend_entries(series)}
    assert labels["systolic"] == "Systolic BP"
    assert labels[MarkKind.ALERT_PAUSE] == "Alert: pause infusion"


def test_the_legend_grows_with_what_is_drawn(infusing: Charted) -> None:
    nurse = infusing.staff.nurse
    infusing.clock.set(at(22))
    infusing.service.change_rate(nurse, infusing.sid, 120.0, "Patient dizzy")
    infusing.clock.set(at(25))
    infusing.service.record_vitals(
        nurse, infusing.sid, systolic=164, diastolic=88, heart_rate=82, spo2=97, resp_rate=14
    )
    series = build_series(infusing.state(), infusing.protocol)
    keys = [e.key for e in legend_entries(series)]
    assert MarkKind.ALERT_NOTIFY in keys
    assert MarkKind.RATE_CHANGE in keys
    assert HOLLOW_KEY not in keys
    infusing.clock.set(at(27))
    # A heart rate of 36 is below the upper band's 40: drawn hollow at its edge, and keyed.
    infusing.service.record_vitals(
        nurse, infusing.sid, systolic=150, diastolic=86, heart_rate=36, spo2=97, resp_rate=14
    )
    series = build_series(infusing.state(), infusing.protocol)
    assert HOLLOW_KEY in [e.key for e in legend_entries(series)]
    (slow,) = [p for p in series.vitals.heart_rate if p.value == 36]
    words = point_words(series_style("heart_rate"), slow, PLOT_BANDS[0], None)
    assert words == "+27′ Heart rate 36 /min (off the scale, drawn at its edge)"


def test_lane_marks_say_what_happened_and_when(reference: Reference) -> None:
    series = build_series(reference.state, reference.protocol)
    marks = lane_marks(series.marks)
    assert [m.kind for m in marks] == [MarkKind.SIDE_EFFECT, MarkKind.PRN, MarkKind.ALERT_PAUSE]
    effect, prn, alert = marks
    assert mark_words(prn, "UTC") == "14:45 (+25′) PRN ondansetron 4 mg IV for nausea"
    assert prn.short == "ondansetron"
    assert mark_words(prn, None).startswith("+25′ PRN ondansetron")
    assert mark_words(effect, "UTC") == (
        "14:42 (+22′) Side effect: Nausea (mild); resolved 15:10 (+50′)"
    )
    words = mark_words(alert, "UTC")
    assert words.startswith("14:50 (+30′) Alert — Pause infusion: Systolic BP 186")
    assert "acknowledged: " in words
    pumps = [pump_words(p, "UTC") for p in pump_marks(series.marks)]
    assert pumps[0] == "14:20 (0′) Infusion started"
    assert pumps[1].startswith("14:50 (+30′) Infusion paused: BP above pause limit; resumed")


def test_point_words_name_time_series_value_and_flags(reference: Reference) -> None:
    series = build_series(reference.state, reference.protocol)
    systolic = series_style("systolic")
    band = band_of(systolic)
    baseline, *_ = series.vitals.systolic
    assert point_words(systolic, baseline, band, "UTC") == (
        "14:05 (-15′) Systolic BP 128 mmHg (baseline)"
    )
    spo2 = series_style("spo2")
    point = series.vitals.spo2[1]
    assert point_words(spo2, point, band_of(spo2), None) == "+10′ SpO₂ 97%"


def test_pack_rows_keeps_close_marks_apart_and_alerts_on_top() -> None:
    assert pack_rows([(0, 2), (1, 3), (5, 6)], rows=3) == (0, 1, 0)
    # Every row taken: the mark shares the row where it covers the fewest.
    assert pack_rows([(0, 4), (0, 4), (1, 2)], rows=2) == (0, 1, 0)
    # Placing the second mark first gives it the top row.
    assert pack_rows([(0, 2), (1, 3)], rows=2, order=(1, 0)) == (1, 0)
    # Clear of the first mark's glyph but under its words: the row clear of both wins.
    assert pack_rows([(0, 1), (5, 6), (2, 3)], rows=2, wide=[(0, 9), (5, 6), (2, 3)]) == (0, 1, 1)
    assert pack_rows([(0, 1), (5, 6)], rows=2) == (0, 0)


def test_alerts_are_placed_before_medicines_and_side_effects(reference: Reference) -> None:
    marks = lane_marks(build_series(reference.state, reference.protocol).marks)
    order = placing_order(marks)
    assert [marks[i].kind for i in order] == [
        MarkKind.ALERT_PAUSE,
        MarkKind.PRN,
        MarkKind.SIDE_EFFECT,
    ]
