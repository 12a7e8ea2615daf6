"""Admin ▸ Clinic settings holds everything an admin sets (issue 13 item 8): the idle lock and
the chairs (saved as a protocol version, with the protocol's question and limits) and this
workstation's name (shown in the status bar); every change is shown back in words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal

from bedside import app_log
from bedside.people import User
from bedside.protocol_approval import VersionStatus
from bedside.service import ChartService
from ui.admin.clinic import ClinicDialog
from ui.board.main_window import MainWindow

IDLE = "monitoring.idle_lock_min"
CHAIRS = "monitoring.chairs"


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The yes/no questions the dialog asked (each answered yes), instead of a message box."""
    asked: list[str] = []

    def confirm(parent: object, title: str, text: str) -> bool:
        asked.append(f"{title}\n{text}")
        return True

    monkeypatch.setattr("ui.common.operations.confirm", confirm)
    return asked


@pytest.fixture
def admin(ui_service: ChartService) -> User:
    return ui_service.accounts.authenticate("admin", "bedside-demo")


def _dialog(qtbot: QtBot, service: ChartService, user: User) -> ClinicDialog:
    dialog = ClinicDialog(service, user, workstation="chair-pc-2")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_admin_changes_the_idle_lock_and_the_chairs_as_a_protocol_version(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    shown_errors: list[str],
    questions: list[str],
) -> None:
    _, before = ui_service.ensure_protocol()
    dialog = _dialog(qtbot, ui_service, admin)
    idle = str(before.monitoring.idle_lock_min)
    assert dialog.protocol[IDLE].text() == idle
    assert dialog.protocol[CHAIRS].text() == str(before.monitoring.chairs)
    dialog.protocol[IDLE].setText("10")
    dialog.protocol[CHAIRS].setText("6")
    dialog.accept()
    assert shown_errors == []
    assert len(questions) == 1
    assert "Only workstation settings change" in questions[0]
    assert f"Lock the screen after … minutes idle: “{idle}” → “10”" in questions[0]
    _, now = ui_service.ensure_protocol()
    assert (now.monitoring.idle_lock_min, now.monitoring.chairs) == (10, 6)
    assert now.version == before.version + 1
    assert dialog.saved is not None
    assert dialog.saved.protocol is not None
    assert dialog.saved_words == (
        f"Clinic settings saved: Lock the screen after … minutes idle: “{idle}” → “10”; "
        f"Chairs on the board: “{before.monitoring.chairs}” → “6” "
        f"(protocol version {now.version}, in effect now)."
    )
    assert not dialog.isVisible()


def test_chairs_out_of_the_protocols_range_are_refused_and_nothing_is_saved(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    shown_errors: list[str],
    questions: list[str],
) -> None:
    before = ui_service.ensure_protocol()
    settings = ui_service.clinic_settings()
    dialog = _dialog(qtbot, ui_service, admin)
    hints = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"1–24 chairs, whole number", "1–120 min, whole number"} <= hints  # protocol's
    dialog.name.setText("Lakeside Infusion Centre")
    dialog.protocol[CHAIRS].setText("30")
    dialog.accept()
    assert "(monitoring.chairs) = 30 is not allowed: allowed 1–24 chairs" in shown_errors[-1]
    assert questions == []  # refused before being asked
    assert dialog.isVisible()
    assert ui_service.ensure_protocol() == before
    assert ui_service.clinic_settings() == settings  # nothing saved half-way
    dialog.protocol[IDLE].setText("soon")
    dialog.protocol[CHAIRS].setText("4")
    dialog.accept()
    assert "(monitoring.idle_lock_min): 'soon' is not allowed" in shown_errors[-1]
    assert "1–120 min" in shown_errors[-1]


def test_admin_names_this_workstation_and_a_bad_name_is_refused(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    shown_errors: list[str],
    questions: list[str],
) -> None:
    dialog = _dialog(qtbot, ui_service, admin)
    assert dialog.workstation_name.text() == ""
    dialog.workstation_name.setText("Chair room PC 2")
    dialog.accept()
    assert shown_errors == []
    assert questions == []
    assert ui_service.workstation_name("chair-pc-2") == "Chair room PC 2"
    entry = ui_service.store.audit_entries()[-1]
    assert (entry["action"], entry["actor"]) == ("settings_changed", admin.id)
    assert entry["detail"] == {
        "workstation_name:chair-pc-2": "Chair room PC 2",
        "workstation_name:chair-pc-2_before": "",
    }
    assert dialog.saved_words == (
        "Clinic settings saved: This workstation's name: (none) → “Chair room PC 2”."
    )
    again = _dialog(qtbot, ui_service, admin)
    assert again.workstation_name.text() == "Chair room PC 2"
    again.workstation_name.setText("x" * 41)
    again.accept()
    assert shown_errors[-1] == "Workstation name must have 1–40 characters (it has 41)"
    again.workstation_name.setText("  ")
    again.accept()
    assert shown_errors[-1] == "Workstation name must have 1–40 characters (it is empty)"
    assert again.isVisible()
    assert ui_service.workstation_name("chair-pc-2") == "Chair room PC 2"


def test_a_nurse_is_refused_before_any_question(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    shown_errors: list[str],
    questions: list[str],
) -> None:
    before = ui_service.ensure_protocol()
    dialog = _dialog(qtbot, ui_service, nurse)
    dialog.protocol[CHAIRS].setText("6")
    dialog.workstation_name.setText("Chair room PC 2")
    dialog.accept()
    assert "not allowed" in shown_errors[-1].lower()
    assert questions == []
    assert dialog.isVisible()
    assert ui_service.ensure_protocol() == before
    assert ui_service.workstation_name("chair-pc-2") == ""


def test_with_a_clinical_change_pending_the_idle_change_waits_and_says_so(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    shown_errors: list[str],
    questions: list[str],
) -> None:
    in_effect = ui_service.ensure_protocol()
    ui_service.new_protocol_version(admin, {"dosing.max_mg_per_kg": "0.75"})
    dialog = _dialog(qtbot, ui_service, admin)
    assert "waits for a clinician's approval" in dialog.pending_note.text()
    dialog.protocol[IDLE].setText("12")
    dialog.accept()
    assert shown_errors == []
    assert "saved PENDING" in questions[-1]
    assert "PENDING a clinician's approval" in dialog.saved_words
    assert ui_service.store.protocol_versions()[0].status is VersionStatus.PENDING
    assert ui_service.ensure_protocol() == in_effect


def test_the_main_window_shows_the_workstation_name_and_what_was_saved(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    qsettings: QSettings,
    shown_errors: list[str],
) -> None:
    window = MainWindow(ui_service, admin, ui_service.clock, qsettings)
    window.ticker.stop()
    qtbot.addWidget(window)
    host = app_log.workstation_id()
    assert window.user_label.text().endswith(f" · {host}")

    def name_it(dialog: ClinicDialog) -> None:
        assert dialog.workstation == host
        dialog.workstation_name.setText("Chair room PC 2")
        dialog.accept()

    answer_modal(ClinicDialog, name_it)
    window.edit_clinic()
    assert shown_errors == []
    assert window.user_label.text().endswith(" · Chair room PC 2")
    assert "This workstation's name: (none) → “Chair room PC 2”" in (
        window.statusBar().currentMessage()
    )
