"""The sign-in remembers the last name per database: the demo's never offers the clinic's admin."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from ui.common import settings


def test_the_demo_and_the_clinic_remember_their_own_last_user(tmp_path: Path) -> None:
    qsettings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    clinic, demo = tmp_path / "bedside.db", tmp_path / "demo.db"
    settings.last_user(clinic).set(qsettings, "mrivera")
    assert settings.last_user(demo).get(qsettings) == ""
    settings.last_user(demo).set(qsettings, "dana")
    assert settings.last_user(clinic).get(qsettings) == "mrivera"
    assert settings.last_user(tmp_path / "." / "bedside.db").get(qsettings) == "mrivera"
