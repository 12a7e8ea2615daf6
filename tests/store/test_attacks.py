"""Issue 11, item 4: the attacks an auditor ran against the file, each detected.

The attacker has a copy of the file and the source: they drop the triggers and put them back
as they were, recompute every hash, rebuild the whole ledger. ``verify`` finds every attack
that changes what is already recorded, on its own; the ones marked ``needs the anchor`` cut or
rewrite history consistently, and are found by the head this workstation keeps outside the
file (:mod:`bedside.store.anchor`), at the next start and by ``verify --against``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bedside.errors import IntegrityError
from bedside.service import ChartService
from bedside.store import Store, bound_rows
from bedside.store.anchor import AnchorFile, ledger_head
from tests.store.forger import Row, rebuild_ledger, rewrite_session, triggers_dropped
from tests.store.support import Clinic, Prebuilt, raw

AT = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


@pytest.fixture
def anchors(tmp_path: Path) -> AnchorFile:
    return AnchorFile(tmp_path / "config" / "anchors.json")


def anchored_copy(built: Prebuilt, folder: Path, anchors: AnchorFile) -> Path:
    """A copy of a prebuilt clinic, with this workstation's anchor at its current head (as
    after its last write)."""
    path = built.copy_to(folder)
    with raw(path) as conn:
        anchors.set(path, ledger_head(conn), AT)
    return path


def problems(path: Path) -> list[str]:
    with Store(path) as store:
        return store.verify()


def refused_at_start(path: Path, anchors: AnchorFile) -> str:
    """The message the app and every command give when opening the file."""
    with pytest.raises(IntegrityError) as refused:
        Store(path, anchors=anchors).close()
    return str(refused.value)


def vitals_of(rows: list[Row]) -> Iterator[dict[str, Any]]:
    return (r["payload"] for r in rows if r["kind"] == "vitals_recorded")


def lower_first_systolic(rows: list[Row]) -> list[Row]:
    payload = next(p for p in vitals_of(rows) if p.get("systolic"))
    payload["systolic"] = 118
    return rows


def assert_found(found: list[str], *words: str) -> None:
    assert any(all(w in p for w in words) for p in found), found


# --- changing what was charted -----------------------------------------------------------------


def test_1_a_changed_value_is_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn, triggers_dropped(conn, "chart_events"):
        conn.execute(
            "UPDATE chart_events SET payload = replace(payload, '\"systolic\":186', "
            "'\"systolic\":136') WHERE session_id = ?",
            (signed_db.session_id,),
        )
    assert_found(problems(path), "altered after it was recorded")


def test_2_a_changed_value_with_its_chain_rehashed_is_found(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn:
        rewrite_session(conn, signed_db.session_id, lower_first_systolic)
    assert_found(problems(path), "no longer matches the ledger entry")


def test_3_a_changed_value_in_a_signed_session_with_the_ledger_rebuilt_is_found(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    """Every hash and link recomputed: the signatures still name the record as it was
    signed, and their seals cannot be remade without the signers' passwords."""
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn:
        rewrite_session(conn, signed_db.session_id, lower_first_systolic)
        rebuild_ledger(conn)
    assert_found(problems(path), "signature")


def test_4_a_changed_value_in_an_open_session_with_the_ledger_rebuilt_needs_the_anchor(
    tmp_path: Path, anchors: AnchorFile
) -> None:
    """Nothing signed covers an open session yet: a consistent rewrite is found only because
    the history no longer holds the head this workstation wrote."""
    clinic = Clinic.create(tmp_path / "clinic.db")
    sid = clinic.open_session()
    clinic.service.add_note(clinic.staff.nurse, sid, "Patient calm, IV sited left forearm.")
    clinic.store.close()
    with raw(clinic.path) as conn:
        anchors.set(clinic.path, ledger_head(conn), AT)

    def reword(rows: list[Row]) -> list[Row]:
        note = next(r for r in rows if r["kind"] == "note")
        note["payload"]["text"] = "Patient calm, IV sited right forearm."
        return rows

    with raw(clinic.path) as conn:
        rewrite_session(conn, sid, reword)
        rebuild_ledger(conn)
    assert "history was rewritten" in refused_at_start(clinic.path, anchors)


def test_5_a_deleted_entry_is_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn:
        rewrite_session(conn, signed_db.session_id, lambda rows: rows[:10] + rows[11:])
    assert problems(path)


def test_6_reordered_entries_are_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn:
        rewrite_session(
            conn, signed_db.session_id, lambda rows: [*rows[:5], rows[6], rows[5], *rows[7:]]
        )
        rebuild_ledger(conn)
    assert_found(problems(path), "signature")


def test_7_the_tail_deleted_with_its_ledger_entries_needs_the_anchor(
    signed_db: Prebuilt, tmp_path: Path, anchors: AnchorFile
) -> None:
    """The sign-off and the entries before it cut off the end of the record and of the
    ledger: what is left is a consistent, shorter file."""
    path = anchored_copy(signed_db, tmp_path, anchors)
    with raw(path) as conn:
        rewrite_session(conn, signed_db.session_id, lambda rows: rows[:-3])
        rebuild_ledger(conn)
    assert "entries were lost" in refused_at_start(path, anchors)


# --- signatures ----------------------------------------------------------------------------------


def sign_off(rows: list[Row]) -> dict[str, Any]:
    signed = next(r for r in rows if r["kind"] == "session_signed")
    signature: dict[str, Any] = signed["payload"]["signature"]
    return signature


def test_8_a_forged_sign_off_is_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    """A sign-off remade with the right content hash and a seal of the forger's making."""
    path = signed_db.copy_to(tmp_path)

    def forge(rows: list[Row]) -> list[Row]:
        sign_off(rows)["seal"] = "ab" * 64
        return rows

    with raw(path) as conn:
        rewrite_session(conn, signed_db.session_id, forge)
        rebuild_ledger(conn)
    assert_found(problems(path), "seal")


def test_9_a_sign_off_re_attributed_to_another_person_is_found(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    path = signed_db.copy_to(tmp_path)
    other = signed_db.staff.admin

    def re_attribute(rows: list[Row]) -> list[Row]:
        signature = sign_off(rows)
        signature["signer_id"], signature["signer_name"] = other.id, other.full_name
        return rows

    with raw(path) as conn:
        rewrite_session(conn, signed_db.session_id, re_attribute)
        rebuild_ledger(conn)
    assert_found(problems(path), "signature")


def test_10_a_sign_off_without_its_seal_is_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    """Stripped back to a signature from before keys existed, by a signer who has a key."""
    path = signed_db.copy_to(tmp_path)

    def strip(rows: list[Row]) -> list[Row]:
        signature = sign_off(rows)
        signature.pop("seal"), signature.pop("key_id")
        return rows

    with raw(path) as conn:
        rewrite_session(conn, signed_db.session_id, strip)
        rebuild_ledger(conn)
    assert_found(problems(path), "signature")


# --- what the record depends on ------------------------------------------------------------------


def edit_body(path: Path, table: str, change: Any) -> None:
    with raw(path) as conn, triggers_dropped(conn, table):
        row_id, body = conn.execute(f"SELECT id, body FROM {table} LIMIT 1").fetchone()
        data = json.loads(body)
        change(data)
        conn.execute(f"UPDATE {table} SET body = ? WHERE id = ?", (json.dumps(data), row_id))


def test_11_an_edited_protocol_is_found_even_with_the_ledger_rebuilt(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    path = signed_db.copy_to(tmp_path)
    edit_body(path, "protocols", lambda d: d["alerts"]["pause"].update(systolic_max=220))
    assert_found(problems(path), "protocol version", "changed behind the application's back")
    with raw(path) as conn:
        rebuild_ledger(conn)
    assert_found(problems(path), "altered after the session ran under it")


def test_12_an_edited_course_order_is_found_even_with_the_ledger_rebuilt(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    path = signed_db.copy_to(tmp_path)
    edit_body(path, "course_orders", lambda d: d.update(mg_per_kg=1.0))
    with raw(path) as conn:
        rebuild_ledger(conn)
    assert_found(problems(path), "course order was altered after it was signed")


def test_13_edited_demographics_are_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn, triggers_dropped(conn, "patients"):
        conn.execute("UPDATE patients SET date_of_birth = '1990-01-01'")
    assert_found(problems(path), "patient", "changed behind the application's back")


def test_14_edited_demographics_bound_again_as_the_application_would_are_found(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    """With the source, the forger appends a ledger entry for the new content: a patient's
    details are bound once, so a second entry is itself the finding."""
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn:
        with triggers_dropped(conn, "patients"):
            conn.execute("UPDATE patients SET family_name = 'Someone-Else'")
        assert bound_rows.bind_tables(conn) > 0
    assert_found(problems(path), "bound a second time")


def test_15_a_changed_role_is_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    nurse = signed_db.staff.nurse
    with raw(path) as conn:
        with pytest.raises(Exception, match="only their state may change"):
            conn.execute("UPDATE users SET role = 'clinician' WHERE id = ?", (nurse.id,))
        with triggers_dropped(conn, "users"):
            conn.execute("UPDATE users SET role = 'clinician' WHERE id = ?", (nurse.id,))
    assert_found(problems(path), f"account {nurse.id} was changed")
    with raw(path) as conn:
        bound_rows.bind_tables(conn)
    assert_found(problems(path), f"users:{nurse.id} was bound a second time")


def test_16_an_account_added_behind_the_back_is_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn, triggers_dropped(conn, "users"):
        conn.execute(
            "INSERT INTO users SELECT 'u-forged', 'mallory', 'Mallory', 'admin', credentials, "
            "1, password_hash, created_at FROM users LIMIT 1"
        )
    assert_found(problems(path), "account u-forged was added")


def test_17_an_edited_audit_entry_is_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn, triggers_dropped(conn, "audit_log"):
        conn.execute("UPDATE audit_log SET detail = '{}' WHERE id = 2")
    assert_found(problems(path), "audit log entry 2 was changed")


def test_18_a_deleted_audit_entry_is_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn, triggers_dropped(conn, "audit_log"):
        conn.execute("DELETE FROM audit_log WHERE id = 3")
    assert_found(problems(path), "audit log entry 3 was deleted")


def test_19_a_session_header_moved_to_another_patient_is_found(
    demo_db: Prebuilt, tmp_path: Path
) -> None:
    path = demo_db.copy_to(tmp_path)
    with raw(path) as conn:
        other = conn.execute(
            "SELECT id FROM patients WHERE id NOT IN "
            "(SELECT patient_id FROM sessions WHERE id = ?) LIMIT 1",
            (demo_db.session_id,),
        ).fetchone()[0]
        with triggers_dropped(conn, "sessions"):
            conn.execute(
                "UPDATE sessions SET patient_id = ? WHERE id = ?", (other, demo_db.session_id)
            )
        rebuild_ledger(conn)
    assert_found(problems(path), "session row", "no longer matches its opening event")


def test_20_a_removed_safeguard_is_found(signed_db: Prebuilt, tmp_path: Path) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn:
        conn.execute("DROP TRIGGER chart_events_locked_after_signing")
    assert_found(problems(path), "safeguards")


def test_21_a_clinic_setting_changed_behind_the_back_is_found(
    signed_db: Prebuilt, tmp_path: Path
) -> None:
    path = signed_db.copy_to(tmp_path)
    with raw(path) as conn, triggers_dropped(conn, "settings"):
        conn.execute("UPDATE settings SET value = 'UTC' WHERE key = 'timezone'")
    assert_found(problems(path), "clinic setting timezone was changed")


# --- wipes and rollbacks -------------------------------------------------------------------------


def test_22_a_wiped_file_is_found(signed_db: Prebuilt, tmp_path: Path, anchors: AnchorFile) -> None:
    path = anchored_copy(signed_db, tmp_path, anchors)
    path.write_bytes(b"")
    assert_found(problems(path), "holds no clinic")
    path.write_bytes(b"")
    assert "fewer than" in refused_at_start(path, anchors)


@pytest.mark.parametrize("change", ["a note", "an account deactivated"])
def test_23_an_older_copy_put_back_needs_the_anchor(
    tmp_path: Path, anchors: AnchorFile, change: str
) -> None:
    """Also after a change that touches no session: accounts are bound into the ledger, so
    putting back the copy from before a deactivation is a rollback too."""
    clinic = Clinic.create(tmp_path / "clinic.db")
    sid = clinic.open_session()
    clinic.store.close()
    older = tmp_path / "older.db"
    older.write_bytes(clinic.path.read_bytes())
    with Store(clinic.path, anchors=anchors) as store:
        service = ChartService(store, clinic.clock)
        if change == "a note":
            service.add_note(clinic.staff.nurse, sid, "IV sited.")
        else:
            service.accounts.set_active(clinic.staff.admin, clinic.staff.nurse2.id, False)
    clinic.path.write_bytes(older.read_bytes())
    assert problems(clinic.path) == []  # an older copy is a sound file on its own
    assert "entries were lost" in refused_at_start(clinic.path, anchors)
