"""The receiving clinic's administrator, who confirms the people a session log names that the
clinic has no account for (issue 11, item 2: a file cannot give anyone a role by itself)."""

from __future__ import annotations

from datetime import UTC, datetime

from bedside.clock import FixedClock
from bedside.people import Role, User
from bedside.service import ChartService
from bedside.store import Store
from ui.demo.staff import DEMO_PASSWORD

SET_UP_AT = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def receiving_admin(store: Store) -> User:
    """An active administrator of ``store``'s clinic; a database with no clinic yet gets one
    set up (UTC), as IT would with ``bedside init`` before importing."""
    admin = next((u for u in store.users() if u.role is Role.ADMIN and u.active), None)
    if admin is not None:
        return admin
    return ChartService(store, FixedClock(SET_UP_AT)).set_up_clinic(
        clinic_name="Receiving clinic",
        clinic_address="",
        timezone="UTC",
        paper_size="A4",
        admin_username="receiving-admin",
        admin_full_name="Robin Receiver",
        admin_password=DEMO_PASSWORD,
    )
