"""The demo clinic's people and settings: one account of each role (all with the password
``bedside-demo``), a second nurse for double-checks, and the clinic's name and address."""

from __future__ import annotations

from dataclasses import dataclass

from bedside.demo_mark import DEMO_SETTING, DEMO_VALUE
from bedside.errors import OperationRefused
from bedside.people import Role, User
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.demo_path import refuse_clinic_path
from bedside.store.server import SERVER_URL_SETTING

DEMO_PASSWORD = "bedside-demo"
DEMO_TIMEZONE = "America/New_York"
SIGNATURE_STROKES = [
    [(0.05, 0.7), (0.15, 0.3), (0.25, 0.75), (0.35, 0.35), (0.45, 0.7)],
    [(0.5, 0.5), (0.7, 0.45), (0.9, 0.55)],
]


@dataclass
class DemoStaff:
    """The demo accounts (all with password ``bedside-demo``)."""

    admin: User
    nurse: User
    nurse2: User
    clinician: User


def create_staff(service: ChartService) -> DemoStaff:
    """One account per role, plus a second nurse for double-checks and witnessing."""
    acc = service.accounts
    admin = acc.create_user(
        None, username="admin", full_name="Avery Admin", role=Role.ADMIN, password=DEMO_PASSWORD
    )
    nurse = acc.create_user(
        admin,
        username="dana",
        full_name="Dana Reyes",
        role=Role.NURSE,
        password=DEMO_PASSWORD,
        credentials="RN",
    )
    nurse2 = acc.create_user(
        admin,
        username="sam",
        full_name="Sam Okafor",
        role=Role.NURSE,
        password=DEMO_PASSWORD,
        credentials="RN",
    )
    clinician = acc.create_user(
        admin,
        username="drlee",
        full_name="Jordan Lee",
        role=Role.CLINICIAN,
        password=DEMO_PASSWORD,
        credentials="MD",
    )
    return DemoStaff(admin, nurse, nurse2, clinician)


def refuse_unless_new_demo(store: Store) -> None:
    """Refuse, before anything is written, to put the demo's public accounts anywhere but a
    new database of its own: never into the clinic's database file, never beside a clinic's
    (or an earlier demo's) accounts.

    Raises
    ------
    OperationRefused
        Saying which, and where the demo belongs.
    """
    refuse_clinic_path(store.path)
    if store.get_setting(SERVER_URL_SETTING, ""):
        raise OperationRefused(
            "This database joined a clinic server: the demo's accounts, whose password is "
            "public, would reach every workstation. Make the demo in a database of its own "
            "(bedside demo --db FILE); nothing was changed."
        )
    if store.has_users():
        if store.is_demo():
            raise OperationRefused("This database already has users: it holds the demo clinic.")
        raise OperationRefused(
            "This database already has users: it holds a clinic that is not the demo, and the "
            "demo is only created in an empty database of its own; nothing was changed."
        )


def set_up_clinic(service: ChartService, settings: dict[str, str]) -> DemoStaff:
    """Store the clinic ``settings`` (e.g. ``timezone``, ``clinic_name``), marked as a demo
    (its accounts have a public password: titles and printouts must say DEMO), create the demo
    staff and put the default protocol in force, at the service clock's time. Refused in an
    existing clinic's database (:func:`refuse_unless_new_demo`)."""
    refuse_unless_new_demo(service.store)
    marked = {**settings, DEMO_SETTING: DEMO_VALUE}
    service.store.set_settings(marked, actor=None, at=service.clock.now())
    staff = create_staff(service)
    service.ensure_protocol(staff.admin)
    return staff


def demo_settings(timezone: str) -> dict[str, str]:
    """The demo clinic's settings: its name and address, in ``timezone``."""
    return {
        "timezone": timezone,
        "clinic_name": "Riverside Ketamine Clinic (demo)",
        "clinic_address": "100 River Road, Springfield",
    }
