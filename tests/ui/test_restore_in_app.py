"""Admin ▸ Backups ▸ Restore this backup… (issue 13 item 4): the admin's password and role are
checked in the domain, the backup is verified before the app lets go of its database, then it
is restored as `bedside restore` restores (replaced file kept aside, later entries listed, an
audit row), and Bedside closes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal

from bedside.backups import BackupNote, BackupPolicy, make_backup
from bedside.people import User
from bedside.service import ChartService
from bedside.store import Store
from ui.admin import restore_in_app
from ui.admin.backups import BackupsDialog
from ui.admin.restore_in_app import RestoreConfirmDialog, RestoreRequest
from ui.board.main_window import MainWindow
from ui.demo import build_demo


@pytest.fixture
def admin(ui_service: ChartService) -> User:
    return ui_service.accounts.authenticate("admin", "bedside-demo")


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, bool]]:
    """What the restore told the admin (instead of a message box), and no real quit."""
    said: list[tuple[str, str, bool]] = []

    def tell(title: str, text: str, *, problem: bool) -> None:
        said.append((title, text, problem))

    monkeypatch.setattr(restore_in_app, "tell", tell)
    monkeypatch.setattr(restore_in_app, "_quit", lambda: said.append(("quit", "", False)))
    return said


def _backup_then_a_later_note(service: ChartService) -> BackupNote:
    policy = BackupPolicy.from_settings(service.store.get_setting, service.store.path)
    note = make_backup(service.store, policy, service.clock.now(), "scheduled")
    nurse = service.accounts.authenticate("dana", "bedside-demo")
    open_session = next(
        h.id for h in service.store.all_sessions() if not service.state(h.id).closed
    )
    service.add_note(nurse, open_session, "charted after the backup")
    return note


def _window(qtbot: QtBot, service: ChartService, user: User, qsettings: QSettings) -> MainWindow:
    window = MainWindow(service, user, service.clock, qsettings)
    window.ticker.stop()
    qtbot.addWidget(window)
    return window


def test_an_admin_restores_from_the_screen_and_bedside_closes(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    qsettings: QSettings,
    told: list[tuple[str, str, bool]],
    shown_errors: list[str],
) -> None:
    note = _backup_then_a_later_note(ui_service)
    db = ui_service.store.path
    window = _window(qtbot, ui_service, admin, qsettings)
    outcome = restore_in_app.restore_in_app(window, RestoreRequest(note.path, "bedside-demo"))
    assert shown_errors == []
    assert outcome is not None
    (title, text, problem), quit_ = told
    assert title == "Backup restored"
    assert problem  # something charted after the backup must be charted again
    assert "1 later entries" in text
    assert "Start it again" in text
    assert quit_[0] == "quit"
    assert not window.isVisible()
    kept = outcome.done.kept_as
    assert kept is not None
    assert kept.name.startswith(f"{db.name}.replaced-")
    session = outcome.done.later[0].session_id
    with Store(db) as restored:
        audit = restored.audit_entries()[-1]
        assert audit["action"] == "backup_restored"
        assert audit["actor"] == admin.id
        assert "Admin ▸ Backups" in str(audit["detail"])
        in_backup = len(restored.events(session))
    with Store(kept) as replaced:  # the later note is still in the file kept aside
        assert len(replaced.events(session)) == in_backup + 1


@pytest.mark.parametrize(
    ("username", "password", "refusal"),
    [
        ("admin", "not-the-password", "password"),
        ("dana", "bedside-demo", "not allowed"),
    ],
)
def test_a_wrong_password_or_a_nurse_changes_nothing(
    qtbot: QtBot,
    ui_service: ChartService,
    qsettings: QSettings,
    told: list[tuple[str, str, bool]],
    shown_errors: list[str],
    username: str,
    password: str,
    refusal: str,
) -> None:
    note = _backup_then_a_later_note(ui_service)
    user = ui_service.accounts.authenticate(username, "bedside-demo")
    inode = ui_service.store.path.stat().st_ino
    window = _window(qtbot, ui_service, user, qsettings)
    window.show()
    assert restore_in_app.restore_in_app(window, RestoreRequest(note.path, password)) is None
    assert len(shown_errors) == 1
    assert refusal in shown_errors[0].lower()
    assert told == []
    assert window.isVisible()
    # Still open, still the same file (a wrong password is counted: an audit row, no more).
    assert ui_service.store.path.stat().st_ino == inode
    actions = [row["action"] for row in ui_service.store.audit_entries()]
    assert "backup_restored" not in actions
    assert not list(ui_service.store.path.parent.glob("*.replaced-*"))


def test_a_backup_that_fails_verification_is_refused_before_anything_closes(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    qsettings: QSettings,
    told: list[tuple[str, str, bool]],
    shown_errors: list[str],
) -> None:
    note = _backup_then_a_later_note(ui_service)
    data = bytearray(note.path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\x00" * 4096  # a damaged disk block
    note.path.write_bytes(bytes(data))
    window = _window(qtbot, ui_service, admin, qsettings)
    window.show()
    assert restore_in_app.restore_in_app(window, RestoreRequest(note.path, "bedside-demo")) is None
    assert len(shown_errors) == 1
    assert "not a sound Bedside backup" in shown_errors[0]
    assert window.isVisible()
    assert told == []


def test_the_screen_asks_for_the_password_and_hands_the_request_back(
    qtbot: QtBot, ui_service: ChartService, admin: User, tmp_path: Path
) -> None:
    note = _backup_then_a_later_note(ui_service)
    dialog = BackupsDialog(ui_service, admin, ui_service.clock)
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isEnabled()

    def confirm(confirm_dialog: RestoreConfirmDialog) -> None:
        assert note.path.name in confirm_dialog.explanation.text()
        confirm_dialog.password.setText("bedside-demo")
        confirm_dialog.accept()

    answer_modal(RestoreConfirmDialog, confirm)
    dialog.ask_restore()
    assert dialog.restore_request == RestoreRequest(note.path, "bedside-demo")


def test_a_database_open_elsewhere_is_left_as_it_was_and_bedside_says_so(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    qsettings: QSettings,
    told: list[tuple[str, str, bool]],
    shown_errors: list[str],
) -> None:
    note = _backup_then_a_later_note(ui_service)
    db = ui_service.store.path
    inode = db.stat().st_ino
    window = _window(qtbot, ui_service, admin, qsettings)
    with Store(db):  # a `bedside` command still running on this computer holds the file
        outcome = restore_in_app.restore_in_app(window, RestoreRequest(note.path, "bedside-demo"))
    assert outcome is None
    (title, text, problem), quit_ = told
    assert title == "The backup was not restored"
    assert problem
    assert "Nothing was changed" in text
    assert "Start it again" in text
    assert quit_[0] == "quit"
    assert db.stat().st_ino == inode


def test_another_databases_backup_is_refused_before_anything_closes(
    qtbot: QtBot,
    ui_service: ChartService,
    admin: User,
    qsettings: QSettings,
    told: list[tuple[str, str, bool]],
    shown_errors: list[str],
    tmp_path: Path,
) -> None:
    other = tmp_path / "other" / "demo.db"
    other.parent.mkdir()
    with Store(other) as store:
        build_demo(store, ui_service.clock.now())
        store.backup(tmp_path / "other-backup.db")
    window = _window(qtbot, ui_service, admin, qsettings)
    window.show()
    request = RestoreRequest(tmp_path / "other-backup.db", "bedside-demo")
    assert restore_in_app.restore_in_app(window, request) is None
    assert len(shown_errors) == 1
    assert "This backup is of another database" in shown_errors[0]
    assert window.isVisible()
    assert told == []


def test_a_wrong_password_keeps_the_confirmation_open_saying_why(
    qtbot: QtBot, ui_service: ChartService, admin: User
) -> None:
    note = _backup_then_a_later_note(ui_service)
    dialog = BackupsDialog(ui_service, admin, ui_service.clock)
    qtbot.addWidget(dialog)
    seen: list[str] = []

    def mistype_then_type(confirm: RestoreConfirmDialog) -> None:
        confirm.password.setText("bedside-dmeo")
        confirm.accept()
        assert confirm.isVisible()  # still open, the Backups screen behind it too
        seen.append(confirm.message.text())
        confirm.password.setText("bedside-demo")
        confirm.accept()

    answer_modal(RestoreConfirmDialog, mistype_then_type)
    dialog.ask_restore()
    assert "wrong" in seen[0].lower()
    assert dialog.restore_request == RestoreRequest(note.path, "bedside-demo")
