"""PDF benchmarks (``pdf_long_session``, ``pdf_batch_40``): hooked into ``bench/run.py``.

``pdf_long_session``
    The session summary of the long session (``ui.demo.long_session``: 3 hours, 25 vitals sets,
    corrections, late entries, two addenda; 5 pages) through ``export.session_pdf.session_pdf``:
    the store read, the fold, the charting series and the reportlab build. Floor: a one-page
    reportlab document (title, paragraph, an 8-row table, the same embedded fonts) built in the
    same run. Goal: value <= 300 ms; the ratio says what the record's length and layout cost.
``pdf_batch_40``
    ``bedside export pdf --date DAY -o DIR`` in-process on a day with 40 signed reference
    sessions (four chairs from 06:00), writing 40 files. Floor: writing 40 one-page documents to
    files in the same folder. Goal: value <= 12 s (0.3 s a session). ``--quick`` charts only 8
    sessions (a smoke test).
"""

from __future__ import annotations

import contextlib
import gc
import io
import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from bench.common import RunConfig, line, log, median_ms, timed
from export.pdf.fonts import pdf_fonts
from export.session_pdf import session_pdf, write_bytes
from ui.cli import build_parser, run_command
from ui.demo import chart_reference_session, order_reference_course, set_up_clinic
from ui.demo.long_session import build_long_clinic

TIMEZONE = "America/New_York"
PRINTED_AT = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
DAY = date(2026, 11, 24)


def one_page_pdf() -> bytes:
    """The floor: a one-page reportlab document with the record's fonts."""
    fonts = pdf_fonts()
    style = ParagraphStyle("b", fontName=fonts.regular, fontSize=9, leading=11)
    title = ParagraphStyle("t", fontName=fonts.bold, fontSize=14, leading=18)
    rows = (
        [["Time", "SBP", "DBP", "HR", "SpO₂"]]
        + [[f"10:{10 * i:02d}", "132", "84", "78", "98"] for i in range(1, 6)]
        + [["", "", "", "", ""]] * 2
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1, initialFontName=fonts.regular)
    doc.build(
        [
            Paragraph("IV ketamine infusion — one page", title),
            Paragraph("A short paragraph of text, as a floor for the session summary.", style),
            Table(rows),
        ]
    )
    return buffer.getvalue()


def bench_pdf_long(cfg: RunConfig) -> list[dict[str, Any]]:
    """The long session's PDF vs a one-page document."""
    folder = cfg.work / "pdf-long"
    folder.mkdir(parents=True)
    start = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    store = Store(folder / "long.db")
    long = build_long_clinic(store, start, TIMEZONE)
    service = ChartService(store, FixedClock(PRINTED_AT))
    sid = long.session_id

    def long_pdf() -> bytes:
        return session_pdf(service, sid, printed_at=PRINTED_AT, printed_by="bench")

    first = long_pdf()  # warm-up: fonts registered, imports, page cache
    if long_pdf() != first:
        raise RuntimeError("pdf_long_session: two renders differ")
    pages = first.count(b"/Type /Page\n")
    one_page_pdf()
    reps = 3 if cfg.quick else 15
    value_samples: list[int] = []
    floor_samples: list[int] = []
    for _ in range(reps):
        gc.collect()
        value_samples.append(timed(long_pdf))
        floor_samples.append(timed(one_page_pdf))
    store.close()
    value, floor = median_ms(value_samples), median_ms(floor_samples)
    log(
        f"pdf_long_session: {value:.0f} ms for {len(first) / 1024:.0f} KB, {pages or '?'} pages; "
        f"one-page document {floor:.1f} ms"
    )
    return [line("pdf_long_session", value, "ms", floor, "value <= 300 ms")]


def _day_of_sessions(path: Path, count: int) -> None:
    """``count`` signed reference sessions on :data:`DAY`, four chairs, from 06:00 local."""
    store = Store(path)
    first = datetime.combine(DAY, time(6, 0), ZoneInfo(TIMEZONE)).astimezone(UTC)
    clock = FixedClock(first - timedelta(days=1))
    service = ChartService(store, clock)
    staff = set_up_clinic(
        service,
        {"timezone": TIMEZONE, "clinic_name": "Bench Clinic", "clinic_address": "1 Bench Way"},
    )
    for i in range(count):
        patient = service.register_patient(
            staff.nurse,
            mrn=f"MRN-B{i:03d}",
            family_name=f"Bench{i:03d}",
            given_name="Marker",
            date_of_birth=date(1980, 1, 1) + timedelta(days=97 * i),
            sex="female" if i % 2 else "male",
            allergies={"state": "nkda"},
        )
        order_reference_course(service, staff.clinician, patient.id)
        chair, slot = i % 4 + 1, i // 4
        chart_reference_session(
            service,
            clock,
            staff,
            patient,
            chair=chair,
            start=first + timedelta(minutes=90 * slot + 3 * chair),
        )
    if len(store.sessions_on(DAY)) != count:
        raise RuntimeError("pdf_batch_40: sessions fell outside the day")
    store.close()


def bench_pdf_batch(cfg: RunConfig) -> list[dict[str, Any]]:
    """``bedside export pdf --date`` over 40 sessions vs writing 40 one-page documents."""
    folder = cfg.work / "pdf-batch"
    folder.mkdir(parents=True)
    count = 8 if cfg.quick else 40
    db = folder / "day.db"
    _day_of_sessions(db, count)
    log(f"pdf_batch_40: charted {count} sessions")
    parser = build_parser()
    clock = FixedClock(PRINTED_AT)
    counter = iter(range(1000))

    def batch() -> None:
        out = folder / f"out-{next(counter)}"
        args = parser.parse_args(
            ["--db", str(db), "export", "pdf", "--date", DAY.isoformat(), "-o", str(out)]
        )
        with contextlib.redirect_stdout(io.StringIO()):  # one progress line per file
            if run_command(args, clock) != 0:
                raise RuntimeError("pdf_batch_40: the export failed")
        written = len(list(out.glob("*.pdf")))
        if written != count:
            raise RuntimeError(f"pdf_batch_40: {written} files, expected {count}")
        shutil.rmtree(out)

    def floor() -> None:
        out = folder / f"floor-{next(counter)}"
        for i in range(count):
            write_bytes(out / f"{i}.pdf", one_page_pdf())
        shutil.rmtree(out)

    batch()  # warm-up
    floor()
    reps = 1 if cfg.quick else 3
    value_samples = []
    floor_samples = []
    for _ in range(reps):
        gc.collect()
        value_samples.append(timed(batch))
        floor_samples.append(timed(floor))
    value, base = median_ms(value_samples) / 1000, median_ms(floor_samples) / 1000
    log(
        f"pdf_batch_40: {count} summaries in {value:.2f} s ({1000 * value / count:.0f} ms each); "
        f"{count} one-page documents {base:.2f} s"
    )
    return [line("pdf_batch_40", value, "s", base, "value <= 12 s (0.3 s a session)")]
