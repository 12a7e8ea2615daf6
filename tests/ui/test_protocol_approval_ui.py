"""The admin protocol screen and a clinical change (issue 10, item 11): saving one says it is
pending; a signed-in clinician approves it with a reason and their password; anyone else is
refused by the domain; an impossible value typed on the screen is refused in words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from bedside.ids import ProtocolId
from bedside.people import User
from bedside.protocol_approval import VersionStatus
from bedside.service import ChartService
from ui.admin import protocol_approval
from ui.admin.protocol import ProtocolDialog
from ui.admin.protocol_approval import ApprovalDialog, ApprovalEntry, ApprovalFacts
from ui.admin.protocol_model import APPROVAL_COLUMN, VALUE_COLUMN, KeyRole

PASSWORD = "bedside-demo"
REASON = "Agreed at the March clinical governance meeting"


@pytest.fixture
def admin(ui_service: ChartService) -> User:
    return ui_service.accounts.authenticate("admin", PASSWORD)


@pytest.fixture
def clinician(ui_service: ChartService) -> User:
    return ui_service.accounts.authenticate("drlee", PASSWORD)


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The confirmations asked, each answered yes."""
    asked: list[str] = []

    def confirm(parent: object, title: str, text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr("ui.common.operations.confirm", confirm)
    return asked


def _type_value(dialog: ProtocolDialog, key: str, text: str) -> None:
    model = dialog.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(KeyRole) == key)
    assert model.setData(model.index(row, VALUE_COLUMN), text, Qt.ItemDataRole.EditRole)


def _prepared(service: ChartService, admin: User) -> ProtocolId:
    return service.new_protocol_version(admin, {"dosing.max_mg_per_kg": "0.75"})


def test_saving_a_clinical_change_says_it_is_pending(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    shown_errors: list[str],
    questions: list[str],
) -> None:
    first_id, _ = ui_service.ensure_protocol()
    dialog = ProtocolDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    assert dialog.pending_note.text() == ""
    dialog.begin_edit()
    _type_value(dialog, "dosing.max_mg_per_kg", "0.75")
    dialog.save()

    assert shown_errors == []
    assert "saved PENDING" in questions[-1]
    assert "PENDING" in dialog.status.text()
    assert "NOT in effect" in dialog.pending_note.text()
    assert "sessions open under version 1 until a clinician approves" in dialog.pending_note.text()
    assert "PENDING APPROVAL" in dialog.version_line.text()
    assert dialog.history.index(0, 0).data() == "2  (pending approval)"
    assert "pending approval" in dialog.history.index(0, APPROVAL_COLUMN).data()
    assert dialog.history.index(1, 0).data() == "1  (current)"
    assert ui_service.ensure_protocol()[0] == first_id
    assert not dialog.approve_button.isHidden()


def test_saving_a_workstation_setting_takes_effect_at_once(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    shown_errors: list[str],
    questions: list[str],
) -> None:
    dialog = ProtocolDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    dialog.begin_edit()
    _type_value(dialog, "monitoring.idle_lock_min", "1")
    dialog.save()
    assert shown_errors == []
    assert "takes effect at once" in questions[-1]
    assert "in effect now" in dialog.status.text()
    assert dialog.pending_note.text() == ""
    assert dialog.approve_button.isHidden()
    assert ui_service.ensure_protocol()[1].monitoring.idle_lock_min == 1


def test_a_clinician_approves_with_reason_and_password(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    ui_service: ChartService,
    admin: User,
    clinician: User,
    shown_errors: list[str],
) -> None:
    pending = _prepared(ui_service, admin)
    offered: list[str] = []
    answers = [ApprovalEntry(REASON, "wrong password"), ApprovalEntry(REASON, PASSWORD)]

    def answer(facts: ApprovalFacts, reason: str, parent: object) -> ApprovalEntry:
        assert facts.pending.id == pending
        assert facts.prepared_by == admin.display_name
        offered.append(reason)
        return answers.pop(0)

    monkeypatch.setattr(protocol_approval, "ask_approval", answer)
    dialog = ProtocolDialog(ui_service, clinician)
    qtbot.addWidget(dialog)
    assert dialog.approve_button.isEnabled()
    assert dialog.approve_button.text() == "Approve version 2…"
    dialog.approve_button.click()

    # The wrong password is refused and the dialog reopens with the reason as typed.
    assert offered == ["", REASON]
    assert len(shown_errors) == 1
    assert "password" in shown_errors[0].lower()
    assert ui_service.ensure_protocol()[0] == pending
    newest = ui_service.store.protocol_versions()[0]
    assert newest.status is VersionStatus.IN_EFFECT
    assert dialog.history.index(0, 0).data() == "2  (current)"
    approval_text = dialog.history.index(0, APPROVAL_COLUMN).data()
    assert approval_text == f"approved by Jordan Lee, MD on 24 Nov 2026 10:00: {REASON}"
    assert approval_text in dialog.status.text()
    assert dialog.pending_note.text() == ""
    assert dialog.approve_button.isHidden()
    assert "(current version)" in dialog.version_line.text()
    assert approval_text in dialog.version_line.text()  # who approved it, when and why


@pytest.mark.parametrize("who", ["admin", "dana"])
def test_anyone_but_a_clinician_is_refused_before_the_dialog(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    ui_service: ChartService,
    admin: User,
    shown_errors: list[str],
    who: str,
) -> None:
    pending = _prepared(ui_service, admin)

    def never(*args: object) -> ApprovalEntry:
        raise AssertionError("the approval dialog opened for someone who may not approve")

    monkeypatch.setattr(protocol_approval, "ask_approval", never)
    dialog = ProtocolDialog(ui_service, ui_service.accounts.authenticate(who, PASSWORD))
    qtbot.addWidget(dialog)
    dialog.approve()
    assert "not allowed to approve a clinical protocol change" in shown_errors[-1]
    assert "not approved" in dialog.status.text()
    assert ui_service.store.protocol_versions()[0].id == pending
    assert ui_service.store.protocol_versions()[0].status is VersionStatus.PENDING


def test_the_approval_dialog_shows_what_is_signed(
    qtbot: QtBot, ui_service: ChartService, admin: User
) -> None:
    _prepared(ui_service, admin)
    pending, in_effect = ui_service.store.protocol_versions()
    facts = ApprovalFacts(pending, in_effect, admin.display_name, ui_service.timezone)
    dialog = ApprovalDialog(facts, reason="typed before")
    qtbot.addWidget(dialog)
    text = dialog.findChild(QLabel, "approvalSummary").text()
    assert "Highest dose that may be ordered (dosing.max_mg_per_kg): 1 → 0.75" in text
    assert "Clinical protocol change approved" in text
    assert "from version 1, which is in effect now" in text
    assert dialog.reason.text() == "typed before"
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password


def test_an_impossible_vial_strength_typed_on_the_screen_is_refused(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    shown_errors: list[str],
    questions: list[str],
) -> None:
    dialog = ProtocolDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    dialog.begin_edit()
    _type_value(dialog, "dosing.vial_concentrations_mg_ml", "10, nan")
    assert (
        "each above 0, up to 100 mg/mL"
        in dialog.model.problems()["dosing.vial_concentrations_mg_ml"]
    )
    dialog.save()
    assert "dosing.vial_concentrations_mg_ml" in shown_errors[-1]
    assert "each above 0, up to 100 mg/mL" in shown_errors[-1]
    assert questions == []  # refused before anything is asked
    assert len(ui_service.store.protocol_versions()) == 1
    assert dialog.model.pending() == {"dosing.vial_concentrations_mg_ml": "10, nan"}
    assert "Not saved" in dialog.status.text()
