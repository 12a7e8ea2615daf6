"""What every guided step before the infusion shares: a title, its form, the live guard report,
and one button that completes the step (with a clinician's override where the protocol allows).

A page never decides anything: after each save it asks the core for the guard report of the
next phase and shows it in words. ``saved`` hands the session window what the save changed, and
the window redraws from it (the page with it). A page saves against the session as it shows it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from bedside.context import SessionChange, SessionContext
from bedside.events import Phase
from bedside.people import Permission, User
from bedside.service import ChartService
from ui.common import operations
from ui.common.guard_view import complete_step, report_html


class StepPage(QWidget):
    """A focused form for one phase; subclasses fill ``self.form`` and implement ``load``."""

    saved = Signal(object)
    """What a save changed (a :class:`~bedside.context.SessionChange`)."""

    phase: Phase = Phase.INTAKE
    next_phase: Phase | None = Phase.BASELINE
    title = ""
    all_clear = "Ready to continue"

    def __init__(
        self,
        service: ChartService,
        ctx: SessionContext,
        user: User | None,
        theme: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.ctx = ctx
        """The session as last shown: what this page's entries are judged against."""
        self.user = user
        self.theme = theme
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.form = QVBoxLayout(body)
        heading = QLabel(f"<h2>{self.title}</h2>")
        heading.setObjectName("stepTitle")
        self.form.addWidget(heading)
        scroll.setWidget(body)
        outer.addWidget(scroll, 3)
        side = QVBoxLayout()
        self.guard = QLabel()
        self.guard.setObjectName("stepGuard")
        self.guard.setWordWrap(True)
        self.guard.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.guard.setTextFormat(Qt.TextFormat.RichText)
        side.addWidget(self.guard, 1)
        self.complete = QPushButton(
            # "&&": a lone "&" in a button's text is a mnemonic marker, not a character.
            f"Complete {self.title.lower()} → {self.next_phase.label.replace('&', '&&')}"
            if self.next_phase
            else ""
        )
        self.complete.setObjectName("completeStep")
        self.complete.setToolTip("Complete this step — Ctrl+Enter")
        self.complete.setMinimumHeight(48)
        self.complete.clicked.connect(self.complete_step)
        side.addWidget(self.complete)
        self.complete.setVisible(self.next_phase is not None)
        outer.addLayout(side, 2)

    def save_button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        """A touch-sized button that saves part of the step (``name``: its object name)."""
        button = QPushButton(text)
        button.setObjectName(name)
        button.setMinimumHeight(44)
        button.clicked.connect(slot)
        return button

    @property
    def can_chart(self) -> bool:
        """Whether the signed-in user may chart (the core checks again on every save)."""
        return self.user is not None and self.user.can(Permission.CHART)

    def load(self, ctx: SessionContext) -> None:
        """Show what the record holds for this step (subclasses)."""

    def refresh(self, ctx: SessionContext) -> None:
        """Redraw the form and the guard report from the record."""
        self.ctx = ctx
        self.load(ctx)
        if self.next_phase is not None and ctx.state.phase is self.phase:
            report = self.service.guard(ctx, self.next_phase)
            self.guard.setText(
                f"<h3>Before {self.next_phase.label.lower()}</h3>"
                + report_html(report, all_clear=self.all_clear)
            )
        self.complete.setEnabled(self.can_chart and ctx.state.phase is self.phase)

    def complete_step(self) -> None:
        """Ask the core to move on; refused in words, or overridden by a clinician."""
        if self.user is None or self.next_phase is None:
            return
        change = complete_step(self, self.service, self.user, self.ctx, self.next_phase)
        if change is not None:
            self.saved.emit(change)

    def save_change(self, operation: Callable[[], SessionChange]) -> SessionChange | None:
        """Run a save through :func:`ui.common.operations.run`; on success hand the change to
        the window (which redraws this page from it)."""
        change = operations.run(self, operation)
        if change is not None:
            self.saved.emit(change)
        return change
