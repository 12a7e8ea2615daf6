"""Protocol versions and signed course orders (never edited: a change is a new row)."""

from __future__ import annotations

from datetime import datetime

from bedside.canonical import canonical_json
from bedside.course import CourseOrder
from bedside.errors import StoreError
from bedside.ids import CourseId, PatientId, ProtocolId, UserId, new_id
from bedside.protocol import Protocol, protocol_hash
from bedside.protocol_settings import ProtocolVersion
from bedside.store import db as dbmod
from bedside.store.base import StoreBase
from bedside.timeutil import iso_utc, parse_iso


class OrdersStore(StoreBase):
    """Protocols and course orders."""

    def add_protocol(self, protocol: Protocol, *, actor: UserId | None, at: datetime) -> ProtocolId:
        """Store a new protocol version (versions are never edited)."""
        pid = ProtocolId(new_id())
        with dbmod.write_transaction(self.conn):
            latest = self.conn.execute("SELECT MAX(version) FROM protocols").fetchone()[0] or 0
            if protocol.version <= latest:
                raise StoreError(
                    f"protocol version {protocol.version} is not newer than stored version {latest}"
                )
            self.conn.execute(
                "INSERT INTO protocols(id, version, name, body, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    pid,
                    protocol.version,
                    protocol.name,
                    canonical_json(protocol.model_dump(mode="json")),
                    iso_utc(at),
                    actor,
                ),
            )
            self._audit(
                actor, "protocol_added", {"protocol_id": pid, "version": protocol.version}, at
            )
        return pid

    def protocol(self, protocol_id: ProtocolId) -> Protocol:
        """A stored protocol version."""
        return Protocol.model_validate_json(self.protocol_body(protocol_id))

    def protocol_body(self, protocol_id: ProtocolId) -> str:
        """A protocol version's JSON exactly as stored (what its hash was taken over)."""
        row = self.conn.execute(
            "SELECT body FROM protocols WHERE id = ?", (protocol_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no protocol with id {protocol_id}")
        return str(row[0])

    def current_protocol(self) -> tuple[ProtocolId, Protocol] | None:
        """The newest protocol version, if any."""
        row = self.conn.execute(
            "SELECT id, body FROM protocols ORDER BY version DESC LIMIT 1"
        ).fetchone()
        return (ProtocolId(row[0]), Protocol.model_validate_json(row[1])) if row else None

    def protocol_versions(self) -> list[ProtocolVersion]:
        """Every stored protocol version, newest first (read-only: the admin screen's history)."""
        rows = self.conn.execute(
            "SELECT id, body, created_at, created_by FROM protocols ORDER BY version DESC"
        )
        out = []
        for pid, body, created_at, created_by in rows:
            protocol = Protocol.model_validate_json(body)
            out.append(
                ProtocolVersion(
                    id=ProtocolId(pid),
                    protocol=protocol,
                    hash=protocol_hash(protocol),
                    created_at=parse_iso(created_at),
                    created_by=UserId(created_by) if created_by else None,
                )
            )
        return out

    def add_course(self, order: CourseOrder, *, at: datetime) -> None:
        """Store a signed course order."""
        with dbmod.write_transaction(self.conn):
            self.conn.execute(
                "INSERT INTO course_orders(id, patient_id, body, created_at, supersedes) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    order.id,
                    order.patient_id,
                    canonical_json(order.model_dump(mode="json")),
                    iso_utc(at),
                    order.supersedes,
                ),
            )

    def course(self, course_id: CourseId) -> CourseOrder:
        """A stored course order."""
        row = self.conn.execute(
            "SELECT body FROM course_orders WHERE id = ?", (course_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no course order with id {course_id}")
        return CourseOrder.model_validate_json(row[0])

    def courses_for(self, patient_id: PatientId) -> list[CourseOrder]:
        """A patient's course orders, oldest first."""
        rows = self.conn.execute(
            "SELECT body FROM course_orders WHERE patient_id = ? ORDER BY created_at",
            (patient_id,),
        )
        return [CourseOrder.model_validate_json(r[0]) for r in rows]
