"""Each C-SSRS screener item names the period it asks about, as the screener's "Recent" version
does (Q1–Q5: the past month; Q6: ever, then the past 3 months); ids and scoring unchanged."""

from __future__ import annotations

from bedside.scales import ScaleName, definition, score


def test_every_cssrs_item_carries_its_time_frame() -> None:
    texts = {item.key: item.text for item in definition(ScaleName.CSSRS).items}
    for key in ("q1_wish_dead", "q2_active_thoughts", "q3_method", "q4_intent", "q5_plan"):
        assert texts[key].startswith("In the past month: "), key
    assert texts["q6_behaviour"].startswith("Ever (lifetime): ")
    assert texts["q6_recent"].startswith("In the past 3 months: ")


def test_item_ids_and_scoring_are_unchanged() -> None:
    defn = definition(ScaleName.CSSRS)
    assert [item.key for item in defn.items] == [
        "q1_wish_dead",
        "q2_active_thoughts",
        "q3_method",
        "q4_intent",
        "q5_plan",
        "q6_behaviour",
        "q6_recent",
    ]
    recent = score(
        ScaleName.CSSRS,
        {"q1_wish_dead": 0, "q2_active_thoughts": 0, "q6_behaviour": 1, "q6_recent": 1},
    )
    assert (recent.band, recent.total) == ("high", 2)
