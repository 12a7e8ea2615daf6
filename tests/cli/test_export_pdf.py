"""``bedside export pdf``: one session to a file, a day's sessions into a folder."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from cli_support import NOW, run, text_of
from pypdf import PdfReader

from bedside.state import fold
from bedside.store import Store
from ui.launcher import main


def signed_session(db: Path) -> tuple[str, str]:
    with Store(db) as store:
        for header in store.sessions_on(NOW.date()):
            state = fold(store.events(header.id))
            if state.locked:
                return header.id, state.head_hash
    raise AssertionError("the demo has no signed session today")


def test_one_session_to_a_file(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid, head = signed_session(demo_db)
    target = tmp_path / "summary.pdf"
    code, _, err = run(capsys, "--db", str(demo_db), "export", "pdf", sid[:8], "-o", str(target))
    assert code == 0, err
    assert f"Wrote {target}" in err
    text = text_of(target)
    assert "NGUYEN, Minh" in text
    assert head in text  # the record hash `bedside verify --hash` checks
    # Never a bare login that could pass for an account (the footer may cut the rest short
    # beside the record hash: see test_export_printed_by).
    assert "by command line (" in text
    assert f"by {getpass.getuser()} " not in text
    assert PdfReader(target).pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)


def test_printed_hash_verifies(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid, head = signed_session(demo_db)
    target = tmp_path / "summary.pdf"
    assert run(capsys, "--db", str(demo_db), "export", "pdf", sid, "-o", str(target))[0] == 0
    assert head in text_of(target)
    code, out, _ = run(capsys, "--db", str(demo_db), "verify", "--hash", head)
    assert code == 0
    assert f"current record hash of session {sid}" in out


def test_letter_paper(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sid, _ = signed_session(demo_db)
    target = tmp_path / "letter.pdf"
    code, _, err = run(
        capsys, "--db", str(demo_db), "export", "pdf", sid, "-o", str(target), "--paper", "letter"
    )
    assert code == 0, err
    box = PdfReader(target).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612, 792)


def test_a_days_sessions_with_a_progress_line_each(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "day"
    code, out, err = run(
        capsys, "--db", str(demo_db), "export", "pdf", "--date", "2026-11-24", "-o", str(folder)
    )
    assert code == 0, err
    lines = out.splitlines()
    with Store(demo_db) as store:
        headers = sorted(store.sessions_on(NOW.date()), key=lambda h: h.chair)
        patients = [store.patient(h.patient_id) for h in headers]
        signed = [fold(store.events(h.id)).signed is not None for h in headers]
    assert len(lines) == len(headers) == 4
    assert signed == [True, False, False, False]  # only chair 1 is signed
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == 4
    for number, (line, header, patient, is_signed) in enumerate(
        zip(lines, headers, patients, signed, strict=True), start=1
    ):
        mark = "" if is_signed else " – DRAFT — not signed"
        assert line.startswith(
            f"[{number}/4] chair {header.chair} – {patient.display_name} – {patient.mrn}{mark} → "
        )
        path = Path(line.split(" → ", 1)[1])
        assert path.parent == folder
        assert path.exists()
        assert patient.mrn in path.name
        assert header.id[:8] in path.name
        assert path.name.endswith(".pdf" if is_signed else "_DRAFT.pdf")
        assert ("DRAFT — not signed" in text_of(path)) is not is_signed
        assert patient.display_name in text_of(path)
    assert "2026-11-24_chair2_GARCIA-Lucia_MRN-1003_" in " ".join(p.name for p in files)
    assert [p.name.endswith("_DRAFT.pdf") for p in files] == [not s for s in signed]
    assert err.strip().endswith(f"Wrote 4 summaries to {folder}: 1 signed, 3 drafts (not signed)")


def test_a_day_without_sessions_writes_nothing(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "empty"
    code, out, err = run(
        capsys, "--db", str(demo_db), "export", "pdf", "--date", "2001-01-01", "-o", str(folder)
    )
    assert code == 0
    assert out == ""
    assert "No sessions on 2001-01-01" in err
    assert not folder.exists()


@pytest.mark.parametrize(
    "extra", [[], ["SESSION", "--date", "2026-11-24"]], ids=["neither", "both"]
)
def test_session_or_date_but_not_both(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    code, _, err = run(
        capsys, "--db", str(demo_db), "export", "pdf", *extra, "-o", str(tmp_path / "x")
    )
    assert code == 2
    assert "SESSION or --date" in err


def test_unknown_session_fails_cleanly(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "none.pdf"
    code, _, err = run(capsys, "--db", str(demo_db), "export", "pdf", "ffffffff", "-o", str(target))
    assert code == 1
    assert err.startswith("bedside export:")
    assert not target.exists()


def test_output_must_be_given(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(demo_db), "export", "pdf", "abc"])
    assert exc.value.code == 2
    capsys.readouterr()


def test_the_clinics_paper_setting_is_the_default(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    db = tmp_path / "letter-clinic.db"
    with Store(demo_db) as original:
        original.backup(db)
    with Store(db) as store:
        store.set_settings({"paper_size": "Letter"}, actor=None, at=datetime.now(UTC))
    sid, _ = signed_session(db)
    target = tmp_path / "default.pdf"
    assert run(capsys, "--db", str(db), "export", "pdf", sid, "-o", str(target))[0] == 0
    box = PdfReader(target).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612, 792)
    # --paper still wins over the setting.
    a4 = tmp_path / "a4.pdf"
    run(capsys, "--db", str(db), "export", "pdf", sid, "-o", str(a4), "--paper", "a4")
    assert PdfReader(a4).pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)
