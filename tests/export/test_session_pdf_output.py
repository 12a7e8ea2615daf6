"""The PDF as a file: paper sizes, byte-for-byte reproducibility, embedded fonts (the shipped
ones: test_shipped_fonts) and every page rendering with poppler's pdftoppm."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from export_pdf_support import PRINTED_AT, PRINTED_BY, Clinic, open_clinic, pages_text
from pypdf import PdfReader

from export.session_pdf import load_inputs, render_session_pdf, session_pdf, write_session_pdf


def test_a4_and_letter_page_sizes(demo: Clinic) -> None:
    sid = demo.session_where(signed=True)
    sizes = {}
    for paper in ("A4", "Letter", "letter"):
        data = session_pdf(
            demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY, page_size=paper
        )
        box = PdfReader(io.BytesIO(data)).pages[0].mediabox
        sizes[paper] = (round(float(box.width)), round(float(box.height)))
    assert sizes == {"A4": (595, 842), "Letter": (612, 792), "letter": (612, 792)}
    with pytest.raises(ValueError, match="paper size"):
        session_pdf(demo.service, sid, printed_at=PRINTED_AT, printed_by="x", page_size="A3")


def test_same_record_same_time_same_bytes(long_path: Path, tmp_path: Path) -> None:
    """Two exports, and a third from a copy of the database opened afresh: identical bytes."""
    first = open_clinic(long_path)
    (header,) = first.store.all_sessions()
    a = session_pdf(first.service, header.id, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    b = session_pdf(first.service, header.id, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    copy = tmp_path / "copy.db"
    first.store.backup(copy)
    first.store.close()
    second = open_clinic(copy)
    c = session_pdf(second.service, header.id, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    second.store.close()
    assert a == b == c
    assert b"/CreationDate (D:20261124230000+00'00')" in a


def test_printed_at_and_by_change_the_output(demo: Clinic) -> None:
    sid = demo.session_where(signed=True)
    inputs = load_inputs(demo.service, sid)
    base = render_session_pdf(inputs, printed_at=PRINTED_AT, printed_by="tester")
    later = render_session_pdf(
        inputs, printed_at=PRINTED_AT + timedelta(minutes=1), printed_by="tester"
    )
    other = render_session_pdf(inputs, printed_at=PRINTED_AT, printed_by="someone")
    assert len({base, later, other}) == 3
    assert "by someone" in pages_text(other)[0]


def test_fonts_are_embedded(demo: Clinic) -> None:
    sid = demo.session_where(signed=True)
    data = session_pdf(demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    assert b"/FontFile2" in data  # embedded TrueType programs
    assert b"DejaVuSans" in data


def test_write_session_pdf_writes_the_same_bytes(demo: Clinic, tmp_path: Path) -> None:
    sid = demo.session_where(signed=True)
    target = tmp_path / "sub" / "summary.pdf"
    written = write_session_pdf(
        demo.service, sid, target, printed_at=PRINTED_AT, printed_by=PRINTED_BY
    )
    assert written == target
    assert target.read_bytes() == session_pdf(
        demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY
    )
    assert [p.name for p in target.parent.iterdir()] == ["summary.pdf"]  # no temp file left


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("which", ["signed", "unsigned", "long"])
def test_every_page_renders_with_pdftoppm(
    which: str, demo: Clinic, long_clinic: Clinic, tmp_path: Path
) -> None:
    if which == "long":
        clinic, sid = long_clinic, long_clinic.store.all_sessions()[0].id
    else:
        clinic, sid = demo, demo.session_where(signed=which == "signed")
    data = session_pdf(clinic.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(data)
    result = subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # poppler complains about damaged or odd PDFs here
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(PdfReader(io.BytesIO(data)).pages)
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 3000  # not a blank page
