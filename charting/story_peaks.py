"""The peaks of a session's story: the highest BP and HR of the timed readings, with the level
the protocol gave them (:mod:`charting.session_story`). Qt-free."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import cast

from bedside.protocol import AlertLevel
from charting.course_summary import LEVEL_RANK
from charting.flowsheet import FlowsheetRow
from charting.monitoring_points import StoryLine

LEVEL_WORDS = {
    AlertLevel.NOTIFY: "notify level",
    AlertLevel.PAUSE: "PAUSE level",
    AlertLevel.DO_NOT_START: "DO-NOT-START level",
}
"""A reading's alert level in words (the story is read without the flowsheet's legend)."""


def _peak(rows: Sequence[FlowsheetRow], key: str) -> tuple[FlowsheetRow, float] | None:
    """The timed row with the highest value in column ``key`` (the more urgent level first
    on a tie), with that value."""
    valued = [
        (row, float(cast(float, row.cell(key).value)))
        for row in rows
        if not row.baseline and type(row.cell(key).value) in (int, float)
    ]
    if not valued:
        return None
    return max(valued, key=lambda rv: (rv[1], LEVEL_RANK[rv[0].cell(key).level]))


def _level_words(level: AlertLevel | None) -> str:
    return LEVEL_WORDS[level] if level is not None else "within the protocol's limits"


def peak_lines(
    rows: Sequence[FlowsheetRow], hm: Callable[[datetime], str]
) -> tuple[StoryLine, StoryLine]:
    """The peak BP and the peak HR of the timed readings (``rows``: struck ones left out), each
    on its own line with the level the protocol gave it (a pause-level BP must not make a
    normal HR read as alarming, nor the other way round); ``hm`` writes a time."""
    return _peak_bp(rows, hm), _peak_hr(rows, hm)


def _urgent(level: AlertLevel | None) -> bool:
    return level is not None and LEVEL_RANK[level] >= LEVEL_RANK[AlertLevel.PAUSE]


def _peak_bp(rows: Sequence[FlowsheetRow], hm: Callable[[datetime], str]) -> StoryLine:
    sbp = _peak(rows, "systolic")
    if sbp is None:
        return StoryLine("Peak BP", "no reading after the baseline")
    row, _ = sbp
    levels = [row.cell(k).level for k in ("systolic", "diastolic")]
    level = max(levels, key=LEVEL_RANK.__getitem__)
    bp = f"{row.cell('systolic').text}/{row.cell('diastolic').text or '–'}"
    return StoryLine(
        "Peak BP", f"{bp} at {hm(row.time)}, {_level_words(level)}", attention=_urgent(level)
    )


def _peak_hr(rows: Sequence[FlowsheetRow], hm: Callable[[datetime], str]) -> StoryLine:
    hr = _peak(rows, "heart_rate")
    if hr is None:
        return StoryLine("Peak HR", "no reading after the baseline")
    row, _ = hr
    level = row.cell("heart_rate").level
    text = f"{row.cell('heart_rate').text} at {hm(row.time)}, {_level_words(level)}"
    return StoryLine("Peak HR", text, attention=_urgent(level))
