"""Admin protocol screen: models pass Qt's tester; an edit makes a new stored version; bad
values and non-admins are refused by the domain, in words, with nothing saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from bedside.people import User
from bedside.service import ChartService
from ui.admin.protocol import ProtocolDialog
from ui.admin.protocol_model import (
    VALUE_COLUMN,
    KeyRole,
    ProtocolHistoryModel,
    ProtocolSettingsModel,
    VerifyRole,
)


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    errors: list[str] = []
    monkeypatch.setattr("ui.common.operations.show_error", lambda parent, e: errors.append(str(e)))
    monkeypatch.setattr("ui.common.operations.confirm", lambda parent, title, text: True)
    return errors


@pytest.fixture
def admin(ui_service: ChartService) -> User:
    return ui_service.accounts.authenticate("admin", "bedside-demo")


def _approve_newest(service: ChartService) -> None:
    """A clinical change takes effect when a clinician approves it (issue 10, item 11)."""
    clinician = service.accounts.authenticate("drlee", "bedside-demo")
    newest = service.store.protocol_versions()[0]
    service.approve_protocol_version(
        clinician, "bedside-demo", newest.id, "Agreed at the clinical meeting"
    )


def _row_of(model: ProtocolSettingsModel, key: str) -> int:
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data(KeyRole) == key)


def _type_value(dialog: ProtocolDialog, key: str, text: str) -> None:
    index = dialog.model.index(_row_of(dialog.model, key), VALUE_COLUMN)
    assert dialog.model.setData(index, text, Qt.ItemDataRole.EditRole)


def test_settings_model_passes_the_model_tester_and_filters(
    qtmodeltester: ModelTester, ui_service: ChartService
) -> None:
    _, protocol = ui_service.ensure_protocol()
    model = ProtocolSettingsModel()
    model.set_protocol(protocol)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Dosing"  # a group title row
    dose = model.index(_row_of(model, "dosing.max_mg_per_kg"), 0)
    assert dose.siblingAtColumn(VALUE_COLUMN).data() == "1"
    assert dose.siblingAtColumn(2).data() == "mg/kg"
    assert dose.siblingAtColumn(3).data() == "above 0, up to 2 mg/kg"
    assert "Fava 2018" in dose.siblingAtColumn(4).data()

    model.set_filter(verify_only=True)
    qtmodeltester.check(model)
    keys = [model.index(r, 0).data(KeyRole) for r in range(model.rowCount())]
    flagged = [k for k in keys if k]
    assert flagged
    # The alert limits sourced second-hand, and the two pump tolerances that have no source.
    unsourced = {"dosing.weight_tolerance_kg", "dosing.bag_overrun_ml"}
    assert unsourced <= set(flagged)
    # The monitoring-discipline defaults of issue 10 are app conventions (CLINICAL.md §13).
    conventions = {
        "dosing.pump_overrun_fraction",
        "monitoring.recheck_after_alert_min",
        "monitoring.overdue_red_after_min",
        "monitoring.overdue_urgent_after_min",
        "monitoring.mandatory_deferral",
        "monitoring.baseline_max_age_min",
        "discharge.systolic_max",
        "discharge.diastolic_max",
        "discharge.vitals_max_age_min",
        "monitoring.max_failed_sign_ins",  # issue 11: the account lock, an app convention
    }
    assert conventions <= set(flagged)
    assert all(
        k.startswith(("alerts.do_not_start", "alerts.pause"))
        for k in set(flagged) - unsourced - conventions
    )
    row = _row_of(model, "alerts.pause.systolic_max")
    assert model.index(row, 0).data(VerifyRole) is True
    assert "⚠" in model.index(row, 0).data()
    assert "[verify]" in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)

    model.set_filter("escort")
    assert [k for k in (model.index(r, 0).data(KeyRole) for r in range(model.rowCount())) if k] == [
        "discharge.require_escort"
    ]
    model.set_filter(section="alerts", show_unset=True)
    qtmodeltester.check(model)
    assert model.index(_row_of(model, "alerts.pause.diastolic_min"), 1).data() == "not set"


def test_history_model_passes_the_model_tester(
    qtmodeltester: ModelTester, ui_service: ChartService, admin: User
) -> None:
    ui_service.new_protocol_version(admin, {"dosing.max_mg_per_kg": 0.75})
    _approve_newest(ui_service)
    model = ProtocolHistoryModel(ui_service.timezone)
    model.set_versions(ui_service.store.protocol_versions(), {str(admin.id): admin.display_name})
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(0, 0).data() == "2  (current)"
    assert model.index(0, 2).data() == admin.display_name
    assert model.index(0, 4).data() == "dosing.max_mg_per_kg: 1 → 0.75"
    assert model.index(1, 4).data() == "first version"


def test_admin_edit_creates_a_new_version(
    qtbot: QtBot, ui_service: ChartService, admin: User, shown_errors: list[str]
) -> None:
    first_id, first = ui_service.ensure_protocol()
    dialog = ProtocolDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    assert f"Version {first.version} (current version)" in dialog.version_line.text()
    assert not dialog.save_button.isEnabled()

    dialog.begin_edit()
    assert dialog.model.editable
    _type_value(dialog, "alerts.notify.systolic_max", "149")
    _type_value(dialog, "monitoring.mandatory_bp_at_min", "")
    assert dialog.save_button.isEnabled()
    assert "2 values changed" in dialog.status.text()
    dialog.save()

    assert shown_errors == []
    versions = ui_service.store.protocol_versions()
    assert [v.protocol.version for v in versions] == [first.version + 1, first.version]
    new = versions[0].protocol
    assert new.alerts.notify.systolic_max == 149
    assert new.monitoring.mandatory_bp_at_min is None
    assert ui_service.store.protocol(first_id) == first  # the old version is untouched
    assert dialog.history.rowCount() == 2
    assert "PENDING APPROVAL" in dialog.version_line.text()  # a clinical change waits
    _approve_newest(ui_service)
    dialog.refresh()
    assert f"Version {first.version + 1} (current version)" in dialog.version_line.text()
    assert versions[0].hash in dialog.identity.text()
    assert str(versions[0].id) in dialog.identity.text()
    assert dialog.model.pending() == {}

    dialog.show_version(1)  # the earlier version can still be read, not changed
    assert "earlier version, read-only" in dialog.version_line.text()
    assert not dialog.model.editable


def test_out_of_range_value_is_refused_naming_field_and_range(
    qtbot: QtBot, ui_service: ChartService, admin: User, shown_errors: list[str]
) -> None:
    dialog = ProtocolDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    dialog.begin_edit()
    _type_value(dialog, "dosing.max_mg_per_kg", "5")
    # Marked as soon as it is typed, with the domain's words on hover.
    problems = dialog.model.problems()
    assert "up to 2 mg/kg" in problems["dosing.max_mg_per_kg"]
    dialog.save()

    assert len(shown_errors) == 1
    assert "dosing.max_mg_per_kg" in shown_errors[0]
    assert "Highest dose that may be ordered" in shown_errors[0]
    assert "up to 2 mg/kg" in shown_errors[0]
    assert len(ui_service.store.protocol_versions()) == 1  # nothing saved
    assert dialog.model.pending() == {"dosing.max_mg_per_kg": "5"}  # still there to correct
    assert "Not saved" in dialog.status.text()


def test_typo_in_an_alert_limit_is_refused(
    qtbot: QtBot, ui_service: ChartService, admin: User, shown_errors: list[str]
) -> None:
    dialog = ProtocolDialog(ui_service, admin)
    qtbot.addWidget(dialog)
    dialog.begin_edit()
    _type_value(dialog, "alerts.pause.systolic_max", "1800")
    dialog.save()
    assert "alerts.pause.systolic_max" in shown_errors[-1]
    assert "40–300 mmHg" in shown_errors[-1]
    assert len(ui_service.store.protocol_versions()) == 1


def test_a_nurse_reads_but_is_refused_in_words(
    qtbot: QtBot, ui_service: ChartService, nurse: User, shown_errors: list[str]
) -> None:
    dialog = ProtocolDialog(ui_service, nurse)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() > 40  # everything is readable

    dialog.begin_edit()
    assert "not allowed to change the protocol" in shown_errors[-1]
    assert not dialog.model.editable
    assert "Read-only" in dialog.status.text()

    # Even if the window were driven past the view (a stale window after a role change), the
    # domain refuses the save.
    dialog.model.set_editable(True)
    _type_value(dialog, "dosing.max_mg_per_kg", "0.75")
    dialog.save()
    assert "not allowed to change the protocol" in shown_errors[-1]
    assert len(ui_service.store.protocol_versions()) == 1
