"""A clock time typed by a nurse ("09:40") means the latest such moment, never a future one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bedside.timeutil import latest_clock_time

TZ = "America/New_York"
NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # 09:00 in New York


@pytest.mark.parametrize("typed", ["08:40", "0840", "840", "8.40", " 08:40 "])
def test_a_time_earlier_today(typed: str) -> None:
    assert latest_clock_time(typed, NOW, TZ) == datetime(2026, 11, 24, 13, 40, tzinfo=UTC)


def test_a_later_clock_time_is_yesterday_not_the_future() -> None:
    # 23:50 typed at 09:00 is last night, not tonight.
    assert latest_clock_time("23:50", NOW, TZ) == datetime(2026, 11, 24, 4, 50, tzinfo=UTC)


def test_now_itself_is_now() -> None:
    assert latest_clock_time("09:00", NOW, TZ) == NOW


@pytest.mark.parametrize("typed", ["", "nine", "25:00", "09:61", "9:4:0", "12345"])
def test_anything_else_is_refused_in_words(typed: str) -> None:
    with pytest.raises(ValueError, match="not a time of day"):
        latest_clock_time(typed, NOW, TZ)
