"""A session's record as a self-contained JSON document: export, import and its JSON Schema.

The same format serves backup of one session, training scenarios, demo data and test fixtures.
Import replays every event through the checks a live append passes (payload validation, the
role and phase rules, the hash chain); a tampered or invalid log is refused whole and nothing is
written.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    model_validator,
)

from bedside.canonical import canonical_json
from bedside.course import CourseOrder
from bedside.errors import InputRejected, IntegrityError, OperationRefused, StoreError
from bedside.events import (
    ChartEvent,
    Kind,
    SessionOpened,
)
from bedside.ids import ProtocolId, SessionId, UserId
from bedside.log_guards import guard_errors
from bedside.log_rules import (
    accounts_for,
    bound_record_errors,
    dose_plan_errors,
    log_keys,
    people_named,
    time_errors,
    unknown_author_errors,
)
from bedside.model_config import FROZEN
from bedside.people import Patient, Role, User
from bedside.protocol import Protocol
from bedside.report import Finding, RuleReport, error
from bedside.rules.append import append_report
from bedside.sessions import SessionHeader
from bedside.signature_checks import signature_problems
from bedside.state import fold
from bedside.store import Store
from bedside.store.hashing import chain_problems
from bedside.store.imports import ImportedRecord
from bedside.store.keys import StoredKey
from bedside.stored_json import KeepsStoredJson
from bedside.timeutil import UtcDatetime
from bedside.validation import describe

FORMAT = "bedside.session-log"


class StoredProtocol(KeepsStoredJson):
    """A protocol version with its database id.

    The body travels exactly as the exporting database stored it (like an event's payload), so
    a protocol model that later gains a setting still imports the version with the hash the
    session recorded, and re-exports it byte for byte.
    """

    model_config = FROZEN

    id: ProtocolId
    body: Protocol
    stored_field: ClassVar[str] = "body"

    @property
    def raw_body(self) -> dict[str, Any]:
        """The body as stored (or, for a protocol built here, as it will be stored)."""
        return self.stored_json()

    @classmethod
    def from_stored(cls, protocol_id: ProtocolId, body: str) -> StoredProtocol:
        """A protocol version from its stored JSON body."""
        return cls.model_validate({"id": protocol_id, "body": json.loads(body)})


class LogKey(BaseModel):
    """A signer's public signing key, so seals can be checked wherever the log goes."""

    model_config = FROZEN

    id: str = Field(min_length=1, max_length=64)
    public_key: str = Field(pattern=r"^[0-9a-f]{64}$")
    created_at: UtcDatetime


class LogUser(BaseModel):
    """An author or signer as the log names them (no password, no account state), with the
    public halves of their signing keys."""

    model_config = FROZEN

    id: UserId
    username: str
    full_name: str
    role: Role
    credentials: str = ""
    keys: tuple[LogKey, ...] = Field(default=(), exclude_if=lambda v: not v)

    @model_validator(mode="after")
    def _a_possible_account(self) -> Self:
        """Names an account could have here (a file may carry a name no account may have)."""
        try:
            self.as_user()
        except ValidationError as exc:
            raise ValueError(f"user {self.username!r}: {describe(exc)}") from None
        return self

    def as_user(self) -> User:
        """The account this entry describes (active, for replaying the role rules)."""
        return User(
            id=self.id,
            username=self.username,
            full_name=self.full_name,
            role=self.role,
            credentials=self.credentials,
        )


class SessionLog(BaseModel):
    """One session, with everything needed to read it anywhere."""

    model_config = FROZEN

    format: Literal["bedside.session-log"] = "bedside.session-log"
    format_version: Literal[1] = 1
    exported_at: UtcDatetime
    session: SessionHeader
    patient: Patient
    course: CourseOrder
    protocol: StoredProtocol
    users: tuple[LogUser, ...] = Field(description="Everyone who authored or signed an event")
    events: tuple[ChartEvent, ...] = Field(min_length=1)


def export_session(store: Store, session_id: SessionId, *, now: datetime) -> SessionLog:
    """The session's log as a :class:`SessionLog`."""
    header = store.session(session_id)
    events = store.events(session_id)
    problems = chain_problems(session_id, events)
    if problems:
        raise IntegrityError("Refusing to export a damaged record:\n" + "\n".join(problems))
    order = store.course(header.course_id)
    ids = sorted(people_named(events) | {order.signature.signer_id})
    keys = store.signing_keys().values()
    users = tuple(
        LogUser.model_validate(
            {
                **store.user(UserId(uid)).model_dump(exclude={"active"}),
                "keys": [
                    {"id": k.id, "public_key": k.key.public_key, "created_at": k.created_at}
                    for k in sorted(keys, key=lambda k: k.created_at)
                    if k.user_id == uid
                ],
            }
        )
        for uid in ids
    )
    return SessionLog(
        exported_at=now,
        session=header,
        patient=store.patient(header.patient_id),
        course=order,
        protocol=StoredProtocol.from_stored(
            header.protocol_id, store.protocol_body(header.protocol_id)
        ),
        users=users,
        events=tuple(events),
    )


def to_json(log: SessionLog) -> str:
    """Pretty, stable JSON text of a log."""
    return json.dumps(log.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=True)


def parse_log(text: str) -> SessionLog:
    """Validate JSON text as a session log (refusing anything malformed, with words)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputRejected(f"Not a JSON file: {exc}") from exc
    except RecursionError:
        raise InputRejected("Not a Bedside session log: the file is nested too deeply") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputRejected(f"Not a Bedside session log (expected format {FORMAT!r})")
    try:
        return SessionLog.model_validate(data)
    except ValidationError as exc:
        raise InputRejected("The session log is not valid:\n" + describe(exc)) from exc


def check_log(
    log: SessionLog,
    local_users: dict[UserId, User] | None = None,
    now: datetime | None = None,
    local_keys: dict[str, StoredKey] | None = None,
    *,
    authors_confirmed_by: User | None = None,
) -> RuleReport:
    """Replay the log through the live rules; errors mean the log must be refused.

    Every event passes the append rules (role, phase, lock, corrections); steps with guards
    (phase steps, the infusion start, the sign-off) pass their guards at their own time; the
    chain must be intact. Accounts that exist in the receiving database keep their local role,
    whatever the file claims, and their signatures are checked against this clinic's keys for
    them; people it has no account for must be confirmed by one of its administrators
    (``authors_confirmed_by``).
    """
    findings: list[Finding] = []
    sid = log.session.id
    problems = chain_problems(sid, list(log.events))
    findings.extend(error("log.chain", p) for p in problems)
    local = local_users or {}
    if local_users is not None:  # judged for a receiving database (import_log always is)
        findings.extend(unknown_author_errors(log, local, authors_confirmed_by))
    users, mismatches = accounts_for(log, local)
    findings.extend(mismatches)
    missing = people_named(log.events) - set(users)
    if missing:
        findings.append(error("log.unknown_user", f"Events name unknown users: {sorted(missing)}"))
    if findings:
        return RuleReport.of(findings)
    findings.extend(bound_record_errors(log))
    keys = {**log_keys(log, local), **(local_keys or {})}
    for event in log.events:
        findings.extend(error("log.signature", p) for p in signature_problems(event, users, keys))
    if findings:
        return RuleReport.of(findings)
    first = log.events[0]
    if first.kind != Kind.SESSION_OPENED:
        return RuleReport.of([error("log.no_opening", "The log does not start with the opening")])
    return RuleReport.of(_replay(log, users, now))


def _replay(log: SessionLog, users: dict[UserId, User], now: datetime | None) -> list[Finding]:
    """Each entry after the opening, judged by the live rules against the record before it;
    the first one refused ends the replay (what follows it was judged on a false record)."""
    findings: list[Finding] = []
    for n in range(1, len(log.events)):
        state = fold(log.events[:n])
        event = log.events[n]
        author = users[event.author]
        superseded = state.effective.get(event.supersedes) if event.supersedes else None
        if event.supersedes and superseded is None:
            findings.append(
                error(
                    "log.bad_supersedes",
                    f"Event #{event.seq} corrects an entry that is not in effect",
                )
            )
            break
        report = append_report(state, event.kind, author, supersedes=superseded)
        errors = list(report.errors) + guard_errors(log, state, event, users)
        errors += time_errors(log.session.opened_at, event, now)
        errors += dose_plan_errors(log, state, event)
        if errors:
            for f in errors:
                findings.append(
                    error(
                        f"log.replay.{f.code}",
                        f"Event #{event.seq} ({event.kind.replace('_', ' ')}): {f.message}",
                    )
                )
            break
    return findings


def import_log(
    store: Store, log: SessionLog, *, now: datetime, authors_confirmed_by: User | None = None
) -> SessionId:
    """Write a checked log into ``store`` in one transaction (same ids, same hashes).

    ``authors_confirmed_by``: the administrator (already signed in) who confirms the people
    the log names that this clinic has no account for; audited."""
    local = {u.id: u for u in store.users()}
    report = check_log(
        log, local, now, store.signing_keys(), authors_confirmed_by=authors_confirmed_by
    )
    if not report.is_valid:
        raise OperationRefused("The session log was refused; nothing was imported.", report)
    sid = log.session.id
    if store.has_session(sid):
        raise StoreError(f"Session {sid} is already in this database; nothing was imported.")
    existing = store.patient_by_mrn(log.patient.mrn)
    if existing is not None and existing.id != log.patient.id:
        raise StoreError(
            f"MRN {log.patient.mrn} belongs to a different patient here; nothing was imported."
        )
    opened = log.events[0].payload
    store.insert_imported(
        ImportedRecord(
            header=log.session,
            patient=log.patient,
            course=log.course,
            protocol_id=log.protocol.id,
            protocol_version=log.protocol.body.version,
            protocol_name=log.protocol.body.name,
            protocol_body=canonical_json(log.protocol.raw_body),
            authors=tuple(u.as_user() for u in log.users),
            keys=tuple(log_keys(log, local).values()),
            events=log.events,
            # A database that has no clinic zone yet takes the one the session ran in, so
            # dates and times are shown the way the clinic saw them.
            timezone=opened.clinic_timezone if isinstance(opened, SessionOpened) else "UTC",
            authors_confirmed_by=authors_confirmed_by.id if authors_confirmed_by else None,
        ),
        now=now,
    )
    return sid


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a session log, generated from the pydantic models."""
    schema = SessionLog.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Bedside session log"
    return schema
