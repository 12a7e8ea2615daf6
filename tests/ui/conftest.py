"""UI fixtures: a demo clinic at a fixed moment, settings in a temporary folder, and a guard
that fails a test opening a real modal dialog instead of letting it wait for a click forever."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import ui_driver
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QWidget

from bedside.clock import FixedClock
from bedside.people import User
from bedside.service import ChartService
from bedside.store import Store
from ui.demo import build_demo

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo clinic built once; tests get a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path) as store:
        build_demo(store, NOW, timezone="America/New_York")
    return path


@pytest.fixture
def ui_service(demo_template: Path, tmp_path: Path) -> Iterator[ChartService]:
    with Store(demo_template) as store:
        store.backup(tmp_path / "demo.db")
    store = Store(tmp_path / "demo.db")
    yield ChartService(store, FixedClock(NOW))
    store.close()


@pytest.fixture
def nurse(ui_service: ChartService) -> User:
    return ui_service.accounts.authenticate("dana", "bedside-demo")


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(scope="session", autouse=True)
def shipped_fonts(qapp) -> None:  # type: ignore[no-untyped-def]
    """The shipped DejaVu faces, registered as ``run_app`` registers them: a machine without
    system fonts (CI) has the same type as the app."""
    from ui.common.fonts import register_shipped_fonts

    register_shipped_fonts()


@pytest.fixture(autouse=True)
def wheel_guard(qapp) -> None:  # type: ignore[no-untyped-def]
    """The application-wide wheel guard, installed as the main window installs it."""
    from ui.common import wheel_guard

    wheel_guard.install(qapp)


@pytest.fixture(autouse=True)
def modal_guard(monkeypatch: pytest.MonkeyPatch, qapp: Any) -> Iterator[ui_driver.ModalGuard]:
    """Refuse every real modal dialog that ``ui_driver.answer_modal`` is not waiting for.

    ``QDialog.exec`` (so also ``QMessageBox.exec`` and every dialog subclass) and the static
    ``QMessageBox``/``QFileDialog``/``QInputDialog`` functions raise ``RealModalOpened``
    instead of blocking; the refusal is also recorded, so the test fails even where production
    code catches the exception or Qt swallows it in a slot.
    """
    guard = ui_driver.ModalGuard()
    exec_ = QDialog.exec

    def guarded_exec(self: QDialog) -> int:
        if ui_driver.expecting(type(self)):
            return exec_(self)
        raise guard.refuse(f"{type(self).__name__}.exec()")

    monkeypatch.setattr(QDialog, "exec", guarded_exec)
    monkeypatch.setattr(QDialog, "exec_", guarded_exec)

    def guarded_static(kind: type[QWidget], name: str) -> Callable[..., Any]:
        original = getattr(kind, name)

        def static(*args: Any, **kwargs: Any) -> Any:
            if ui_driver.expecting(kind):
                return original(*args, **kwargs)
            raise guard.refuse(f"{kind.__name__}.{name}()")

        return static

    for kind, names in ui_driver.STATIC_MODALS.items():
        for name in names:
            monkeypatch.setattr(kind, name, staticmethod(guarded_static(kind, name)))
    yield guard
    unanswered = ui_driver.unanswered()
    left_open = ui_driver.left_open()
    ui_driver.stop_answering()
    if left_open:
        pytest.fail(f"an answered dialog was left open: {', '.join(left_open)}", pytrace=False)
    if guard.refused:
        pytest.fail(f"{ui_driver.MODAL_MESSAGE}: {', '.join(guard.refused)}", pytrace=False)
    if unanswered:
        pytest.fail(
            f"ui_driver.answer_modal waited for a dialog that never opened: {', '.join(unanswered)}",
            pytrace=False,
        )


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The refusals a test's actions showed the user, in words (instead of a message box)."""
    errors: list[str] = []
    monkeypatch.setattr("ui.common.operations.show_error", lambda parent, e: errors.append(str(e)))
    return errors
