"""Save a screenshot of every screen and dialog with the demo clinic (not committed).

Run under Xvfb for real window decorations and fonts as a nurse sees them:
    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots.py shots/
It also runs offscreen. Each window is grabbed at 1366x768 (and the board at 1920x1080 too).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.rules.intake import CONTRAINDICATIONS
from bedside.scales import ScaleName, definition
from bedside.service import ChartService
from bedside.store import Store
from ui.admin.protocol import ProtocolDialog
from ui.admin.users import UsersDialog
from ui.board.first_run_dialog import FirstRunDialog
from ui.board.login_dialog import LoginDialog
from ui.board.main_window import MainWindow
from ui.common import settings, theme
from ui.course.order import CourseOrderDialog
from ui.course.view import CourseView
from ui.demo import SIGNATURE_STROKES, build_demo
from ui.dialogs.alert import AlertDialog
from ui.dialogs.entries import SideEffectDialog
from ui.dialogs.new_session import NewSessionDialog
from ui.dialogs.prn import PrnDialog
from ui.dialogs.pump import StopDialog
from ui.dialogs.scale import ScaleDialog
from ui.dialogs.vitals import VitalsDialog
from ui.session.window import SessionView


def grab(widget: QWidget, path: Path, size: tuple[int, int] | None = None) -> None:
    """Show, settle, save a PNG."""
    if size:
        widget.resize(*size)
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def guided_steps(
    service: ChartService, clock: FixedClock, out: Path, name: str, parent: QWidget
) -> None:
    """A new session on the free chair, grabbed at every step before the pump starts."""
    nurse = service.accounts.authenticate("dana", "bedside-demo")
    drlee = service.accounts.authenticate("drlee", "bedside-demo")
    busy = service.busy_chairs(clock.now())
    in_chairs = {service.context(sid).patient.id for sid in busy.values()}
    patient = next(
        p
        for p in service.store.find_patients("")
        if p.id not in in_chairs and service.active_course(p.id) is not None
    )
    free = next(c for c in range(1, 5) if c not in busy)
    sid = service.open_session(nurse, patient_id=patient.id, chair=free).session_id
    view = SessionView(service, sid, clock, name, parent, nurse)
    grab(view, out / f"step_intake_{name}.png", (1366, 700))
    service.record_intake(
        nurse,
        sid,
        identifiers_checked=("full_name", "date_of_birth"),
        contraindications=dict.fromkeys(CONTRAINDICATIONS, False) | {"psychosis_mania": True},
        pregnancy_test="negative",
        medicines_reviewed=True,
        fasting_as_instructed=True,
        substance_use_48h=False,
        escort_name="Pat Doe",
        escort_phone="555-0100",
    )
    view.refresh()
    grab(view, out / f"step_intake_refused_{name}.png", (1366, 700))
    service.advance(
        nurse,
        sid,
        Phase.BASELINE,
        override_by=drlee,
        override_password="bedside-demo",
        override_reason="History of one manic episode in 2019, stable on lithium; reviewed.",
    )
    view.refresh()
    grab(view, out / f"step_baseline_empty_{name}.png", (1366, 700))
    service.record_baseline(
        nurse,
        sid,
        systolic=152,
        diastolic=92,
        heart_rate=80,
        spo2=97,
        resp_rate=14,
        temperature_c=36.6,
        weight_kg=68.0,
        height_cm=165,
    )
    service.score_scale(nurse, sid, ScaleName.MOAAS, {"response": 5})
    view.refresh()
    grab(view, out / f"step_baseline_{name}.png", (1366, 700))
    if name == "dim":
        dialog = ScaleDialog(ScaleName.PHQ9, view)
        grab(dialog, out / "scale_phq9.png")
        dialog.close()
        dialog = ScaleDialog(ScaleName.CSSRS, view)
        grab(dialog, out / "scale_cssrs.png")
        dialog.close()
        keypad = VitalsDialog(service, sid, nurse, name, view, baseline=True)
        grab(keypad, out / "vitals_keypad_baseline.png")
        keypad.close()
    for scale, answers in (
        (ScaleName.PHQ9, dict.fromkeys(definition(ScaleName.PHQ9).keys, 2)),
        (ScaleName.CSSRS, {"q1_wish_dead": 0, "q2_active_thoughts": 0, "q6_behaviour": 0}),
        (ScaleName.CADSS6, dict.fromkeys(definition(ScaleName.CADSS6).keys, 0)),
    ):
        service.score_scale(nurse, sid, scale, answers)
    service.advance(nurse, sid, Phase.CONSENT)
    view.refresh()
    grab(view, out / f"step_consent_{name}.png", (1366, 700))
    service.record_consent(
        nurse,
        sid,
        elements_acknowledged=list(service.consent_template.keys),
        capacity_confirmed=True,
        patient_signature=SIGNATURE_STROKES,
        clinician=drlee,
        clinician_password="bedside-demo",
    )
    service.advance(nurse, sid, Phase.PREPARED)
    view.refresh()
    grab(view, out / f"step_dose_{name}.png", (1366, 700))
    service.plan_dose(nurse, sid, vial_concentration_mg_ml=10.0, bag_volume_ml=100.0)
    view.refresh()
    grab(view, out / f"step_preparation_{name}.png", (1366, 700))
    view.close()
    # Free the chair again for the next theme's pass.
    service.end_early(nurse, sid, "Screenshot run: session not continued")


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp))
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationName(settings.APPLICATION)
    now = datetime.now(UTC).replace(microsecond=0)
    store = Store(tmp / "demo.db")
    build_demo(store, now)
    clock = FixedClock(now)
    service = ChartService(store, clock)
    nurse = service.accounts.authenticate("dana", "bedside-demo")
    qsettings = QSettings()
    for name in ("dim", "light"):
        theme.apply(app, name)
        settings.THEME.set(qsettings, name)
        window = MainWindow(service, nurse, clock, qsettings)
        window.ticker.stop()
        window.idle.stop()
        grab(window, out / f"board_{name}_1366.png", (1366, 768))
        grab(window, out / f"board_{name}_1920.png", (1920, 1080))
        if name == "dim":
            clock.advance(minutes=12)  # the infusing chair's check becomes overdue
            window.refresh()
            grab(window, out / "board_dim_overdue_1366.png", (1366, 768))
            clock.set(now)
            busy = service.busy_chairs(now)
            view = SessionView(service, busy[2], clock, name, window, nurse)
            grab(view, out / "session_view_infusing.png", (1366, 700))
            view.close()
            for dialog_cls, fname in ((SideEffectDialog, "side_effect"),):
                d = dialog_cls()
                grab(d, out / f"{fname}.png")
                d.close()
            d = AlertDialog(
                "Pause infusion: Systolic BP 186 mmHg above 180; Diastolic BP 104 mmHg above 100"
            )
            grab(d, out / "alert_ack.png")
            d.close()
            d = PrnDialog([u for u in store.users() if u.role.value == "clinician"])
            grab(d, out / "prn.png")
            d.close()
            d = StopDialog(103.6)
            grab(d, out / "stop.png")
            d.close()
            keypad = VitalsDialog(service, busy[2], nurse, name)
            keypad.fields["systolic"].setText("186")
            keypad.fields["diastolic"].setText("104")
            keypad._judge()
            grab(keypad, out / "vitals_keypad_abnormal.png")
            keypad.fields["spo2"].setText("101")
            keypad._save()
            grab(keypad, out / "vitals_keypad_refused.png")
            keypad.close()
            view = SessionView(service, busy[3], clock, name, window, nurse)
            grab(view, out / "session_view_ready.png", (1366, 700))
            view.close()
            view = SessionView(service, busy[4], clock, name, window, nurse)
            grab(view, out / "session_view_prepared.png", (1366, 700))
            view.close()
            minh = store.patient_by_mrn("MRN-1002")
            assert minh is not None
            signed = store.sessions_for_patient(minh.id)[0]
            view = SessionView(service, signed.id, clock, name, window, nurse)
            grab(view, out / "session_view_signed.png", (1366, 700))
            view.close()
            dialog: QDialog = LoginDialog(service.accounts, clinic_name="Riverside (demo)")
            grab(dialog, out / "login.png")
            dialog.close()
            dialog = LoginDialog(service.accounts, username="dana", locked_by="Dana Reyes, RN")
            grab(dialog, out / "unlock.png")
            dialog.close()
            window.lock_label.setText(
                "Locked. Dana Reyes, RN was signed in; nothing was closed or lost."
            )
            window.stack.setCurrentWidget(window.lock_screen)
            grab(window, out / "locked_board.png", (1366, 768))
            window.stack.setCurrentWidget(window.board)
            users = UsersDialog(service.accounts, nurse)
            grab(users, out / "admin_users.png")
            users.close()
            dialog = FirstRunDialog()
            grab(dialog, out / "first_run.png")
            dialog.close()
            dialog = NewSessionDialog(service, 3)
            grab(dialog, out / "new_session.png")
            dialog.close()
        admin = service.accounts.authenticate("admin", "bedside-demo")
        drlee = service.accounts.authenticate("drlee", "bedside-demo")
        alex = store.patient_by_mrn("MRN-1001")
        assert alex is not None
        for size in ((1366, 768), (1920, 1080)):
            suffix = f"{name}_{size[0]}"
            protocol = ProtocolDialog(service, admin, window, theme=name)
            grab(protocol, out / f"protocol_{suffix}.png", size)
            protocol.close()
            order = CourseOrderDialog(service, drlee, window, patient_id=alex.id, theme=name)
            grab(order, out / f"course_order_{suffix}.png", size)
            order.close()
            course = CourseView(service, alex.id, clock.now(), window, theme=name)
            grab(course, out / f"course_view_{suffix}.png", size)
            course.close()
            view = SessionView(service, busy[2], clock, name, window, nurse)
            grab(view, out / f"session_view_infusing_{suffix}.png", (size[0], size[1] - 68))
            view.close()
        alert_sid = busy[2]
        service.record_vitals(
            nurse, alert_sid, systolic=186, diastolic=104, heart_rate=96, spo2=96, resp_rate=16
        )
        view = SessionView(service, alert_sid, clock, name, window, nurse)
        grab(view, out / f"session_view_alert_{name}.png", (1366, 700))
        dialog = AlertDialog(
            service.state(alert_sid).open_alerts()[0].payload.message, view, offer_pause=True
        )
        grab(dialog, out / f"alert_ack_pause_{name}.png")
        dialog.close()
        view.close()
        guided_steps(service, clock, out, name, window)
        window.close()
    QTimer.singleShot(0, app.quit)
    app.exec()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots")))
