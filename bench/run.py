"""Bedside benchmarks: ``python bench/run.py [--quick] [--only NAME ...]``.

Prints one JSON object per line on stdout, nothing else::

    {"name": ..., "value": ..., "unit": ..., "floor": ..., "ratio": ..., "goal": ...}

``value`` is the median of several repetitions; ``floor`` is a baseline measured in the same run
on the same machine (what the operation cannot beat, or the same operation without the thing
being measured); ``ratio = value / floor``; ``goal`` says what "good" means. Progress goes to
stderr. Scratch files go under ``bench/out/`` (git-ignored), where the generated "busy clinic"
database is also cached (see ``bench/generate.py``).

Benchmarks (``--only`` takes any of the line names):

``append_event``
    One durable chart entry through :meth:`Store.append`: ``EventDraft(payload=NoteAdded(...))``
    built inside the timed loop (pydantic validation counts), the chain head read, the event
    model built and hashed, the INSERT through the database's sequence/lock triggers and the
    COMMIT under WAL with ``synchronous=FULL``. Floor: a bare ``sqlite3`` ``BEGIN IMMEDIATE`` +
    INSERT of a prebuilt row of the same shape into a table with the same columns, primary key
    and unique index (no triggers) + COMMIT, in another file in the same folder with the same
    pragmas. Both are per-append medians; store and bare appends alternate one by one, so drift
    in the disk's flush latency hits both alike. Goal: ratio <= 2.
``append_event_anchored``
    The same append as the app makes it: the Store opened with this workstation's anchor file
    (:mod:`bedside.store.anchor`), which every write moves (a small file written, fsynced and
    renamed, its folder synced: two more flushes). Same floor, measured in its own run so its
    flushes do not slow the row above. Goal: ratio <= 3.
``fold_300``
    ``fold(events)`` of one 300-event session (the reference session charted through the service
    up to "ready for discharge", then vitals and notes appended up to 300 events). The events are
    loaded once; only the fold is timed. Floor: iterating the same 300 events and reading
    ``event.kind`` (the least any fold must do). Goal: value <= 5 ms.
``list_today_busy_db``
    What ``bedside sessions`` does for today: open ``Store(path, check_integrity=False)``, read the
    clinic time zone, ``session_rows(store, store.sessions_on(today), tz)``, close; a new Store
    each repetition (OS page cache warm, SQLite cache cold). On the busy database (ten years,
    ~20,000 sessions, ~1.5 M events, 8 sessions today). Floor: the same on a database with only
    today's 8 sessions. Goals: value <= 50 ms and ratio <= 1.2.
``integrity_check_busy_db``
    ``PRAGMA integrity_check`` (what opening with ``check_integrity=True`` runs) on the busy
    database; floor: on the small one. Information only.
``db_size_busy``
    Size of the busy database file in MB; floor: the small one. Information only.
``demo_build``
    ``build_demo`` into a fresh database (creating the Store included); floor: creating an empty
    Store. Information only.
``app_start_large_db``, ``app_start_large_db_full_check``, ``verify_incremental_large_db``
    The app's start to the chair board on the busy database vs the small one (goal: ratio <=
    1.2), and as it started before issue 13 with the full integrity check on open (information
    only); ``bedside verify`` after a full check and a day's charting vs ``verify --full``
    (goal: value <= 10 s). See ``bench/large_db_bench.py``.
``pdf_long_session``, ``pdf_batch_40``
    The long session's summary PDF vs a one-page reportlab document (goal: value <= 300 ms),
    and ``bedside export pdf --date`` over a day of 40 sessions (goal: value <= 12 s). See
    ``bench/pdf_bench.py``.
``app_cold_start``, ``app_cold_start_board``, ``peak_memory_board_4_sessions``,
``record_vitals_enter_to_refresh``
    The desktop app (Qt offscreen) on the demo clinic: a fresh process up to its first window
    drawn vs one drawing an empty QMainWindow (goal: ratio <= 1.5), and up to the chair board
    shown (goal: value <= 1000 ms); peak RSS with the board and
    four session windows vs an empty QMainWindow (goal: value <= 200 MB); Enter in the vitals
    keypad until the session window and the board are redrawn vs a bare INSERT + COMMIT (goal:
    value <= 15 ms). See ``bench/ui_bench.py`` for exactly what is timed.
``app_cold_start_smoke``, ``app_cold_start_smoke_board``
    The installed entry point, ``bedside --smoke`` (``python -m ui.launcher``), on a new clinic
    with one administrator: a fresh process up to its first window drawn vs one drawing a bare
    QWidget (goal: ratio <= 1.5), and up to the board shown (goal: value <= 1000 ms). See
    ``bench/cold_start_bench.py``.
``sync_entry_a_to_b``
    Two workstations on a throwaway PostgreSQL, both running the app's background sync: an
    entry charted at A until it is in B's file vs a bare INSERT seen by another connection
    (goal: value <= 1000 ms; skipped without PostgreSQL). See ``bench/server_bench.py``.
``sync_catch_up_8h``
    Workstation B, cut off for a day of 4 chairs × 3 signed sessions charted at A, syncs once:
    its whole sync vs reading the same entries in one SELECT (goal: value <= 5 s).
``push_ten_years``
    The busy database (ten years, ~1.55 M entries; ``--quick``: three months) pushed by the real
    ``push()`` to an empty clinic server vs PostgreSQL's own COPY of the same sessions and
    entries (read from the same file) in one transaction into another empty server database,
    triggers active (goal: ratio <= 3; skipped without PostgreSQL). See
    ``bench/server_push_bench.py``.
``reads_per_charted_entry``, ``folds_per_charted_entry``, ``flowsheets_per_idle_tick``
    Counted, not timed: event-log reads and folds for one note charted from a session window
    with the board and four windows open (goal: value <= 2 each), and what three idle ticks
    read and build (goal: 0). See ``bench/reads_bench.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import shutil
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bedside.canonical import canonical_json  # noqa: E402
from bedside.clock import FixedClock  # noqa: E402
from bedside.events import EventDraft, NoteAdded, Phase, VitalsRecorded  # noqa: E402
from bedside.ids import SessionId  # noqa: E402
from bedside.people import Patient  # noqa: E402
from bedside.service import ChartService  # noqa: E402
from bedside.state import fold  # noqa: E402
from bedside.store import Store  # noqa: E402
from bedside.store import db as dbmod  # noqa: E402
from bedside.store.anchor import AnchorFile  # noqa: E402
from bench import (  # noqa: E402
    cold_start_bench,
    generate,
    large_db_bench,
    pdf_bench,
    reads_bench,
    server_bench,
    server_push_bench,
    ui_bench,
)
from bench.common import floor_connection, line, log, median_ms, ms, timed  # noqa: E402
from ui.cli import session_rows  # noqa: E402
from ui.demo import (  # noqa: E402
    DemoStaff,
    build_demo,
    chart_reference_session,
    order_reference_course,
    set_up_clinic,
)

OUT_DIR = ROOT / "bench" / "out"
TODAY = generate.TODAY
TIMEZONE = generate.TIMEZONE
NOW = datetime.combine(TODAY, generate.NOW_LOCAL, ZoneInfo(TIMEZONE)).astimezone(UTC)
INFO = "information only (no goal)"


@dataclass(frozen=True)
class Config:
    """Repetitions; ``--quick`` makes everything smaller (a smoke test, not a measurement)."""

    quick: bool
    append_rounds: int
    append_per_round: int
    fold_reps: int
    list_reps: int
    integrity_reps: int
    demo_reps: int
    store_reps: int
    work: Path

    @classmethod
    def make(cls, quick: bool, work: Path) -> Config:
        if quick:
            return cls(True, 2, 10, 20, 3, 1, 1, 3, work)
        return cls(False, 8, 50, 200, 15, 3, 3, 7, work)


# --- shared set-up ------------------------------------------------------------------------------------


@dataclass
class Clinic:
    """A fresh database with staff, protocol, one patient and a course order."""

    store: Store
    service: ChartService
    clock: FixedClock
    staff: DemoStaff
    patient: Patient


def new_clinic(path: Path, start: datetime, anchors: AnchorFile | None = None) -> Clinic:
    """Set up a clinic through the service, as a nurse's workstation would."""
    store = Store(path, anchors=anchors)
    clock = FixedClock(start - timedelta(days=1))
    service = ChartService(store, clock)
    staff = set_up_clinic(service, {"timezone": TIMEZONE})
    patient = service.register_patient(
        staff.nurse,
        mrn="MRN-BENCH",
        family_name="Bench",
        given_name="Marker",
        date_of_birth=date(1980, 6, 15),
        sex="female",
        allergies={"state": "nkda"},
    )
    order_reference_course(service, staff.clinician, patient.id)
    clock.set(start)
    return Clinic(store, service, clock, staff, patient)


# --- 1. append_event -------------------------------------------------------------------------------

NOTE_TEXT = "Patient resting quietly, reports vivid colours, calm; escort in the waiting room."


def bench_append(cfg: Config) -> list[dict[str, Any]]:
    """Durable append of one note through Store.append vs a bare INSERT + COMMIT."""
    return _append_row(cfg, "append_event", anchored=False, goal="ratio <= 2")


def bench_append_anchored(cfg: Config) -> list[dict[str, Any]]:
    """The same append with this workstation's anchor moved after it, as the app does."""
    return _append_row(cfg, "append_event_anchored", anchored=True, goal="ratio <= 3")


def _append_row(cfg: Config, name: str, *, anchored: bool, goal: str) -> list[dict[str, Any]]:
    folder = cfg.work / name
    folder.mkdir(parents=True)
    anchors = AnchorFile(folder / "anchors.json") if anchored else None
    clinic = new_clinic(folder / "bedside.db", NOW - timedelta(hours=1), anchors)
    nurse = clinic.staff.nurse
    sid = clinic.service.open_session(nurse, patient_id=clinic.patient.id, chair=1).session_id
    at = clinic.clock.now()
    store = clinic.store

    floor_conn = floor_connection(folder / "floor.db")
    floor_sid = str(uuid.uuid4())
    payload = canonical_json({"kind": "note", "text": NOTE_TEXT})
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    total = 5 + cfg.append_rounds * cfg.append_per_round
    floor_rows = [
        (
            str(uuid.uuid4()),
            floor_sid,
            seq,
            "note",
            stamp,
            stamp,
            nurse.id,
            None,
            None,
            payload,
            os.urandom(32).hex(),
            os.urandom(32).hex(),
        )
        for seq in range(1, total + 1)
    ]
    floor_iter = iter(floor_rows)
    sql = "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    def store_append() -> None:
        draft = EventDraft(payload=NoteAdded(text=NOTE_TEXT), clinical_time=at)
        store.append(sid, [draft], author=nurse.id, at=at)

    def floor_append() -> None:
        floor_conn.execute("BEGIN IMMEDIATE")
        floor_conn.execute(sql, next(floor_iter))
        floor_conn.execute("COMMIT")

    for _ in range(5):  # warm-up: caches, statement cache, WAL file created
        store_append()
        floor_append()
    store_samples: list[int] = []
    floor_samples: list[int] = []
    # Alternate one store append and one bare append, so a change in the disk's flush latency
    # during the run (it varies a lot on virtual disks) hits both sides alike.
    for r in range(cfg.append_rounds):
        gc.collect()
        pair = [(store_append, store_samples), (floor_append, floor_samples)]
        for _ in range(cfg.append_per_round):
            for fn, samples in pair if r % 2 == 0 else reversed(pair):
                samples.append(timed(fn))
    expected = 1 + 5 + cfg.append_rounds * cfg.append_per_round  # session_opened + notes
    if len(store.events(sid)) != expected:
        raise RuntimeError("append benchmark: unexpected event count")
    floor_conn.close()
    store.close()
    value, floor = median_ms(store_samples), median_ms(floor_samples)
    log(
        f"{name}: Store.append {value:.3f} ms, bare INSERT+COMMIT {floor:.3f} ms "
        f"(p90 {ms(statistics.quantiles(store_samples, n=10)[-1]):.3f} / "
        f"{ms(statistics.quantiles(floor_samples, n=10)[-1]):.3f} ms)"
    )
    return [line(name, value, "ms", floor, goal)]


# --- 2. fold_300 -----------------------------------------------------------------------------------


def build_300(clinic: Clinic) -> SessionId:
    """The reference session up to "ready for discharge", then vitals and notes to 300 events."""
    sid = chart_reference_session(
        clinic.service,
        clinic.clock,
        clinic.staff,
        clinic.patient,
        chair=1,
        start=clinic.clock.now(),
        until=Phase.READY_FOR_DISCHARGE,
    )
    have = len(clinic.store.events(sid))
    nurse = clinic.staff.nurse
    i = 0
    while have < 300:
        batch = []
        for _ in range(min(20, 300 - have)):
            when = clinic.clock.advance(minutes=1)
            if i % 2 == 0:
                payload: Any = VitalsRecorded(
                    systolic=120 + i % 11,
                    diastolic=76 + i % 7,
                    heart_rate=70 + i % 9,
                    spo2=97 + i % 3,
                    resp_rate=14,
                )
            else:
                payload = NoteAdded(text=f"Observation round {i}: resting, calm, escort present.")
            batch.append(EventDraft(payload=payload, clinical_time=when))
            i += 1
        clinic.store.append(sid, batch, author=nurse.id, at=clinic.clock.now())
        have += len(batch)
    return sid


def bench_fold(cfg: Config) -> list[dict[str, Any]]:
    """fold() of a 300-event session; floor: iterating the events and reading event.kind."""
    folder = cfg.work / "fold"
    folder.mkdir(parents=True)
    clinic = new_clinic(folder / "bedside.db", NOW - timedelta(hours=8))
    sid = build_300(clinic)
    events = clinic.store.events(sid)
    clinic.store.close()
    if len(events) != 300:
        raise RuntimeError(f"fold benchmark: expected 300 events, got {len(events)}")
    state = fold(events)
    log(
        f"fold_300: phase {state.phase.value}, {len(state.vitals)} vitals, {len(state.notes)} notes"
    )

    def kinds() -> None:
        for event in events:
            event.kind  # noqa: B018

    fold(events)
    kinds()
    fold_samples: list[int] = []
    floor_samples: list[int] = []
    gc.collect()
    for _ in range(cfg.fold_reps):
        fold_samples.append(timed(lambda: fold(events)))
        floor_samples.append(timed(kinds))
    value, floor = median_ms(fold_samples), median_ms(floor_samples)
    log(f"fold_300: fold {value:.3f} ms, iterate+kind {floor:.4f} ms")
    return [line("fold_300", value, "ms", floor, "value <= 5 ms")]


# --- 3. list_today_busy_db (+ integrity_check_busy_db, db_size_busy) -------------------------------


def list_today(path: Path) -> list[dict[str, object]]:
    """Exactly what ``bedside sessions`` does for today's date, with a new Store."""
    store = Store(path, check_integrity=False)
    try:
        tz = store.get_setting("timezone", "UTC")
        return session_rows(store, store.sessions_on(TODAY), tz)
    finally:
        store.close()


def integrity_check(path: Path) -> None:
    """PRAGMA integrity_check through the store's own connection set-up."""
    conn = dbmod.connect(path)
    try:
        problems = dbmod.integrity_problems(conn)
    finally:
        conn.close()
    if problems:
        raise RuntimeError(f"{path.name} fails its integrity check: {problems[:3]}")


def bench_list_today(cfg: Config) -> list[dict[str, Any]]:
    """Today's sessions on ten years of history vs on an otherwise empty database."""
    dbs = generate.ensure_databases(OUT_DIR, quick=cfg.quick, today=TODAY)
    meta = dbs.meta
    if not meta.get("cached"):
        log(f"generated the busy database in {meta['busy_generation_seconds']:.1f} s")
    else:
        log(
            f"busy database cached (generated earlier in {meta['busy_generation_seconds']:.1f} s): "
            f"{meta['sessions']} sessions, {meta['events']} events"
        )
    expected = meta["today_sessions"]
    for path in (dbs.busy, dbs.small):
        rows = list_today(path)  # warm-up: OS page cache, imports
        if len(rows) != expected:
            raise RuntimeError(f"{path.name}: {len(rows)} sessions today, expected {expected}")
    busy_samples: list[int] = []
    small_samples: list[int] = []
    for r in range(cfg.list_reps):
        pair = [(dbs.busy, busy_samples), (dbs.small, small_samples)]
        for path, samples in pair if r % 2 == 0 else reversed(pair):
            gc.collect()
            samples.append(timed(lambda p=path: list_today(p)))  # type: ignore[misc]
    value, floor = median_ms(busy_samples), median_ms(small_samples)
    log(f"list_today_busy_db: busy {value:.2f} ms, small {floor:.2f} ms")
    out = [line("list_today_busy_db", value, "ms", floor, "value <= 50 ms and ratio <= 1.2")]

    small_int = [timed(lambda: integrity_check(dbs.small)) for _ in range(cfg.store_reps)]
    busy_int = []
    for i in range(cfg.integrity_reps):
        busy_int.append(timed(lambda: integrity_check(dbs.busy)))
        log(f"integrity_check_busy_db: repetition {i + 1}: {ms(busy_int[-1]):.0f} ms")
    out.append(
        line(
            "integrity_check_busy_db",
            median_ms(busy_int),
            "ms",
            median_ms(small_int),
            INFO,
        )
    )
    out.append(
        line(
            "db_size_busy",
            dbs.busy.stat().st_size / 1e6,
            "MB",
            dbs.small.stat().st_size / 1e6,
            INFO,
        )
    )
    return out


# --- 4. demo_build ---------------------------------------------------------------------------------


def bench_demo(cfg: Config) -> list[dict[str, Any]]:
    """build_demo into a fresh database vs creating an empty Store."""
    folder = cfg.work / "demo"
    folder.mkdir(parents=True)
    counter = iter(range(10_000))

    def fresh() -> Path:
        return folder / f"demo-{next(counter)}.db"

    def build() -> None:
        with Store(fresh()) as store:
            build_demo(store, NOW)

    def empty() -> None:
        Store(fresh()).close()

    empty()
    demo = [timed(build) for _ in range(cfg.demo_reps)]
    floor = [timed(empty) for _ in range(cfg.store_reps)]
    value, base = median_ms(demo), median_ms(floor)
    log(f"demo_build: {value:.0f} ms, empty Store {base:.1f} ms")
    return [line("demo_build", value, "ms", base, INFO)]


# --- driver ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """One benchmark function and the result lines it prints."""

    run: Callable[[Config], list[dict[str, Any]]]
    names: tuple[str, ...]


GROUPS = (
    Group(bench_append, ("append_event",)),
    Group(bench_append_anchored, ("append_event_anchored",)),
    Group(bench_fold, ("fold_300",)),
    Group(bench_list_today, ("list_today_busy_db", "integrity_check_busy_db", "db_size_busy")),
    Group(bench_demo, ("demo_build",)),
    Group(large_db_bench.bench_app_start_large, ("app_start_large_db",)),
    Group(large_db_bench.bench_app_start_large_full, ("app_start_large_db_full_check",)),
    Group(large_db_bench.bench_verify_incremental, ("verify_incremental_large_db",)),
    Group(pdf_bench.bench_pdf_long, ("pdf_long_session",)),
    Group(pdf_bench.bench_pdf_batch, ("pdf_batch_40",)),
    Group(ui_bench.bench_cold_start, ("app_cold_start", "app_cold_start_board")),
    Group(
        cold_start_bench.bench_cold_start_smoke,
        ("app_cold_start_smoke", "app_cold_start_smoke_board"),
    ),
    Group(ui_bench.bench_peak_memory, ("peak_memory_board_4_sessions",)),
    Group(ui_bench.bench_record_vitals, ("record_vitals_enter_to_refresh",)),
    Group(server_bench.bench_sync_latency, ("sync_entry_a_to_b",)),
    Group(server_bench.bench_catch_up, ("sync_catch_up_8h",)),
    Group(server_push_bench.bench_push_ten_years, ("push_ten_years",)),
    Group(
        reads_bench.bench_reads,
        ("reads_per_charted_entry", "folds_per_charted_entry", "flowsheets_per_idle_tick"),
    ),
)
ALL_NAMES = tuple(n for g in GROUPS for n in g.names)


@contextlib.contextmanager
def work_dir() -> Iterator[Path]:
    """A scratch folder under bench/out/ (same disk as the cached databases), removed after."""
    path = OUT_DIR / f"work-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """``--quick`` and ``--only NAME`` (repeatable, or comma-separated)."""
    parser = argparse.ArgumentParser(
        description="Bedside benchmarks: one JSON line per result on stdout."
    )
    parser.add_argument("--quick", action="store_true", help="small N: a smoke test, not a measure")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help=f"run only these results ({', '.join(ALL_NAMES)})",
    )
    args = parser.parse_args(argv)
    only = [n.strip() for item in args.only for n in item.split(",") if n.strip()]
    unknown = sorted(set(only) - set(ALL_NAMES))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(ALL_NAMES)}")
    args.only = only
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks; one JSON line each on stdout."""
    args = parse_args(argv)
    wanted = set(args.only or ALL_NAMES)
    out = sys.stdout
    started = time.perf_counter()
    with work_dir() as work:
        cfg = Config.make(args.quick, work)
        for group in GROUPS:
            if not wanted & set(group.names):
                continue
            t0 = time.perf_counter()
            log(f"running {group.run.__name__}{' (quick)' if args.quick else ''}")
            with contextlib.redirect_stdout(sys.stderr):  # stdout carries only the results
                results = group.run(cfg)
            for result in results:
                if result["name"] in wanted:
                    out.write(json.dumps(result, ensure_ascii=False) + "\n")
                    out.flush()
            log(f"{group.run.__name__} took {time.perf_counter() - t0:.1f} s")
    log(f"all done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
