"""Patients, users and roles."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, field_serializer, field_validator

from bedside.allergies import AllergyStatus
from bedside.ids import PatientId, UserId
from bedside.model_config import FROZEN


class Role(StrEnum):
    """Local account roles (ARCHITECTURE.md, "Users, roles, signatures")."""

    NURSE = "nurse"
    CLINICIAN = "clinician"
    ADMIN = "admin"


class Permission(StrEnum):
    """What an operation needs. Checked in the domain (bedside.accounts), not by the UI."""

    CHART = "chart"
    OVERRIDE = "override"
    SIGN_DISCHARGE = "sign_discharge"
    ORDER_COURSE = "order_course"
    CONFIRM_CONSENT = "confirm_consent"
    WITNESS = "witness"
    MANAGE_USERS = "manage_users"
    MANAGE_PROTOCOL = "manage_protocol"
    REGISTER_PATIENT = "register_patient"
    MANAGE_CLINIC = "manage_clinic"
    APPROVE_PROTOCOL = "approve_protocol"
    """Put a protocol version that changes clinical settings into effect (a clinician's act)."""
    RESTORE_BACKUP = "restore_backup"
    """Put a backup in place of the database from the app (the command line is IT's, by the
    operating system's own permissions on the file)."""


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.NURSE: frozenset({Permission.CHART, Permission.WITNESS, Permission.REGISTER_PATIENT}),
    Role.CLINICIAN: frozenset(
        {
            Permission.CHART,
            Permission.WITNESS,
            Permission.REGISTER_PATIENT,
            Permission.OVERRIDE,
            Permission.SIGN_DISCHARGE,
            Permission.ORDER_COURSE,
            Permission.CONFIRM_CONSENT,
            Permission.APPROVE_PROTOCOL,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.MANAGE_PROTOCOL,
            Permission.MANAGE_CLINIC,
            Permission.REGISTER_PATIENT,
            Permission.RESTORE_BACKUP,
        }
    ),
}


class User(BaseModel):
    """A local account. The password hash never leaves the store."""

    model_config = FROZEN

    id: UserId
    username: str = Field(min_length=2, max_length=40, pattern=r"^[a-z0-9._-]+$")
    full_name: str = Field(min_length=1, max_length=120)
    role: Role
    credentials: str = Field(default="", max_length=40, description="e.g. RN, MD")
    active: bool = True

    def can(self, permission: Permission) -> bool:
        """Whether this user's role grants ``permission`` (inactive users can do nothing)."""
        return self.active and permission in ROLE_PERMISSIONS[self.role]

    @property
    def display_name(self) -> str:
        """Printed name for signatures: "Dana Reyes, RN"."""
        return f"{self.full_name}, {self.credentials}" if self.credentials else self.full_name


Sex = Literal["female", "male", "other", "unknown"]


class Patient(BaseModel):
    """Demographics and the safety facts every session needs.

    ``allergies`` is a fact with a state (unknown, no known drug allergies, or a list), never
    a blank: it has no default. A record written as a plain list (before allergies had a
    state) is read as :meth:`AllergyStatus.from_legacy` says and written back unchanged.
    """

    model_config = FROZEN

    id: PatientId
    mrn: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")
    family_name: str = Field(min_length=1, max_length=80)
    given_name: str = Field(min_length=1, max_length=80)
    date_of_birth: date
    sex: Sex
    allergies: AllergyStatus
    current_medicines: tuple[str, ...] = ()
    phone: str = Field(default="", max_length=40)

    @field_validator("allergies", mode="before")
    @classmethod
    def _legacy_allergy_list(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return AllergyStatus.from_legacy([str(v) for v in value])
        return value

    @field_serializer("allergies")
    def _write_allergies(self, status: AllergyStatus) -> object:
        legacy = status.legacy_list()
        return legacy if legacy is not None else status

    @field_validator("current_medicines", mode="before")
    @classmethod
    def _strip_blank(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return tuple(str(v).strip() for v in value if str(v).strip())
        return value

    @field_validator("date_of_birth")
    @classmethod
    def _plausible_birth(cls, value: date) -> date:
        if value.year < 1900:
            raise ValueError(f"date of birth {value.isoformat()} is before 1900")
        return value

    @property
    def display_name(self) -> str:
        """ "FAMILY, Given" as clinical records print it."""
        return f"{self.family_name.upper()}, {self.given_name}"

    def age_on(self, day: date) -> int:
        """Age in whole years on ``day``."""
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years
