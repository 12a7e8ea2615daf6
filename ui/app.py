"""The desktop app. Until the chair board lands (next issue) this is a read-only window that
lists today's sessions from the database, so a newcomer sees the demo clinic working."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bedside.clock import SystemClock
from bedside.errors import BedsideError
from bedside.store import Store, default_db_path
from bedside.timeutil import local_date
from ui.cli import session_rows


class TodayWindow(QMainWindow):
    """Today's sessions, by chair: patient, session in course, phase."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        tz = store.get_setting("timezone", "UTC")
        clinic = store.get_setting("clinic_name", "Bedside")
        today = local_date(SystemClock().now(), tz)
        rows = session_rows(store, store.sessions_on(today), tz)
        self.setWindowTitle(f"Bedside — {clinic}")
        central = QWidget()
        layout = QVBoxLayout(central)
        title = QLabel(
            f"<h2>{clinic}</h2><p>Sessions on {today:%A %d %B %Y} — database {store.path}</p>"
        )
        layout.addWidget(title)
        table = QTableWidget(len(rows), 5)
        table.setHorizontalHeaderLabels(["Chair", "Patient", "MRN", "Session", "Phase"])
        for r, row in enumerate(rows):
            for c, key in enumerate(
                ("chair", "patient", "mrn", "session_in_course", "phase_label")
            ):
                table.setItem(r, c, QTableWidgetItem(str(row[key])))
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(table)
        if not rows:
            layout.addWidget(
                QLabel(
                    "No sessions today. Run `bedside demo` on an empty database "
                    "to see a demo clinic."
                )
            )
        self.setCentralWidget(central)
        self.resize(900, 480)


def run_app(db_path: Path | None = None, *, smoke: bool = False) -> int:
    """Open the app on the database; ``smoke`` quits as soon as the window is shown."""
    app = QApplication.instance() or QApplication(sys.argv)
    try:
        store = Store(db_path or default_db_path())
    except BedsideError as exc:
        sys.stderr.write(f"bedside: {exc}\n")
        return 1
    window = TodayWindow(store)
    window.show()
    if smoke:
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    store.close()
    return int(code)
