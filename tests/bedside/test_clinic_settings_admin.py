"""Issue 13 item 8: everything an admin sets for the clinic, in one place and audited.

A workstation's readable name (keyed by its id, the host name) is a clinic setting, checked and
audited like the others. The idle lock and the chairs stay in the versioned protocol: saved from
the clinic settings they make a new protocol version by the protocol's own path and limits.
Only an admin may change any of it, and a refused save leaves everything as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bedside import app_log
from bedside.errors import InputRejected, PermissionDenied
from bedside.protocol_approval import VersionStatus
from bedside.protocol_settings import allowed_text
from bedside.service import ChartService
from bedside.service.clinic_settings import WORKSTATION_NAME_MAX
from ui.demo import DemoStaff

IDLE = "monitoring.idle_lock_min"
CHAIRS = "monitoring.chairs"
KEY = "workstation_name:chair-pc-2"


def _audit_rows(service: ChartService) -> int:
    return len(service.store.audit_entries())


def test_an_admin_names_this_workstation_and_it_is_audited(
    service: ChartService, staff: DemoStaff
) -> None:
    assert service.workstation_name("chair-pc-2") == ""
    changed = service.name_workstation(staff.admin, "chair-pc-2", "  Chair room   PC 2 ")
    assert changed == {KEY: ("", "Chair room PC 2")}
    assert service.workstation_name("chair-pc-2") == "Chair room PC 2"
    assert service.workstation_name("office-pc") == ""  # each workstation keeps its own
    entry = service.store.audit_entries()[-1]
    assert (entry["action"], entry["actor"]) == ("settings_changed", staff.admin.id)
    assert entry["detail"] == {KEY: "Chair room PC 2", f"{KEY}_before": ""}
    rows = _audit_rows(service)
    assert service.name_workstation(staff.admin, "chair-pc-2", "Chair room PC 2") == {}
    assert _audit_rows(service) == rows  # nothing changed, nothing audited
    service.name_workstation(staff.admin, "chair-pc-2", "Chair room PC 3")
    assert service.store.audit_entries()[-1]["detail"] == {
        KEY: "Chair room PC 3",
        f"{KEY}_before": "Chair room PC 2",
    }


@pytest.mark.parametrize("name", ["", "   ", "x" * (WORKSTATION_NAME_MAX + 1)])
def test_a_bad_workstation_name_is_refused_naming_the_field_and_range(
    service: ChartService, staff: DemoStaff, name: str
) -> None:
    rows = _audit_rows(service)
    with pytest.raises(InputRejected, match="Workstation name must have 1–40 characters"):
        service.name_workstation(staff.admin, "chair-pc-2", name)
    assert service.workstation_name("chair-pc-2") == ""
    assert _audit_rows(service) == rows
    longest = "x" * WORKSTATION_NAME_MAX
    assert service.name_workstation(staff.admin, "chair-pc-2", longest) == {KEY: ("", longest)}


def test_only_an_admin_may_change_the_settings(service: ChartService, staff: DemoStaff) -> None:
    pid, protocol = service.ensure_protocol()
    before = service.clinic_settings()
    rows = _audit_rows(service)
    for user in (staff.nurse, staff.clinician):
        with pytest.raises(PermissionDenied, match="not allowed"):
            service.name_workstation(user, "chair-pc-2", "Chair room PC 2")
        with pytest.raises(PermissionDenied, match="not allowed"):
            service.save_clinic_settings(
                user, clinic={"paper_size": "Letter"}, protocol={IDLE: "10"}
            )
    assert service.clinic_settings() == before
    assert service.workstation_name("chair-pc-2") == ""
    assert service.ensure_protocol() == (pid, protocol)
    assert _audit_rows(service) == rows


def test_idle_lock_and_chairs_are_a_new_protocol_version_in_effect_at_once(
    service: ChartService, staff: DemoStaff
) -> None:
    _, before = service.ensure_protocol()
    saved = service.save_clinic_settings(staff.admin, clinic={}, protocol={IDLE: "10", CHAIRS: "6"})
    assert saved.settings == {}
    assert saved.protocol is not None
    assert saved.protocol.changes == {IDLE: (before.monitoring.idle_lock_min, 10), CHAIRS: (4, 6)}
    assert saved.protocol.pending == ()
    assert saved.protocol.version == before.version + 1
    pid, now = service.ensure_protocol()
    assert pid == saved.protocol.protocol_id
    assert (now.monitoring.idle_lock_min, now.monitoring.chairs) == (10, 6)
    newest = service.store.protocol_versions()[0]
    assert (newest.status, newest.created_by) == (VersionStatus.IN_EFFECT, staff.admin.id)
    # Nothing else moved: the same path as Admin ▸ Protocol, with only these two values.
    expected = before.model_copy(
        update={
            "version": before.version + 1,
            "monitoring": before.monitoring.model_copy(update={"idle_lock_min": 10, "chairs": 6}),
        }
    )
    assert now.model_dump() == expected.model_dump()
    added, in_effect = service.store.audit_entries()[-2:]
    assert (added["action"], added["actor"]) == ("protocol_added", staff.admin.id)
    assert added["detail"]["version"] == before.version + 1
    assert in_effect["action"] == "protocol_in_effect"


def test_an_unchanged_value_makes_no_version(service: ChartService, staff: DemoStaff) -> None:
    pid, protocol = service.ensure_protocol()
    saved = service.save_clinic_settings(staff.admin, clinic={}, protocol={CHAIRS: "4"})
    assert saved.protocol is None
    assert service.ensure_protocol() == (pid, protocol)


def test_a_bad_value_anywhere_saves_nothing_and_names_the_protocols_range(
    service: ChartService, staff: DemoStaff
) -> None:
    pid, protocol = service.ensure_protocol()
    before = service.clinic_settings()
    rows = _audit_rows(service)
    everything = {
        "clinic": {"clinic_name": "Lakeside Infusion Centre", "paper_size": "Letter"},
        "workstation": "chair-pc-2",
        "workstation_name": "Chair room PC 2",
    }
    with pytest.raises(InputRejected) as refused:
        service.save_clinic_settings(staff.admin, **everything, protocol={CHAIRS: "30"})
    assert "(monitoring.chairs) = 30 is not allowed" in str(refused.value)
    assert allowed_text(CHAIRS) in str(refused.value)  # the protocol's own Field limits
    with pytest.raises(InputRejected, match="Workstation name must have 1–40 characters"):
        service.save_clinic_settings(
            staff.admin, **{**everything, "workstation_name": " "}, protocol={IDLE: "10"}
        )
    with pytest.raises(InputRejected, match="Paper size must be A4 or Letter"):
        service.save_clinic_settings(
            staff.admin, **{**everything, "clinic": {"paper_size": "A3"}}, protocol={IDLE: "10"}
        )
    assert service.clinic_settings() == before
    assert service.workstation_name("chair-pc-2") == ""
    assert service.ensure_protocol() == (pid, protocol)
    assert len(service.store.protocol_versions()) == 1
    assert _audit_rows(service) == rows


def test_everything_in_one_save_is_audited_with_the_values_before(
    service: ChartService, staff: DemoStaff
) -> None:
    saved = service.save_clinic_settings(
        staff.admin,
        clinic={"paper_size": "Letter"},
        workstation="chair-pc-2",
        workstation_name="Chair room PC 2",
        protocol={IDLE: "15"},
    )
    assert saved.settings == {"paper_size": ("A4", "Letter"), KEY: ("", "Chair room PC 2")}
    settings_row, protocol_row, _in_effect = service.store.audit_entries()[-3:]
    assert settings_row["action"] == "settings_changed"
    assert settings_row["detail"] == {
        "paper_size": "Letter",
        "paper_size_before": "A4",
        KEY: "Chair room PC 2",
        f"{KEY}_before": "",
    }
    assert protocol_row["action"] == "protocol_added"
    assert {settings_row["actor"], protocol_row["actor"]} == {staff.admin.id}


def test_a_pending_clinical_version_makes_the_idle_change_wait_with_it(
    service: ChartService, staff: DemoStaff
) -> None:
    in_effect_id, in_effect = service.ensure_protocol()
    service.new_protocol_version(staff.admin, {"dosing.max_mg_per_kg": "0.75"})
    saved = service.save_clinic_settings(staff.admin, clinic={}, protocol={IDLE: "10"})
    assert saved.protocol is not None
    assert saved.protocol.pending == ("dosing.max_mg_per_kg",)
    assert service.store.protocol_versions()[0].status is VersionStatus.PENDING
    assert service.ensure_protocol() == (in_effect_id, in_effect)


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[app_log.LogSetup]:
    """The log set up in a folder of the test's own, taken down after."""
    setup = app_log.setup(tmp_path / "log", workstation="chair-pc-2")
    yield setup
    app_log.shutdown()


def test_log_lines_carry_the_workstation_name_after_its_id(logged: app_log.LogSetup) -> None:
    assert app_log.label_workstation("Chair room PC 2") == "Chair room PC 2"
    logging.getLogger("bedside.test").info("named")
    assert app_log.label_workstation("") == app_log.workstation_id()
    logging.getLogger("bedside.test").info("unnamed")
    logged.handler.flush()
    lines = logged.path.read_text(encoding="utf-8").splitlines()
    assert lines[-2].endswith("ws=chair-pc-2 (Chair room PC 2) named")
    assert lines[-1].endswith("ws=chair-pc-2 unnamed")
