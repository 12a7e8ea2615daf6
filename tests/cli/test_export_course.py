"""``bedside export course``: a patient's course summary PDF, by MRN."""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path

import pytest
from cli_support import NOW, run, text_of
from pypdf import PdfReader

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from ui.demo import create_staff
from ui.launcher import main


def test_a_course_to_a_file(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "course.pdf"
    code, _, err = run(
        capsys, "--db", str(demo_db), "export", "course", "MRN-1001", "-o", str(target)
    )
    assert code == 0, err
    assert f"Wrote {target}" in err
    text = text_of(target)
    assert "IV ketamine infusion — course summary" in text
    assert "DOE, Alex" in text
    assert "Infusions given 4 of 6 planned" in text
    for k in range(1, 5):
        assert f"{k} of 6 " in text
    assert "PHQ-9 change −53 % (19 → 9)" in text
    assert f"by command line (OS user {getpass.getuser()})" in text
    assert PdfReader(target).pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)


def test_letter_paper(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "letter.pdf"
    code, _, err = run(
        capsys,
        "--db",
        str(demo_db),
        "export",
        "course",
        "MRN-1002",
        "-o",
        str(target),
        "--paper",
        "letter",
    )
    assert code == 0, err
    box = PdfReader(target).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612, 792)
    assert "NGUYEN, Minh" in text_of(target)


def test_an_unknown_mrn_writes_nothing(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "none.pdf"
    code, _, err = run(
        capsys, "--db", str(demo_db), "export", "course", "MRN-9999", "-o", str(target)
    )
    assert code == 1
    assert "no patient with MRN MRN-9999" in err
    assert not target.exists()


def test_a_patient_without_a_course_order_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "clinic.db"
    with Store(db) as store:
        service = ChartService(store, FixedClock(NOW))
        staff = create_staff(service)
        service.register_patient(
            staff.nurse,
            mrn="MRN-5001",
            family_name="Lind",
            given_name="Ola",
            date_of_birth=datetime(1990, 1, 2).date(),
            sex="male",
            allergies={"state": "unknown"},
        )
    target = tmp_path / "course.pdf"
    code, _, err = run(capsys, "--db", str(db), "export", "course", "MRN-5001", "-o", str(target))
    assert code == 1
    assert "LIND, Ola (MRN-5001) has no course order" in err
    assert not target.exists()


def test_the_paper_must_be_a4_or_letter(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "--db",
                str(demo_db),
                "export",
                "course",
                "MRN-1001",
                "-o",
                str(tmp_path / "x.pdf"),
                "--paper",
                "a5",
            ]
        )
    assert exc.value.code == 2
    capsys.readouterr()
