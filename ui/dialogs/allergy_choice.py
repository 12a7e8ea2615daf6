"""Choosing a patient's allergy status: no known drug allergies, a list, or unknown (and, at
intake, "as on record"). Nothing is chosen at first: a blank must never pass for "none". The
list typed is shown back as it will be recorded (substance and reaction)."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.allergies import (
    Allergy,
    AllergyAnswer,
    AllergyState,
    AllergyStatus,
    allergy_words,
    split_allergy_text,
)

AS_ON_RECORD, NKDA, LISTED, UNKNOWN = range(4)


def _answer_button(name: str, text: str, *, warning: bool) -> QPushButton:
    """A touch-sized answer, wide enough for its text in bold (how a chosen answer shows);
    never a dialog's default button (Enter saves the form, it never picks an answer)."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setCheckable(True)
    button.setMinimumHeight(40)
    button.setAutoDefault(False)
    button.ensurePolished()  # the style sheet's font, not the default one
    bold = QFont(button.font())
    bold.setBold(True)
    button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(text) + 48)
    if warning:
        button.setProperty("answer", "yes")  # chosen, "unknown" shows in the warning colour
    return button


class AllergyChoice(QWidget):
    """Touch-sized answers, none chosen; typing in the list chooses "Allergies"."""

    def __init__(
        self,
        *,
        unknown_text: str,
        on_record: AllergyStatus | None = None,
        tz: str = "UTC",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        known = on_record is not None and on_record.state is not AllergyState.UNKNOWN
        self.on_record = on_record if known else None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        if on_record is not None:
            record = QLabel(
                f"<b>On record:</b> {escape(allergy_words(on_record, tz), quote=False)}"
            )
            record.setObjectName("allergyOnRecord")
            record.setWordWrap(True)
            column.addWidget(record)
        self.group = QButtonGroup(self)
        answers: list[tuple[int, str, str]] = []
        if self.on_record is not None:
            answers.append((AS_ON_RECORD, "allergyAsOnRecord", "Same as on record"))
        answers += [
            (NKDA, "allergyNkda", "No known drug allergies"),
            (LISTED, "allergyListed", "Allergies (list below)"),
            (UNKNOWN, "allergyUnknown", unknown_text),
        ]
        grid = QGridLayout()
        # Three answers in a row; four in two rows, so the step never scrolls sideways.
        per_row = 3 if len(answers) <= 3 else 2
        for n, (key, name, text) in enumerate(answers):
            button = _answer_button(name, text, warning=key == UNKNOWN)
            self.group.addButton(button, key)
            grid.addWidget(button, n // per_row, n % per_row)
        grid.setColumnStretch(per_row, 1)
        column.addLayout(grid)
        self.list = QLineEdit()
        self.list.setObjectName("allergyList")
        self.list.setPlaceholderText(
            "allergies: e.g. penicillin (rash), latex — a class such as “penicillins” is fine"
        )
        self.list.textEdited.connect(self._typed)
        column.addWidget(self.list)
        self.shown = QLabel()
        self.shown.setObjectName("allergyListShown")
        self.shown.setProperty("role", "muted")
        self.shown.setWordWrap(True)
        column.addWidget(self.shown)
        self.group.idToggled.connect(lambda *_: self._show_back())
        self._show_back()

    def button(self, key: int) -> QAbstractButton:
        """The answer's button (``AS_ON_RECORD``, ``NKDA``, ``LISTED``, ``UNKNOWN``)."""
        return self.group.button(key)

    def _typed(self, _text: str) -> None:
        """Typing a list is answering "Allergies"."""
        self.button(LISTED).setChecked(True)
        self._show_back()

    def _show_back(self) -> None:
        """The list as it will be recorded, one allergy at a time."""
        self.shown.setVisible(self.group.checkedId() == LISTED)
        if self.group.checkedId() != LISTED:
            self.shown.setText("")
            return
        items = split_allergy_text(self.list.text())
        if not items:
            self.shown.setText("Type at least one allergy.")
            return
        parts = []
        for item in items:
            try:
                allergy = Allergy.model_validate(item)
            except ValueError:
                parts.append(f"✗ “{item}” (2–80 characters)")
                continue
            reaction = f" — reaction: {allergy.reaction}" if allergy.reaction else ""
            parts.append(f"{allergy.substance}{reaction}")
        self.shown.setText("Recorded as: " + " · ".join(parts))

    def answer(self) -> dict[str, Any] | None:
        """The answer as the core takes it, or None when nothing is chosen."""
        choice = self.group.checkedId()
        if choice < 0:
            return None
        if choice == AS_ON_RECORD and self.on_record is not None:
            return {
                "state": self.on_record.state.value,
                "allergies": [a.model_dump() for a in self.on_record.allergies],
            }
        if choice == LISTED:
            return {"state": "listed", "allergies": split_allergy_text(self.list.text())}
        return {"state": "nkda" if choice == NKDA else "unknown"}

    def set_answer(self, answer: AllergyAnswer | dict[str, Any] | None) -> None:
        """Show an answer (a stored status, or a refused entry's values); None clears."""
        if answer is None:
            self.group.setExclusive(False)
            for button in self.group.buttons():
                button.setChecked(False)
            self.group.setExclusive(True)
            self.list.clear()
            return
        if isinstance(answer, dict):
            state = AllergyState(answer["state"])
            items = [str(a) for a in answer.get("allergies", [])]
        else:
            state = answer.state
            items = [a.text for a in answer.allergies]
        key = {AllergyState.NKDA: NKDA, AllergyState.LISTED: LISTED}.get(state, UNKNOWN)
        self.list.setText(", ".join(items) if state is AllergyState.LISTED else "")
        self.button(key).setChecked(True)
        self._show_back()
