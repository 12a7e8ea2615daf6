"""Save a screenshot of every screen and dialog with the demo clinic (not committed).

Run under Xvfb for real window decorations and fonts as a nurse sees them:
    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots.py shots/
It also runs offscreen. Windows are grabbed at 1366x768 and 1920x1080, in both themes; the
dialogs once per theme. Every screen of issue 9 is here: the session record below the flowsheet
(with its sedation and CADSS-6 columns and a copied value), the keypad with the last set as hints,
'taken at' read back, PRN warnings and an allergy refusal, the allergy states in the header, the
new-patient form, waste with the open remainder, the locked board without names, the drafts.
Issue 10's check escalation (amber, red, urgent, GO HERE FIRST; the session window's check
banner) comes from ``escalation_scenes.py`` beside this file, which also runs alone.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import escalation_scenes  # scripts/, beside this file
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import User
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
from ui.dialogs.discharge import DischargeDialog, SignOffDialog
from ui.dialogs.entries import SideEffectDialog, TextEntryDialog
from ui.dialogs.new_patient import NewPatientDialog
from ui.dialogs.new_session import NewSessionDialog
from ui.dialogs.prn import PrnDialog
from ui.dialogs.pump import StopDialog
from ui.dialogs.scale import ScaleDialog
from ui.dialogs.vitals import VitalsDialog
from ui.dialogs.waste import WasteDialog
from ui.session import closing_actions, prn_actions
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
        allergies={"state": "listed", "allergies": ["penicillin (rash)"]},
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
    tz = service.timezone
    dialog = ScaleDialog(ScaleName.PHQ9, clock, tz, view)
    grab(dialog, out / f"scale_phq9_{name}.png")
    dialog.close()
    dialog = ScaleDialog(ScaleName.CSSRS, clock, tz, view)
    grab(dialog, out / f"scale_cssrs_{name}.png")
    dialog.close()
    keypad = VitalsDialog(service, sid, nurse, name, view, baseline=True)
    grab(keypad, out / f"vitals_keypad_baseline_{name}.png")
    keypad.close()
    for scale, answers in (
        (ScaleName.PHQ9, dict.fromkeys(definition(ScaleName.PHQ9).keys, 2)),
        (ScaleName.CSSRS, {"q1_wish_dead": 0, "q2_active_thoughts": 0, "q6_behaviour": 0}),
        (ScaleName.CADSS6, dict.fromkeys(definition(ScaleName.CADSS6).keys, 0)),
    ):
        service.score_scale(nurse, sid, scale, answers)
    # The 152/92 baseline is in the caution band: a clinician acknowledges it (issue 10, item 9).
    service.advance(
        nurse,
        sid,
        Phase.CONSENT,
        override_by=drlee,
        override_password="bedside-demo",
        override_reason="Usual for her (150/90 at home); benefit outweighs the risk",
    )
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


def session_dialogs(
    service: ChartService,
    clock: FixedClock,
    window: QWidget,
    sid: SessionId,
    nurse: User,
    name: str,
    out: Path,
) -> None:
    """The charting dialogs of the infusing chair, as the nurse meets them (one theme)."""
    tz = service.timezone
    view = SessionView(service, sid, clock, name, window, nurse)
    view.resize(1366, 700)
    view.show()
    for dialog in (
        SideEffectDialog(clock, tz, view),
        TextEntryDialog("Nursing note", "Nursing note:", clock, tz, view, multiline=True),
        AlertDialog(
            "Pause infusion: Systolic BP 186 mmHg above 180; Diastolic BP 104 mmHg above 100"
        ),
        StopDialog(103.6, 101.2),
    ):
        grab(dialog, out / f"{type(dialog).__name__.lower()}_{name}.png")
        dialog.close()
    # "Taken at": a back-timed clock time read back in words.
    note = TextEntryDialog("Nursing note", "Nursing note:", clock, tz, view, multiline=True)
    note.taken_at.edit.setText("0940")
    grab(note, out / f"taken_at_{name}.png")
    note.close()
    # The keypad: the last set as hints, then copied with Ctrl+D and one value typed.
    keypad = VitalsDialog(service, sid, nurse, name, view)
    grab(keypad, out / f"vitals_keypad_hints_{name}.png")
    keypad.copy_last()
    keypad.fields["systolic"].setText("186")
    keypad.fields["diastolic"].setText("104")
    keypad._judge()
    grab(keypad, out / f"vitals_keypad_copied_abnormal_{name}.png")
    keypad.fields["spo2"].setText("101")
    keypad._save()
    grab(keypad, out / f"vitals_keypad_refused_{name}.png")
    keypad.close()
    # Waste with the open remainder, before and after Ctrl+D.
    waste = WasteDialog(closing_actions.open_drug(view.ctx), clock, tz, view)
    grab(waste, out / f"waste_{name}.png")
    waste.use_open()
    grab(waste, out / f"waste_all_open_{name}.png")
    waste.close()
    # Discharge: the score form, and the sign-off as the clinician meets it (what is not met,
    # the open remainder, whether the charting is signed).
    scale = ScaleName(view.ctx.protocol.monitoring.discharge_scale)
    discharge = DischargeDialog(scale, "Pat Doe", view)
    grab(discharge, out / f"discharge_{name}.png")
    discharge.close()
    sign_off = SignOffDialog(closing_actions.sign_off_page(view), "drlee", view)
    grab(sign_off, out / f"sign_off_{name}.png")
    sign_off.close()
    # The record below the flowsheet, an entry selected and read in full.
    table = view.charting.record.table
    table.setFocus()
    table.selectRow(max(table.model().rowCount() - 3, 0))
    QApplication.processEvents()
    grab(view, out / f"session_record_selected_{name}.png")
    view.close()


def prn_dialogs(
    service: ChartService, clock: FixedClock, window: QWidget, nurse: User, name: str, out: Path
) -> None:
    """The PRN form for a patient with a recorded allergy: the list, the drug they are
    allergic to (refused unless a clinician overrides), a second dose inside the interval."""
    allergic = next(
        sid
        for sid in service.busy_chairs(clock.now()).values()
        if service.context(sid).patient.allergies.state == "listed"
    )
    view = SessionView(service, allergic, clock, name, window, nurse)
    # PRN: the list, then a drug the patient is allergic to (refused unless a clinician
    # overrides), then a second dose inside the interval.
    prn = PrnDialog(
        [u for u in service.store.users() if u.role.value == "clinician"],
        prn_actions.dialog_setup(view, view.ctx),
        view,
    )
    grab(prn, out / f"prn_{name}.png")
    allergy = view.ctx.patient.allergies.allergies[0].substance
    prn.drug.setCurrentText("amoxicillin" if allergy == "penicillin" else allergy)
    prn.dose.setText("500")
    QApplication.processEvents()
    grab(prn, out / f"prn_allergy_{name}.png")
    prn.drug.setCurrentText("ondansetron")
    prn.dose.setText("8")
    QApplication.processEvents()
    grab(prn, out / f"prn_second_dose_{name}.png")
    prn.close()
    view.close()


def locked_board(window: MainWindow, out: Path, name: str) -> None:
    """The lock screen as a nurse walking past sees it: chairs, phases, what is due; no name."""
    window.lock_screen.say_locked(window.user.display_name)
    window.stack.setCurrentWidget(window.lock_screen)
    window.lock_screen.chairs.show_summaries(
        window.source.summaries(window.clock.now()), window.theme
    )
    for size in ((1366, 768), (1920, 1080)):
        grab(window, out / f"locked_board_{name}_{size[0]}.png", size)
    window.stack.setCurrentWidget(window.board)


def allergy_headers(service: ChartService, clock: FixedClock, window: QWidget, out: Path) -> None:
    """The session header for each allergy state: unknown (amber), none known, a list (red)."""
    nurse = service.accounts.authenticate("dana", "bedside-demo")
    for header in service.store.sessions_on(clock.now().date()):
        view = SessionView(service, header.id, clock, "dim", window, nurse)
        state = view.ctx.patient.allergies.state
        grab(view.header, out / f"header_allergies_{state}.png", (1366, 60))
        view.close()


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
        # The session's dialogs and the locked board in both themes (night and day).
        busy = service.busy_chairs(now)
        session_dialogs(service, clock, window, busy[2], nurse, name, out)
        prn_dialogs(service, clock, window, nurse, name, out)
        locked_board(window, out, name)
        if name == "dim":
            clock.advance(minutes=12)  # the infusing chair's check becomes overdue
            window.refresh()
            grab(window, out / "board_dim_overdue_1366.png", (1366, 768))
            clock.set(now)
            busy = service.busy_chairs(now)
            view = SessionView(service, busy[2], clock, name, window, nurse)
            grab(view, out / "session_view_infusing.png", (1366, 700))
            view.close()
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
            users = UsersDialog(service.accounts, nurse)
            grab(users, out / "admin_users.png")
            users.close()
            dialog = FirstRunDialog()
            grab(dialog, out / "first_run.png")
            dialog.close()
            dialog = NewSessionDialog(service, 3)
            grab(dialog, out / "new_session.png")
            dialog.close()
            dialog = NewPatientDialog()
            grab(dialog, out / "new_patient.png")
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
            grab(window, out / f"board_{suffix}.png", size)
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
        if name == "dim":
            allergy_headers(service, clock, window, out)
        window.close()
    store.close()
    escalation_scenes.scenes(out)
    QTimer.singleShot(0, app.quit)
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots")))
