"""The lock screen: who was signed in, every chair at a glance without names, and the way
back in; and the typing kept for a person whose form could not wait for them."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.board.locked_board import LockedBoard
from ui.common.lock_gate import GATE, Draft
from ui.dialogs.text import ok_cancel


class LockScreen(QWidget):
    """The board's place while locked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.label = QLabel("Locked")
        self.label.setObjectName("lockLabel")
        self.label.setWordWrap(True)
        self.chairs = LockedBoard()
        self.unlock_button = QPushButton("Unlock…")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setMinimumHeight(44)
        # The chairs across the top and the way back in at the bottom: the unlock prompt opens
        # over the middle, where it hides nothing a nurse walking past must see.
        layout.addWidget(self.chairs)
        layout.addStretch(1)
        # Full width, centred text: an aligned word-wrapped label shrinks to a few words.
        self.label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.label)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)

    def say_locked(self, who: str) -> None:
        """Who was signed in, and that nothing was closed or lost."""
        self.label.setText(
            f"<h2>Locked</h2>{escape(who)} was signed in. Nothing was closed or lost: open "
            "forms come back as they were typed when they sign in again."
        )


class DraftsDialog(QDialog):
    """Typing kept for its author, read and let go one at a time."""

    def __init__(self, drafts: list[Draft], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Typing kept for you")
        self.drafts = drafts
        layout = QVBoxLayout(self)
        intro = QLabel(
            "These forms were open when the workstation changed hands and could not wait. "
            "Nothing in them was saved: chart what is still needed, then let each go."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QPlainTextEdit()
        self.text.setObjectName("draftText")
        self.text.setReadOnly(True)
        layout.addWidget(self.text)
        layout.addWidget(ok_cancel(self, "Discard this one"))
        self.setMinimumSize(520, 320)
        self._show_first()

    def _show_first(self) -> None:
        first = self.drafts[0]
        self.text.setPlainText(f"{first.title} ({first.kept_at:%H:%M} UTC)\n\n{first.text}")

    def accept(self) -> None:
        """Let the shown draft go; close when none is left."""
        GATE.discard(self.drafts.pop(0))
        if self.drafts:
            self._show_first()
        else:
            super().accept()
