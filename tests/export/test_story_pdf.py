"""Page 1 tells the session's story before the detail (issue 12 item 1): the dose, the pump,
the peaks with their level, what was given, when the patient was ready and who discharged,
what is open, and the addenda that follow the signature; the monitoring points stand together."""

from __future__ import annotations

from datetime import datetime

from export_pdf_support import NOW, PRINTED_AT, PRINTED_BY, Clinic, pages_text

from export.session_pdf import session_pdf


def page_one(
    clinic: Clinic, *, signed: bool, chair: int | None = None, printed_at: datetime = PRINTED_AT
) -> str:
    sid = clinic.session_where(signed=signed, chair=chair)
    return pages_text(
        session_pdf(clinic.service, sid, printed_at=printed_at, printed_by=PRINTED_BY)
    )[0]


def test_the_long_session_s_story_is_on_page_one(long_clinic: Clinic) -> None:
    text = page_one(long_clinic, signed=True)
    for words in (
        "At a glance",
        "Dose planned 40.5 mg (0.5 mg/kg × 81 kg); infused 40.5 mg (0.50 mg/kg)",
        "Pump time planned 40 min; ran 47 min (09:20–10:15), completed",
        "Pauses 1 pause, 8 min in all: 09:45 (+25′) for 8 min — BP 184/104 above the pause limit",
        "Peak BP ▶ 184/104 at 09:45 (+25′), PAUSE level",
        "Peak HR 96 at 09:45 (+25′), within the protocol's limits",
        "deepest MOAA/S 3 at 09:55 (+35′); peak CADSS-6 9/24 at 10:15 (+55′)",
        "09:51 (+31′) midazolam 1 mg IV (anxiety during dissociation)",
        "Dissociation / derealisation (moderate)",
        "First ready to leave 11:45, 90 min after the infusion stopped",
        "Discharged 12:00, signed off by Jordan Lee, MD",
        "PHQ-9 18 before this infusion (the course's first score)",
        "Open items ▶ 1 clinician override: Pump resume",
        # The plan was only in addendum 2 on the last page, under "SIGNED — locked".
        "After signing ▶ 2 addenda after the signature; the latest, 2026-11-24 12:20 by "
        "Jordan Lee, MD: “Reviewed the BP course: next infusion at 0.4 mg/kg",
        "+ 2 addenda after it",
        "Monitoring points",
        "Pre-dose BP 132/84 at 09:05",
        "BP at the end of the infusion 150/92 at 10:15",
        "BP at discharge 132/82 at 11:50",
        "Discharge assessed by Dana Reyes, RN, 11:45 (Modified Aldrete 10/10)",
    ):
        assert words in text, words


def test_an_infusing_draft_says_it_runs_and_what_is_open(demo: Clinic) -> None:
    # Printed at the moment the demo stands at: the pump started 12:38 at 156 mL/h.
    text = page_one(demo, signed=False, chair=2, printed_at=NOW)
    assert (
        "Pump time ▶ planned 40 min; RUNNING at print time: 22 min, 57 mL so far by the "
        "charted rates (started 12:38)" in text
    )
    assert "Discharged ▶ not yet signed off (a draft)" in text
    assert "Open items ▶ 14 mg ketamine not accounted for" in text
    assert "BP at the end of the infusion not stopped yet" in text


def test_a_draft_printed_long_after_says_the_stop_is_not_charted(demo: Clinic) -> None:
    # Five hours later the charted rate has run the whole bag: the pump stopped by itself, but
    # the record does not say when, and the story must not count past the bag.
    text = page_one(demo, signed=False, chair=2)
    assert (
        "STOP NOT CHARTED: by the charted rates all 103.6 mL ran before print time (started 12:38)"
        in text
    )
    assert "mL so far" not in text


def test_a_signed_session_without_addenda_says_nothing_of_them(demo: Clinic) -> None:
    text = page_one(demo, signed=True, chair=1)
    assert "Open items none" in text
    assert "After signing" not in text
    assert "after it" not in text


def test_allergies_stand_out_on_a_band_of_their_own(long_clinic: Clinic, demo: Clinic) -> None:
    listed = page_one(long_clinic, signed=True)
    assert "ALLERGIES ▶ codeine (vomiting) — confirmed by Dana Reyes, RN" in listed
    nkda = page_one(demo, signed=True, chair=1)
    assert "ALLERGIES No known drug allergies — confirmed" in nkda


def test_the_chart_of_an_open_record_marks_now(demo: Clinic) -> None:
    sid = demo.session_where(signed=False, chair=2)
    during = " ".join(
        pages_text(session_pdf(demo.service, sid, printed_at=NOW, printed_by=PRINTED_BY))
    )
    assert "now (print time)" in during
    later = " ".join(
        pages_text(session_pdf(demo.service, sid, printed_at=PRINTED_AT, printed_by=PRINTED_BY))
    )
    # Five hours on, past the chart's axis: said at its edge, with how far past.
    assert "now (print time) +322′ →" in later
    signed = demo.session_where(signed=True, chair=1)
    closed = " ".join(
        pages_text(session_pdf(demo.service, signed, printed_at=NOW, printed_by=PRINTED_BY))
    )
    assert "now (print time)" not in closed
