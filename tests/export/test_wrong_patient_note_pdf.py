"""Issue 12, item 4: a note voided as charted on the wrong patient's record prints as voided
with its text withheld. The long session's nurse charted "Chair 3 patient asking for water."
on this patient's record and voided it as wrong patient: those words are another patient's
and must not leave the clinic on this record's printout, in the text layer or anywhere else in
the file."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import cast

import pytest
from export_pdf_support import PRINTED_AT, PRINTED_BY, Clinic, flat, open_clinic, pages_text
from pypdf import PdfReader
from pypdf.generic import StreamObject

from bedside.store import Store
from export.session_pdf import session_pdf

OTHER_PATIENT = "Chair 3 patient asking for water"
WITHHELD = "Text withheld: charted on the wrong patient's record (voided 10:32 by D Reyes)"


def _every_object(data: bytes) -> list[bytes]:
    """Every object in the file, streams decompressed (page contents, fonts, outline,
    metadata): the words must be in none of them, not only off the visible page."""
    reader = PdfReader(io.BytesIO(data))
    found: list[bytes] = []
    for number in range(1, cast(int, reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if obj is None:
            continue
        found.append(obj.get_data() if isinstance(obj, StreamObject) else str(obj).encode())
    return found


def _page_streams(data: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def long_pdf(long_path: Path) -> bytes:
    clinic = open_clinic(long_path)
    try:
        (header,) = clinic.store.all_sessions()
        return session_pdf(clinic.service, header.id, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    finally:
        clinic.store.close()


def test_the_wrong_patients_words_are_nowhere_in_the_pdf(long_pdf: bytes) -> None:
    text = " ".join(pages_text(long_pdf))
    assert WITHHELD in text
    assert OTHER_PATIENT not in text
    # The row stays: its time, struck, SUPERSEDED, and who charted it.
    assert re.search(r"10:30 \+70′ SUPERSEDED D Reyes Text withheld", text)
    streams = _page_streams(long_pdf)
    # The content streams hold this PDF's text as plain strings: the search can find text.
    assert any(b"Husband in the waiting room" in s for s in streams)
    for part in ("Chair 3 patient", "asking for water"):
        assert not any(part.encode() in s for s in streams), part
        assert not any(part.encode() in s for s in _every_object(long_pdf)), part


def test_any_other_void_prints_struck_words_and_a_corrected_wrong_note_withholds_both(
    demo_path: Path, tmp_path: Path
) -> None:
    with Store(demo_path) as store:
        store.backup(tmp_path / "copy.db")
    clinic: Clinic = open_clinic(tmp_path / "copy.db")
    try:
        nurse = clinic.service.accounts.authenticate("dana", "bedside-demo")
        sid = clinic.session_where(signed=False, chair=3)
        service = clinic.service
        typo = service.add_note(nurse, sid, "Family waiting outside").events[0]
        service.void(nurse, sid, typo.id, "duplicate of the earlier note")
        # Corrected first, then found to be another patient's: every version is theirs.
        first = service.add_note(nurse, sid, "Mr Okoye in chair 4 wants tea").events[0]
        fixed = service.correct(
            nurse, sid, first.id, "spelling", text="Mr Okoye in chair 4 wants coffee"
        ).events[0]
        service.void(nurse, sid, fixed.id, "not this patient", wrong_patient=True)
        data = session_pdf(clinic.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    finally:
        clinic.store.close()
    text = flat(" ".join(pages_text(data)))
    assert "Family waiting outside" in text  # an ordinary void: struck words, with the reason
    assert "duplicate of the earlier note" in text
    assert "Okoye" not in text
    assert not any(b"Okoye" in part for part in _every_object(data))
    assert text.count("Text withheld: charted on the wrong patient's record") == 2
    assert "not this patient" not in text  # free-text reasons about it are withheld too
