"""Synthetic clinic databases for the benchmarks: "ten years of a busy clinic".

``ensure_databases(out_dir)`` returns two databases, generating them once and caching them under
``bench/out/`` (git-ignored), keyed by :data:`GENERATOR_VERSION`, the generation parameters and a
fingerprint of the schema and the event model (so a schema or model change regenerates them):

* the **busy** database: about 20,000 sessions and 1.5 M chart events over ten years of clinic days
  (Monday to Friday, 6-10 sessions a day, 8 on average, four chairs, three slots a day), patients on
  courses of six infusions twice a week, plus eight sessions "today" (:data:`TODAY`);
* the **small** database: the same clinic set-up and the same eight sessions today, no history.

How it stays fast and still honest:

* Two realistic *template* sessions are charted once through the real :class:`ChartService` on a
  scratch database (``chart_reference_session`` up to "ready for discharge", an extended
  observation block of vitals, sedation scores and notes, then the clinician's sign-off): 86 and 62
  events, about 74 on average.
* Every session of the generated databases is a clone of a template: new session, event, patient
  and course ids, times shifted to its slot (dates too), its own chair and number in course. The
  hash chain is recomputed with :func:`bedside.store.hashing.compute_hash` on the JSON form of each
  event, and ids, hashes and times referenced inside payloads (alert -> reading, signatures ->
  record hash, PRN -> side effect ...) are remapped, so ``bedside verify`` passes. Sessions today
  that are still running are prefixes of a template (the events charted before "now").
* Nothing goes through pydantic per event: rows are built from the templates' JSON and inserted
  with ``executemany`` in large transactions, with ``journal_mode=OFF``/``synchronous=OFF`` during
  the load and the tables' indexes and insert triggers dropped and recreated around it (with the
  exact SQL stored in ``sqlite_master``; the final schema is checked against a fresh database).
  The file is then switched back to WAL, and a sample of sessions (all of today's) is verified
  through :meth:`Store.verify_session` before the file is moved into place.

Run it on its own with ``python bench/generate.py [--quick] [--force]``.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import heapq
import json
import os
import random
import re
import shutil
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bedside.canonical import canonical_json
from bedside.clock import FixedClock
from bedside.events import ChartEvent, Phase
from bedside.ids import SessionId
from bedside.scales import ScaleName
from bedside.service import ChartService
from bedside.store import Store, bound_rows
from bedside.store.hashing import compute_hash, genesis_hash
from bedside.store.ledger_backfill import backfill_ledger
from ui.demo import (
    DEMO_PASSWORD,
    ReferencePlan,
    chart_reference_session,
    order_reference_course,
    set_up_clinic,
)

GENERATOR_VERSION = 3  # 2: fills the ledger; 3: slimmer ledger
TIMEZONE = "America/New_York"
TODAY = date(2026, 11, 24)
"""The benchmark's injected "today" (a Tuesday): the clinic-local date listed."""
NOW_LOCAL = dtime(14, 30)
"""Clinic-local time of "now" on :data:`TODAY`: sessions of the last slot are still running."""
SLOTS = (dtime(8, 0), dtime(10, 45), dtime(13, 30))
CHAIRS = 4
SESSIONS_PER_DAY = (6, 7, 8, 9, 10)
TODAY_SESSIONS = 8
COURSE_LENGTH = 6
FULL_HISTORY_DAYS = 3653  # ten years
QUICK_HISTORY_DAYS = 91
SEED = 20261124

OUT_DIR = Path(__file__).resolve().parent / "out"
EVENT_TABLE = "chart_events"
BULK_TABLES = ("patients", "course_orders", "sessions", "chart_events")
COPIED_TABLES = ("settings", "users", "signing_keys", "protocols", "protocol_approvals")
INT_KEYS = ("chair", "number_in_course")
FLUSH_EVENTS = 100_000

_JSON_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_COLUMN_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_DATE_LIKE = re.compile(r"^\d{4}-\d\d-\d\d")
_TIME_FORMATS = {"json": "%Y-%m-%dT%H:%M:%SZ", "column": "%Y-%m-%dT%H:%M:%S.%fZ"}

# fmt: off
FAMILY_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "O'Brien", "Kowalski"
)
GIVEN_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony",
    "Sandra", "Mark", "Ashley", "Minh", "Lucía", "Sean", "Alex", "Priya", "Kwame", "Yuki",
    "Fatima", "Mateo", "Chloé"
)
# fmt: on


def log(message: str) -> None:
    """Progress goes to stderr (stdout belongs to the benchmark's JSON lines)."""
    print(f"[generate] {message}", file=sys.stderr, flush=True)


# --- cache key -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """What is generated; every field is part of the cache key."""

    mode: str  # "full" or "quick"
    today: date
    history_days: int
    seed: int = SEED


def spec_for(*, quick: bool, today: date = TODAY) -> Spec:
    """The full (ten years) or quick (three months) clinic."""
    return Spec(
        mode="quick" if quick else "full",
        today=today,
        history_days=QUICK_HISTORY_DAYS if quick else FULL_HISTORY_DAYS,
    )


def model_fingerprint() -> str:
    """Schema SQL of a fresh database plus the JSON Schema of the stored models."""
    from bedside.course import CourseOrder
    from bedside.people import Patient

    with Store(":memory:") as store:
        schema = sorted(
            tuple(r)
            for r in store.conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
        )
    models = [m.model_json_schema() for m in (ChartEvent, Patient, CourseOrder)]
    text = json.dumps([schema, models], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def cache_key(spec: Spec) -> str:
    """``v{version}-{hash of spec and model}``."""
    text = json.dumps([GENERATOR_VERSION, str(spec), model_fingerprint()])
    return f"v{GENERATOR_VERSION}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


@dataclass(frozen=True)
class Databases:
    """The generated pair and what is known about them."""

    busy: Path
    small: Path
    meta: dict[str, Any]


def ensure_databases(
    out_dir: Path = OUT_DIR, *, quick: bool = False, today: date = TODAY, force: bool = False
) -> Databases:
    """The cached busy and small databases, generating them when missing or stale."""
    spec = spec_for(quick=quick, today=today)
    key = cache_key(spec)
    out_dir.mkdir(parents=True, exist_ok=True)
    busy = out_dir / f"busy-{spec.mode}-{key}.db"
    small = out_dir / f"small-{spec.mode}-{key}.db"
    meta_path = out_dir / f"busy-{spec.mode}-{key}.json"
    if not force and busy.exists() and small.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        meta["cached"] = True
        log(f"reusing cached {busy.name} ({meta['sessions']} sessions, {meta['events']} events)")
        return Databases(busy, small, meta)
    _remove_stale(out_dir, spec.mode, key)
    started = time.perf_counter()
    scratch = out_dir / f"scratch-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        t0 = time.perf_counter()
        templates = build_templates(scratch / "template.db", spec)
        template_s = time.perf_counter() - t0
        log(
            f"templates charted through the service in {template_s:.1f} s "
            f"({', '.join(f'{t.name}: {len(t.events)} events' for t in templates.sessions)})"
        )
        small_stats = generate(small, templates, spec, history=False)
        t0 = time.perf_counter()
        busy_stats = generate(busy, templates, spec, history=True)
        busy_s = time.perf_counter() - t0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    meta = {
        "generator_version": GENERATOR_VERSION,
        "key": key,
        "spec": {k: str(v) for k, v in spec.__dict__.items()},
        "today": spec.today.isoformat(),
        "timezone": TIMEZONE,
        **busy_stats,
        "small_sessions": small_stats["sessions"],
        "small_events": small_stats["events"],
        "busy_generation_seconds": round(busy_s, 2),
        "generation_seconds": round(time.perf_counter() - started, 2),
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    meta["cached"] = False
    log(f"generation took {meta['generation_seconds']:.1f} s in all")
    return Databases(busy, small, meta)


def _remove_stale(out_dir: Path, mode: str, key: str) -> None:
    for pattern in (f"busy-{mode}-v*", f"small-{mode}-v*"):
        for path in out_dir.glob(pattern):
            if key not in path.name:
                log(f"removing stale {path.name}")
                path.unlink(missing_ok=True)


# --- templates --------------------------------------------------------------------------------------

OBSERVATION_NOTES = (
    "Resting with eyes closed, easily roused, calm.",
    "Reports floating sensation, reassured; no distress.",
    "Sipping water, tolerating well, no nausea.",
    "Escort in waiting room, informed of progress.",
    "Talking with nurse, oriented to time and place.",
    "Mild headache 2/10, declines analgesia.",
)


@dataclass
class TemplateSession:
    """One session charted through the service, in the forms the clone needs."""

    name: str
    start: datetime
    local_day: date
    session_row: dict[str, Any]
    events: list[dict[str, Any]]  # JSON-mode ChartEvent dicts, in sequence
    event_rows: list[dict[str, Any]]  # the stored chart_events rows
    offsets: list[timedelta]  # clinical time - start, per event


@dataclass
class Templates:
    """The template sessions and the clinic records they belong to."""

    path: Path
    sessions: list[TemplateSession]
    patient_json: dict[str, Any]
    patient_row: dict[str, Any]
    course_json: dict[str, Any]
    course_row: dict[str, Any]


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


Signers = dict[str, Any]
"""Each template signing key's id → its private key, to re-seal cloned signatures."""


def template_signers(path: Path) -> Signers:
    """The template clinic's private signing keys, opened with the demo password (every
    template signer is a demo account): a clone's signatures name new times and content
    hashes, so their seals are made again, as the signer would have."""
    from bedside.signing_keys import SealedKey, unseal
    from ui.demo.staff import DEMO_PASSWORD

    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute("SELECT id, public_key, sealed FROM signing_keys").fetchall()
    finally:
        conn.close()
    signers: Signers = {}
    for key_id, public, sealed in rows:
        private = unseal(SealedKey(public, sealed), DEMO_PASSWORD)
        if private is None:
            raise RuntimeError(f"template key {key_id} does not open with the demo password")
        signers[key_id] = private
    return signers


def reseal(value: Any, signers: Signers) -> None:
    """Seal again every signature inside ``value`` (after its times and hashes changed)."""
    from bedside.signatures import Signature
    from bedside.signing_keys import seal_digest

    if isinstance(value, dict):
        if value.get("seal") and value.get("key_id") in signers:
            digest = Signature.model_validate({**value, "seal": None}).digest()
            value["seal"] = seal_digest(signers[value["key_id"]], digest)
        for inner in value.values():
            reseal(inner, signers)
    elif isinstance(value, list):
        for inner in value:
            reseal(inner, signers)


def build_templates(path: Path, spec: Spec) -> Templates:
    """Chart the template sessions through the real service on a scratch database."""
    tz = ZoneInfo(TIMEZONE)
    first = datetime.combine(spec.today - timedelta(days=28), SLOTS[0], tz).astimezone(UTC)
    clock = FixedClock(first - timedelta(days=2))
    store = Store(path)
    try:
        service = ChartService(store, clock)
        staff = set_up_clinic(
            service,
            {
                "timezone": TIMEZONE,
                "clinic_name": "Riverside Ketamine Clinic (benchmark)",
                "clinic_address": "100 River Road, Springfield",
            },
        )
        patient = service.register_patient(
            staff.nurse,
            mrn="MRN-TEMPLATE",
            family_name="Template",
            given_name="Pat",
            date_of_birth=date(1980, 6, 15),
            sex="female",
            allergies={"state": "listed", "allergies": ["penicillin"]},
            current_medicines=["sertraline 100 mg"],
        )
        course = order_reference_course(
            service, staff.clinician, patient.id, planned_infusions=COURSE_LENGTH
        )
        variants = [
            # (name, plan, extra observation rounds): 86 and 62 events
            ("long", ReferencePlan(), 16),
            ("short", ReferencePlan(phq9_before=12, peak_bp=(172, 98), cadss6_end=4), 8),
        ]
        made: list[tuple[str, SessionId, datetime]] = []
        for i, (name, plan, rounds) in enumerate(variants):
            start = first + timedelta(days=3 * i)
            sid = chart_reference_session(
                service,
                clock,
                staff,
                patient,
                chair=1,
                start=start,
                plan=plan,
                until=Phase.READY_FOR_DISCHARGE,
            )
            n = staff.nurse
            for r in range(rounds):
                clock.advance(minutes=3)
                service.record_vitals(
                    n,
                    sid,
                    systolic=124 + r % 5,
                    diastolic=78 + r % 3,
                    heart_rate=74 + r % 4,
                    spo2=98,
                    resp_rate=14,
                )
                service.score_scale(n, sid, ScaleName.MOAAS, {"response": 5})
                service.add_note(n, sid, OBSERVATION_NOTES[r % len(OBSERVATION_NOTES)])
            clock.advance(minutes=2)
            service.sign_off(staff.clinician, sid, DEMO_PASSWORD)
            made.append((name, sid, start))
        sessions = []
        for name, sid, start in made:
            events = [e.model_dump(mode="json") for e in store.events(sid)]
            for e in events:
                if compute_hash(e) != e["hash"]:
                    raise RuntimeError("compute_hash does not reproduce the stored event hash")
            header = store.session(sid)
            sessions.append(
                TemplateSession(
                    name=name,
                    start=start,
                    local_day=header.local_date,
                    session_row=_rows(store.conn, "SELECT * FROM sessions WHERE id = ?", (sid,))[0],
                    events=events,
                    event_rows=_rows(
                        store.conn,
                        f"SELECT * FROM {EVENT_TABLE} WHERE session_id = ? ORDER BY seq",
                        (sid,),
                    ),
                    offsets=[e.clinical_time - start for e in store.events(sid)],
                )
            )
        return Templates(
            path=path,
            sessions=sessions,
            patient_json=patient.model_dump(mode="json"),
            patient_row=_rows(store.conn, "SELECT * FROM patients WHERE id = ?", (patient.id,))[0],
            course_json=course.model_dump(mode="json"),
            course_row=_rows(store.conn, "SELECT * FROM course_orders WHERE id = ?", (course.id,))[
                0
            ],
        )
    finally:
        store.close()


# --- cloning ----------------------------------------------------------------------------------------

_CONST, _MAP, _INT, _PAYLOAD, _HASH = range(5)


def _strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _strings(v)


def _has_int_keys(obj: Any) -> bool:
    if isinstance(obj, dict):
        return any(k in INT_KEYS for k in obj) or any(_has_int_keys(v) for v in obj.values())
    if isinstance(obj, list | tuple):
        return any(_has_int_keys(v) for v in obj)
    return False


def _remap(obj: Any, m: dict[str, str], ints: dict[str, int]) -> Any:
    if isinstance(obj, str):
        return m.get(obj, obj)
    if isinstance(obj, dict):
        return {k: ints[k] if k in ints else _remap(v, m, ints) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_remap(v, m, ints) for v in obj]
    return obj


@dataclass
class _EventPlan:
    base: dict[str, Any]  # JSON form without "hash"
    dyn_keys: tuple[str, ...]  # top-level keys (not payload) whose value is remapped
    payload_dynamic: bool
    payload_text: str  # canonical JSON of the payload when it is not remapped
    template_hash: str
    ops: tuple[tuple[int, Any], ...]  # how to build each column of the row
    offset: timedelta


@dataclass
class ClonePlan:
    """A template compiled for fast cloning."""

    name: str
    session_id: str
    patient_id: str
    course_id: str
    event_ids: tuple[str, ...]
    times: dict[str, tuple[timedelta, str]]  # template time string -> (offset, strftime format)
    dates: dict[str, int]  # template date string -> days after the session's local date
    events: list[_EventPlan]
    session_ops: tuple[tuple[int, Any], ...]
    event_columns: tuple[str, ...]
    session_columns: tuple[str, ...]
    duration: timedelta = field(default=timedelta(0))


def _ops(row: dict[str, Any], remappable: set[str]) -> tuple[tuple[int, Any], ...]:
    ops: list[tuple[int, Any]] = []
    for col, value in row.items():
        if col == "payload":
            ops.append((_PAYLOAD, None))
        elif col == "hash":
            ops.append((_HASH, None))
        elif col in INT_KEYS:
            ops.append((_INT, col))
        elif isinstance(value, str) and value in remappable:
            ops.append((_MAP, value))
        else:
            ops.append((_CONST, value))
    return tuple(ops)


def compile_template(t: TemplateSession, patient_id: str, course_id: str) -> ClonePlan:
    """Find every id, hash, time and date the clone must replace, and precompute the rest."""
    sid = t.session_row["id"]
    event_ids = tuple(e["id"] for e in t.events)
    hashes = {e["hash"] for e in t.events} | {genesis_hash(sid)}
    times: dict[str, tuple[timedelta, str]] = {}
    dates: dict[str, int] = {}
    everything = [*t.events, *t.event_rows, t.session_row]
    for s in (s for obj in everything for s in _strings(obj)):
        if _JSON_TIME.match(s):
            when = datetime.strptime(s, _TIME_FORMATS["json"]).replace(tzinfo=UTC)
            times[s] = (when - t.start, _TIME_FORMATS["json"])
        elif _COLUMN_TIME.match(s):
            when = datetime.strptime(s, _TIME_FORMATS["column"]).replace(tzinfo=UTC)
            times[s] = (when - t.start, _TIME_FORMATS["column"])
        elif _DATE.match(s):
            dates[s] = (date.fromisoformat(s) - t.local_day).days
        elif _DATE_LIKE.match(s) and s not in hashes:
            raise RuntimeError(f"template value {s!r} looks like a time in an unknown format")
    remappable = {sid, patient_id, course_id, *event_ids, *hashes, *times, *dates}
    plans: list[_EventPlan] = []
    for e, row, offset in zip(t.events, t.event_rows, t.offsets, strict=True):
        base = {k: v for k, v in e.items() if k != "hash"}
        payload = base["payload"]
        dynamic = _has_int_keys(payload) or any(s in remappable for s in _strings(payload))
        plans.append(
            _EventPlan(
                base=base,
                dyn_keys=tuple(
                    k
                    for k, v in base.items()
                    if k != "payload" and isinstance(v, str) and v in remappable
                ),
                payload_dynamic=dynamic,
                payload_text=canonical_json(payload),
                template_hash=e["hash"],
                ops=_ops(row, remappable),
                offset=offset,
            )
        )
        if row["payload"] != canonical_json(payload):
            raise RuntimeError("the stored payload is not the canonical JSON of the event payload")
    return ClonePlan(
        name=t.name,
        session_id=sid,
        patient_id=patient_id,
        course_id=course_id,
        event_ids=event_ids,
        times=times,
        dates=dates,
        events=plans,
        session_ops=_ops(t.session_row, remappable),
        event_columns=tuple(t.event_rows[0]),
        session_columns=tuple(t.session_row),
        duration=t.offsets[-1],
    )


def _build(
    ops: tuple[tuple[int, Any], ...],
    m: dict[str, str],
    ints: dict[str, int],
    payload: str = "",
    digest: str = "",
) -> tuple[Any, ...]:
    out = []
    for op, value in ops:
        if op == _CONST:
            out.append(value)
        elif op == _MAP:
            out.append(m[value])
        elif op == _INT:
            out.append(ints[value])
        elif op == _PAYLOAD:
            out.append(payload)
        else:
            out.append(digest)
    return tuple(out)


def clone_session(
    plan: ClonePlan,
    *,
    patient_id: str,
    course_id: str,
    chair: int,
    number: int,
    start: datetime,
    local_day: date,
    upto: timedelta | None = None,
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    signers: Signers | None = None,
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """The session row and event rows of one clone (``upto``: only events charted by then)."""
    sid = new_id()
    m: dict[str, str] = {
        plan.session_id: sid,
        genesis_hash(plan.session_id): genesis_hash(sid),
        plan.patient_id: patient_id,
        plan.course_id: course_id,
    }
    for eid in plan.event_ids:
        m[eid] = new_id()
    for text, (offset, fmt) in plan.times.items():
        m[text] = (start + offset).strftime(fmt)
    for text, days in plan.dates.items():
        m[text] = (local_day + timedelta(days=days)).isoformat()
    ints = {"chair": chair, "number_in_course": number}
    rows: list[tuple[Any, ...]] = []
    for ev in plan.events:
        if upto is not None and ev.offset > upto:
            break
        d = dict(ev.base)
        for k in ev.dyn_keys:
            d[k] = m[d[k]]
        if ev.payload_dynamic:
            payload = _remap(ev.base["payload"], m, ints)
            if signers:
                reseal(payload, signers)
            d["payload"] = payload
            text = canonical_json(payload)
        else:
            text = ev.payload_text
        digest = compute_hash(d)
        m[ev.template_hash] = digest
        rows.append(_build(ev.ops, m, ints, text, digest))
    return _build(plan.session_ops, m, ints), rows


# --- patients and courses -----------------------------------------------------------------------------


def _iso_column(when: datetime) -> str:
    return when.astimezone(UTC).strftime(_TIME_FORMATS["column"])


def _iso_json(when: datetime) -> str:
    return when.astimezone(UTC).strftime(_TIME_FORMATS["json"])


class PatientFactory:
    """New patients (cloned from the template's record) each with a signed course order."""

    def __init__(
        self, templates: Templates, rng: random.Random, signers: Signers | None = None
    ) -> None:
        self.t = templates
        self.rng = rng
        self.signers = signers or {}
        self.count = 0
        self.patient_columns = tuple(templates.patient_row)
        self.course_columns = tuple(templates.course_row)
        try:
            from bedside.course import CourseOrder, order_content_hash

            self._order_hash: Callable[[dict[str, Any]], str] | None = lambda body: (
                order_content_hash(CourseOrder.model_validate(body))
            )
        except ImportError:  # older core: orders carry no content hash check
            self._order_hash = None

    def new(self, created: datetime) -> tuple[str, str, tuple[Any, ...], tuple[Any, ...]]:
        """(patient id, course id, patients row, course_orders row)."""
        self.count += 1
        rng = self.rng
        pid, cid = str(uuid.uuid4()), str(uuid.uuid4())
        pj = dict(self.t.patient_json)
        pj.update(
            id=pid,
            mrn=f"MRN-{100000 + self.count}",
            family_name=rng.choice(FAMILY_NAMES),
            given_name=rng.choice(GIVEN_NAMES),
            date_of_birth=date(
                rng.randint(1945, 2004), rng.randint(1, 12), rng.randint(1, 28)
            ).isoformat(),
            sex=rng.choice(("female", "male", "female", "male", "other")),
            allergies=rng.choice(([], [], ["penicillin"], ["latex"], ["sulfa drugs"])),
        )
        cj = copy.deepcopy(self.t.course_json)
        cj.update(id=cid, patient_id=pid, created_at=_iso_json(created))
        if isinstance(cj.get("signature"), dict):
            cj["signature"]["signed_at"] = _iso_json(created)
            if self._order_hash is not None:
                cj["signature"]["content_hash"] = self._order_hash(cj)
            reseal(cj["signature"], self.signers)
        patient_row = tuple(
            canonical_json(pj)
            if col == "body"
            else _iso_column(created)
            if col == "created_at"
            else pj[col]
            if col in pj
            else self.t.patient_row[col]
            for col in self.patient_columns
        )
        course_row = tuple(
            canonical_json(cj)
            if col == "body"
            else _iso_column(created)
            if col == "created_at"
            else cj[col]
            if col in cj
            else self.t.course_row[col]
            for col in self.course_columns
        )
        return pid, cid, patient_row, course_row


# --- the schedule -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One session to generate."""

    day: date
    start: datetime  # UTC
    chair: int
    template: int
    upto: timedelta | None  # still running at "now": only events charted so far


def _day_slots(
    day: date,
    k: int,
    rng: random.Random,
    tz: ZoneInfo,
    now: datetime | None,
    durations: list[timedelta],
) -> list[Slot]:
    places = sorted(
        rng.sample([(s, c) for s in range(len(SLOTS)) for c in range(1, CHAIRS + 1)], k)
    )
    out = []
    for s, chair in places:
        start = datetime.combine(day, SLOTS[s], tz).astimezone(UTC)
        template = rng.randrange(len(durations))
        upto = None
        if now is not None:
            if start >= now:
                continue
            if start + durations[template] > now:
                upto = now - start
        out.append(Slot(day, start, chair, template, upto))
    return out


def schedule(spec: Spec, *, history: bool, durations: list[timedelta]) -> list[Slot]:
    """Clinic days (Monday-Friday) of the history, then today's sessions (same for both dbs)."""
    tz = ZoneInfo(TIMEZONE)
    slots: list[Slot] = []
    if history:
        rng = random.Random(spec.seed)
        day = spec.today - timedelta(days=spec.history_days)
        while day < spec.today:
            if day.weekday() < 5:
                k = rng.choice(SESSIONS_PER_DAY)
                slots.extend(_day_slots(day, k, rng, tz, None, durations))
            day += timedelta(days=1)
    today_rng = random.Random(f"{spec.seed}-{spec.today}")
    now = datetime.combine(spec.today, NOW_LOCAL, tz).astimezone(UTC)
    slots.extend(_day_slots(spec.today, TODAY_SESSIONS, today_rng, tz, now, durations))
    return slots


# --- the bulk load --------------------------------------------------------------------------------------


def generate(path: Path, templates: Templates, spec: Spec, *, history: bool) -> dict[str, Any]:
    """Write one database (busy with ``history``, else small) to ``path``, atomically."""
    started = time.perf_counter()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    Store(tmp).close()  # the real schema, through the real migrations
    fresh_schema = _schema(tmp)

    base_patient = templates.patient_json["id"]
    base_course = templates.course_json["id"]
    plans = [compile_template(t, base_patient, base_course) for t in templates.sessions]
    slots = schedule(spec, history=history, durations=[p.duration for p in plans])
    rng = random.Random(f"{spec.seed}-patients-{history}")
    signers = template_signers(templates.path)
    factory = PatientFactory(templates, rng, signers)

    conn = sqlite3.connect(str(tmp), isolation_level=None)
    bound_rows.register(conn)  # the copied tables' rows are bound as they are inserted
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")  # 1 GB: the id index stays in memory
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("ATTACH DATABASE ? AS tpl", (str(templates.path),))
    conn.execute("BEGIN")
    for table in COPIED_TABLES:
        conn.execute(f"INSERT INTO main.{table} SELECT * FROM tpl.{table}")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE tpl")

    placeholders = ", ".join("?" * len(BULK_TABLES))
    saved = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        f"AND sql IS NOT NULL AND tbl_name IN ({placeholders})",
        BULK_TABLES,
    ).fetchall()
    for kind, name, _ in saved:
        conn.execute(f'DROP {kind.upper()} "{name}"')

    def insert_sql(table: str, columns: tuple[str, ...]) -> str:
        return f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    sql_event = insert_sql(EVENT_TABLE, plans[0].event_columns)
    sql_session = insert_sql("sessions", plans[0].session_columns)
    sql_patient = insert_sql("patients", factory.patient_columns)
    sql_course = insert_sql("course_orders", factory.course_columns)

    ev_buf: list[tuple[Any, ...]] = []
    sess_buf: list[tuple[Any, ...]] = []
    pat_buf: list[tuple[Any, ...]] = []
    course_buf: list[tuple[Any, ...]] = []
    totals = {"sessions": 0, "events": 0, "patients": 0}

    def flush() -> None:
        conn.execute("BEGIN")
        conn.executemany(sql_patient, pat_buf)
        conn.executemany(sql_course, course_buf)
        conn.executemany(sql_session, sess_buf)
        conn.executemany(sql_event, ev_buf)
        conn.execute("COMMIT")
        totals["events"] += len(ev_buf)
        totals["sessions"] += len(sess_buf)
        totals["patients"] += len(pat_buf)
        for buf in (ev_buf, sess_buf, pat_buf, course_buf):
            buf.clear()

    tz = ZoneInfo(TIMEZONE)
    due: list[tuple[date, int, str, str, int]] = []  # (due day, tiebreak, patient, course, next #)
    last_report = time.perf_counter()
    today_ids: list[str] = []
    for i, slot in enumerate(slots):
        if due and due[0][0] <= slot.day:
            _, _, pid, cid, number = heapq.heappop(due)
        else:
            created = datetime.combine(slot.day - timedelta(days=7), dtime(9, 0), tz)
            pid, cid, prow, crow = factory.new(created)
            pat_buf.append(prow)
            course_buf.append(crow)
            number = 1
        srow, erows = clone_session(
            plans[slot.template],
            patient_id=pid,
            course_id=cid,
            chair=slot.chair,
            number=number,
            start=slot.start,
            local_day=slot.day,
            upto=slot.upto,
            signers=signers,
        )
        if slot.day == spec.today:
            today_ids.append(srow[plans[0].session_columns.index("id")])
        sess_buf.append(srow)
        ev_buf.extend(erows)
        if number < COURSE_LENGTH:
            gap = 3 if slot.day.weekday() in (0, 3) else 4  # Mon/Thu, Tue/Fri, Wed/Mon ...
            heapq.heappush(due, (slot.day + timedelta(days=gap), i, pid, cid, number + 1))
        if len(ev_buf) >= FLUSH_EVENTS:
            flush()
            if time.perf_counter() - last_report > 5:
                last_report = time.perf_counter()
                log(
                    f"{path.name}: {totals['sessions']}/{len(slots)} sessions, "
                    f"{totals['events']} events ({time.perf_counter() - started:.0f} s)"
                )
    flush()
    # Events were inserted directly: give them their ledger entries, as the store would have.
    backfill_ledger(conn)
    load_s = time.perf_counter() - started
    t0 = time.perf_counter()
    for _kind, _name, sql in sorted(saved, key=lambda r: r[0] != "index"):  # indexes first
        conn.execute(sql)
    # Patients, course orders and session headers too, as the binding triggers would have.
    conn.execute("BEGIN")
    bound_rows.bind_unbound_rows(conn)
    conn.execute("COMMIT")
    conn.execute("PRAGMA locking_mode = NORMAL")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":
        raise RuntimeError(f"could not switch {tmp} back to WAL (got {mode!r})")
    conn.close()
    index_s = time.perf_counter() - t0
    if _schema(tmp) != fresh_schema:
        raise RuntimeError("the generated database's schema differs from a fresh database's")
    checked = _check_sample(tmp, today_ids, totals["sessions"])
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)
    size_mb = path.stat().st_size / 1e6
    seconds = time.perf_counter() - started
    log(
        f"{path.name}: {totals['sessions']} sessions, {totals['events']} events, "
        f"{totals['patients']} patients, {size_mb:.0f} MB in {seconds:.1f} s "
        f"(rows {load_s:.1f} s, indexes+triggers {index_s:.1f} s; {checked} sessions verified)"
    )
    return {
        **totals,
        "today_sessions": len(today_ids),
        "size_mb": round(size_mb, 1),
        "seconds": round(seconds, 2),
    }


def _schema(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(str(path))
    try:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()


def _check_sample(path: Path, today_ids: list[str], n_sessions: int, sample: int = 40) -> int:
    """Verify today's sessions and a random sample through the store (pydantic, chain, bound
    records); raise if anything does not verify."""
    with Store(path, check_integrity=False) as store:
        ids = [SessionId(s) for s in today_ids]
        rowids = random.Random(1).sample(range(1, n_sessions + 1), min(sample, n_sessions))
        for rowid in rowids:
            row = store.conn.execute("SELECT id FROM sessions WHERE rowid = ?", (rowid,)).fetchone()
            if row:
                ids.append(SessionId(row[0]))
        for sid in ids:
            problems = store.verify_session(sid)
            if problems:
                raise RuntimeError(f"generated session does not verify: {problems[:3]}")
    return len(ids)


def main(argv: list[str] | None = None) -> int:
    """Generate (or find cached) databases and print their paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three months instead of ten years")
    parser.add_argument("--force", action="store_true", help="regenerate even if cached")
    parser.add_argument("--verify", action="store_true", help="then run Store.verify() on both")
    args = parser.parse_args(argv)
    dbs = ensure_databases(quick=args.quick, force=args.force)
    if args.verify:
        for p in (dbs.small, dbs.busy):
            t0 = time.perf_counter()
            with Store(p) as store:
                problems = store.verify()
            log(f"verify {p.name}: {len(problems)} problems in {time.perf_counter() - t0:.1f} s")
            for problem in problems[:10]:
                log(f"  {problem}")
    print(json.dumps({"busy": str(dbs.busy), "small": str(dbs.small), **dbs.meta}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
