"""Writing an imported session log: its authors, patient, protocol, course order, header and
events, as they are, in one transaction (the checks are made before, by
:func:`bedside.eventlog.check_log`; the database's own triggers check the chain again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bedside.canonical import canonical_json
from bedside.course import CourseOrder
from bedside.errors import StoreError
from bedside.events import ChartEvent
from bedside.ids import ProtocolId, UserId
from bedside.people import Patient, User
from bedside.sessions import SessionHeader
from bedside.store.chart import ChartStore
from bedside.store.keys import StoredKey
from bedside.timeutil import iso_utc


@dataclass(frozen=True)
class ImportedRecord:
    """Everything one imported session brings with it.

    ``protocol_body`` is the protocol's JSON as the exporting database stored it: it is stored
    here unchanged, so the protocol hash the session recorded still matches.
    """

    header: SessionHeader
    patient: Patient
    course: CourseOrder
    protocol_id: ProtocolId
    protocol_version: int
    protocol_name: str
    protocol_body: str
    authors: tuple[User, ...]
    events: tuple[ChartEvent, ...]
    timezone: str
    keys: tuple[StoredKey, ...] = ()
    """The signers' public keys (stored without a private half; existing ones kept)."""
    authors_confirmed_by: UserId | None = None
    """The administrator who confirmed the authors this clinic had no account for."""


class ImportStore(ChartStore):
    """The one write path of ``bedside import``."""

    def has_session(self, session_id: str) -> bool:
        """Whether a session with this id is already in the database."""
        return (
            self.conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
            is not None
        )

    def insert_imported(self, record: ImportedRecord, *, now: datetime) -> None:
        """Write ``record`` in one transaction (same ids, same hashes); nothing if it fails.

        Authors unknown here become inactive accounts (named in the record, unable to sign
        in); a clashing user name gets an ``-imported`` suffix. A database with no clinic time
        zone yet takes the one the session ran in.
        """
        conn = self.conn
        with self._recording(now):
            added = [u for u in record.authors if self._insert_author(u, now)]
            if added:
                confirmed = [{"user": u.username, "role": u.role.value} for u in added]
                detail = {"session": record.header.id, "authors": confirmed}
                self._audit(record.authors_confirmed_by, "import_authors_confirmed", detail, now)
            for key in record.keys:
                conn.execute(
                    "INSERT INTO signing_keys(id, user_id, public_key, sealed, created_at, reason) "
                    "SELECT ?, ?, ?, '', ?, 'imported with a session log' "
                    "WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE id = ?)",
                    (key.id, key.user_id, key.key.public_key, iso_utc(key.created_at), key.id),
                )
            self._insert_patient_if_new(record.patient, now)
            self._insert_if_new(
                "protocols",
                record.protocol_id,
                "INSERT INTO protocols(id, version, name, body, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?, NULL)",
                (
                    record.protocol_id,
                    record.protocol_version,
                    record.protocol_name,
                    record.protocol_body,
                    iso_utc(now),
                ),
                record.protocol_body,
            )
            c = record.course
            body = canonical_json(c.model_dump(mode="json"))
            self._insert_if_new(
                "course_orders",
                c.id,
                "INSERT INTO course_orders(id, patient_id, body, created_at, supersedes) "
                "VALUES (?, ?, ?, ?, ?)",
                (c.id, c.patient_id, body, iso_utc(c.created_at), c.supersedes),
                body,
            )
            self.insert_header(record.header)
            self.insert_verbatim(list(record.events))
            if not self.conn.execute("SELECT 1 FROM settings WHERE key = 'timezone'").fetchone():
                conn.execute(
                    "INSERT INTO settings(key, value) VALUES ('timezone', ?)", (record.timezone,)
                )

    def _insert_author(self, user: User, now: datetime) -> bool:
        """An inactive account for an author this clinic has none for (True: one was added)."""
        conn = self.conn
        if conn.execute("SELECT 1 FROM users WHERE id = ?", (user.id,)).fetchone():
            return False
        taken = conn.execute("SELECT 1 FROM users WHERE username = ?", (user.username,)).fetchone()
        conn.execute(
            "INSERT INTO users(id, username, full_name, role, credentials, active, "
            "password_hash, created_at) VALUES (?, ?, ?, ?, ?, 0, '!imported', ?)",
            (
                user.id,
                self._free_username(user.username) if taken else user.username,
                user.full_name,
                user.role.value,
                user.credentials,
                iso_utc(now),
            ),
        )
        return True

    def _insert_patient_if_new(self, p: Patient, now: datetime) -> None:
        if self.conn.execute("SELECT 1 FROM patients WHERE mrn = ?", (p.mrn,)).fetchone():
            return  # the same patient (the caller refused one with another id)
        self.conn.execute(
            "INSERT INTO patients(id, mrn, family_name, given_name, date_of_birth, sex, body,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                p.id,
                p.mrn,
                p.family_name,
                p.given_name,
                p.date_of_birth.isoformat(),
                p.sex,
                canonical_json(p.model_dump(mode="json")),
                iso_utc(now),
            ),
        )

    def _free_username(self, base: str) -> str:
        """``base-imported``, ``base-imported-2`` ... whichever is free."""
        n = 1
        while True:
            name = f"{base}-imported" + (f"-{n}" if n > 1 else "")
            if not self.conn.execute("SELECT 1 FROM users WHERE username = ?", (name,)).fetchone():
                return name
            n += 1

    def _insert_if_new(
        self, table: str, row_id: str, sql: str, params: tuple[object, ...], body: str
    ) -> None:
        row = self.conn.execute(f"SELECT body FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            self.conn.execute(sql, params)
        elif row[0] != body:
            raise StoreError(f"{table} {row_id} exists here with different content")
