"""Asking for a line of text, a reason or a password, and the OK/Cancel row every dialog uses."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.common.lock_gate import SurvivesLock


def named_line(name: str, text: str = "", *, hint: str = "", secret: bool = False) -> QLineEdit:
    """A one-line field with its object name (tests and style sheets find it by that), an
    optional prompt, and hidden typing for a password (``secret``)."""
    field = QLineEdit(text)
    field.setObjectName(name)
    if hint:
        field.setPlaceholderText(hint)
    if secret:
        field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """Cancel and a default OK button labelled ``ok_text``, wired to the dialog."""
    # Parented to the dialog before OK is made the default: a default set on a button outside
    # any dialog is forgotten when it is shown, and Enter then pressed Cancel.
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, dialog)
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class TextDialog(SurvivesLock):
    """One line or paragraph of text with a prompt (notes, pause reasons, alert actions)."""

    def __init__(
        self,
        title: str,
        prompt: str,
        ok_text: str,
        *,
        multiline: bool = False,
        text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.editor: QPlainTextEdit | QLineEdit = QPlainTextEdit() if multiline else QLineEdit()
        self.editor.setObjectName("text")
        if text:  # a suggested answer, selected so typing replaces it
            if isinstance(self.editor, QLineEdit):
                self.editor.setText(text)
                self.editor.selectAll()
            else:
                self.editor.setPlainText(text)
        layout.addWidget(self.editor)
        layout.addWidget(ok_cancel(self, ok_text))
        self.setMinimumWidth(480)

    def text(self) -> str:
        """What was typed."""
        e = self.editor
        return e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text()

    @classmethod
    def ask(
        cls,
        title: str,
        prompt: str,
        ok_text: str = "Save",
        *,
        multiline: bool = False,
        text: str = "",
        parent: QWidget | None = None,
    ) -> str | None:
        """The text, or None if cancelled."""
        dialog = cls(title, prompt, ok_text, multiline=multiline, text=text, parent=parent)
        return dialog.text().strip() if dialog.exec() == QDialog.DialogCode.Accepted else None


class PasswordDialog(SurvivesLock):
    """What is being signed, in words, and the signer's own password."""

    def __init__(self, title: str, text: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("your password")
        layout.addWidget(self.password)
        layout.addWidget(ok_cancel(self, ok_text))
        self.setMinimumWidth(520)

    @classmethod
    def ask(cls, title: str, text: str, ok_text: str, parent: QWidget | None = None) -> str | None:
        """The password typed, or None if cancelled."""
        dialog = cls(title, text, ok_text, parent)
        return dialog.password.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
