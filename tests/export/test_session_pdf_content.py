"""The session summary says what the record says: text extracted with pypdf from the PDF of
the demo's signed reference session and of the long session (corrections, late entries,
addenda), checked against the record itself."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

import pytest
from export_pdf_support import PRINTED_AT, PRINTED_BY, Clinic, flat, open_clinic, pages_text
from reportlab.platypus import Paragraph, Table

from bedside.events import DosePlanned
from bedside.ids import SessionId
from bedside.rules import discharge
from bedside.store import Store
from bedside.timeutil import local_text
from charting import build_series
from charting.plot_key import level_letter
from export.pdf.context import PrintContext
from export.pdf.fonts import pdf_fonts
from export.pdf.sections_infusion import flowsheet_section
from export.pdf.styles import make_styles
from export.session_pdf import load_inputs, render_session_pdf, session_pdf


def render(clinic: Clinic, sid: SessionId) -> list[str]:
    data = session_pdf(clinic.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY)
    return pages_text(data)


@pytest.fixture
def signed(demo: Clinic) -> tuple[Clinic, SessionId, list[str]]:
    sid = demo.session_where(signed=True, chair=1)
    return demo, sid, render(demo, sid)


@pytest.fixture
def long_pages(long_clinic: Clinic) -> tuple[Clinic, SessionId, list[str]]:
    (header,) = long_clinic.store.all_sessions()
    return long_clinic, header.id, render(long_clinic, header.id)


def test_header_names_patient_session_and_protocol(
    signed: tuple[Clinic, SessionId, list[str]],
) -> None:
    clinic, sid, pages = signed
    first = pages[0]
    ctx = clinic.service.context(sid)
    for text in (
        "Riverside Ketamine Clinic (demo)",
        "100 River Road, Springfield",
        "NGUYEN, Minh",
        "MRN-1002",
        "1977-09-02",
        f"Session date {ctx.header.local_date.isoformat()}",
        "Chair 1",
        f"{ctx.header.number_in_course} of 6 in the course",
        f"version {ctx.protocol.version}",
        "SIGNED — locked",
    ):
        assert text in first, text


def test_dose_and_its_formula(signed: tuple[Clinic, SessionId, list[str]]) -> None:
    clinic, sid, pages = signed
    text = " ".join(pages)
    plan = cast(DosePlanned, clinic.service.context(sid).state.dose_plan.payload)  # type: ignore[union-attr]
    assert "0.5 mg/kg = 36 mg" in text
    assert "155.4 mL/h" in text
    for line in plan.formula.splitlines():
        assert flat(line) in text, line


def test_controlled_substance_record(signed: tuple[Clinic, SessionId, list[str]]) -> None:
    _, _, pages = signed
    text = " ".join(pages)
    for fragment in ("KX2291A", "Drawn from vial 50 mg", "14 mg (1.4 mL)", "Reconciled"):
        assert fragment in text, fragment
    assert re.search(r"Infused 36 mg \(103\.6 mL", text)


def _row_pattern(clinic: Clinic, sid: SessionId) -> list[tuple[str, str]]:
    ctx = clinic.service.context(sid)
    tz = ctx.state.opened.clinic_timezone
    rows = []
    for row in build_series(ctx.state, ctx.protocol).flowsheet:
        values = []
        for cell in row.cells:
            if not cell.text:
                continue
            up = any("above" in r or "rose" in r for r in cell.reasons)
            mark = (
                ("▲" if up else "▼") + level_letter(cell.level)
                if cell.level is not None and not row.struck
                else ""
            )
            values.append(re.escape(cell.text + mark))
        when = local_text(row.time, tz, "%H:%M")
        if row.struck:  # a superseded row says so after its time
            when += r" (base|[+-]\d+′) SUPERSEDED"
        else:
            when += r" (base|[+-]\d+′)"
        rows.append((when, r"\s".join(values)))
    return rows


def test_every_vitals_row_is_printed(signed: tuple[Clinic, SessionId, list[str]]) -> None:
    clinic, sid, pages = signed
    text = " ".join(pages)
    rows = _row_pattern(clinic, sid)
    assert len(rows) == 8
    for when, values in rows:
        assert re.search(rf"{when} {values}", text), (when, values)
    assert "186▲P 104▲P" in text  # the pause-level reading, marked with its level


def test_long_session_rows_corrections_and_late_entries(
    long_pages: tuple[Clinic, SessionId, list[str]],
) -> None:
    clinic, sid, pages = long_pages
    text = " ".join(pages)
    rows = _row_pattern(clinic, sid)
    assert len(rows) == 25 + 3  # 25 sets + two corrected originals + one voided duplicate
    for when, values in rows:
        assert re.search(rf"{when}( LATE)? {values}", text), (when, values)
    assert "Corrected 09:42 by D Reyes: transposed digits: heart rate was 86, not 68" in text
    assert "Voided 10:32 by D Reyes: duplicate entry: the same reading was saved twice" in text
    assert "finger probe displaced; repeat reading 97 % on air" in text
    assert text.count("LATE ENTRY: charted 10:08") == 2
    # A note charted on the wrong patient's record keeps its row, not its words.
    assert "Text withheld: charted on the wrong patient's record (voided 10:32 by D Reyes)" in text
    assert "Corrected 10:22 by D Reyes: scored on the wrong row" in text


def _flowsheet_cells(clinic: Clinic, sid: SessionId) -> list[list[str]]:
    inputs = load_inputs(clinic.service, sid)
    ctx = PrintContext(inputs=inputs, styles=make_styles(pdf_fonts()), width=500)
    series = build_series(inputs.context.state, inputs.context.protocol)
    (table,) = [f for f in flowsheet_section(ctx, series) if isinstance(f, Table)]
    return [
        [c.text if isinstance(c, Paragraph) else str(c) for c in row]
        for row in table._cellvalues[1:]  # the cells as laid out
    ]


def test_struck_rows_are_struck_through_with_their_reason(long_clinic: Clinic) -> None:
    (header,) = long_clinic.store.all_sessions()
    ctx = long_clinic.service.context(header.id)
    flowsheet = build_series(ctx.state, ctx.protocol).flowsheet
    # The long session has two corrected originals, one voided duplicate and two late entries:
    # without them this test would check nothing.
    assert [(row.voided, row.struck_reason) for row in flowsheet if row.struck] == [
        (False, "transposed digits: heart rate was 86, not 68"),
        (True, "duplicate entry: the same reading was saved twice"),
        (False, "finger probe displaced; repeat reading 97 % on air"),
    ]
    assert sum(row.late for row in flowsheet) == 2
    cells = _flowsheet_cells(long_clinic, header.id)
    assert len(cells) == len(flowsheet)
    for row, printed in zip(flowsheet, cells, strict=True):
        values, remarks = printed[1:-1], printed[-1]
        if row.struck:
            assert row.struck_reason
            readings = [cell.text for cell in row.cells if cell.text]
            assert readings, row  # a struck row still shows what was struck
            assert all(text in " ".join(values) for text in readings), printed
            assert all("<strike>" in v for v in values if v), printed
            assert f"<b>{'Voided' if row.voided else 'Corrected'}</b>" in remarks, remarks
            assert row.struck_reason in remarks
            assert "<strike>" not in remarks  # the reason stays legible
        else:
            assert not any("<strike>" in v for v in printed), printed
        if row.late:
            assert "LATE" in printed[0]


def test_scales_effects_prn_alerts_notes(signed: tuple[Clinic, SessionId, list[str]]) -> None:
    _, _, pages = signed
    text = " ".join(pages)
    for fragment in (
        "MOAA/S",
        "CADSS-6",
        "PHQ-9",
        "C-SSRS screener",
        "Nausea mild (grade 1)",
        "10:50: settled",
        "ondansetron 4 mg IV nausea",
        "Infusion paused 5 min, Dr Lee informed, lights dimmed; BP re-checked",
        "Patient resting quietly, reports vivid colours, calm.",
    ):
        assert fragment in text, fragment


def test_discharge_ready_time_and_monitored_minutes(
    signed: tuple[Clinic, SessionId, list[str]],
) -> None:
    clinic, sid, pages = signed
    text = " ".join(pages)
    ctx = clinic.service.context(sid)
    signed_at = ctx.state.signed.clinical_time  # type: ignore[union-attr]
    ready = discharge.first_ready_time(ctx.state, ctx.protocol, until=signed_at)
    assert ready is not None
    tz = ctx.state.opened.clinic_timezone
    assert f"All criteria first met {local_text(ready, tz, '%Y-%m-%d %H:%M %Z')}" in text
    assert "Total monitored 85 min" in text
    assert "Modified Aldrete score: 10/10" in text
    assert "Activity 2 Moves 4 limbs" in text


def test_signature_blocks(signed: tuple[Clinic, SessionId, list[str]]) -> None:
    clinic, sid, pages = signed
    text = " ".join(pages)
    ctx = clinic.service.context(sid)
    tz = ctx.state.opened.clinic_timezone
    signed_at = local_text(ctx.state.signed.clinical_time, tz, "%Y-%m-%d %H:%M %Z")  # type: ignore[union-attr]
    assert "Charting nurse Name Dana Reyes, RN Role nurse" in text
    clinician = "Discharging clinician Name Jordan Lee, MD Role clinician"
    assert f"{clinician} Meaning Discharge approved Date, time {signed_at}" in text
    assert "Name Sam Okafor, RN Role nurse Meaning Witnessed waste of controlled substance" in text
    assert "Informed consent obtained" in text
    assert "Independent double-check of dose and preparation" in text


def test_addenda_follow_the_signatures_each_signed(
    long_pages: tuple[Clinic, SessionId, list[str]],
) -> None:
    _, _, pages = long_pages
    text = " ".join(pages)
    assert text.index("Signatures") < text.index("Addenda (after sign-off)")
    first = text.index("Addendum 1")
    second = text.index("Addendum 2")
    assert first < second
    assert "Signed: Dana Reyes, RN (nurse) — Author of addendum" in text[first:second]
    assert "Signed: Jordan Lee, MD (clinician) — Author of addendum" in text[second:]
    assert "Reason: Follow-up call after discharge" in text


def test_footer_on_every_page(long_pages: tuple[Clinic, SessionId, list[str]]) -> None:
    clinic, sid, pages = long_pages
    head = clinic.store.head_hash(sid)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert head in page
        assert "WHITFIELD, Eleanor · MRN-2001" in page
        assert "Printed 2026-11-24 18:00 EST by tester" in page


def test_draft_on_unsigned_not_on_signed(demo: Clinic) -> None:
    for signed in (True, False):
        sid = demo.session_where(signed=signed)
        pages = render(demo, sid)
        for page in pages:
            assert ("DRAFT — not signed" in page) is not signed


def test_times_are_clinic_time(signed: tuple[Clinic, SessionId, list[str]]) -> None:
    clinic, sid, pages = signed
    ctx = clinic.service.context(sid)
    started = ctx.state.infusion.started_at
    assert started is not None
    assert f"{local_text(started, 'America/New_York', '%H:%M')} +0′ Started" in " ".join(pages)


def test_naive_printed_at_is_refused(demo: Clinic) -> None:
    sid = demo.session_where(signed=True)
    with pytest.raises(ValueError, match="timezone-aware"):
        render_session_pdf(
            load_inputs(demo.service, sid),
            printed_at=PRINTED_AT.replace(tzinfo=None),
            printed_by="x",
        )


def test_a_long_printed_by_and_the_hash_are_both_whole(demo: Clinic) -> None:
    # Neither gives way: the name was cut to "… by Dana Reyes…" (issue 12 item 7: printed by
    # is who printed, whole); the hash then takes a footer line of its own.
    sid = demo.session_where(signed=True, chair=1)
    head = demo.store.head_hash(sid)
    for paper in ("A4", "Letter"):
        text = pages_text(
            session_pdf(
                demo.service,
                sid,
                printed_at=PRINTED_AT,
                printed_by="Dana Reyes, RN, charge nurse on the evening list",
                page_size=paper,
            )
        )[0]
        assert head in text  # the hash itself is never shortened
        assert "Record hash (bedside verify --hash):" in text  # on its own line: room for all
        assert (
            "Printed 2026-11-24 18:00 EST by Dana Reyes, RN, charge nurse on the evening list"
            in text
        )


def test_the_charting_nurses_own_signature_fills_her_block(demo_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "attested.db"
    with Store(demo_path) as original:
        original.backup(copy)
    clinic = open_clinic(copy)
    try:
        sid = clinic.session_where(signed=False, chair=3)  # ready for discharge
        nurse = clinic.service.accounts.authenticate("dana", "bedside-demo")
        before = flat(" ".join(render(clinic, sid)))
        assert "Author of" in before  # no signature of hers yet: the block claims none
        clinic.service.attest_chart(nurse, sid, "bedside-demo")
        text = flat(" ".join(render(clinic, sid)))
        assert "Charting nurse: record complete and accurate" in text
        assert "Author of" not in text
    finally:
        clinic.store.close()


def test_a_session_ended_early_is_judged_at_its_early_end(demo_path: Path, tmp_path: Path) -> None:
    """The printout names the moment it judges discharge at, as the rule does: a session
    ended early at its early end, not at "the last entry" (an addendum may come after it)."""
    with Store(demo_path) as store:
        store.backup(tmp_path / "copy.db")
    clinic = open_clinic(tmp_path / "copy.db")
    try:
        nurse = clinic.service.accounts.authenticate("dana", "bedside-demo")
        patient = clinic.store.patient_by_mrn("MRN-1001")
        assert patient is not None
        sid = clinic.service.open_session(nurse, patient_id=patient.id, chair=1).session_id
        clinic.service.end_early(nurse, sid, "opened for the wrong patient")
        text = " ".join(render(clinic, sid))
    finally:
        clinic.store.close()
    assert "Discharge criteria at the early end" in text
    assert "at the last entry" not in text
