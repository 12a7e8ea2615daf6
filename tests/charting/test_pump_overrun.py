"""Issue 10, item 6: the pump past its planned end is an alert.

The ``infusing`` session: 40 min planned at 155.4 mL/h for a 103.6 mL bag, started at S."""

from __future__ import annotations

from charting_fixtures import Charted, at

from bedside.rules.pump import pump_overrun


def test_no_overrun_while_the_pump_is_inside_its_plan(infusing: Charted) -> None:
    assert pump_overrun(infusing.state(), infusing.protocol, at(40)) is None


def test_the_charted_rates_imply_more_than_the_bag(infusing: Charted) -> None:
    # 41 min at 155.4 mL/h is 106 mL of a 103.6 mL bag (+0.5 mL rounding allowed).
    found = pump_overrun(infusing.state(), infusing.protocol, at(41))
    assert found is not None
    assert found.past_volume
    assert not found.past_time  # 41 min is inside 40 min + 10 %
    assert "imply 106 of 103.6 mL" in found.words()


def test_running_past_the_plan_plus_tolerance(infusing: Charted) -> None:
    found = pump_overrun(infusing.state(), infusing.protocol, at(45))
    assert found is not None
    assert found.past_time
    assert found.words().startswith("Pump past its planned end: running 45 of 40 min")


def test_a_pause_does_not_count_as_running(infusing: Charted) -> None:
    infusing.clock.set(at(25))
    infusing.service.pause_infusion(infusing.staff.nurse, infusing.sid, "Patient anxious")
    infusing.clock.set(at(35))
    infusing.service.resume_infusion(infusing.staff.nurse, infusing.sid)
    assert pump_overrun(infusing.state(), infusing.protocol, at(50)) is None
    assert pump_overrun(infusing.state(), infusing.protocol, at(55)) is not None


def test_a_charted_stop_ends_the_overrun(infusing: Charted) -> None:
    infusing.clock.set(at(41))
    infusing.service.stop_infusion(infusing.staff.nurse, infusing.sid, volume_infused_ml=103.6)
    assert pump_overrun(infusing.state(), infusing.protocol, at(60)) is None
