"""Issue 10, item 10 in the window: the clinician's sign-off and the nurse's signature of her
charting show the session's summary above the password, and after a sign-off on an override the
step bar says the steps were overridden (⚠ and the word), not ✓."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from signoff_sessions import (
    CLINICIAN_REASON,
    SIGN_REASON,
    Eventful,
    eventful_clinic,
    settle_and_sign,
)
from ui_driver import answer_modal, session_window

from bedside.service import ChartService
from ui.dialogs.discharge import AttestDialog, SignOffDialog
from ui.dialogs.signoff_summary import SummaryView
from ui.session import closing_actions
from ui.steps.bar import OVERRIDDEN_KEY, StepBar


@pytest.fixture
def eventful(tmp_path: Path) -> Iterator[Eventful]:
    with eventful_clinic(tmp_path / "x.db") as clinic:
        yield clinic


def top(widget: QWidget, dialog: QWidget) -> int:
    return widget.mapTo(dialog, QPoint(0, 0)).y()


def shown(dialog: QWidget, password: QLineEdit) -> dict[str, object]:
    """What the dialog shows, read as a person would: by section, and where things are."""
    summary = dialog.findChild(SummaryView, "signoffSummary")
    assert summary is not None
    flagged = [
        label.text()
        for label in summary.findChildren(QLabel, "summaryLine")
        if label.property("attention") == "yes"
    ]
    return {
        "checks": summary.section_text("checks"),
        "alerts": summary.section_text("alerts"),
        "overrides": summary.section_text("overrides"),
        "flagged": flagged,
        "above": top(summary, dialog) + summary.height() <= top(password, dialog),
    }


def test_the_sign_off_shows_what_is_signed_above_the_password(
    qtbot: QtBot, eventful: Eventful
) -> None:
    view = session_window(qtbot, eventful.service, eventful.sid, eventful.staff.clinician)
    seen: dict[str, object] = {}

    def look(dialog: SignOffDialog) -> None:
        seen.update(shown(dialog, dialog.password))
        dialog.reject()

    answer_modal(SignOffDialog, look)
    closing_actions.sign_off(view)
    checks = str(seen["checks"])
    assert checks.startswith("⚠ Checks missed or deferred\n⚠ MISSED: vitals check due 14:50")
    assert (
        "⚠ DEFERRED MANDATORY BP due 15:00 (During the infusion) — by Dana Reyes, RN at 15:00"
        in checks
    )
    assert f"allowed by Jordan Lee, MD: {CLINICIAN_REASON}" in checks
    assert "NOT ACKNOWLEDGED (still open)" in str(seen["alerts"])
    assert "Deferral of the mandatory BP due 15:00 — Jordan Lee, MD" in str(seen["overrides"])
    assert all(str(line).startswith("⚠ ") for line in seen["flagged"])  # type: ignore[attr-defined]
    assert seen["above"] is True
    assert not eventful.service.state(eventful.sid).locked


def test_the_nurse_reads_the_summary_before_signing_her_charting(
    qtbot: QtBot, eventful: Eventful
) -> None:
    view = session_window(qtbot, eventful.service, eventful.sid, eventful.staff.nurse)
    seen: dict[str, object] = {}

    def look(dialog: AttestDialog) -> None:
        seen.update(shown(dialog, dialog.password))
        dialog.reject()

    answer_modal(AttestDialog, look)
    closing_actions.attest_chart(view)
    assert "⚠ MISSED: vitals check due 14:50" in str(seen["checks"])
    assert "NOT ACKNOWLEDGED" in str(seen["alerts"])
    assert seen["above"] is True
    assert not eventful.service.state(eventful.sid).attestations


def test_after_an_override_sign_off_the_steps_read_overridden(
    qtbot: QtBot, eventful: Eventful
) -> None:
    view = session_window(qtbot, eventful.service, eventful.sid, eventful.staff.nurse)
    bar = view.steps
    assert [label.text() for label in bar.labels][4:6] == ["✓ Infusion", "Observation"]
    assert not bar.key.isVisible()
    settle_and_sign(eventful.service, eventful.clock, eventful.staff, eventful.sid)
    view.refresh()
    assert [label.text() for label in bar.labels] == [
        "✓ Intake",
        "✓ Baseline",
        "✓ Consent",
        "✓ Dose & preparation",
        "✓ Infusion",
        "⚠ Observation",
        "⚠ Discharge",
        "⚠ Signed",
    ]
    assert [label.property("state") for label in bar.labels][5:] == ["overridden"] * 3
    assert bar.key.isVisible()
    assert bar.key.text() == OVERRIDDEN_KEY == "⚠ = overridden"
    assert SIGN_REASON in bar.labels[-1].toolTip()
    assert "Jordan Lee, MD" in bar.key.toolTip()
    assert bar.labels[4].toolTip() == ""


def test_a_clean_sign_off_reads_done(qtbot: QtBot, ui_service: ChartService) -> None:
    (signed,) = [
        ui_service.state(h.id)
        for h in ui_service.store.sessions_on(ui_service.clock.now().date())
        if ui_service.state(h.id).locked and not ui_service.state(h.id).ended_early
    ][:1]
    bar = StepBar()
    qtbot.addWidget(bar)
    bar.show_record(signed, {})
    assert all(label.text().startswith("✓ ") for label in bar.labels)
    assert bar.key.isHidden()
