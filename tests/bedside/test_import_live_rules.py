"""Issue 11, item 2: import applies the rules live charting applies — the dose plan is
computed again from the order and the protocol (a plan above their maximum, or a formula whose
text disagrees with its numbers, is refused), clinical times lie inside the session and not in
the future — and a refused import writes nothing; the refusal names the event and its kind."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bedside.canonical import canonical_json, stored_body_hash
from bedside.errors import OperationRefused
from bedside.eventlog import import_log, parse_log
from bedside.service import ChartService
from bedside.store import Store
from tests.bedside.test_import_guards import fixture_data, rehashed
from tests.bedside.test_signing_keys import exported, signed
from tests.importing import receiving_admin
from ui.demo import DemoStaff

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
__all__ = ["signed"]  # the fixture: a session signed by this build


def event(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(e for e in data["events"] if e["payload"]["kind"] == kind)


def refused(tmp_path: Path, data: dict[str, Any]) -> str:
    with Store(tmp_path / "x.db") as store:
        with pytest.raises(OperationRefused) as caught:
            import_log(
                store,
                parse_log(rehashed(data, resign=True)),
                now=NOW,
                authors_confirmed_by=receiving_admin(store),
            )
        assert store.all_sessions() == []
    return str(caught.value)


def test_a_formula_whose_text_disagrees_with_its_numbers_is_refused(tmp_path: Path) -> None:
    data = fixture_data()
    plan = event(data, "dose_planned")
    plan["payload"]["formula"] = plan["payload"]["formula"].replace("3.6 mL", "5 mL")
    words = refused(tmp_path, data)
    assert f"Event #{plan['seq']} (dose planned)" in words
    assert "formula differ" in words


def test_a_dose_above_the_protocols_maximum_is_refused(tmp_path: Path) -> None:
    data = fixture_data()
    # The protocol the log carries caps mg/kg below the plan's 0.5 (its hash re-computed, as a
    # forger would): the live dosing rule refuses the plan.
    dosing = data["protocol"]["body"]["dosing"]
    dosing.update(max_mg_per_kg=0.4, default_mg_per_kg=0.4)
    # The forger also points the opening at the altered body, so only the dose rule is left.
    event(data, "session_opened")["payload"]["protocol_hash"] = stored_body_hash(
        canonical_json(data["protocol"]["body"])
    )
    words = refused(tmp_path, data)
    assert "0.5 mg/kg" in words


@pytest.mark.parametrize("when", ["1900-01-01T09:00:00.000000Z", "9999-12-31T09:00:00.000000Z"])
def test_a_clinical_time_outside_the_session_is_refused(tmp_path: Path, when: str) -> None:
    data = fixture_data()
    note = next(e for e in data["events"] if e["payload"]["kind"] == "vitals_recorded")
    note["clinical_time"] = note["recorded_time"] = when  # both moved, as a forger would
    words = refused(tmp_path, data)
    assert f"Event #{note['seq']} (vitals recorded)" in words
    assert "Clinical time cannot be" in words


def test_a_refused_import_from_the_command_line_creates_no_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.launcher import main

    data = fixture_data()
    event(data, "dose_planned")["payload"]["formula"] = "59 mg ÷ 10 mg/mL = 5 mL"
    bad = tmp_path / "forged.json"
    bad.write_text(rehashed(data, resign=True), encoding="utf-8")
    target = tmp_path / "new" / "clinic.db"
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(["--db", str(target), "import", str(bad)])
    err = capsys.readouterr().err
    assert code == 1
    assert "dose planned" in err
    assert not target.exists()
    assert not target.parent.exists() or list(target.parent.iterdir()) == []


def test_an_edited_protocol_body_or_course_order_is_refused_not_imported_to_fail_later(
    tmp_path: Path,
) -> None:
    data = fixture_data()
    data["protocol"]["body"]["monitoring"]["interval_after_min"] = 20
    assert "not the one the session ran under" in refused(tmp_path, data)
    data = fixture_data()
    data["course"]["frequency"] = "1 per week"
    assert "not the one its clinician signed" in refused(tmp_path / "b", data)


def test_a_prn_dose_is_judged_again_a_forged_dose_above_the_maximum_is_refused(
    signed: tuple[ChartService, DemoStaff, str], tmp_path: Path
) -> None:
    """At the chair, 40 mg of ondansetron raises the session-maximum warning, which the nurse
    must confirm; a log that raises the dose after the fact carries no confirmation."""
    data = exported(signed)
    assert event(data, "prn_given")["payload"]["warnings_acknowledged"] == []
    event(data, "prn_given")["payload"]["dose"] = 40.0
    message = refused(tmp_path, data)
    assert "(prn given)" in message
    assert "warnings not confirmed by the nurse" in message


def test_a_prn_dose_ordered_by_a_nurse_is_refused(tmp_path: Path) -> None:
    data = fixture_data()
    nurse = next(u for u in data["users"] if u["role"] == "nurse")
    event(data, "prn_given")["payload"]["ordered_by"] = nurse["id"]
    assert "a PRN needs a clinician's order" in refused(tmp_path, data)


def test_every_kind_of_entry_that_can_carry_an_override_is_judged_again_on_import() -> None:
    """An override only means something if import judges what it overrode: a new kind of
    entry with an override field must get its guard here too."""
    from bedside.events import Override, PayloadBase
    from bedside.log_guards import JUDGED_ON_IMPORT

    def kinds(cls: type[PayloadBase]) -> list[type[PayloadBase]]:
        return [cls, *(k for sub in cls.__subclasses__() for k in kinds(sub))]

    with_override = {
        k
        for k in kinds(PayloadBase)
        if any("Override" in str(f.annotation) for f in k.model_fields.values())
    }
    assert with_override, "the payload models should be found"
    assert Override not in with_override
    assert with_override <= JUDGED_ON_IMPORT, with_override - JUDGED_ON_IMPORT
