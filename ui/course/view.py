"""The course view: a patient's course of infusions at a glance.

The course order, the outcome so far (infusions given, cumulative dose, PHQ-9 change, response
and remission), the PHQ-9 trend with its thresholds, and one table row per session. Enter or a
double-click on a row emits :attr:`CourseView.session_chosen` with the session id. Read-only: it
writes nothing, and ``now`` is passed in (the view never reads a clock).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bedside.ids import PatientId
from bedside.people import User
from bedside.service import ChartService
from bedside.timeutil import local_text
from charting.course import CourseSummary, course_summary
from ui.common import pdf_actions
from ui.course.model import CourseTableModel, SessionIdRole, column_of
from ui.course.phq9_trend import Phq9TrendPlot

_ROW_HEIGHT = 44
"""Touch-sized rows (a finger is about 9 mm; 44 px is the common minimum target)."""


class _KeepColours(QStyledItemDelegate):
    """Keeps a cell's own colour on the selected row: the latest session is selected when the
    view opens, and its flags must not turn plain."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        brush = index.data(Qt.ItemDataRole.ForegroundRole)
        if isinstance(brush, QBrush):
            option.palette.setBrush(QPalette.ColorRole.HighlightedText, brush)


class _Figure(QFrame):
    """One figure of the outcome strip: a small caption over a large value."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("courseFigure")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 10)
        layout.setSpacing(2)
        self.caption = QLabel(caption)
        self.caption.setObjectName("courseFigureCaption")
        self.value = QLabel("—")
        self.value.setObjectName("courseFigureValue")
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def show_value(self, text: str, state: str = "") -> None:
        """Show ``text``; ``state`` (``yes``/``no``/``pending``) picks the colour in the qss."""
        self.value.setText(text)
        self.value.setProperty("state", state)
        self.value.style().unpolish(self.value)
        self.value.style().polish(self.value)
        self.setAccessibleName(f"{self.caption.text()}: {text}")


def _flag_state(flag: bool | None) -> str:
    return "pending" if flag is None else ("yes" if flag else "no")


class CourseView(QDialog):
    """A patient's course: order, outcome figures, PHQ-9 trend and the sessions table."""

    session_chosen = Signal(str)
    """Emitted with a session id when a row is opened (Enter or double-click)."""

    def __init__(
        self,
        service: ChartService,
        patient_id: PatientId,
        now: datetime,
        parent: QWidget | None = None,
        *,
        theme: str = "dim",
        user: User | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.user = user
        self.patient_id = patient_id
        self.theme = theme
        self.summary: CourseSummary | None = None
        self.setObjectName("courseView")
        self.setWindowTitle("Course")
        self.resize(1200, 720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        self.header = QLabel()
        self.header.setObjectName("courseHeader")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.header)
        self.order_line = QLabel()
        self.order_line.setProperty("role", "muted")
        self.order_line.setWordWrap(True)
        layout.addWidget(self.order_line)
        layout.addLayout(self._build_outcome_strip())
        self.trend = Phq9TrendPlot(theme)
        # The table comes first when space is short (768 px high): the trend keeps a readable
        # minimum and stops growing where more height would only stretch it.
        self.trend.setMaximumHeight(440)
        layout.addWidget(self.trend, 2)
        layout.addWidget(self._build_sessions_table(), 3)
        self.empty = QLabel()
        self.empty.setObjectName("courseEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("role", "muted")
        layout.addWidget(self.empty, 3)  # takes the table's place
        layout.addLayout(self._build_footer(user))
        self.refresh(now)

    def _build_outcome_strip(self) -> QHBoxLayout:
        """The outcome figures side by side: infusions, dose, PHQ-9 change, response, remission."""
        strip = QHBoxLayout()
        strip.setSpacing(10)
        self.figures = {
            "infusions": _Figure("Infusions given"),
            "cumulative": _Figure("Cumulative dose infused"),
            "change": _Figure("PHQ-9 change from first"),
            "response": _Figure("Response (≥ 50 % fall)"),
            "remission": _Figure("Remission (PHQ-9 < 5)"),
        }
        for figure in self.figures.values():
            strip.addWidget(figure, 1)
        return strip

    def _build_sessions_table(self) -> QTableView:
        """One row per session of the course, read-only; Enter or a double-click opens it."""
        self.model = CourseTableModel(self.theme)
        self.table = QTableView()
        self.table.setObjectName("courseTable")
        self.table.setAccessibleName("Sessions of the course")
        self.table.setModel(self.model)
        self.table.setItemDelegate(_KeepColours(self.table))
        self.table.verticalHeader().hide()
        # Touch-sized rows; two-line doses grow their row.
        self.table.verticalHeader().setMinimumSectionSize(_ROW_HEIGHT)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(column_of("side_effects"), QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.activated.connect(self._open)
        # Wrapped cells (a two-line dose, a long list of side effects) need their rows re-fitted
        # whenever the columns change width (the side-effects column takes the spare width).
        # Queued: while the signal is delivered the view still measures with the old width.
        header.sectionResized.connect(self._fit_rows, Qt.ConnectionType.QueuedConnection)
        return self.table

    def _build_footer(self, user: User | None) -> QHBoxLayout:
        """The footer line, the summary PDF button (someone signed in) and Close."""
        bottom = QHBoxLayout()
        self.footer = QLabel()
        self.footer.setProperty("role", "muted")
        self.footer.setWordWrap(True)
        bottom.addWidget(self.footer, 1)
        if user is not None:  # "printed by" needs a signed-in person
            bottom.addWidget(pdf_actions.pdf_menu_button(self, self._document))
        self.close_button = QPushButton("Close (Esc)")
        # Not a default button: Enter on a row opens that session instead of closing the view.
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        bottom.addWidget(self.close_button)
        return bottom

    def _document(self) -> pdf_actions.Document | None:
        """The course summary PDF as the course stands now."""
        if self.user is None:
            return None
        return pdf_actions.course_document(self.service, self.patient_id, self.user)

    # --- loading ------------------------------------------------------------------------------

    def refresh(self, now: datetime) -> None:
        """Re-read the course as it stands at ``now``."""
        summary = course_summary(self.service, self.patient_id, now)
        self.summary = summary
        patient = summary.patient
        self.setWindowTitle(f"Course — {patient.display_name}")
        self.header.setText(
            f"{patient.display_name}   ·   {patient.mrn}   ·   born "
            f"{patient.date_of_birth.isoformat()} (age {patient.age_on(now.date())})"
        )
        self.order_line.setText(self._order_text(summary))
        self._show_figures(summary)
        self.trend.set_summary(summary)
        self.model.set_summary(summary)
        self.table.resizeRowsToContents()
        self._fit_table(rows_shown=5)
        if summary.sessions:
            self.table.selectRow(len(summary.sessions) - 1)  # the latest session
            self.table.setFocus()
        self.table.setVisible(bool(summary.sessions))
        self.empty.setVisible(not summary.sessions)
        if summary.order is None:
            self.empty.setText("This patient has no course order yet.")
        else:
            self.empty.setText("No sessions in this course yet.")
        self.footer.setText(self._footer_text(summary))

    def _fit_table(self, rows_shown: int) -> None:
        """Ask for enough height to show up to ``rows_shown`` one-line sessions without
        scrolling (a fixed estimate: row heights change with the width, the minimum must not)."""
        rows = min(self.model.rowCount(), rows_shown)
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setMinimumHeight(header + rows * _ROW_HEIGHT + 2 * self.table.frameWidth() + 2)

    def _fit_rows(self) -> None:
        self.table.resizeRowsToContents()

    def _order_text(self, s: CourseSummary) -> str:
        order = s.order
        if order is None:
            return "No course order."
        ordered = local_text(order.created_at, s.timezone, "%d %b %Y")
        text = (
            f"{order.indication}  ·  {order.planned_infusions} infusions, {order.frequency}  ·  "
            f"{order.mg_per_kg:g} mg/kg over {order.duration_min} min (max {order.max_dose_mg:g} "
            f"mg)  ·  ordered {ordered} by {order.signature.signer_name}"
        )
        if len(s.orders) > 1:
            history = " → ".join(f"{o.mg_per_kg:g}" for o in s.orders)
            text += f"  ·  dose changes: {history} mg/kg"
        return text

    def _show_figures(self, s: CourseSummary) -> None:
        f = self.figures
        f["infusions"].show_value(s.infusions_text)
        f["cumulative"].show_value(s.cumulative_text)
        f["change"].show_value(s.change_text)
        f["response"].show_value(s.flag_text(s.response), _flag_state(s.response))
        f["remission"].show_value(s.flag_text(s.remission), _flag_state(s.remission))
        drop = s.outcomes.response_drop_fraction * 100
        f["response"].caption.setText(f"Response (≥ {drop:.0f} % fall)")
        f["remission"].caption.setText(f"Remission (PHQ-9 < {s.outcomes.remission_below})")
        f["response"].setToolTip(s.outcomes.response_source)
        f["remission"].setToolTip(s.outcomes.remission_source)

    @staticmethod
    def _footer_text(s: CourseSummary) -> str:
        parts = []
        if s.days_since_last_infusion is not None:
            days = s.days_since_last_infusion
            parts.append(
                "Last infusion today"
                if days == 0
                else f"Last infusion {days} day{'s' if days != 1 else ''} ago"
            )
        if s.sessions:
            parts.append("Enter or double-click a session to open it")
            parts.append("▲ peak BP crossed a protocol limit")
        return "   ·   ".join(parts)

    # --- actions ------------------------------------------------------------------------------

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.session_chosen.emit(str(index.data(SessionIdRole)))
