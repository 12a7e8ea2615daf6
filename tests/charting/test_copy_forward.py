"""Copy-forward is explicit and checked: a value saved as copied is its source's value."""

from __future__ import annotations

import pytest
from charting_fixtures import Charted

from bedside.errors import InputRejected
from charting.board import summarize
from charting.record_text import vitals_words


def test_copied_values_are_saved_with_their_source(infusing: Charted) -> None:
    s, nurse = infusing.service, infusing.staff.nurse
    last = infusing.state().vitals[-1]
    p = last.payload
    saved = s.record_vitals(
        nurse,
        infusing.sid,
        systolic=p.systolic,  # type: ignore[union-attr]
        diastolic=p.diastolic,  # type: ignore[union-attr]
        heart_rate=101,
        copied=["systolic", "diastolic"],
        copied_from=last.id,
    ).events[0]
    assert saved.payload.copied == ("systolic", "diastolic")  # type: ignore[union-attr]
    assert saved.raw_payload["copied_from"] == last.id


def test_a_value_that_is_not_its_sources_cannot_claim_to_be_copied(infusing: Charted) -> None:
    s, nurse = infusing.service, infusing.staff.nurse
    last = infusing.state().vitals[-1]
    before = len(infusing.state().events)
    with pytest.raises(InputRejected, match="systolic: marked copied but not the value"):
        s.record_vitals(
            nurse,
            infusing.sid,
            systolic=199,
            diastolic=last.payload.diastolic,  # type: ignore[union-attr]
            copied=["systolic", "diastolic"],
            copied_from=last.id,
        )
    with pytest.raises(InputRejected, match="must name the set"):
        s.record_vitals(nurse, infusing.sid, heart_rate=80, copied=["heart_rate"])
    note = s.add_note(nurse, infusing.sid, "calm").events[0]
    with pytest.raises(InputRejected, match="vitals set of this session"):
        s.record_vitals(
            nurse, infusing.sid, heart_rate=80, copied=["heart_rate"], copied_from=note.id
        )
    assert len(infusing.state().events) == before + 1  # the note only


def test_a_set_typed_in_full_is_stored_as_it_always_was(infusing: Charted) -> None:
    saved = infusing.service.record_vitals(
        infusing.staff.nurse, infusing.sid, systolic=120, diastolic=80
    ).events[0]
    assert "copied" not in saved.raw_payload
    assert "copied_from" not in saved.raw_payload


def test_a_set_with_nothing_measured_is_refused(infusing: Charted) -> None:
    """Every value copied is no new check: it would read as a reading that was never taken."""
    s, nurse = infusing.service, infusing.staff.nurse
    last = infusing.state().vitals[-1]
    p = last.payload
    values = {k: getattr(p, k) for k in ("systolic", "diastolic", "heart_rate", "spo2")}
    with pytest.raises(InputRejected, match="Nothing in this set was measured"):
        s.record_vitals(nurse, infusing.sid, **values, copied=list(values), copied_from=last.id)


def test_a_copied_value_reads_as_copied_in_the_record_and_on_the_board(
    infusing: Charted,
) -> None:
    s, nurse = infusing.service, infusing.staff.nurse
    last = infusing.state().vitals[-1]
    p = last.payload
    saved = s.record_vitals(
        nurse,
        infusing.sid,
        systolic=p.systolic,  # type: ignore[union-attr]
        diastolic=p.diastolic,  # type: ignore[union-attr]
        heart_rate=101,
        copied=["systolic", "diastolic"],
        copied_from=last.id,
    ).events[0]
    words = vitals_words(saved.payload)  # type: ignore[arg-type]
    assert f"BP ={p.systolic}/={p.diastolic}" in words  # type: ignore[union-attr]
    assert "HR 101" in words
    assert "2 copied from the previous set" in words
    tile = summarize(1, infusing.state(), infusing.protocol, None, infusing.clock.now())
    assert tile.last_vitals is not None
    assert tile.last_vitals.cell("systolic").copied
