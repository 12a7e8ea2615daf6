"""The infusion's quick actions in the session window: keys, dialogs' values, core refusals."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_driver import answer_modal, session_window

from bedside.errors import BedsideError
from bedside.ids import SessionId
from bedside.people import User
from bedside.service import ChartService
from ui.dialogs.alert import AlertAction
from ui.dialogs.discharge import SignOffDialog
from ui.dialogs.entries import Resolution, SideEffectEntry, TextEntry
from ui.dialogs.prn import PrnEntry
from ui.dialogs.pump import StopDialog
from ui.dialogs.void import VoidEntry
from ui.session.window import SessionView


def open_view(qtbot: QtBot, service: ChartService, user: User) -> tuple[SessionView, SessionId]:
    sid = service.busy_chairs(service.clock.now())[2]
    view = session_window(qtbot, service, sid, user)
    return view, sid


def kinds(service: ChartService, sid: SessionId) -> list[str]:
    return [e.kind for e in service.state(sid).events]


def test_pause_resume_stop_with_keys(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    view, sid = open_view(qtbot, ui_service, nurse)
    monkeypatch.setattr("ui.dialogs.text.TextDialog.ask", lambda *a, **k: "patient anxious")
    qtbot.keyClick(view, Qt.Key.Key_P)
    assert kinds(ui_service, sid)[-1] == "infusion_paused"
    assert view.buttons["pause"].text() == "Resume (P)"
    # Resuming asks first, naming the rate and why it was paused.
    questions: list[str] = []
    answers = [False, True]
    monkeypatch.setattr(
        "ui.common.operations.confirm",
        lambda parent, title, text: questions.append(text) or answers.pop(0),
    )
    qtbot.keyClick(view, Qt.Key.Key_P)
    assert kinds(ui_service, sid)[-1] == "infusion_paused"
    assert "155.4 mL/h" in questions[0]
    assert "patient anxious" in questions[0]
    qtbot.keyClick(view, Qt.Key.Key_P)
    assert kinds(ui_service, sid)[-1] == "infusion_resumed"
    # A misread pump volume is refused by the core and shown in words; nothing is saved, and
    # the form comes back as typed (here the nurse then cancels).
    stops: list[Any] = [(110.0, True, ""), None]
    previous: list[Any] = []

    def ask_stop(*args: Any) -> Any:
        previous.append(args[3] if len(args) > 3 else None)
        return stops.pop(0)

    monkeypatch.setattr("ui.dialogs.pump.StopDialog.ask", ask_stop)
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert "more than the bag held" in shown_errors[-1]
    assert previous == [None, (110.0, True, "")]
    assert kinds(ui_service, sid)[-1] == "infusion_resumed"
    monkeypatch.setattr("ui.dialogs.pump.StopDialog.ask", lambda *a, **k: (103.6, True, ""))
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert kinds(ui_service, sid)[-1] == "infusion_stopped"
    assert not view.buttons["stop"].isVisible()
    assert "Discharge readiness" in view.panel.text()


def test_alert_is_acknowledged_with_its_action(
    qtbot: QtBot, ui_service: ChartService, nurse: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, sid = open_view(qtbot, ui_service, nurse)
    assert not view.buttons["alert"].isVisible()
    ui_service.record_vitals(
        nurse, sid, systolic=188, diastolic=106, heart_rate=96, spo2=96, resp_rate=16
    )
    view.refresh()
    assert view.buttons["alert"].isVisible()
    assert view.alert_banner.isVisible()
    assert "Pause infusion" in view.alert_banner.text()
    seen: list[tuple[str, bool]] = []

    def answer(
        message: str, parent: Any = None, *, offer_pause: bool = False, previous: Any = None
    ) -> AlertAction:
        seen.append((message, offer_pause))
        return AlertAction("Paused, Dr Lee informed", True, pause_pump=offer_pause)

    monkeypatch.setattr("ui.dialogs.alert.AlertDialog.ask", answer)
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert seen
    assert seen[0][0].startswith("Pause infusion: Systolic BP 188")
    assert seen[0][1]  # a pause-level alert on a running pump offers to pause it
    state = ui_service.state(sid)
    assert state.open_alerts() == []
    assert state.phase.value == "paused"  # paused and acknowledged together
    assert "Alert: Pause infusion" in state.infusion.pauses[-1][2]
    assert not view.buttons["alert"].isVisible()
    assert not view.alert_banner.isVisible()
    assert "Paused 0 min" in view.panel.text()


def test_side_effect_prn_and_note(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    view, sid = open_view(qtbot, ui_service, nurse)
    monkeypatch.setattr(
        "ui.dialogs.entries.SideEffectDialog.ask",
        lambda *a, **k: SideEffectEntry("nausea", 2, "ondansetron", ""),
    )
    qtbot.keyClick(view, Qt.Key.Key_E)
    clinician = ui_service.accounts.authenticate("drlee", "bedside-demo")
    refused = PrnEntry("ondansetron", 4.0, "mg", "IV", "nausea", nurse.id)
    asked: list[PrnEntry | None] = []
    answers = [refused, PrnEntry("ondansetron", 4.0, "mg", "IV", "nausea", clinician.id)]

    def prn(*a: Any, previous: PrnEntry | None = None, **k: Any) -> PrnEntry:
        asked.append(previous)
        return answers.pop(0)

    monkeypatch.setattr("ui.dialogs.prn.PrnDialog.ask", prn)
    qtbot.keyClick(view, Qt.Key.Key_M)  # ordered by a nurse: refused by the core ...
    assert "cannot order medicines" in shown_errors[-1]
    assert asked == [None, refused]  # ... and the dialog reopens with what was typed
    monkeypatch.setattr(
        "ui.dialogs.entries.TextEntryDialog.ask", lambda *a, **k: TextEntry("resting, calm")
    )
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert kinds(ui_service, sid)[-3:] == ["side_effect_noted", "prn_given", "note"]
    # Y marks it resolved: the dialog lists only open side effects.
    assert view.buttons["resolve"].isVisible()
    offered: list[list[tuple[str, str]]] = []

    def resolve(effects: list[tuple[str, str]], *a: Any) -> Resolution:
        offered.append(list(effects))
        return Resolution(effects[0][0], "settled after ondansetron")

    monkeypatch.setattr("ui.dialogs.entries.ResolveDialog.ask", resolve)
    qtbot.keyClick(view, Qt.Key.Key_Y)
    assert len(offered[0]) == 1
    assert "nausea" in offered[0][0][1].lower()
    state = ui_service.state(sid)
    assert all(se.resolved is not None for se in state.side_effects.values())
    assert not view.buttons["resolve"].isVisible()


def test_an_admin_sees_no_charting_actions(qtbot: QtBot, ui_service: ChartService) -> None:
    admin = ui_service.accounts.authenticate("admin", "bedside-demo")
    view, _ = open_view(qtbot, ui_service, admin)
    assert not any(b.isVisible() for b in view.buttons.values())
    # ... and the core refuses even if a button were reached another way.
    with pytest.raises(BedsideError, match="may not record note"):
        ui_service.add_note(admin, view.session_id, "hello")


def test_correct_and_void_from_the_flowsheet(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    view, sid = open_view(qtbot, ui_service, nurse)
    last = view.model.rowCount() - 1  # the +20 reading, 142/88

    def correct(service, session_id, user, theme="dim", parent=None, correcting=None, **k):  # type: ignore[no-untyped-def]
        assert correcting is not None
        return service.correct(user, session_id, correcting.id, "transposed", systolic=124)

    monkeypatch.setattr("ui.dialogs.vitals.VitalsDialog.ask", correct)
    view.table.selectRow(last)
    qtbot.keyClick(view, Qt.Key.Key_C)
    rows = [view.model.row_at(r) for r in range(view.model.rowCount())]
    assert rows[last].struck
    assert rows[last].struck_reason == "transposed"
    assert rows[last + 1].cell("systolic").value == 124
    # The struck original cannot be corrected again; the correction can be voided.
    view.table.selectRow(last)
    qtbot.keyClick(view, Qt.Key.Key_C)
    assert "already corrected or voided" in shown_errors[-1]
    monkeypatch.setattr(
        "ui.dialogs.void.VoidDialog.ask", lambda *a, **k: VoidEntry("wrong patient")
    )
    view.table.selectRow(last + 1)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    rows = [view.model.row_at(r) for r in range(view.model.rowCount())]
    assert rows[last + 1].voided
    assert rows[last + 1].struck_reason == "wrong patient"
    assert ui_service.state(sid).vitals[-1].payload.systolic == 134  # type: ignore[union-attr]


def test_correction_keypad_needs_a_reason(
    qtbot: QtBot, ui_service: ChartService, nurse: User
) -> None:
    from ui.dialogs.vitals import VitalsDialog

    sid = ui_service.busy_chairs(ui_service.clock.now())[2]
    entry = ui_service.state(sid).vitals[-1]
    dialog = VitalsDialog(ui_service, sid, nurse, correcting=entry)
    qtbot.addWidget(dialog)
    assert dialog.fields["systolic"].text() == "142"
    dialog.fields["systolic"].setText("124")
    dialog._save()
    assert "needs a reason" in dialog.message.text()
    dialog.reason.setText("transposed digits")
    dialog._save()
    assert dialog.saved[0].supersedes == entry.id


def test_discharge_waste_sign_off_and_addendum_from_the_window(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    from datetime import timedelta

    from ui.dialogs.discharge import AddendumEntry, SignOffEntry

    # Chair 2 (infusing since 22 min): stop it, observe, and discharge through the window.
    view, sid = open_view(qtbot, ui_service, nurse)
    clock = ui_service.clock
    clock.advance(minutes=20)  # type: ignore[attr-defined]
    monkeypatch.setattr("ui.dialogs.pump.StopDialog.ask", lambda *a, **k: (103.6, True, ""))
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert view.buttons["waste"].isVisible()  # 14 mg left in the vial is unaccounted
    # Sign-off is refused in words while criteria are missing.
    # (A refused signature reopens the form as typed: here the clinician then cancels.)
    reopened: list[Any] = []

    def sign_once(entry: SignOffEntry) -> Any:
        def ask(summary: str, username: str = "", parent: Any = None, previous: Any = None) -> Any:
            reopened.append(previous)
            return None if previous is not None else entry

        return ask

    monkeypatch.setattr(
        "ui.dialogs.discharge.SignOffDialog.ask",
        sign_once(SignOffEntry("drlee", "bedside-demo", "")),
    )
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert "Not yet possible" in shown_errors[-1] or "Not allowed" in shown_errors[-1]
    assert reopened[-1] == SignOffEntry("drlee", "bedside-demo", "")
    assert not ui_service.state(sid).locked
    from ui.dialogs.discharge import DischargeEntry, WasteEntry

    monkeypatch.setattr(
        "ui.dialogs.discharge.WasteDialog.ask",
        lambda *a, **k: WasteEntry(14.0, "vial", "sam", "bedside-demo"),
    )
    qtbot.keyClick(view, Qt.Key.Key_W)
    assert not view.buttons["waste"].isVisible()
    clock.advance(minutes=35)  # type: ignore[attr-defined]
    ui_service.record_vitals(
        nurse, sid, systolic=126, diastolic=80, heart_rate=76, spo2=98, resp_rate=14
    )
    from bedside.scales import ScaleName

    ui_service.score_scale(nurse, sid, ScaleName.MOAAS, {"response": 5})
    ui_service.score_scale(
        nurse,
        sid,
        ScaleName.CADSS6,
        dict.fromkeys(["item_01", "item_02", "item_06", "item_07", "item_15", "item_22"], 0),
    )
    # Charted elsewhere: the window reads the record again, as the board has it do when
    # another workstation charts (a judged step is never saved against a record it has not seen).
    view.refresh()
    full = {"activity": 2, "respiration": 2, "circulation": 2, "consciousness": 2, "spo2": 2}
    monkeypatch.setattr(
        "ui.dialogs.discharge.DischargeDialog.ask",
        lambda *a, **k: DischargeEntry(full, True, "Chris", True, True),
    )
    qtbot.keyClick(view, Qt.Key.Key_D)
    # Ready for discharge is a step of the session: asked first, and No leaves it observing.
    asked: list[str] = []
    ready_answers = [False, True]
    monkeypatch.setattr(
        "ui.common.operations.confirm",
        lambda parent, title, text: asked.append(text) or ready_answers.pop(0),
    )
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert ui_service.state(sid).phase.value == "observing"
    assert "ready for discharge" in asked[0]
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert ui_service.state(sid).phase.value == "ready_for_discharge"
    assert view.buttons["sign"].isDefault()
    # A nurse's credentials cannot sign the discharge.
    monkeypatch.setattr(
        "ui.dialogs.discharge.SignOffDialog.ask",
        sign_once(SignOffEntry("dana", "bedside-demo", "")),
    )
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert "not allowed to sign the discharge" in shown_errors[-1]
    monkeypatch.setattr(
        "ui.dialogs.discharge.SignOffDialog.ask",
        lambda *a, **k: SignOffEntry("drlee", "bedside-demo", ""),
    )
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert ui_service.state(sid).locked
    assert [n for n, b in view.buttons.items() if b.isVisible()] == ["addendum"]
    monkeypatch.setattr(
        "ui.dialogs.discharge.AddendumDialog.ask",
        lambda *a, **k: AddendumEntry(
            "Patient phoned: home safely.", "follow-up call", "bedside-demo"
        ),
    )
    qtbot.keyClick(view, Qt.Key.Key_U)
    assert ui_service.state(sid).addenda
    assert timedelta(minutes=1)


def test_prepared_session_shows_the_dose_and_starts_after_confirmation(
    qtbot: QtBot, ui_service: ChartService, nurse: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = ui_service.busy_chairs(ui_service.clock.now())[4]
    view = session_window(qtbot, ui_service, sid, nurse)
    panel = view.panel.text()
    assert "36 mg" in panel
    assert "155.4 mL/h" in panel
    assert "Dose = 0.5 mg/kg × 72 kg" in panel
    assert "lot <b>KX2291A</b>" in panel
    # vial leftovers may be wasted as soon as the bag is made up
    visible = {n for n, b in view.buttons.items() if b.isVisible()}
    assert visible == {"start", "note", "waste", "end"}
    asked: list[str] = []
    monkeypatch.setattr(
        "ui.common.operations.confirm", lambda parent, title, text: asked.append(text) or False
    )
    qtbot.keyClick(view, Qt.Key.Key_I)  # declined: nothing happens
    assert "155.4 mL/h" in asked[0]
    assert ui_service.state(sid).infusion.started_at is None
    monkeypatch.setattr("ui.common.operations.confirm", lambda parent, title, text: True)
    qtbot.keyClick(view, Qt.Key.Key_I)
    assert ui_service.state(sid).phase.value == "infusing"
    assert view.buttons["vitals"].isVisible()
    assert "Infusing 0:00" in view.panel.text()


def test_k_opens_the_patients_course(
    qtbot: QtBot, ui_service: ChartService, nurse: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.course.view import CourseView

    shown: list[CourseView] = []
    monkeypatch.setattr(CourseView, "exec", lambda self: shown.append(self) or 0)
    view, sid = open_view(qtbot, ui_service, nurse)
    qtbot.keyClick(view, Qt.Key.Key_K)
    assert len(shown) == 1
    summary = shown[0].summary
    assert summary is not None
    assert summary.patient.id == ui_service.context(sid).patient.id


def test_rate_change_slower_is_saved_faster_is_refused(
    qtbot: QtBot,
    ui_service: ChartService,
    nurse: User,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[str],
) -> None:
    view, sid = open_view(qtbot, ui_service, nurse)
    assert view.buttons["rate"].isVisible()
    answers: list[tuple[float, str] | None] = [(200.0, "faster"), None]
    asked: list[object] = []

    def rate(*a: Any, previous: object = None, **k: Any) -> tuple[float, str] | None:
        asked.append(previous)
        return answers.pop(0)

    monkeypatch.setattr("ui.dialogs.pump.RateDialog.ask", rate)
    qtbot.keyClick(view, Qt.Key.Key_T)
    assert "faster than the planned" in shown_errors[-1]
    assert asked == [None, (200.0, "faster")]  # reopened as typed; then cancelled
    assert kinds(ui_service, sid)[-1] != "rate_changed"
    monkeypatch.setattr(
        "ui.dialogs.pump.RateDialog.ask", lambda *a, **k: (100.0, "dissociation, slowed")
    )
    qtbot.keyClick(view, Qt.Key.Key_T)
    assert kinds(ui_service, sid)[-1] == "rate_changed"
    assert ui_service.state(sid).infusion.segments[-1].rate_ml_h == 100.0


def test_a_part_bag_stop_is_refused_as_finished_and_reopens_as_typed(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    """69 mL of the bag with "stopped early" unticked would record the whole dose as given:
    refused in words, the form back as typed, then saved once marked early with the reason."""
    view, sid = open_view(qtbot, ui_service, nurse)

    def again(dialog: StopDialog) -> None:
        assert dialog.volume.value() == 69.0
        dialog.early.setChecked(True)
        dialog.reason.setText("patient asked to stop")
        dialog.accept()

    def first(dialog: StopDialog) -> None:
        dialog.volume.setValue(69.0)
        dialog.early.setChecked(False)  # a tired nurse unticks it
        dialog.finished.connect(lambda _: answer_modal(StopDialog, again))
        dialog.accept()

    answer_modal(StopDialog, first)
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert "not a finished bag" in shown_errors[-1]
    stopped = ui_service.state(sid).infusion
    assert stopped.stopped_at is not None
    (event,) = [e for e in ui_service.state(sid).events if e.kind == "infusion_stopped"]
    assert (event.payload.completed, event.payload.reason) == (False, "patient asked to stop")  # type: ignore[union-attr]


def test_a_refused_sign_off_reopens_as_typed_but_for_the_password(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    """A wrong password or a missing reason sends the form back as it was typed (the
    password excepted: a signature is given afresh), instead of closing it."""
    sid = ui_service.busy_chairs(ui_service.clock.now())[3]  # ready for discharge
    view = session_window(qtbot, ui_service, sid, nurse)
    seen: dict[str, Any] = {}

    def again(dialog: SignOffDialog) -> None:
        seen["again"] = (dialog.username.text(), dialog.password.text(), dialog.override.text())
        dialog.reject()

    def first(dialog: SignOffDialog) -> None:
        dialog.username.setText("drlee")
        dialog.password.setText("wrong-password")
        dialog.override.setText("escort waiting outside")
        dialog.finished.connect(lambda _: answer_modal(SignOffDialog, again))
        dialog.accept()

    answer_modal(SignOffDialog, first)
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert shown_errors  # the refusal, in words
    assert seen["again"] == ("drlee", "", "escort waiting outside")
    assert not ui_service.state(sid).locked


def test_the_pump_volume_is_typed_straight_over_its_prompt(qtbot: QtBot) -> None:
    """The stop form's volume shows a prompt until read; the digits typed replace it (they
    used to be ignored until the prompt was selected by hand)."""
    dialog = StopDialog(103.6, 101.0)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.volume.setFocus()
    qtbot.keyClicks(dialog.volume, "98.5")
    assert dialog.volume.value() == 98.5
    assert dialog.early.isChecked()  # less than the bag: stopped early, said at once
