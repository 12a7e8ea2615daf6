"""Plot series and time-axis marks, and the no-Qt / no-wall-clock rules of the package."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from charting_fixtures import INFUSION_START, Charted, Reference, at

import charting
from charting import VITAL_PARAMETERS, AxisRange, build_series


def test_reference_points_include_baseline_with_negative_minutes(reference: Reference) -> None:
    vitals = build_series(reference.state, reference.protocol).vitals
    systolic = vitals.systolic
    assert [p.minutes for p in systolic] == [-15, 10, 20, 30, 35, 40, 60, 75]
    assert [p.value for p in systolic] == [128, 134, 148, 186, 156, 144, 132, 126]
    assert [p.baseline for p in systolic] == [True] + [False] * 7
    assert [p.value for p in vitals.diastolic][3] == 104
    assert [p.value for p in vitals.spo2] == [98, 97, 97, 96, 97, 97, 98, 98]
    for parameter in VITAL_PARAMETERS:
        assert len(vitals.points(parameter)) == 8
    with pytest.raises(KeyError):
        vitals.points("temperature_c")


def test_axes_are_fixed_and_the_time_range_covers_the_session(reference: Reference) -> None:
    series = build_series(reference.state, reference.protocol)
    assert series.anchor == INFUSION_START
    assert series.anchored_to_infusion
    assert series.time_axis == AxisRange(-20, 90)  # baseline at -15, sign-off at +85
    assert series.value_axis("systolic").range == AxisRange(40, 220)
    assert series.value_axis("diastolic").range == AxisRange(40, 220)
    assert series.value_axis("heart_rate").range == AxisRange(30, 160)
    assert series.value_axis("spo2").range == AxisRange(80, 100)
    assert series.value_axis("spo2").range.clamp(75) == 80
    assert next(c.key for c in series.columns) == "systolic"


def test_reference_timeline_marks(reference: Reference) -> None:
    marks = build_series(reference.state, reference.protocol).marks
    assert marks.infusion_start is not None
    assert marks.infusion_start.minutes == 0
    assert marks.infusion_stop is not None
    assert marks.infusion_stop.minutes == 45
    (pause,) = marks.pauses
    assert (pause.start_minutes, pause.end_minutes, pause.reason) == (
        30,
        35,
        "BP above pause limit",
    )
    (alert,) = marks.alerts
    assert (alert.minutes, alert.level, alert.acknowledged) == (30, "pause", True)
    assert alert.message.startswith("Pause infusion: Systolic BP 186")
    (prn,) = marks.prns
    assert (prn.minutes, prn.label) == (25, "ondansetron 4 mg IV")
    (effect,) = marks.side_effects
    assert (effect.minutes, effect.label, effect.resolved_minutes) == (22, "Nausea (mild)", 50)
    assert [(s.start_minutes, s.end_minutes) for s in marks.rate_steps] == [(0, 30), (35, 45)]
    assert marks.rate_changes == ()


def test_rate_change_and_open_pause_marks(infusing: Charted) -> None:
    nurse = infusing.staff.nurse
    infusing.clock.set(at(22))
    infusing.service.change_rate(nurse, infusing.sid, 120.0, "Patient dizzy")
    infusing.clock.set(at(26))
    infusing.service.pause_infusion(nurse, infusing.sid, "Patient anxious")
    # Paused at 26 min of pump time: the next check is 10 min into the pause, at S+36.
    infusing.clock.set(at(36))
    infusing.service.defer_check(
        nurse, infusing.sid, due_at=at(36), reason="Patient resting after pause"
    )
    marks = build_series(infusing.state(), infusing.protocol).marks
    (change,) = marks.rate_changes
    assert (change.minutes, change.rate_ml_h, change.reason) == (22, 120.0, "Patient dizzy")
    assert [(s.start_minutes, s.end_minutes, s.rate_ml_h) for s in marks.rate_steps][1] == (
        22,
        26,
        120.0,
    )
    (pause,) = marks.pauses
    assert pause.end is None
    assert pause.end_minutes is None
    assert marks.infusion_stop is None
    (deferral,) = marks.deferrals
    assert deferral.minutes == 36
    assert "Patient resting" in deferral.label


def test_charting_never_loads_qt() -> None:
    code = "import sys, charting, charting.series, charting.schedule; print(any(m == 'PySide6' or m.startswith('PySide6.') for m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False"


def test_charting_never_reads_the_wall_clock() -> None:
    forbidden = re.compile(r"\.now\(|utcnow|\.today\(|time\.time\(|monotonic\(|perf_counter\(")
    sources = sorted(Path(charting.__file__).parent.glob("*.py"))
    assert sources
    offenders = [
        f"{path.name}:{n}"
        for path in sources
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if forbidden.search(line)
    ]
    assert offenders == []
