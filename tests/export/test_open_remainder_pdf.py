"""The summary PDF says an open controlled-substance remainder plainly (issue 9 C8): it used to
print only "Open: the infused amount is known when the infusion stops" while 14 mg drawn from
the vial was neither in the bag nor wasted."""

from __future__ import annotations

from export_pdf_support import PRINTED_AT, PRINTED_BY, Clinic, pages_text

from export.session_pdf import session_pdf


def test_the_open_remainder_is_printed_with_its_mg_ml_and_place(demo: Clinic) -> None:
    sid = demo.session_where(signed=False, chair=2)  # infusing; the vial drawn whole
    data = session_pdf(demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    text = " ".join(pages_text(data))
    assert "Drawn 50 mg (5 mL), the whole vial" in text
    assert (
        "Open remainder 14 mg (1.4 mL) left in the vial or syringe: drawn but neither infused "
        "nor wasted" in text
    )
    assert "NOT reconciled: 14 mg (1.4 mL) open" in text
    assert "Reconciled" not in text
    # The amount column says what is missing, not what was wasted (issue 12 item 4: it read
    # "Balance 0 mg wasted" beside the 14 mg open remainder).
    assert "Balance 14 mg not accounted for" in text
    assert "mg wasted" not in text


def test_a_reconciled_record_says_so(demo: Clinic) -> None:
    sid = demo.session_where(signed=True, chair=1)
    data = session_pdf(demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    text = " ".join(pages_text(data))
    assert "Reconciled: drawn = infused + wasted" in text
    assert "Balance all accounted for" in text
    assert "Open remainder" not in text
