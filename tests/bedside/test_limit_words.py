"""Alert limits print as the protocol's authors state them (issue 12 item 4): "at or above 160"
(CTCAE grade 3 is SBP ≥ 160), not "above 159", while the pause limit stays "above 180"."""

from __future__ import annotations

import pytest

from bedside.protocol import AlertLevel, default_protocol
from bedside.rules import alerts
from bedside.rules.alerts import Observed
from bedside.rules.limit_words import at_most, bp_at_most, exceeds, falls_below, rise_beyond


@pytest.mark.parametrize(
    ("limit", "words"),
    [
        (159, "at or above 160"),
        (180, "above 180"),
        (99, "at or above 100"),
        (100, "above 100"),
        (24, "at or above 25"),
        (110, "above 110"),
    ],
)
def test_a_limit_over_is_stated_by_its_round_number(limit: int, words: str) -> None:
    assert exceeds(limit) == words


def test_limits_under_rises_and_ceilings() -> None:
    assert falls_below(92) == "below 92"
    assert falls_below(91) == "at or below 90"
    assert rise_beyond(39) == "40 or more"
    assert rise_beyond(24) == "25 or more"
    assert at_most(159) == "< 160"
    assert at_most(180) == "≤ 180"
    assert bp_at_most(159, 99) == "< 160/100"
    assert bp_at_most(180, 99) == "systolic ≤ 180, diastolic < 100"


def test_the_shipped_protocol_s_notify_message_says_160_and_its_pause_message_180() -> None:
    protocol = default_protocol()
    notify = alerts.evaluate_in_session(
        Observed(systolic=164, diastolic=96), baseline=None, protocol=protocol
    )
    assert notify.level is AlertLevel.NOTIFY
    assert "Systolic BP 164 mmHg at or above 160" in notify.message()
    assert "159" not in notify.message()
    pause = alerts.evaluate_in_session(
        Observed(systolic=184, diastolic=104), baseline=None, protocol=protocol
    )
    assert "Systolic BP 184 mmHg above 180; Diastolic BP 104 mmHg above 100" in pause.message()
