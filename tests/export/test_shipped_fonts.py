"""The PDFs embed only the DejaVu faces shipped in ``resources/fonts`` (issue 13 item 6): no
system font folder is read, no standard-14 base font (Helvetica) is used, and a missing file is
an installation error that names it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from export_pdf_support import PRINTED_AT, PRINTED_BY, Clinic
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from reportlab.pdfbase import pdfmetrics

from export.course_pdf import course_pdf
from export.pdf import fonts as fonts_module
from export.session_pdf import session_pdf

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "resources" / "fonts"


def _fonts(data: bytes) -> Iterator[DictionaryObject]:
    """Every font dictionary in every page's resources (and its form XObjects')."""
    for page in PdfReader(io.BytesIO(data)).pages:
        stack = [page.get("/Resources")]
        while stack:
            res = stack.pop()
            if res is None:
                continue
            res = res.get_object()
            for font in (res.get("/Font") or {}).values():
                yield font.get_object()
            for xobject in (res.get("/XObject") or {}).values():
                stack.append(xobject.get_object().get("/Resources"))


def _check_only_shipped(data: bytes) -> set[str]:
    """The PostScript names of the embedded faces (subset prefix removed); fails on a font that
    is not embedded TrueType from a shipped file."""
    shipped = {f.stem for f in SHIPPED.glob("*.ttf")}
    names: set[str] = set()
    for font in _fonts(data):
        base = str(font["/BaseFont"])
        descendants = font.get("/DescendantFonts")
        described = descendants[0].get_object() if descendants else font
        descriptor = described.get("/FontDescriptor")
        assert descriptor is not None, f"{base} has no font descriptor: not embedded"
        assert "/FontFile2" in descriptor.get_object(), f"{base} is not embedded TrueType"
        name = base.lstrip("/").split("+", 1)[-1]
        names.add(name)
    assert names, "the PDF has no fonts at all"
    assert names <= shipped, f"fonts not shipped in resources/fonts: {names - shipped}"
    return names


def test_the_session_pdf_embeds_only_shipped_fonts(demo: Clinic) -> None:
    sid = demo.session_where(signed=True)
    data = session_pdf(demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    names = _check_only_shipped(data)
    assert {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"} <= names
    assert b"Helvetica" not in data
    assert b"Courier" not in data


def test_the_course_pdf_embeds_only_shipped_fonts(demo: Clinic) -> None:
    sid = demo.session_where(signed=True)
    patient = demo.store.session(sid).patient_id
    data = course_pdf(demo.service, patient, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= _check_only_shipped(data)
    assert b"Helvetica" not in data


def test_the_registered_files_are_the_shipped_ones() -> None:
    fonts_module.pdf_fonts()
    for name, file_name in fonts_module.FACES.items():
        registered = Path(pdfmetrics.getFont(name).face.filename)
        assert registered.resolve() == (SHIPPED / file_name).resolve()
    assert (SHIPPED / "LICENSE").read_text("utf-8").count("Bitstream") >= 3


def test_fonts_never_read_system_folders(demo: Clinic, monkeypatch: pytest.MonkeyPatch) -> None:
    """With every read of /usr/share/fonts refused, the fonts still register and a PDF renders."""
    real_open = io.open

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        assert "/usr/share/fonts" not in str(file), f"read a system font: {file}"
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", guarded_open)
    fonts_module.pdf_fonts.cache_clear()
    try:
        fonts_module.pdf_fonts()
        sid = demo.session_where(signed=True)
        session_pdf(demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    finally:
        fonts_module.pdf_fonts.cache_clear()


def test_a_missing_font_file_is_an_installation_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for file_name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"):
        (tmp_path / file_name).write_bytes((SHIPPED / file_name).read_bytes())
    monkeypatch.setattr(fonts_module, "font_dir", lambda: tmp_path)
    fonts_module.pdf_fonts.cache_clear()
    try:
        with pytest.raises(fonts_module.FontsMissingError, match=r"DejaVuSansMono-Bold\.ttf"):
            fonts_module.pdf_fonts()
        (tmp_path / "DejaVuSansMono-Bold.ttf").write_bytes(b"not a font")
        with pytest.raises(fonts_module.FontsMissingError, match=r"DejaVuSansMono-Bold\.ttf"):
            fonts_module.pdf_fonts()
    finally:
        fonts_module.pdf_fonts.cache_clear()
