"""The course view: its table model, the PHQ-9 trend, the outcome figures and opening a session.

Alex Doe (MRN-1001) in the demo clinic has four signed sessions with PHQ-9 19, 15, 12 and 9
before them: a 53 % fall (a response), not a remission.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from bedside.ids import PatientId
from bedside.service import ChartService
from charting.course import course_summary
from tests.ui.conftest import NOW
from ui.common.theme import PALETTES
from ui.course.model import COLUMNS, CourseTableModel, SessionIdRole, column_of
from ui.course.phq9_trend import Phq9TrendPlot
from ui.course.view import CourseView
from ui.demo import DEMO_PASSWORD, order_reference_course


def alex(service: ChartService) -> PatientId:
    patient = service.store.patient_by_mrn("MRN-1001")
    assert patient is not None
    return patient.id


def new_patient(service: ChartService, *, with_order: bool) -> PatientId:
    nurse = service.accounts.authenticate("dana", DEMO_PASSWORD)
    patient = service.register_patient(
        nurse,
        mrn="MRN-1099",
        family_name="Roe",
        given_name="Sam",
        date_of_birth=date(1990, 5, 1),
        sex="male",
        allergies={"state": "nkda"},
    )
    if with_order:
        order_reference_course(
            service, service.accounts.authenticate("drlee", DEMO_PASSWORD), patient.id
        )
    return patient.id


def count_colour(widget: Phq9TrendPlot, name: str, tolerance: int = 24) -> int:
    """Pixels close to a palette colour (antialiased lines land on fractional rows, so an
    exact match would depend on the font and the widget's size)."""
    image = widget.grab().toImage()
    target = QColor(PALETTES[widget.theme][name])
    count = 0
    for y in range(image.height()):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - target.red())
                + abs(pixel.green() - target.green())
                + abs(pixel.blue() - target.blue())
                <= tolerance
            ):
                count += 1
    return count


# --- the table model ---------------------------------------------------------------------------


def test_model_passes_qt_model_tester_filled_and_empty(
    qtmodeltester: ModelTester, ui_service: ChartService
) -> None:
    model = CourseTableModel("dim")
    qtmodeltester.check(model)
    model.set_summary(course_summary(ui_service, alex(ui_service), NOW))
    assert model.rowCount() == 4
    assert model.columnCount() == len(COLUMNS)
    qtmodeltester.check(model)
    model.set_summary(course_summary(ui_service, new_patient(ui_service, with_order=True), NOW))
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_cells_say_what_the_course_did(ui_service: ChartService) -> None:
    summary = course_summary(ui_service, alex(ui_service), NOW)
    model = CourseTableModel("light")
    model.set_summary(summary)

    def cell(row: int, key: str, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return model.index(row, column_of(key)).data(role)

    assert [cell(r, "number") for r in range(4)] == ["1 of 6", "2 of 6", "3 of 6", "4 of 6"]
    assert cell(0, "date") == "Mon 09 Nov 2026"
    assert cell(0, "status") == "Signed"
    assert cell(0, "dose") == "36 mg · 0.5 mg/kg"
    assert [cell(r, "phq9") for r in range(4)] == ["19", "15", "12", "9"]
    assert [cell(r, "cadss6") for r in range(4)] == ["9", "7", "6", "5"]
    assert cell(0, "cssrs") == "none"
    assert cell(0, "side_effects") == "Nausea (mild)"
    # A peak past a protocol limit is marked and coloured; a quiet one is neither.
    assert cell(0, "peak_bp") == "172/98 ▲"
    brush = cell(0, "peak_bp", Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == QColor(PALETTES["light"]["warning"])  # type: ignore[attr-defined]
    assert cell(0, "peak_bp", Qt.ItemDataRole.FontRole).bold()  # type: ignore[attr-defined]
    assert cell(3, "peak_bp") == "156/94"
    assert cell(3, "peak_bp", Qt.ItemDataRole.ForegroundRole) is None
    assert "notify" in str(cell(0, "peak_bp", Qt.ItemDataRole.ToolTipRole))
    assert cell(2, "number", SessionIdRole) == summary.sessions[2].session_id
    assert model.headerData(column_of("phq9"), Qt.Orientation.Horizontal) == "PHQ-9\nbefore"


def test_an_open_session_reads_as_open_and_not_yet_infused(ui_service: ChartService) -> None:
    priya = ui_service.store.patient_by_mrn("MRN-1005")  # chair 4: prepared, pump not started
    assert priya is not None
    model = CourseTableModel("dim")
    model.set_summary(course_summary(ui_service, priya.id, NOW))
    status = model.index(0, column_of("status"))
    assert status.data() == "Open · Dose & preparation"
    assert status.data(Qt.ItemDataRole.ForegroundRole).color() == QColor(PALETTES["dim"]["accent"])
    assert model.index(0, column_of("peak_bp")).data() == "—"
    assert model.index(0, column_of("side_effects")).data() == "—"


# --- the view ----------------------------------------------------------------------------------


def test_view_shows_the_outcome_and_the_trend(qtbot: QtBot, ui_service: ChartService) -> None:
    view = CourseView(ui_service, alex(ui_service), NOW)
    qtbot.addWidget(view)
    view.show()
    assert view.windowTitle() == "Course — DOE, Alex"
    assert "MRN-1001" in view.header.text()
    assert "0.5 mg/kg over 40 min" in view.order_line.text()
    figures = {name: f.value.text() for name, f in view.figures.items()}
    assert figures == {
        "infusions": "4 of 6 planned",
        "cumulative": "144 mg",
        "change": "−53 % (19 → 9)",
        "response": "Yes",
        "remission": "No",
    }
    assert view.figures["response"].value.property("state") == "yes"
    assert view.figures["remission"].value.property("state") == "no"
    assert view.figures["response"].caption.text() == "Response (≥ 50 % fall)"
    assert view.figures["remission"].caption.text() == "Remission (PHQ-9 < 5)"
    assert "Last infusion 4 days ago" in view.footer.text()
    assert view.table.isVisibleTo(view)
    assert not view.empty.isVisibleTo(view)
    # The latest session is selected and the table has the focus, ready for Enter.
    assert view.table.currentIndex().row() == 3
    assert "session 4: 9" in view.trend.accessibleDescription()
    # Touch-sized rows.
    assert all(view.table.rowHeight(r) >= 44 for r in range(4))


def test_enter_or_double_click_opens_a_session(qtbot: QtBot, ui_service: ChartService) -> None:
    view = CourseView(ui_service, alex(ui_service), NOW)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    sessions = view.summary.sessions if view.summary else ()
    view.table.setFocus()
    with qtbot.waitSignal(view.session_chosen, timeout=1000) as entered:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert entered.args == [sessions[3].session_id]
    assert view.isVisible()  # Enter opened the row; it did not close the view
    qtbot.keyClick(view.table, Qt.Key.Key_Up)
    with qtbot.waitSignal(view.session_chosen, timeout=1000) as entered:
        qtbot.keyClick(view.table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert entered.args == [sessions[2].session_id]
    first = view.table.visualRect(view.model.index(0, column_of("date"))).center()
    # QTest's double-click is not preceded by a press; the view needs one on the same row.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    with qtbot.waitSignal(view.session_chosen, timeout=1000) as clicked:
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert clicked.args == [sessions[0].session_id]


def test_escape_closes_the_view(qtbot: QtBot, ui_service: ChartService) -> None:
    view = CourseView(ui_service, alex(ui_service), NOW, theme="light")
    qtbot.addWidget(view)
    view.show()
    with qtbot.assertNotEmitted(view.session_chosen):
        qtbot.keyClick(view.table, Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_a_course_without_sessions(qtbot: QtBot, ui_service: ChartService) -> None:
    view = CourseView(ui_service, new_patient(ui_service, with_order=True), NOW)
    qtbot.addWidget(view)
    view.show()
    assert view.model.rowCount() == 0
    assert not view.table.isVisibleTo(view)
    assert view.empty.isVisibleTo(view)
    assert view.empty.text() == "No sessions in this course yet."
    assert view.figures["infusions"].value.text() == "0 of 6 planned"
    assert view.figures["change"].value.text() == "no PHQ-9 yet"
    assert view.figures["response"].value.text() == "Not yet"
    assert view.figures["response"].value.property("state") == "pending"
    assert "Enter" not in view.footer.text()


def test_a_patient_without_a_course_order(qtbot: QtBot, ui_service: ChartService) -> None:
    view = CourseView(ui_service, new_patient(ui_service, with_order=False), NOW)
    qtbot.addWidget(view)
    view.show()
    assert view.empty.text() == "This patient has no course order yet."
    assert view.order_line.text() == "No course order."
    assert view.figures["infusions"].value.text() == "none: no course order"
    assert view.footer.text() == ""


# --- the trend ---------------------------------------------------------------------------------


def test_trend_draws_points_thresholds_and_the_item9_ring(
    qtbot: QtBot, ui_service: ChartService
) -> None:
    summary = course_summary(ui_service, alex(ui_service), NOW)
    plot = Phq9TrendPlot("dim")
    qtbot.addWidget(plot)
    plot.resize(640, 260)
    plot.show()
    assert count_colour(plot, "accent") == 0  # nothing before a course is set
    empty = course_summary(ui_service, new_patient(ui_service, with_order=True), NOW)
    plot.set_summary(empty)
    assert count_colour(plot, "accent") == 0
    assert count_colour(plot, "ok") == 0
    plot.set_summary(summary)
    assert count_colour(plot, "accent") > 100  # the trend and the response line
    assert count_colour(plot, "ok") > 50  # the remission line
    assert count_colour(plot, "warning") == 0
    flagged = replace(
        summary, phq9=tuple(replace(p, item9_positive=p.number == 2) for p in summary.phq9)
    )
    plot.set_summary(flagged)
    assert count_colour(plot, "warning") > 5
