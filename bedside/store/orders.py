"""Protocol versions, their approvals, and signed course orders (never edited: a change is a
new row)."""

from __future__ import annotations

import json
from datetime import datetime

from bedside.canonical import canonical_json
from bedside.course import CourseOrder
from bedside.errors import StoreError
from bedside.ids import CourseId, PatientId, ProtocolId, UserId, new_id
from bedside.protocol import Protocol, protocol_hash
from bedside.protocol_approval import (
    EffectBasis,
    ProtocolApproval,
    ProtocolVersion,
    version_status,
)
from bedside.store.base import StoreBase
from bedside.timeutil import iso_utc, parse_iso


class OrdersStore(StoreBase):
    """Protocols and course orders."""

    def add_protocol(
        self,
        protocol: Protocol,
        *,
        actor: UserId | None,
        at: datetime,
        takes_effect: EffectBasis | None,
    ) -> ProtocolId:
        """Store a new protocol version (versions are never edited); it takes effect at once on
        ``takes_effect``'s basis, or waits for a clinician's approval (``None``)."""
        pid = ProtocolId(new_id())
        with self._recording(at):
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
            if takes_effect is not None:
                effect = ProtocolApproval(
                    protocol_id=pid,
                    basis=takes_effect,
                    effective_at=at,
                    effective_by=actor,
                    reason=None,
                    signature=None,
                )
                self._insert_approval(effect)
        return pid

    def add_protocol_approval(self, approval: ProtocolApproval) -> None:
        """Put a stored version into effect (a clinician's signed approval)."""
        with self._recording(approval.effective_at):
            self._insert_approval(approval)

    def _insert_approval(self, approval: ProtocolApproval) -> None:
        taken = self.conn.execute(
            "SELECT 1 FROM protocol_approvals WHERE protocol_id = ?", (approval.protocol_id,)
        ).fetchone()
        if taken:  # two clinicians approving at once: the second is told, nothing changes
            raise StoreError("this protocol version is already in effect: nothing was changed")
        signature = approval.signature
        self.conn.execute(
            "INSERT INTO protocol_approvals(protocol_id, basis, effective_at, effective_by, "
            "reason, signature) VALUES (?, ?, ?, ?, ?, ?)",
            (
                approval.protocol_id,
                approval.basis.value,
                iso_utc(approval.effective_at),
                approval.effective_by,
                approval.reason,
                canonical_json(signature.model_dump(mode="json")) if signature else None,
            ),
        )
        self._audit(
            approval.effective_by,
            "protocol_in_effect",
            {"protocol_id": approval.protocol_id, "basis": approval.basis.value},
            approval.effective_at,
        )

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
        """The protocol in effect: the newest version that took effect (approved, or needing
        no approval), if any. A version waiting for approval is not it."""
        row = self.conn.execute(
            "SELECT p.id, p.body FROM protocols p JOIN protocol_approvals a "
            "ON a.protocol_id = p.id ORDER BY p.version DESC LIMIT 1"
        ).fetchone()
        return (ProtocolId(row[0]), Protocol.model_validate_json(row[1])) if row else None

    def latest_protocol(self) -> tuple[ProtocolId, Protocol] | None:
        """The newest stored version, in effect or not (what the next version is made from)."""
        row = self.conn.execute(
            "SELECT id, body FROM protocols ORDER BY version DESC LIMIT 1"
        ).fetchone()
        return (ProtocolId(row[0]), Protocol.model_validate_json(row[1])) if row else None

    def protocol_versions(self) -> list[ProtocolVersion]:
        """Every stored protocol version with its approval and standing, newest first
        (read-only: the admin screen's history)."""
        rows = self.conn.execute(
            "SELECT p.id, p.body, p.created_at, p.created_by, a.basis, a.effective_at, "
            "a.effective_by, a.reason, a.signature FROM protocols p "
            "LEFT JOIN protocol_approvals a ON a.protocol_id = p.id ORDER BY p.version DESC"
        ).fetchall()
        approvals = {r[0]: approval_from_row(r[0], r[4:]) for r in rows if r[4] is not None}
        bodies = {r[0]: Protocol.model_validate_json(r[1]) for r in rows}
        in_effect = max((bodies[pid].version for pid in approvals), default=0)
        return [
            ProtocolVersion(
                id=ProtocolId(pid),
                protocol=bodies[pid],
                hash=protocol_hash(bodies[pid]),
                created_at=parse_iso(created_at),
                created_by=UserId(created_by) if created_by else None,
                approval=approvals.get(pid),
                status=version_status(bodies[pid].version, pid in approvals, in_effect),
            )
            for pid, _, created_at, created_by, *_ in rows
        ]

    def add_course(self, order: CourseOrder, *, at: datetime) -> None:
        """Store a signed course order."""
        with self._recording(at):
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

    def sessions_ended_before_the_pump(self, course_id: CourseId) -> int:
        """How many of the course's sessions were ended early before their pump started (no
        infusion was given: they do not use up one of the course's infusions)."""
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM sessions s WHERE s.course_id = ? "
                "AND EXISTS (SELECT 1 FROM chart_events e WHERE e.session_id = s.id "
                "AND e.kind = 'session_ended_early') "
                "AND NOT EXISTS (SELECT 1 FROM chart_events e WHERE e.session_id = s.id "
                "AND e.kind = 'infusion_started')",
                (course_id,),
            ).fetchone()[0]
        )


def approval_from_row(
    protocol_id: str, row: tuple[str, str, str | None, str | None, str | None]
) -> ProtocolApproval:
    """An approvals row (basis, effective_at, effective_by, reason, signature) as stored;
    ``ValueError`` if it no longer validates (an altered row)."""
    basis, effective_at, effective_by, reason, signature = row
    return ProtocolApproval.model_validate(
        {
            "protocol_id": protocol_id,
            "basis": basis,
            "effective_at": effective_at,
            "effective_by": effective_by,
            "reason": reason,
            "signature": json.loads(signature) if signature else None,
        }
    )
