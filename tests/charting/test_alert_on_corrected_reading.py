"""An alert raised on a reading later corrected or voided says so where it is shown (issue 12
item 4): in the sign-off summary and on the summary PDF."""

from __future__ import annotations

from charting_fixtures import Charted, at

from charting.alert_source import corrected_source, corrected_source_words
from charting.signoff import signoff_summary

TZ = "America/New_York"


def raise_low_spo2(infusing: Charted) -> None:
    infusing.clock.set(at(25))
    infusing.service.record_vitals(
        infusing.staff.nurse, infusing.sid, systolic=130, diastolic=80, heart_rate=80, spo2=89
    )


def names(infusing: Charted) -> dict:  # type: ignore[type-arg]
    return {u: x.display_name for u, x in infusing.service.staff().items()}


def test_a_reading_corrected_to_normal_says_its_alert_stood_on_a_corrected_value(
    infusing: Charted,
) -> None:
    raise_low_spo2(infusing)
    (alert,) = [a for a in infusing.state().alerts.values() if "SpO2 89" in a.payload.message]
    assert corrected_source(infusing.state(), alert) is None
    infusing.clock.set(at(26))
    infusing.service.correct(
        infusing.staff.nurse,
        infusing.sid,
        alert.payload.source_event_id,
        "probe displaced",
        spo2=97,
    )
    state = infusing.state()
    source = corrected_source(state, state.alerts[alert.raised.id])
    assert source is not None
    words = corrected_source_words(source, names(infusing), TZ)
    assert words.startswith("Raised on a reading later corrected (")
    assert "Dana Reyes, RN: probe displaced)" in words
    assert words.endswith("; the corrected reading raised no alert")


def test_a_voided_reading_and_the_signoff_summary(infusing: Charted) -> None:
    raise_low_spo2(infusing)
    (alert,) = [a for a in infusing.state().alerts.values() if "SpO2 89" in a.payload.message]
    infusing.clock.set(at(26))
    infusing.service.void(
        infusing.staff.nurse, infusing.sid, alert.payload.source_event_id, "wrong chair's monitor"
    )
    state = infusing.state()
    source = corrected_source(state, state.alerts[alert.raised.id])
    assert source is not None
    assert source.gone.voided
    words = corrected_source_words(source, names(infusing), TZ)
    assert "Raised on a reading later voided" in words
    assert "corrected reading" not in words
    summary = signoff_summary(state, infusing.protocol, at(27), names(infusing))
    (line,) = [x for x in summary.section("alerts").lines if "SpO2 89" in x.text]
    assert "Raised on a reading later voided" in line.text
