"""Clinic settings, the audit log, accounts and patients."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bedside.allergies import AllergyStatus
from bedside.canonical import canonical_json
from bedside.demo_mark import DEMO_SETTING, DEMO_VALUE
from bedside.errors import StoreError
from bedside.ids import EventId, PatientId, SessionId, UserId
from bedside.people import Patient, User
from bedside.store.base import StoreBase
from bedside.text_fold import fold_text
from bedside.timeutil import iso_utc, parse_iso

USER_COLUMNS = "id, username, full_name, role, credentials, active, password_hash"


def user_from_row(row: Sequence[Any]) -> User:
    """An account from a row of :data:`USER_COLUMNS`."""
    return User(
        id=row[0],
        username=row[1],
        full_name=row[2],
        role=row[3],
        credentials=row[4] or "",
        active=bool(row[5]),
    )


def read_users(conn: sqlite3.Connection) -> list[User]:
    """Every account, by user name."""
    rows = conn.execute(f"SELECT {USER_COLUMNS} FROM users ORDER BY username")
    return [user_from_row(r) for r in rows]


@dataclass(frozen=True)
class AllergySource:
    """Who stated a patient's allergies and when, and the session and intake entry it was
    stated at (none at registration)."""

    actor: UserId | None
    at: datetime
    session_id: SessionId | None = None
    event_id: EventId | None = None


@dataclass(frozen=True)
class AllergyRecord:
    """One statement of a patient's allergies in their history."""

    status: AllergyStatus
    source: AllergySource


class PeopleStore(StoreBase):
    """Settings, audit, users and patients."""

    def get_setting(self, key: str, default: str = "") -> str:
        """A clinic setting (clinic name, address, time zone ...)."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def is_demo(self) -> bool:
        """Whether this database holds the demo clinic (its ``demo`` setting, written only by
        the demo's builder): titles and printouts then say DEMO."""
        return self.get_setting(DEMO_SETTING) == DEMO_VALUE

    def set_settings(
        self,
        values: dict[str, str],
        *,
        actor: UserId | None,
        at: datetime,
        audit: dict[str, str] | None = None,
    ) -> None:
        """Set several clinic settings in one transaction, with an audit row (``audit``: what
        to write in it instead of ``values``, e.g. with the values before)."""
        with self._recording(at):
            for key, value in values.items():
                self.conn.execute(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            self._audit(actor, "settings_changed", audit if audit is not None else values, at)

    def record_restore(self, actor: UserId | None, detail: dict[str, str], at: datetime) -> None:
        """The audit row a restore leaves in the database it put in place (which backup, by
        whom, where the replaced file was kept)."""
        with self._recording(at):
            self._audit(actor, "backup_restored", detail, at)

    def audit_entries(self) -> list[dict[str, Any]]:
        """The administrative audit log, oldest first."""
        rows = self.conn.execute("SELECT at, actor, action, detail FROM audit_log ORDER BY id")
        return [
            {"at": r[0], "actor": r[1], "action": r[2], "detail": json.loads(r[3])} for r in rows
        ]

    # --- users --------------------------------------------------------------------------------

    def add_user(
        self, user: User, password_hash: str, *, actor: UserId | None, at: datetime
    ) -> None:
        """Create an account (the caller checked the actor's permission)."""
        with self._recording(at):
            if self.conn.execute(
                "SELECT 1 FROM users WHERE username = ?", (user.username,)
            ).fetchone():
                raise StoreError(f"user name {user.username!r} is already taken")
            self.conn.execute(
                "INSERT INTO users(id, username, full_name, role, credentials, active, "
                "password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user.id,
                    user.username,
                    user.full_name,
                    user.role.value,
                    user.credentials,
                    int(user.active),
                    password_hash,
                    iso_utc(at),
                ),
            )
            self._audit(actor, "user_added", {"user": user.username, "role": user.role}, at)

    def update_user(
        self,
        user_id: UserId,
        *,
        actor: UserId | None,
        at: datetime,
        active: bool | None = None,
        password_hash: str | None = None,
    ) -> None:
        """Deactivate/reactivate an account or set a new password hash, with an audit row."""
        with self._recording(at):
            if active is not None:
                self.conn.execute(
                    "UPDATE users SET active = ? WHERE id = ?", (int(active), user_id)
                )
                self._audit(actor, "user_active_set", {"user_id": user_id, "active": active}, at)
            if password_hash is not None:
                self.conn.execute(
                    "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id)
                )
                self._audit(actor, "password_set", {"user_id": user_id}, at)

    def user(self, user_id: UserId) -> User:
        """The account with this id."""
        row = self.conn.execute(
            f"SELECT {USER_COLUMNS} FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no user with id {user_id}")
        return user_from_row(row)

    def user_with_hash(self, username: str) -> tuple[User, str] | None:
        """The account and its password hash, for authentication only."""
        row = self.conn.execute(
            f"SELECT {USER_COLUMNS} FROM users WHERE username = ?", (username,)
        ).fetchone()
        return (user_from_row(row), str(row[6])) if row else None

    def users(self) -> list[User]:
        """All accounts, by user name."""
        return read_users(self.conn)

    def has_users(self) -> bool:
        """False on a brand-new database (the app then offers first-admin setup or the demo)."""
        return self.conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    # --- patients -----------------------------------------------------------------------------

    def add_patient(self, patient: Patient, *, actor: UserId | None, at: datetime) -> None:
        """Register a patient (the MRN must be unique) with the allergies as stated at
        registration, the first row of their allergy history."""
        with self._recording(at):
            if self.conn.execute("SELECT 1 FROM patients WHERE mrn = ?", (patient.mrn,)).fetchone():
                raise StoreError(f"a patient with MRN {patient.mrn} already exists")
            self.conn.execute(
                "INSERT INTO patients(id, mrn, family_name, given_name, date_of_birth, sex, body,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    patient.id,
                    patient.mrn,
                    patient.family_name,
                    patient.given_name,
                    patient.date_of_birth.isoformat(),
                    patient.sex,
                    canonical_json(patient.model_dump(mode="json")),
                    iso_utc(at),
                ),
            )
            self.add_allergy_record(
                patient.id, patient.allergies, AllergySource(actor=actor, at=at)
            )
            self._audit(actor, "patient_added", {"patient_id": patient.id, "mrn": patient.mrn}, at)

    def add_allergy_record(
        self, patient_id: PatientId, status: AllergyStatus, source: AllergySource
    ) -> None:
        """Append one statement of the patient's allergies, inside the caller's transaction
        (registration, or an intake saved in the same transaction as its chart entry)."""
        self.conn.execute(
            "INSERT INTO patient_allergies(patient_id, body, recorded_at, recorded_by, "
            "session_id, event_id) VALUES (?, ?, ?, ?, ?, ?)",
            (
                patient_id,
                canonical_json(status.model_dump(mode="json")),
                iso_utc(source.at),
                source.actor,
                source.session_id,
                source.event_id,
            ),
        )

    def allergy_history(self, patient_id: PatientId) -> list[AllergyRecord]:
        """Every statement of the patient's allergies, oldest first."""
        rows = self.conn.execute(
            "SELECT body, recorded_at, recorded_by, session_id, event_id FROM patient_allergies"
            " WHERE patient_id = ? ORDER BY seq",
            (patient_id,),
        )
        return [
            AllergyRecord(
                status=AllergyStatus.model_validate_json(body),
                source=AllergySource(
                    actor=UserId(by) if by else None,
                    at=parse_iso(at),
                    session_id=SessionId(sid) if sid else None,
                    event_id=EventId(eid) if eid else None,
                ),
            )
            for body, at, by, sid, eid in rows
        ]

    # The patient as registered, with the latest statement of their allergies (none for a
    # patient registered before allergies had a history: the registration's list stands).
    _PATIENT_SELECT = (
        "SELECT p.body, (SELECT a.body FROM patient_allergies a WHERE a.patient_id = p.id "
        "ORDER BY a.seq DESC LIMIT 1) FROM patients p"
    )

    @staticmethod
    def _patient_from_row(row: Sequence[Any]) -> Patient:
        patient = Patient.model_validate_json(row[0])
        if row[1] is None:
            return patient
        return patient.model_copy(update={"allergies": AllergyStatus.model_validate_json(row[1])})

    def patient(self, patient_id: PatientId) -> Patient:
        """The patient with this id."""
        row = self.conn.execute(f"{self._PATIENT_SELECT} WHERE p.id = ?", (patient_id,)).fetchone()
        if row is None:
            raise StoreError(f"no patient with id {patient_id}")
        return self._patient_from_row(row)

    def patient_by_mrn(self, mrn: str) -> Patient | None:
        """The patient with this MRN, if registered."""
        row = self.conn.execute(f"{self._PATIENT_SELECT} WHERE p.mrn = ?", (mrn,)).fetchone()
        return self._patient_from_row(row) if row else None

    def find_patients(self, text: str, limit: int = 50) -> list[Patient]:
        """Patients whose MRN or name starts with ``text``, ignoring case and accents
        ("garcia" finds GARCÍA)."""
        like = text.strip() + "%"
        folded = fold_text(text.strip())
        rows = self.conn.execute(
            f"{self._PATIENT_SELECT} WHERE p.mrn LIKE ? OR fold_text(p.family_name) LIKE ? "
            "OR fold_text(p.given_name) LIKE ? ORDER BY p.family_name, p.given_name LIMIT ?",
            (like, folded + "%", folded + "%", limit),
        )
        return [self._patient_from_row(r) for r in rows]
