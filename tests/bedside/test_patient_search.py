"""Finding a patient ignores case and accents (found by a nurse's walk: "garcia" did not find
GARCÍA, and she registered the patient a second time)."""

from __future__ import annotations

from datetime import date

from bedside.service import ChartService
from bedside.text_fold import fold_text
from ui.demo import DemoStaff


def test_fold_text_removes_accents_and_case() -> None:
    assert fold_text("GARCÍA") == "garcia"
    assert fold_text("Müller") == "muller"
    assert fold_text("Ｎｇｕｙｅｎ") == "nguyen"  # full-width letters
    assert fold_text(None) == ""


def test_a_search_without_accents_finds_the_accented_name(
    service: ChartService, staff: DemoStaff
) -> None:
    for mrn, family, given in (("MRN-1", "GARCÍA", "Lucía"), ("MRN-2", "Müller", "Jörg")):
        service.register_patient(
            staff.nurse,
            mrn=mrn,
            family_name=family,
            given_name=given,
            date_of_birth=date(1991, 1, 25),
            sex="female",
            allergies={"state": "nkda"},
        )
    found = service.store.find_patients
    assert [p.mrn for p in found("garcia")] == ["MRN-1"]
    assert [p.mrn for p in found("lucia")] == ["MRN-1"]
    assert [p.mrn for p in found("García")] == ["MRN-1"]
    assert [p.mrn for p in found("muller")] == ["MRN-2"]
    assert [p.mrn for p in found("MRN-2")] == ["MRN-2"]
