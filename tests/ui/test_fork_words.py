"""The fork banner's words when the other workstation sent only judged steps: it says nothing
else came, rather than "0 entries … merged"."""

from __future__ import annotations

from bedside.ids import EventId
from bedside.state_parts import ForkView
from ui.session.fork_banner import fork_words


def test_nothing_merged_is_said_in_words() -> None:
    fork = ForkView(
        line=(),
        received=(),
        origins={EventId("e1"): "ws_chair_room_2"},
        other_heads=("0" * 64,),
        merged=(),
        waiting_steps=(),
        competing_steps=(),
        set_aside=(),
    )
    words = fork_words(fork, {}, "UTC")
    assert "(ws_chair_room_2): nothing else came from there." in words
    assert "0 entries" not in words
