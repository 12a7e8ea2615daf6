"""Issue 11, item 1: the clinic's time zone is chosen when the clinic is set up, stored, shown
and changed by an admin (audited); each session keeps the zone it was opened under, and a
database without a zone opens no session (it says how to set it)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bedside.clock import FixedClock
from bedside.errors import InputRejected, OperationRefused, PermissionDenied
from bedside.people import Role
from bedside.service import ChartService
from bedside.store import Store
from tests.bedside.clinic_support import patient_with_course
from ui.demo import create_staff

PW = "long-enough-pw-1"
T = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def new_clinic(store: Store, zone: str = "Europe/London") -> ChartService:
    service = ChartService(store, FixedClock(T))
    service.set_up_clinic(
        clinic_name="Lakeside Infusion Centre",
        timezone=zone,
        admin_username="boss",
        admin_full_name="Pat Boss",
        admin_password=PW,
    )
    return service


def test_setting_up_a_clinic_stores_its_zone_admin_and_protocol(store: Store) -> None:
    service = new_clinic(store, "Australia/Perth")
    assert service.clinic_settings() == {
        "clinic_name": "Lakeside Infusion Centre",
        "clinic_address": "",
        "paper_size": "A4",
        "timezone": "Australia/Perth",
        # the backup schedule's defaults (issue 13 item 4): beside the database, every 4 hours
        "backup_folder": "",
        "backup_every_hours": "4",
        "backup_keep_daily": "7",
        "backup_keep_weekly": "4",
        "backup_warn_after_hours": "26",
    }
    assert service.timezone == "Australia/Perth"
    [admin] = store.users()
    assert (admin.username, admin.role) == ("boss", Role.ADMIN)
    assert store.current_protocol() is not None


@pytest.mark.parametrize(
    ("zone", "words"),
    [
        ("", "Time zone is needed"),
        ("EST", "'EST' is not a known zone name"),
        ("Mars/Olympus", "'Mars/Olympus' is not a known zone name"),
        ("Europe/London" * 10, "is not a known zone name"),
    ],
)
def test_a_bad_zone_is_refused_and_nothing_is_written(store: Store, zone: str, words: str) -> None:
    service = ChartService(store, FixedClock(T))
    with pytest.raises(InputRejected, match=words):
        service.set_up_clinic(
            clinic_name="Lakeside",
            timezone=zone,
            admin_username="boss",
            admin_full_name="Pat Boss",
            admin_password=PW,
        )
    assert not store.has_users()
    assert store.get_setting("timezone", "") == ""
    assert store.current_protocol() is None


def test_a_second_set_up_is_refused(store: Store) -> None:
    service = new_clinic(store)
    with pytest.raises(OperationRefused, match="already has a clinic"):
        service.set_up_clinic(
            clinic_name="Other",
            timezone="UTC",
            admin_username="eve",
            admin_full_name="Eve",
            admin_password=PW,
        )
    assert service.timezone == "Europe/London"
    assert [u.username for u in store.users()] == ["boss"]


def test_without_a_zone_no_session_opens_and_the_admin_is_told_how(store: Store) -> None:
    service = ChartService(store, FixedClock(T))
    staff = create_staff(service)
    service.ensure_protocol(staff.admin)
    patient = patient_with_course(service, staff, "MRN-TZ")
    with pytest.raises(OperationRefused) as refused:
        service.open_session(staff.nurse, patient_id=patient.id, chair=1)
    assert "time zone is not set" in str(refused.value)
    assert "Admin ▸ Clinic settings" in str(refused.value)
    assert store.all_sessions() == []
    service.update_clinic_settings(staff.admin, timezone="America/Chicago")
    change = service.open_session(staff.nurse, patient_id=patient.id, chair=1)
    assert change.context.state.opened.clinic_timezone == "America/Chicago"


def test_a_new_zone_applies_to_new_sessions_and_each_keeps_its_own(store: Store) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 23, 30, tzinfo=UTC))
    service = ChartService(store, clock)
    store.set_settings({"timezone": "Europe/London"}, actor=None, at=clock.now())
    staff = create_staff(service)
    service.ensure_protocol(staff.admin)
    first = patient_with_course(service, staff, "MRN-A")
    second = patient_with_course(service, staff, "MRN-B")
    before = service.open_session(staff.nurse, patient_id=first.id, chair=1).session_id
    changed = service.update_clinic_settings(staff.admin, timezone="Asia/Tokyo")
    assert changed == {"timezone": ("Europe/London", "Asia/Tokyo")}
    audit = store.audit_entries()[-1]
    assert audit["action"] == "settings_changed"
    assert audit["detail"] == {"timezone": "Asia/Tokyo", "timezone_before": "Europe/London"}
    assert audit["actor"] == staff.admin.id
    after = service.open_session(staff.nurse, patient_id=second.id, chair=2).session_id
    old, new = service.context(before), service.context(after)
    assert old.state.opened.clinic_timezone == "Europe/London"
    assert old.header.local_date == date(2026, 11, 24)  # 23:30 in London
    assert new.state.opened.clinic_timezone == "Asia/Tokyo"
    assert new.header.local_date == date(2026, 11, 25)  # 08:30 in Tokyo
    # The same value again changes nothing and writes no audit row.
    rows = len(store.audit_entries())
    assert service.update_clinic_settings(staff.admin, timezone="Asia/Tokyo") == {}
    assert len(store.audit_entries()) == rows


def test_only_an_admin_changes_the_zone(store: Store) -> None:
    service = new_clinic(store)
    nurse = service.accounts.create_user(
        store.users()[0], username="kim", full_name="Kim Lo", role=Role.NURSE, password=PW
    )
    with pytest.raises(PermissionDenied):
        service.update_clinic_settings(nurse, timezone="UTC")
    with pytest.raises(InputRejected, match="not a known zone"):
        service.update_clinic_settings(store.users()[0], timezone="GMT+1")
    assert service.timezone == "Europe/London"


def test_the_zone_gives_each_instant_its_clinic_date(store: Store) -> None:
    # 01:00 UTC is still the previous evening in New York: the session is listed on that day.
    clock = FixedClock(datetime(2026, 11, 25, 1, 0, tzinfo=UTC))
    service = ChartService(store, clock)
    store.set_settings({"timezone": "America/New_York"}, actor=None, at=clock.now())
    staff = create_staff(service)
    service.ensure_protocol(staff.admin)
    patient = patient_with_course(service, staff, "MRN-NY")
    sid = service.open_session(staff.nurse, patient_id=patient.id, chair=1).session_id
    header = service.context(sid).header
    assert header.local_date == date(2026, 11, 24)
    assert header.opened_at.astimezone(ZoneInfo("America/New_York")).hour == 20
