"""The modal guard (tests/ui/conftest.py): a real modal dialog nobody answers fails the test at
once instead of waiting for a click forever; one that ``ui_driver.answer_modal`` answers opens."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox
from ui_driver import ModalGuard, RealModalOpened, answer_modal, expecting, stop_answering

OPENERS: list[tuple[str, Callable[[], Any]]] = [
    ("QDialog.exec()", lambda: QDialog().exec()),
    ("QMessageBox.exec()", lambda: QMessageBox(QMessageBox.Icon.Warning, "t", "x").exec()),
    ("QMessageBox.question()", lambda: QMessageBox.question(None, "t", "Sure?")),
    ("QMessageBox.warning()", lambda: QMessageBox.warning(None, "t", "x")),
    ("QMessageBox.information()", lambda: QMessageBox.information(None, "t", "x")),
    ("QMessageBox.critical()", lambda: QMessageBox.critical(None, "t", "x")),
    ("QFileDialog.getSaveFileName()", lambda: QFileDialog.getSaveFileName(None, "t")),
    ("QFileDialog.getOpenFileName()", lambda: QFileDialog.getOpenFileName(None, "t")),
    ("QFileDialog.getExistingDirectory()", lambda: QFileDialog.getExistingDirectory(None, "t")),
    ("QInputDialog.getText()", lambda: QInputDialog.getText(None, "t", "x")),
]


@pytest.mark.parametrize(("what", "open_it"), OPENERS, ids=[w for w, _ in OPENERS])
def test_an_unanswered_real_modal_fails_instead_of_blocking(
    modal_guard: ModalGuard, what: str, open_it: Callable[[], Any]
) -> None:
    with pytest.raises(RealModalOpened) as info:
        open_it()
    assert str(info.value) == (
        f"a real modal dialog was opened: use the dialog's ask() or ui_driver.answer_modal ({what})"
    )
    assert QApplication.activeModalWidget() is None
    assert modal_guard.forgive() == [what]  # else the test would fail at teardown


def test_a_refusal_caught_by_the_code_under_test_is_still_recorded(
    modal_guard: ModalGuard,
) -> None:
    with contextlib.suppress(Exception):  # as production code catching everything would
        QDialog().exec()
    assert modal_guard.forgive() == ["QDialog.exec()"]


def test_a_modal_answered_by_the_driver_opens_and_returns_its_answer() -> None:
    answer_modal(QDialog, lambda d: d.accept())
    assert expecting(QDialog)
    assert QDialog().exec() == QDialog.DialogCode.Accepted
    assert not expecting(QDialog)


def test_a_static_message_box_answered_by_the_driver_returns_the_button() -> None:
    def yes(box: QMessageBox) -> None:
        box.button(QMessageBox.StandardButton.Yes).click()

    answer_modal(QMessageBox, yes)
    answer = QMessageBox.question(
        None,
        "t",
        "Sure?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    assert answer == QMessageBox.StandardButton.Yes


def test_waiting_for_one_dialog_does_not_let_another_open(modal_guard: ModalGuard) -> None:
    answer_modal(QMessageBox, lambda box: box.accept())
    with pytest.raises(RealModalOpened):
        QDialog().exec()
    assert modal_guard.forgive() == ["QDialog.exec()"]
    stop_answering()  # the message box never opens here
