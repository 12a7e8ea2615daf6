"""Admin ▸ Clinic settings: saved through the domain, refused in words for other roles."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from bedside.people import User
from bedside.service import ChartService
from ui.admin.clinic import ClinicDialog


def test_admin_changes_the_name_address_and_paper(
    qtbot: QtBot, ui_service: ChartService, shown_errors: list[str]
) -> None:
    admin = ui_service.accounts.authenticate("admin", "bedside-demo")
    dialog = ClinicDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Riverside Ketamine Clinic (demo)"
    zone = ui_service.timezone
    assert dialog.timezone.zone() == zone
    dialog.name.setText("  Lakeside   Infusion Centre ")
    dialog.address.setPlainText("2 Lake Street\nSpringfield")
    dialog.paper.setCurrentText("Letter")
    dialog.accept()
    assert shown_errors == []
    settings = ui_service.clinic_settings()
    assert {
        k: settings[k] for k in ("clinic_name", "clinic_address", "paper_size", "timezone")
    } == {
        "clinic_name": "Lakeside Infusion Centre",
        "clinic_address": "2 Lake Street\nSpringfield",
        "paper_size": "Letter",
        "timezone": zone,
    }
    assert ui_service.store.audit_entries()[-1]["action"] == "settings_changed"


def test_a_nurse_is_refused_and_nothing_changes(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    before = ui_service.clinic_settings()
    dialog = ClinicDialog(ui_service, nurse)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Renamed")
    dialog.accept()
    assert "not allowed" in shown_errors[-1].lower()
    assert dialog.isVisible()  # stays open: nothing was saved
    assert ui_service.clinic_settings() == before


def test_an_empty_name_is_refused_in_words(
    qtbot: QtBot, ui_service: ChartService, shown_errors: list[str]
) -> None:
    admin = ui_service.accounts.authenticate("admin", "bedside-demo")
    dialog = ClinicDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    dialog.name.setText(" ")
    dialog.accept()
    assert "Clinic name must have 2–120 characters" in shown_errors[-1]


def test_admin_changes_the_time_zone_and_a_typo_is_refused_in_words(
    qtbot: QtBot, ui_service: ChartService, shown_errors: list[str]
) -> None:
    admin = ui_service.accounts.authenticate("admin", "bedside-demo")
    before = ui_service.timezone
    dialog = ClinicDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.timezone.setEditText("Europe/Londn")
    dialog.accept()
    assert "'Europe/Londn' is not a known zone name" in shown_errors[-1]
    assert dialog.isVisible()
    assert ui_service.timezone == before
    dialog.timezone.setEditText("Europe/London")
    dialog.accept()
    assert ui_service.timezone == "Europe/London"
    detail = ui_service.store.audit_entries()[-1]["detail"]
    assert detail == {"timezone": "Europe/London", "timezone_before": before}


def test_admin_sets_the_backup_folder_and_schedule_and_a_bad_value_is_refused(
    qtbot: QtBot, ui_service: ChartService, shown_errors: list[str], tmp_path: object
) -> None:
    admin = ui_service.accounts.authenticate("admin", "bedside-demo")
    dialog = ClinicDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    assert dialog.backup["backup_every_hours"].text() == "4"
    dialog.backup["backup_folder"].setText("/mnt/second-disk/bedside")
    dialog.backup["backup_every_hours"].setText("2")
    dialog.accept()
    assert shown_errors == []
    settings = ui_service.clinic_settings()
    assert settings["backup_folder"] == "/mnt/second-disk/bedside"
    assert settings["backup_every_hours"] == "2"
    entry = ui_service.store.audit_entries()[-1]
    assert entry["action"] == "settings_changed"
    dialog = ClinicDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    dialog.backup["backup_every_hours"].setText("48")
    dialog.accept()
    assert shown_errors[-1] == "Backup every (hours) must be a number from 0.5 to 24"
    dialog.backup["backup_every_hours"].setText("4")
    dialog.backup["backup_folder"].setText("backups")
    dialog.accept()
    assert shown_errors[-1].startswith("Backup folder must be a full path")
    assert ui_service.clinic_settings()["backup_every_hours"] == "2"  # nothing saved half-way


def test_the_empty_backup_folder_names_the_folder_the_schedule_uses(
    qtbot: QtBot, ui_service: ChartService
) -> None:
    # It named backups/ beside every database, while the demo's go to demo-backups/.
    from bedside.backups import BackupPolicy

    admin = ui_service.accounts.authenticate("admin", "bedside-demo")
    dialog = ClinicDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    shown = dialog.backup["backup_folder"].placeholderText()
    assert shown.endswith(str(BackupPolicy.for_store(ui_service.store).folder))
