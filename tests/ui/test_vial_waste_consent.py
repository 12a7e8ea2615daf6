"""Issue 9 C7, C8, C12 and the "taken at" of the closing dialogs, through the real widgets.

C7: the vial's expiry is typed as printed, read back in words, stored as shown.
C8: the amount drawn is the whole vial (never the dose); the open remainder is on the board,
the session panel and the sign-off, and waste (with a witness) is one key away, suggesting it.
C12: consent with an element or capacity unticked is refused before anything is signed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot
from test_guided_steps import PASSWORD, click, new_session, sign_on_pad, walk_to
from ui_driver import answer_modal, session_window

from bedside.clock import FixedClock
from bedside.events import ConsentRecorded, DrugPrepared, Phase, WasteRecorded
from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from bedside.timeutil import local_text
from ui.board.main_window import MainWindow
from ui.dialogs.discharge import AddendumDialog, AttestDialog, WasteDialog
from ui.session.window import SessionView
from ui.steps.consent import ConsentStep
from ui.steps.preparation import PreparationStep


def preparation_page(qtbot: QtBot, service: ChartService, nurse: User) -> tuple[Any, SessionId]:
    view, sid = new_session(qtbot, service, nurse)
    walk_to(qtbot, view, Phase.PREPARED)
    page = cast(PreparationStep, view.pages.currentWidget())
    page.vial.setCurrentIndex(page.vial.findData(10.0))
    click(qtbot, page.plan_button)  # 35 mg = 3.5 mL of 10 mg/mL
    return page, sid


def fill_vial(qtbot: QtBot, page: PreparationStep, expiry: str, volume: str = "5") -> None:
    qtbot.keyClicks(page.vial_volume, volume)
    page.lot.setText("KX7781B")
    qtbot.keyClicks(page.expiry, expiry)
    page.checker.setText("sam")
    page.checker_password.setText(PASSWORD)


def stored_preparation(service: ChartService, sid: SessionId) -> DrugPrepared | None:
    state = service.state(sid)
    return state.typed(state.preparation, DrugPrepared)


# --- C7: the expiry typed as printed ---------------------------------------------------------------


def test_an_expiry_typed_as_printed_is_read_back_in_words_and_stored_as_shown(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    page, sid = preparation_page(qtbot, ui_service, nurse)
    page.expiry.setFocus()
    qtbot.keyClicks(page.expiry, "30 Jun 2027")
    assert page.expiry.text() == "30 Jun 2027"  # nothing appended to a prompt
    assert page.expiry_shown.text() == "<b>30 June 2027</b>"
    # Tab leaves the field.
    qtbot.keyClick(page.expiry, Qt.Key.Key_Tab)
    assert not page.expiry.hasFocus()
    # Typed over, a month alone means its last day, and says so.
    page.expiry.selectAll()
    qtbot.keyClicks(page.expiry, "Jan 2027")
    assert page.expiry_shown.text() == "<b>31 January 2027 — the last day of the month</b>"
    page.expiry.clear()
    fill_vial(qtbot, page, "02/06/2027")
    assert "could be 2 June or 6 February" in page.expiry_shown.text()
    click(qtbot, page.prep_button)
    assert "Not saved" in page.guard.text()
    assert "Expiry:" in page.guard.text()
    assert stored_preparation(ui_service, sid) is None
    page.expiry.clear()
    qtbot.keyClicks(page.expiry, "2 Jun 2027")
    shown = page.expiry_shown.text()
    click(qtbot, page.prep_button)
    assert shown_errors == []
    prep = stored_preparation(ui_service, sid)
    assert prep is not None
    assert shown == "<b>2 June 2027</b>"
    assert prep.expiry == date(2027, 6, 2)


def test_an_expired_vial_is_flagged_as_typed_and_refused_by_the_core(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    page, sid = preparation_page(qtbot, ui_service, nurse)
    fill_vial(qtbot, page, "10/2026")  # 31 Oct 2026; today is 24 Nov 2026
    assert "expired" in page.expiry_shown.text()
    click(qtbot, page.prep_button)
    assert "has expired" in shown_errors[-1]
    assert stored_preparation(ui_service, sid) is None


# --- C8: the whole vial ----------------------------------------------------------------------------


def test_amount_drawn_is_the_whole_vial_never_the_dose(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    page, sid = preparation_page(qtbot, ui_service, nurse)
    assert page.drawn_ml.text() == ""  # not the 3.5 mL dose
    assert page.vial_volume.text() == ""  # no default vial either
    fill_vial(qtbot, page, "30 Sep 2027")
    assert page.drawn_ml.text() == "5"  # the whole vial, visibly
    shown = page.drawn_mg.text()
    assert "50 mg</b> — the whole vial" in shown
    assert "the 15 mg (1.5 mL) left over is wasted with a witness" in shown
    # The nurse types what she really drew; the vial no longer overrides it.
    page.drawn_ml.clear()
    qtbot.keyClicks(page.drawn_ml, "6")
    assert "more than the 5 mL vial holds" in page.drawn_mg.text()
    click(qtbot, page.prep_button)
    assert "more than the vial holds" in shown_errors[-1]
    assert stored_preparation(ui_service, sid) is None
    page.drawn_ml.clear()
    qtbot.keyClicks(page.drawn_ml, "5")
    page.checker_password.setText(PASSWORD)
    click(qtbot, page.prep_button)
    prep = stored_preparation(ui_service, sid)
    assert prep is not None
    assert (prep.vial_volume_ml, prep.drawn_ml, prep.drawn_mg) == (5.0, 5.0, 50.0)


def test_the_open_remainder_is_on_the_board_tile(
    qtbot: QtBot, ui_service: ChartService, nurse: User, qsettings: QSettings
) -> None:
    window = MainWindow(ui_service, nurse, ui_service.clock, qsettings)
    window.ticker.stop()
    qtbot.addWidget(window)
    window.show()
    infusing = window.board.tiles[1]  # chair 2: 50 mg drawn, 36 mg in the bag
    assert infusing.summary.drug_open_text == (
        "Drug to waste: 14 mg (1.4 mL) left in the vial or syringe"
    )
    assert infusing.drug.isVisible()
    assert "14 mg (1.4 mL) left in the vial or syringe" in infusing.drug.text()
    assert not window.board.tiles[2].drug.isVisible()  # chair 3: wasted, reconciled


def open_chair(qtbot: QtBot, service: ChartService, user: User, chair: int) -> SessionView:
    sid = service.busy_chairs(service.clock.now())[chair]
    view = session_window(qtbot, service, sid, user)
    return view


def test_waste_is_one_key_away_takes_the_remainder_on_a_key_and_keeps_a_refused_entry(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view = open_chair(qtbot, ui_service, nurse, 2)  # infusing, 14 mg open in the syringe
    sid = view.session_id
    assert "Drug to waste: 14 mg (1.4 mL) left in the vial or syringe" in view.panel.text()
    assert view.buttons["waste"].isVisible()  # while the pump runs (it never appeared)
    seen: list[str] = []

    def again(dialog: WasteDialog) -> None:
        # Refused: the dialog reopens as typed; the witness signs afresh.
        assert dialog.amount.value() == pytest.approx(13.5)
        assert dialog.witness.text() == "sam"
        assert dialog.taken_at.edit.text() == "09:50"
        assert dialog.password.text() == ""
        dialog.password.setText(PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter saves

    def first(dialog: WasteDialog) -> None:
        seen.append(dialog.open_now.text())
        assert dialog.amount.value() == 0  # empty: no amount that could pass for an answer
        assert dialog.amount.text().strip() == ""
        assert dialog.source.currentData() == "vial"
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # Enter on nothing typed: refused
        assert dialog.isVisible()
        assert "Amount wasted" in dialog.message.text()
        assert "14 mg" in dialog.message.text()
        qtbot.keyClick(dialog.amount, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert dialog.amount.value() == pytest.approx(14.0)  # all that is open, on one key
        assert "1.40 mL at 10 mg/mL" in dialog.amount_shown.text()
        dialog.amount.setValue(13.5)  # what she really wastes
        assert "1.35 mL" in dialog.amount_shown.text()
        dialog.taken_at.edit.setText("9:50")  # NOW is 10:00 in New York
        dialog.witness.setText("sam")
        dialog.password.setText("wrong-password")
        # The refusal reopens it (answered once this one has closed).
        dialog.finished.connect(lambda _: answer_modal(WasteDialog, again))
        dialog.accept()

    answer_modal(WasteDialog, first)
    qtbot.keyClick(view, Qt.Key.Key_W)
    assert "Open now:</b> 14 mg (1.4 mL) left in the vial or syringe" in seen[0]
    assert shown_errors  # the wrong password, shown in words
    qtbot.waitUntil(lambda: bool(ui_service.state(sid).waste))
    (event,) = ui_service.state(sid).waste
    assert cast(WasteRecorded, event.payload).wasted_mg == 13.5
    assert local_text(event.clinical_time, "America/New_York", "%H:%M") == "09:50"
    # 0.5 mg still open: still offered, and still said.
    assert view.buttons["waste"].isVisible()
    assert "Drug to waste: 0.5 mg (0.05 mL)" in view.panel.text()


def test_the_sign_off_dialog_says_the_open_remainder(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    view = open_chair(qtbot, ui_service, nurse, 2)
    ui_service.clock.advance(minutes=20)  # type: ignore[attr-defined]
    ui_service.stop_infusion(nurse, view.session_id, volume_infused_ml=103.6)
    view.refresh()
    summaries: list[str] = []
    monkeypatch.setattr(
        "ui.dialogs.discharge.SignOffDialog.ask",
        lambda page, *a, **k: summaries.append(page.summary.text()),
    )
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert (
        "NOT reconciled — open remainder: 14 mg (1.4 mL) left in the vial or syringe"
        in (summaries[0])
    )
    assert "Reconciled:" not in summaries[0]


# --- C12: consent refused before it is signed -------------------------------------------------------


def test_consent_without_capacity_is_refused_by_the_core_and_the_form_is_kept(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view, sid = new_session(qtbot, ui_service, nurse)
    walk_to(qtbot, view, Phase.CONSENT)
    page = cast(ConsentStep, view.pages.currentWidget())
    for key, box in page.elements.items():
        box.setChecked(key != "right_to_withdraw")
    sign_on_pad(qtbot, page)
    page.witness.setText("Robin Doe")
    page.clinician.setText("drlee")
    page.password.setText(PASSWORD)
    click(qtbot, page.save)
    assert ui_service.state(sid).consent is None
    message = shown_errors[-1]
    assert message.startswith("Consent not recorded:")
    assert "“right to withdraw” not acknowledged" in message
    assert "capacity to consent not confirmed" in message
    # Nothing the nurse and the patient did is lost.
    assert [k for k, b in page.elements.items() if not b.isChecked()] == ["right_to_withdraw"]
    assert not page.pad.is_empty()
    assert (page.witness.text(), page.clinician.text()) == ("Robin Doe", "drlee")
    page.elements["right_to_withdraw"].setChecked(True)
    page.capacity.setChecked(True)
    page.password.setText(PASSWORD)
    click(qtbot, page.save)
    consent = cast(ConsentRecorded, ui_service.state(sid).consent.payload)  # type: ignore[union-attr]
    assert consent.capacity_confirmed
    assert consent.witness_name == "Robin Doe"


# --- A4: "taken at" on the attestation and the addendum --------------------------------------------


def test_the_charting_nurse_signs_for_the_time_she_says(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    view = open_chair(qtbot, ui_service, nurse, 3)  # ready for discharge sign-off

    def attest(dialog: AttestDialog) -> None:
        dialog.taken_at.edit.setText("nonsense")
        dialog.password.setText(PASSWORD)
        dialog.accept()
        assert dialog.isVisible()  # refused in the dialog, nothing lost
        assert "Taken at" in dialog.message.text()
        dialog.taken_at.edit.setText("09:55")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    answer_modal(AttestDialog, attest)
    qtbot.keyClick(view, Qt.Key.Key_G)
    (attested,) = ui_service.state(view.session_id).attestations
    assert local_text(attested.clinical_time, "America/New_York", "%H:%M") == "09:55"
    assert shown_errors == []


def test_an_addendum_is_signed_with_ctrl_enter_and_a_refused_one_is_kept(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    qsettings: QSettings,
    shown_errors: list[str],
) -> None:
    sid = next(
        h.id
        for h in ui_service.store.sessions_on(ui_service.clock.now().date())
        if ui_service.state(h.id).locked
    )
    view = session_window(qtbot, ui_service, sid, nurse)

    def again(dialog: AddendumDialog) -> None:
        assert dialog.text.toPlainText() == "Patient phoned:\nhome safely."
        assert dialog.reason.text() == "follow-up call"
        assert dialog.taken_at.edit.text() == "09:30"
        dialog.password.setText(PASSWORD)
        dialog.activateWindow()  # a shortcut answers in the active window only
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.text, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)

    def first(dialog: AddendumDialog) -> None:
        qtbot.keyClicks(dialog.text, "Patient phoned:")
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return)  # a new line, not a save
        qtbot.keyClicks(dialog.text, "home safely.")
        assert dialog.isVisible()
        dialog.reason.setText("follow-up call")
        dialog.taken_at.edit.setText("09:30")
        dialog.password.setText("wrong-password")
        # The refusal reopens it (answered once this one has closed).
        dialog.finished.connect(lambda _: answer_modal(AddendumDialog, again))
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    answer_modal(AddendumDialog, first)
    qtbot.keyClick(view, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: bool(ui_service.state(sid).addenda))
    assert len(shown_errors) == 1
    (addendum,) = ui_service.state(sid).addenda
    assert local_text(addendum.clinical_time, "America/New_York", "%H:%M") == "09:30"
    assert cast(Any, addendum.payload).text == "Patient phoned:\nhome safely."
    assert QApplication.activeModalWidget() is None
    assert timedelta(0) <= ui_service.clock.now() - addendum.clinical_time
    assert isinstance(view.panel, QLabel)


def test_the_open_ml_typed_as_mg_is_asked_about_before_a_witnessed_waste(qtbot: QtBot) -> None:
    """'14 mg (1.4 mL)' is open; 1.4 typed into the mg field is asked about once (a witnessed
    waste cannot be corrected); typing the mg saves, and the same 1.4 again is taken as meant."""
    from bedside.rules.controlled import Remainder
    from ui.dialogs.waste import OpenDrug

    clock = FixedClock(datetime(2026, 11, 24, 15, 0, tzinfo=UTC))
    drug = OpenDrug((Remainder("vial", 14.0, 1.4),), {"vial": 10.0})
    dialog = WasteDialog(drug, clock, "America/New_York")
    qtbot.addWidget(dialog)
    dialog.witness.setText("sam")
    dialog.password.setText(PASSWORD)
    dialog.amount.setValue(1.4)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Amount wasted is in mg: 1.4 is the volume open in mL" in dialog.message.text()
    dialog.accept()  # the same again: meant
    assert dialog.result() == QDialog.DialogCode.Accepted
    other = WasteDialog(drug, clock, "America/New_York")
    qtbot.addWidget(other)
    other.amount.setValue(14.0)
    other.accept()
    assert other.result() == QDialog.DialogCode.Accepted
