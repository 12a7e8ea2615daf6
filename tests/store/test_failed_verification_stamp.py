"""Issue 11, item 6: a record that fails verification is not printed as if it were sound —
every page carries "FAILED VERIFICATION" (a band and a stamp) and page 1 says what is wrong —
and the service tells the session window so it can show a banner."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from export.session_pdf import session_pdf
from tests.store.support import Prebuilt, raw, trigger_sql
from ui.session.window import SessionView

PRINTED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def pages(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def printed(path: Path, session_id: str) -> tuple[list[str], list[str]]:
    with Store(path) as store:
        service = ChartService(store, FixedClock(PRINTED))
        problems = service.session_problems(session_id)  # type: ignore[arg-type]
        data = session_pdf(service, session_id, printed_at=PRINTED, printed_by="t")  # type: ignore[arg-type]
    return problems, pages(data)


def test_a_sound_record_prints_without_the_stamp(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    problems, text = printed(path, signed_db.session_id)
    assert problems == []
    assert not any("FAILED VERIFICATION" in page for page in text)


def test_an_altered_record_is_stamped_on_every_page(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn:
        create = trigger_sql(conn, "chart_events_no_update")
        conn.execute("DROP TRIGGER chart_events_no_update")
        conn.execute(
            "UPDATE chart_events SET payload = "
            "replace(payload, '\"systolic\":186', '\"systolic\":146') "
            "WHERE session_id = ? AND kind = 'vitals_recorded'",
            (signed_db.session_id,),
        )
        conn.execute(create)
    problems, text = printed(path, signed_db.session_id)
    assert problems
    assert all("FAILED VERIFICATION" in page for page in text), "every page"
    assert "does not match the hashes it was saved with" in text[0]
    assert problems[0][:40] in text[0]


def test_the_session_window_shows_a_banner_on_an_altered_record(
    signed_db: Prebuilt, tmp_path: Path, qtbot: QtBot
) -> None:
    path = signed_db.copy_to(tmp_path)
    with Store(path) as store:
        service = ChartService(store, FixedClock(PRINTED))
        sound = SessionView(service, signed_db.session_id, service.clock, "light")  # type: ignore[arg-type]
        qtbot.addWidget(sound)
        assert sound.verification_banner.isHidden()
    with raw(path) as conn:
        create = trigger_sql(conn, "chart_events_no_update")
        conn.execute("DROP TRIGGER chart_events_no_update")
        conn.execute(
            "UPDATE chart_events SET author = 'someone-else' WHERE session_id = ? AND seq = 3",
            (signed_db.session_id,),
        )
        conn.execute(create)
    with Store(path) as store:
        service = ChartService(store, FixedClock(PRINTED))
        view = SessionView(service, signed_db.session_id, service.clock, "light")  # type: ignore[arg-type]
        qtbot.addWidget(view)
        assert not view.verification_banner.isHidden()
        assert view.verification_banner.text().startswith("FAILED VERIFICATION")
