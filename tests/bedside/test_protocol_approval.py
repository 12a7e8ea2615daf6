"""Changing clinical limits is a clinical act (issue 10, item 11).

A version an admin saves that changes a clinical setting waits, pending, until a clinician other
than its preparer approves it with their password and a reason; sessions keep opening under the
version in effect until then. A change to administrative settings only takes effect at once.
Refused approvals change nothing, and ``verify`` checks how each version took effect.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bedside.canonical import stored_body_hash
from bedside.clock import FixedClock
from bedside.errors import AuthenticationFailed, InputRejected, OperationRefused, PermissionDenied
from bedside.ids import ProtocolId
from bedside.people import Role
from bedside.protocol_approval import EffectBasis, VersionStatus, clinical_changes
from bedside.service import ChartService
from bedside.signatures import Meaning
from bedside.store import Store
from tests.bedside.clinic_support import jo_roe_with_course
from tests.importing import receiving_admin
from ui.demo import DEMO_PASSWORD, DemoStaff

REASON = "Clinic policy 2026-03: dose ceiling lowered to 0.75 mg/kg"


def _pending_dose_change(service: ChartService, staff: DemoStaff) -> ProtocolId:
    return service.new_protocol_version(staff.admin, {"dosing.max_mg_per_kg": "0.75"})


def _approval_rows(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM protocol_approvals").fetchone()[0])


def test_a_clinical_change_waits_for_a_clinicians_approval(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    first_id, first = service.ensure_protocol()
    pending = _pending_dose_change(service, staff)

    # Prepared, not in effect: sessions keep opening under version 1.
    assert service.ensure_protocol() == (first_id, first)
    assert service.store.current_protocol() == (first_id, first)
    newest, older = service.store.protocol_versions()
    assert (newest.id, newest.status, newest.approval) == (pending, VersionStatus.PENDING, None)
    assert older.status is VersionStatus.IN_EFFECT
    assert "pending approval" in newest.approval_text(service.timezone)
    patient = jo_roe_with_course(service, staff)
    before = service.open_session(staff.nurse, patient_id=patient.id, chair=1)
    assert before.context.header.protocol_id == first_id

    clock.advance(minutes=5)
    approval = service.approve_protocol_version(staff.clinician, DEMO_PASSWORD, pending, REASON)

    pid, protocol = service.ensure_protocol()
    assert (pid, protocol.dosing.max_mg_per_kg) == (pending, 0.75)
    assert (approval.basis, approval.effective_by, approval.reason) == (
        EffectBasis.APPROVED,
        staff.clinician.id,
        REASON,
    )
    assert approval.effective_at == clock.now()
    signature = approval.signature
    assert signature is not None
    assert signature.meaning is Meaning.PROTOCOL_APPROVED
    assert signature.content_hash == stored_body_hash(service.store.protocol_body(pending))
    newest, older = service.store.protocol_versions()
    assert (newest.status, older.status) == (VersionStatus.IN_EFFECT, VersionStatus.EARLIER)
    assert newest.approval == approval
    assert newest.approval_text(service.timezone) == (
        f"approved by Jordan Lee, MD on 24 Nov 2026 09:05: {REASON}"
    )
    assert service.store.verify() == []


def test_an_administrative_change_takes_effect_at_once(
    service: ChartService, staff: DemoStaff
) -> None:
    pid = service.new_protocol_version(staff.admin, {"monitoring.idle_lock_min": 1})
    assert service.ensure_protocol()[0] == pid
    assert service.ensure_protocol()[1].monitoring.idle_lock_min == 1
    chairs = service.new_protocol_version(staff.admin, {"monitoring.chairs": "6"})
    newest = service.store.protocol_versions()[0]
    assert (newest.id, newest.status) == (chairs, VersionStatus.IN_EFFECT)
    assert newest.approval is not None
    assert newest.approval.basis is EffectBasis.NO_CLINICAL_CHANGE
    assert "no clinical change" in newest.approval_text(service.timezone)
    assert service.store.verify() == []


def test_every_section_but_the_workstation_settings_is_clinical(service: ChartService) -> None:
    _, current = service.ensure_protocol()
    pump = current.dosing.model_copy(update={"pump_overrun_fraction": 0.2})
    watch = current.monitoring.model_copy(update={"chairs": 8, "idle_lock_min": 2})
    prn = current.prn_list.model_copy(update={"drugs": current.prn_list.drugs[:1]})
    assert clinical_changes(current, current.model_copy(update={"monitoring": watch})) == []
    assert clinical_changes(current, current.model_copy(update={"dosing": pump})) == [
        "dosing.pump_overrun_fraction"
    ]
    assert clinical_changes(current, current.model_copy(update={"prn": prn})) == ["prn.drugs"]
    assert service.protocol_changes_needing_approval({"discharge.spo2_min": 95}) == [
        "discharge.spo2_min"
    ]
    assert service.protocol_changes_needing_approval({"monitoring.chairs": 5}) == []


@pytest.mark.parametrize(
    ("who", "password", "reason", "refusal", "words"),
    [
        ("clinician", "wrong password", REASON, AuthenticationFailed, "password"),
        ("nurse", DEMO_PASSWORD, REASON, PermissionDenied, "approve a clinical protocol change"),
        ("admin", DEMO_PASSWORD, REASON, PermissionDenied, "approve a clinical protocol change"),
        ("clinician", DEMO_PASSWORD, "ok", InputRejected, "at least 5 characters"),
        ("clinician", DEMO_PASSWORD, "     ", InputRejected, "needs a reason"),
    ],
)
def test_a_refused_approval_changes_nothing(
    service: ChartService,
    staff: DemoStaff,
    who: str,
    password: str,
    reason: str,
    refusal: type[Exception],
    words: str,
) -> None:
    first_id, _ = service.ensure_protocol()
    pending = _pending_dose_change(service, staff)
    rows = _approval_rows(service.store)
    with pytest.raises(refusal, match=words):
        service.approve_protocol_version(getattr(staff, who), password, pending, reason)
    assert _approval_rows(service.store) == rows
    assert service.ensure_protocol()[0] == first_id
    assert service.store.protocol_versions()[0].status is VersionStatus.PENDING


def test_the_preparer_never_approves_their_own_change(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    """Roles are single today, but an account that prepared a change (a re-roled admin, a
    version written by another tool) is refused: a second person approves."""
    first_id, current = service.ensure_protocol()
    own = current.model_copy(update={"version": current.version + 1, "name": "Changed"})
    pid = service.store.add_protocol(
        own, actor=staff.clinician.id, at=clock.now(), takes_effect=None
    )
    with pytest.raises(PermissionDenied, match="another clinician must approve it"):
        service.approve_protocol_version(staff.clinician, DEMO_PASSWORD, pid, REASON)
    # A later version carrying that change is refused to the same person too.
    later = service.new_protocol_version(staff.admin, {"monitoring.idle_lock_min": 2})
    with pytest.raises(PermissionDenied, match="another clinician must approve it"):
        service.approve_protocol_version(staff.clinician, DEMO_PASSWORD, later, REASON)
    assert service.ensure_protocol()[0] == first_id
    second = service.accounts.create_user(
        staff.admin,
        username="drpark",
        full_name="Kim Park",
        role=Role.CLINICIAN,
        password=DEMO_PASSWORD,
        credentials="MD",
    )
    service.approve_protocol_version(second, DEMO_PASSWORD, later, REASON)
    assert service.ensure_protocol()[0] == later


def test_a_pending_change_stays_pending_in_the_next_version(
    service: ChartService, staff: DemoStaff
) -> None:
    first_id, _ = service.ensure_protocol()
    _pending_dose_change(service, staff)
    # Made from the newest version: it carries the unapproved dose change, so it waits too.
    both = service.new_protocol_version(staff.admin, {"monitoring.idle_lock_min": 2})
    assert service.store.protocol(both).dosing.max_mg_per_kg == 0.75
    assert service.ensure_protocol()[0] == first_id
    assert [v.status for v in service.store.protocol_versions()] == [
        VersionStatus.PENDING,
        VersionStatus.PENDING,
        VersionStatus.IN_EFFECT,
    ]


def test_withdrawn_or_approved_versions_cannot_be_approved(
    service: ChartService, staff: DemoStaff
) -> None:
    service.ensure_protocol()
    withdrawn = _pending_dose_change(service, staff)
    # Putting the value back is no clinical change from the version in effect: at once.
    back = service.new_protocol_version(staff.admin, {"dosing.max_mg_per_kg": "1"})
    assert service.ensure_protocol()[0] == back
    statuses = [v.status for v in service.store.protocol_versions()]
    assert statuses[:2] == [VersionStatus.IN_EFFECT, VersionStatus.SUPERSEDED]
    with pytest.raises(OperationRefused, match="not waiting for approval"):
        service.approve_protocol_version(staff.clinician, DEMO_PASSWORD, withdrawn, REASON)
    again = _pending_dose_change(service, staff)
    service.approve_protocol_version(staff.clinician, DEMO_PASSWORD, again, REASON)
    with pytest.raises(OperationRefused, match="not waiting for approval"):
        service.approve_protocol_version(staff.clinician, DEMO_PASSWORD, again, REASON)
    assert _approval_rows(service.store) == 3  # default, the way back, one approval


def test_approvals_are_append_only(service: ChartService, staff: DemoStaff) -> None:
    service.ensure_protocol()
    pending = _pending_dose_change(service, staff)
    service.approve_protocol_version(staff.clinician, DEMO_PASSWORD, pending, REASON)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        service.store.conn.execute("UPDATE protocol_approvals SET reason = 'other reason'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        service.store.conn.execute("DELETE FROM protocol_approvals")


@pytest.mark.parametrize(
    ("basis", "words"),
    [
        ("no_clinical_change", "although it changes clinical settings: dosing.max_mg_per_kg"),
        ("shipped_default", "as the shipped default, although a version was in effect"),
        ("before_approvals", "marked as in use before approvals were required"),
    ],
)
def test_verify_reports_a_clinical_change_put_in_effect_behind_the_approval(
    service: ChartService, staff: DemoStaff, basis: str, words: str
) -> None:
    service.ensure_protocol()
    service.new_protocol_version(staff.admin, {"monitoring.idle_lock_min": 2})
    pending = _pending_dose_change(service, staff)
    service.store.conn.execute(
        "INSERT INTO protocol_approvals(protocol_id, basis, effective_at) "
        "VALUES (?, ?, '2026-11-24T14:00:00Z')",
        (pending, basis),
    )
    assert service.ensure_protocol()[0] == pending  # the forged row is believed ...
    problems = service.store.verify()  # ... and found
    assert len(problems) == 1
    assert problems[0].startswith("protocol version 3 took effect without a clinician's approval")
    assert words in problems[0]


def test_verify_reports_a_version_altered_after_its_approval(
    service: ChartService, staff: DemoStaff
) -> None:
    service.ensure_protocol()
    pending = _pending_dose_change(service, staff)
    service.approve_protocol_version(staff.clinician, DEMO_PASSWORD, pending, REASON)
    conn = service.store.conn
    conn.execute("DROP TRIGGER protocols_no_update")
    conn.execute(
        "UPDATE protocols SET body = replace(body, '\"max_mg_per_kg\":0.75', "
        "'\"max_mg_per_kg\":2.0') WHERE id = ?",
        (pending,),
    )
    assert service.store.protocol(pending).dosing.max_mg_per_kg == 2.0
    assert any("altered after Jordan Lee, MD approved it" in p for p in service.store.verify())


def test_upgrading_keeps_the_version_in_effect(tmp_path: Path) -> None:
    """Migration 004: versions saved before approvals existed stay in effect as they were."""
    from sqlite_utils import Database

    from bedside.store.migrations import migrations

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    migrations.apply(Database(conn), stop_before="m004_protocol_approvals")
    from bedside.canonical import canonical_json
    from bedside.protocol import default_protocol

    shipped = default_protocol()
    for number, dose in ((1, 1.0), (2, 0.75)):
        dosing = shipped.dosing.model_copy(update={"max_mg_per_kg": dose})
        body = shipped.model_copy(update={"version": number, "dosing": dosing})
        conn.execute(
            "INSERT INTO protocols(id, version, name, body, created_at) VALUES (?, ?, ?, ?, ?)",
            (
                f"p{number}",
                number,
                body.name,
                canonical_json(body.model_dump(mode="json")),
                "2026-01-01T00:00:00Z",
            ),
        )
    conn.commit()
    conn.close()
    with Store(path) as store:
        current = store.current_protocol()
        assert current is not None
        assert current[0] == "p2"
        versions = store.protocol_versions()
        assert [v.status for v in versions] == [VersionStatus.IN_EFFECT, VersionStatus.EARLIER]
        assert all(
            v.approval is not None and v.approval.basis is EffectBasis.BEFORE_APPROVALS
            for v in versions
        )


def test_an_imported_log_does_not_put_its_protocol_in_effect(
    tmp_path: Path, clock: FixedClock
) -> None:
    """A session log brought in from elsewhere carries the version it ran under; nobody here
    approved it, so it is stored but never becomes the clinic's protocol."""
    from bedside.eventlog import import_log, parse_log

    fixture = Path(__file__).parent.parent / "fixtures" / "reference_session.json"
    log = parse_log(fixture.read_text(encoding="utf-8"))
    with Store(tmp_path / "fresh.db") as store:
        admin = receiving_admin(store)  # a new clinic, with the shipped protocol in effect
        import_log(store, log, now=log.exported_at, authors_confirmed_by=admin)
        service = ChartService(store, clock)
        pid, _protocol = service.ensure_protocol()
        assert pid != log.protocol.id
        statuses = {v.id: v.status for v in store.protocol_versions()}
        assert statuses == {pid: VersionStatus.IN_EFFECT, log.protocol.id: VersionStatus.SUPERSEDED}
        assert store.verify() == []
