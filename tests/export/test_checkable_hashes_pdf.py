"""Issue 12, item 6: every hash a summary prints is the full hash, under one label, legible
(at least 7 pt), and the record hash is also a QR code that reads back as the hash
``bedside verify --hash`` accepts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from export_pdf_support import PRINTED_AT, PRINTED_BY, Clinic, pages_text
from pypdf import PdfReader

from bedside.ids import SessionId
from export.session_pdf import session_pdf
from tests.bedside.test_signing_keys import _signatures

HEX64 = re.compile(r"\b([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16})\b")


@pytest.fixture
def signed_pdf(demo: Clinic) -> tuple[Clinic, SessionId, bytes]:
    sid = demo.session_where(signed=True, chair=1)
    data = session_pdf(demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    return demo, sid, data


def test_every_signature_prints_the_full_record_hash_it_signed(
    signed_pdf: tuple[Clinic, SessionId, bytes],
) -> None:
    clinic, sid, data = signed_pdf
    text = " ".join(pages_text(data))
    printed = {"".join(m) for m in HEX64.findall(text)}
    signed = {
        sig["content_hash"]
        for event in clinic.store.events(sid)
        for sig in _signatures(event.payload.model_dump(mode="json"))
    }
    assert len(signed) >= 4
    assert signed <= printed, signed - printed
    assert "…" not in text.split("Signatures")[-1], "no hash is cut short"
    assert "Record state signed" not in text  # one label: "Record hash"


def _footer_hash_sizes(data: bytes, digest: str) -> list[float]:
    """The font size (points, as drawn) of every run of text that is the record hash."""
    sizes: list[float] = []
    for page in PdfReader(io.BytesIO(data)).pages:

        def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
            if text.strip() == digest:
                sizes.append(size * abs(tm[3]) * abs(cm[3]))

        page.extract_text(visitor_text=visit)
    return sizes


def test_the_record_hash_in_every_footer_is_legible(
    signed_pdf: tuple[Clinic, SessionId, bytes],
) -> None:
    clinic, sid, data = signed_pdf
    digest = clinic.store.head_hash(sid)
    sizes = _footer_hash_sizes(data, digest)
    assert len(sizes) == len(PdfReader(io.BytesIO(data)).pages)
    assert min(sizes) >= 7.0, sizes


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools is not installed")
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("grey", [False, True], ids=["colour", "greyscale"])
def test_the_qr_code_on_page_one_reads_back_as_the_record_hash(
    signed_pdf: tuple[Clinic, SessionId, bytes], tmp_path: Path, grey: bool
) -> None:
    clinic, sid, data = signed_pdf
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(data)
    options = ["-gray"] if grey else []
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", *options, str(pdf), str(pdf)],
        check=True,
    )
    (image,) = tmp_path.glob("s.pdf-*.png")
    scanned = subprocess.run(
        ["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert scanned == clinic.store.head_hash(sid)
