"""Issue 11, item 1 on screen: setting up a clinic on an empty database asks for its time zone
(this computer's offered), checks every field through the domain before accepting, and the app
creates the clinic with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bedside.clock import FixedClock
from bedside.service import ChartService
from bedside.store import Store
from bedside.timeutil import workstation_timezone
from tests.conftest import T0
from ui.board import opening
from ui.board.first_run_dialog import FirstRunDialog, NewClinic


def filled(qtbot: QtBot, zone: str) -> FirstRunDialog:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.clinic_name.setText("Lakeside  Infusion Centre")
    dialog.timezone.setEditText(zone)
    dialog.paper.setCurrentText("A4")
    dialog.username.setText("Boss")
    dialog.full_name.setText("Pat Boss")
    dialog.password.setText("long-enough-pw-1")
    dialog.confirm.setText("long-enough-pw-1")
    return dialog


def test_the_zone_offered_is_this_computers(qtbot: QtBot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.timezone.zone() == workstation_timezone()


@pytest.mark.parametrize(
    ("environ", "paper"),
    [
        ({"LANG": "en_US.UTF-8"}, "Letter"),
        ({"LANG": "en_GB.UTF-8"}, "A4"),
        ({"LANG": "C.UTF-8"}, "A4"),
        ({}, "A4"),
        # English (US) with British formats: the paper setting, not the language, decides
        ({"LANGUAGE": "en_US", "LANG": "en_US.UTF-8", "LC_PAPER": "en_GB.UTF-8"}, "A4"),
        ({"LANG": "de_DE.UTF-8", "LC_PAPER": "es_MX.UTF-8"}, "Letter"),
        ({"LC_ALL": "fr_CA.UTF-8@euro", "LC_PAPER": "de_DE.UTF-8"}, "Letter"),
    ],
)
def test_the_paper_offered_is_the_one_this_computers_paper_setting_names(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], paper: str
) -> None:
    """A clinic in the US is offered Letter, shown in the form, where A4 printed cut off."""
    for name in ("LC_ALL", "LC_PAPER", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.paper.currentText() == paper


def test_an_unknown_zone_is_named_and_nothing_is_returned(qtbot: QtBot) -> None:
    dialog = filled(qtbot, "Pacific/Atlantis")
    dialog.admin_button.click()
    assert "'Pacific/Atlantis' is not a known zone name" in dialog.message.text()
    assert dialog.choice is None


def test_a_missing_clinic_name_is_named(qtbot: QtBot) -> None:
    dialog = filled(qtbot, "Europe/Berlin")
    dialog.clinic_name.setText("")
    dialog.admin_button.click()
    assert "Clinic name must have 2–120 characters" in dialog.message.text()
    assert dialog.choice is None


def test_the_app_sets_up_the_clinic_in_the_zone_chosen(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = filled(qtbot, "Europe/Berlin")
    dialog.admin_button.click()
    assert dialog.choice == NewClinic(
        clinic_name="Lakeside Infusion Centre",
        clinic_address="",
        timezone="Europe/Berlin",
        paper_size="A4",
        username="boss",
        full_name="Pat Boss",
        password="long-enough-pw-1",
    )
    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(lambda cls, parent=None: dialog.choice))
    with Store(tmp_path / "new.db") as store:
        service = ChartService(store, FixedClock(T0))
        admin = opening.first_run(service, service.clock)
        assert admin is not None
        assert admin.username == "boss"
        assert service.clinic_settings()["timezone"] == "Europe/Berlin"
        assert service.clinic_settings()["clinic_name"] == "Lakeside Infusion Centre"


def test_enter_in_the_clinic_form_never_opens_the_demo(qtbot: QtBot) -> None:
    # Found by IT's walk: Enter in "Repeat password" pressed the demo button (the default),
    # filling the real database with the demo's public accounts.
    from PySide6.QtCore import Qt

    dialog = filled(qtbot, "Europe/Berlin")
    dialog.show()
    dialog.confirm.setFocus()
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert isinstance(dialog.choice, NewClinic)


def test_a_password_that_is_the_user_name_is_refused_in_the_form(qtbot: QtBot) -> None:
    # Found by IT's walk: the form let it through, the domain refused it, and the app died.
    dialog = filled(qtbot, "Europe/Berlin")
    dialog.username.setText("clinicadmin")
    dialog.password.setText("ClinicAdmin")
    dialog.confirm.setText("ClinicAdmin")
    dialog.admin_button.click()
    assert dialog.choice is None
    assert "must not be the user name" in dialog.message.text()
