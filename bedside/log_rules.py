"""Live rules an imported log is judged by beyond the append rules and the steps' guards
(issue 11, item 2): the dose plan is computed again from the order, the protocol and the
charted weight through the same code as at the chair (:func:`bedside.rules.dosing.plan_dose`),
so a plan above the order's or the protocol's maximum, or a formula whose text disagrees with
its numbers, is refused; and every clinical time lies inside the session and not in the
future."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bedside.canonical import canonical_json, stored_body_hash
from bedside.events import (
    ChartAttested,
    ChartEvent,
    DosePlanned,
    DrugPrepared,
    Override,
    PrnGiven,
    SessionOpened,
    SessionSigned,
    WasteRecorded,
)
from bedside.ids import UserId
from bedside.people import Permission, User
from bedside.report import Finding, RuleReport, error
from bedside.rules import dosing, medication
from bedside.rules.clinical_time import clinical_time_problem
from bedside.signature_checks import signatures_in
from bedside.signing_keys import SealedKey
from bedside.state import SessionState
from bedside.store.keys import StoredKey
from bedside.timeutil import local_date

if TYPE_CHECKING:
    from bedside.eventlog import SessionLog

_COMPARED = (
    "mg_per_kg",
    "dosing_weight_kg",
    "dose_mg",
    "drug_volume_ml",
    "final_volume_ml",
    "concentration_mg_ml",
    "duration_min",
    "rate_ml_h",
    "rate_step_ml_h",
    "formula",
)


def dose_plan_errors(log: SessionLog, state: SessionState, event: ChartEvent) -> list[Finding]:
    """A dose plan must be the one the live rules give for its inputs, on the weight charted."""
    p = event.payload
    if not isinstance(p, DosePlanned):
        return []
    charted = state.baseline_value("weight_kg")
    tolerance = log.protocol.body.dosing.weight_tolerance_kg
    if charted is None or abs(charted - p.weight_kg) > tolerance:
        return [
            error(
                "dose.weight_not_charted",
                f"it uses {p.weight_kg:g} kg, not the weight charted at the baseline",
            )
        ]
    inputs = dosing.DoseInputs(
        weight_kg=p.weight_kg,
        weight_measured_on=p.weight_measured_on,
        vial_concentration_mg_ml=p.vial_concentration_mg_ml,
        bag_volume_ml=p.bag_volume_ml,
        height_cm=p.height_cm,
        sex=log.patient.sex,
    )
    today = local_date(event.clinical_time, state.opened.clinic_timezone)
    plan, report = dosing.plan_dose(
        inputs, order=log.course, protocol=log.protocol.body, today=today
    )
    if plan is None:
        return list(report.errors)
    differs = [k for k in _COMPARED if getattr(plan, k) != getattr(p, k)]
    if p.course_id != log.course.id:
        differs.insert(0, "course_id")
    if differs:
        return [
            error(
                "dose.not_as_computed",
                "the stored plan is not what the order and the protocol give for its "
                f"inputs ({', '.join(differs)} differ)",
            )
        ]
    return []


def time_errors(opened_at: datetime, event: ChartEvent, now: datetime | None) -> list[Finding]:
    """The live rule for clinical times (:mod:`bedside.rules.clinical_time`) at the time of the
    import: not before the session was opened, not in the future."""
    problem = clinical_time_problem(
        event.clinical_time, opened_at=opened_at, now=now or event.clinical_time
    )
    return [error("clinical_time", problem)] if problem else []


def bound_record_errors(log: SessionLog) -> list[Finding]:
    """The protocol and the course order a log carries must be the ones its session ran under
    and its clinician signed, hashed as stored (what ``verify`` checks afterwards): a log whose
    protocol body or order was edited is refused, not imported to fail verification for ever."""
    out: list[Finding] = []
    opened = log.events[0].payload if log.events else None
    body = canonical_json(log.protocol.raw_body)
    if isinstance(opened, SessionOpened) and stored_body_hash(body) != opened.protocol_hash:
        out.append(
            error(
                "log.protocol_altered",
                f"The protocol version {log.protocol.body.version} in the log is not the one the "
                "session ran under (its content was changed)",
            )
        )
    order = canonical_json(log.course.model_dump(mode="json"))
    if stored_body_hash(order, without="signature") != log.course.signature.content_hash:
        out.append(
            error(
                "log.order_altered",
                "The course order in the log is not the one its clinician signed (it was changed)",
            )
        )
    return out


def accounts_for(
    log: SessionLog, local_users: dict[UserId, User]
) -> tuple[dict[UserId, User], list[Finding]]:
    """The accounts the log's events are judged with: the file's, except that an account that
    exists here keeps its local role (a file cannot promote anyone)."""
    users = {u.id: u.as_user() for u in log.users}
    findings: list[Finding] = []
    for uid, local in local_users.items():
        if uid in users and users[uid].role is not local.role:
            findings.append(
                error(
                    "log.role_mismatch",
                    f"The log says {local.username} is a {users[uid].role.value}, but here they "
                    f"are a {local.role.value}",
                )
            )
        if uid in users:
            users[uid] = local.model_copy(update={"active": True})
    return users, findings


def second_person_errors(event: ChartEvent, users: dict[UserId, User]) -> list[Finding]:
    """The checker and the witness are not the author, and each signer's role allows what
    they signed."""
    p = event.payload
    out: list[Finding] = []
    second = {
        DrugPrepared: ("double_check", Permission.WITNESS),
        WasteRecorded: ("witness", Permission.WITNESS),
    }
    for kind, (field, permission) in second.items():
        if isinstance(p, kind):
            signature = getattr(p, field)
            signer = users.get(signature.signer_id)
            if signature.signer_id == event.author:
                out.append(error("log.same_person", "the second person is the author"))
            elif signer is None or not signer.can(permission):
                out.append(error("log.signer_role", "the second person may not sign this"))
    if isinstance(p, ChartAttested) and p.signature.signer_id != event.author:
        out.append(error("log.same_person", "a charting signature is not its author's"))
    if isinstance(p, SessionSigned):
        signer = users.get(p.signature.signer_id)
        if signer is None or not signer.can(Permission.SIGN_DISCHARGE):
            out.append(error("log.signer_role", "the discharge signer is not a clinician"))
    return out


def log_keys(
    log: SessionLog, local_users: dict[UserId, User] | None = None
) -> dict[str, StoredKey]:
    """The public signing keys a log carries, as the store keeps keys (no private half).

    Keys of people this clinic has an account for are left out: their signatures are checked
    against the keys this clinic holds for them, so a file cannot bring its own key for a
    local clinician and seal a signature with it."""
    known = local_users or {}
    return {
        k.id: StoredKey(k.id, u.id, SealedKey(k.public_key, ""), k.created_at)
        for u in log.users
        if u.id not in known
        for k in u.keys
    }


def unknown_author_errors(
    log: SessionLog, local_users: dict[UserId, User], confirmed_by: User | None
) -> list[Finding]:
    """People the log names whom this clinic has no account for take their name and role
    from the file alone: an administrator of this clinic must confirm them (audited), or the
    log is refused. A file cannot make anyone a clinician by saying so."""
    unknown = [u for u in log.users if u.id not in local_users]
    if not unknown:
        return []
    named = "; ".join(
        f"{u.as_user().display_name} ({u.role.value}, user name {u.username})" for u in unknown
    )
    if confirmed_by is None:
        return [
            error(
                "log.unknown_authors",
                f"The log names people this clinic has no account for: {named}. An "
                "administrator of this clinic must confirm who they are and the roles the log "
                "gives them (bedside import FILE --confirm-authors --as ADMIN)",
            )
        ]
    local = local_users.get(confirmed_by.id)
    if local is None or not local.active or not local.can(Permission.MANAGE_USERS):
        return [
            error(
                "log.unknown_authors",
                f"Only an active administrator of this clinic can confirm the people the log "
                f"names ({named}); {confirmed_by.username} cannot",
            )
        ]
    return []


def people_named(events: Sequence[ChartEvent]) -> set[str]:
    """The ids of everyone a log's events name: their authors and every signer in them."""
    ids: set[str] = {event.author for event in events}
    for event in events:
        ids.update(sig.signer_id for _path, sig in signatures_in(event.payload))
    return ids


def uncovered_errors(
    report: RuleReport, override: Override | None, users: dict[UserId, User]
) -> list[Finding]:
    """A guard's errors that the entry's override does not cover: an override covers the
    overridable findings it names, when made by someone allowed to override (as at the chair)."""
    covered: set[str] = set()
    if override is not None:
        clinician = users.get(override.clinician_id)
        if clinician is not None and clinician.can(Permission.OVERRIDE):
            covered = set(override.finding_codes)
    return [f for f in report.errors if not (f.overridable and f.code in covered)]


def prn_errors(
    log: SessionLog, state: SessionState, event: ChartEvent, users: dict[UserId, User]
) -> list[Finding]:
    """A PRN dose judged as at the chair: ordered by a clinician; an allergy match overridden
    by one; every warning (above the session maximum, inside the minimum interval, not on the
    clinic's list) read and confirmed by the nurse."""
    p = event.payload
    if not isinstance(p, PrnGiven):
        return []
    orderer = users.get(p.ordered_by)
    if orderer is None or not orderer.can(Permission.ORDER_COURSE):
        return [error("prn.orderer", "a PRN needs a clinician's order")]
    given = medication.Given(
        prns=[e for e in state.prns if e.id != event.supersedes],
        names={u.id: u.display_name for u in users.values()},
        tz=state.opened.clinic_timezone,
        now=event.recorded_time,
    )
    dose = medication.PrnDose(p.drug, p.dose, p.unit, p.route, event.clinical_time)
    report = medication.prn_report(
        dose,
        allergies=medication.session_allergies(log.patient, state),
        prn_list=log.protocol.body.prn_list,
        given=given,
    )
    out = uncovered_errors(report, p.override, users)
    # Entries written before the nurse confirmed warnings (the field absent as stored, e.g. the
    # reference log of an earlier build) are judged as that build judged them.
    confirms = "warnings_acknowledged" in event.stored_json()
    if confirms and len(p.warnings_acknowledged) < len(report.warnings):
        unread = "; ".join(w.message for w in report.warnings)
        out.append(error("prn.unconfirmed", f"warnings not confirmed by the nurse: {unread}"))
    return out
