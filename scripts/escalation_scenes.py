"""Screenshots of the check escalation (issue 10, item 7), in both themes (not committed).

Run alone (faster than the whole of ``screenshots.py``, which also calls it):
    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python scripts/escalation_scenes.py /tmp/shots_c

Scenes, each chair a reference session started so that at the moment of the grab:

* ``board_escalation_*``: chair 1 amber (a check due now), chair 2 red (6 min late, one check
  missed), chair 3 urgent (23 min late in observation, two checks missed; inverted, grabbed in
  both flash phases), chair 4 an open pause alert: GO HERE FIRST;
* ``board_all_amber_*``: four chairs with a check due now; GO HERE FIRST on the latest;
* ``locked_board_escalation_*``: the same chairs behind the lock;
* ``session_view_late_*`` and ``session_view_urgent_*``: the session window's check banner.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.people import Patient, User
from bedside.service import ChartService
from bedside.store import Store
from ui.board.main_window import MainWindow
from ui.common import settings, theme
from ui.demo import (
    DemoStaff,
    ReferencePlan,
    chart_reference_session,
    demo_settings,
    order_reference_course,
)
from ui.demo.clinic import INTAKE_ALLERGIES, PATIENTS
from ui.demo.staff import DEMO_TIMEZONE, set_up_clinic
from ui.session.window import SessionView

# Minutes before "now" each chair's reference session opened (the pump starts 20 min in).
ESCALATION_STARTS = (
    (1, 50, Phase.INFUSING),  # infusing 30 min: the check at +30 is due now (amber)
    (2, 56, Phase.INFUSING),  # infusing 36 min: 6 min late, the +30 check missed (red)
    (3, 133, Phase.READY_FOR_DISCHARGE),  # observed: 23 min late, two checks missed (urgent)
    (4, 45, Phase.INFUSING),  # infusing 25 min, a 186/104 reading: pause alert (go here first)
)
AMBER_STARTS = tuple((chair, 50 + 0.5 * chair, Phase.INFUSING) for chair in range(1, 5))


def grab(widget: QWidget, path: Path, size: tuple[int, int] | None = None) -> None:
    """Show, settle, save a PNG."""
    if size:
        widget.resize(*size)
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def clinic(folder: Path, now: datetime, starts: tuple[tuple[int, float, Phase], ...]) -> Store:
    """A clinic whose chairs hold reference sessions opened ``starts`` minutes before ``now``."""
    store = Store(folder / "escalation.db")
    clock = FixedClock(now - timedelta(days=1))
    service = ChartService(store, clock)
    staff: DemoStaff = set_up_clinic(service, demo_settings(DEMO_TIMEZONE))
    patients: list[Patient] = []
    for fields in PATIENTS[: len(starts)]:
        patient = service.register_patient(staff.nurse, **fields)
        order_reference_course(service, staff.clinician, patient.id)
        patients.append(patient)
    for patient, (chair, minutes, until) in zip(patients, starts, strict=True):
        sid = chart_reference_session(
            service,
            clock,
            staff,
            patient,
            chair=chair,
            start=now - timedelta(minutes=minutes),
            plan=ReferencePlan(allergies_at_intake=INTAKE_ALLERGIES.get(patient.mrn)),
            until=until,
        )
        if chair == 4 and starts is ESCALATION_STARTS:
            clock.set(now - timedelta(minutes=1))
            service.record_vitals(
                staff.nurse, sid, systolic=186, diastolic=104, heart_rate=96, spo2=96, resp_rate=16
            )
    return store


def scenes(out: Path) -> None:
    """Every escalation scene, in both themes (``out`` is created)."""
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    for label, starts in (("escalation", ESCALATION_STARTS), ("all_amber", AMBER_STARTS)):
        folder = Path(tempfile.mkdtemp())
        store = clinic(folder, now, starts)
        service = ChartService(store, FixedClock(now))
        nurse = service.accounts.authenticate("dana", "bedside-demo")
        qsettings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        for name in ("dim", "light"):
            theme.apply(app, name)
            settings.THEME.set(qsettings, name)
            window = MainWindow(service, nurse, service.clock, qsettings)
            window.ticker.stop()
            window.idle.stop()
            for size in ((1366, 768), (1920, 1080)):
                grab(window, out / f"board_{label}_{name}_{size[0]}.png", size)
            if label == "escalation":
                window.board.flasher.step()  # the other phase of the urgent tile's flash
                grab(window, out / f"board_{label}_{name}_flash_off.png", (1366, 768))
                _locked(window, out, name)
                _sessions(service, window, nurse, out, name)
            window.close()
        store.close()


def _locked(window: MainWindow, out: Path, name: str) -> None:
    window.lock_screen.say_locked(window.user.display_name)
    window.stack.setCurrentWidget(window.lock_screen)
    window.lock_screen.chairs.show_summaries(
        window.source.summaries(window.clock.now()), window.theme
    )
    grab(window, out / f"locked_board_escalation_{name}.png", (1366, 768))
    window.stack.setCurrentWidget(window.board)


def _sessions(service: ChartService, window: QWidget, nurse: User, out: Path, name: str) -> None:
    busy = service.busy_chairs(service.clock.now())
    for chair, label in ((2, "late"), (3, "urgent")):
        view = SessionView(service, busy[chair], service.clock, name, window, nurse)
        grab(view, out / f"session_view_{label}_{name}.png", (1366, 700))
        view.close()


if __name__ == "__main__":
    scenes(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
