"""Child process for the crash and concurrency tests: append notes to one session in a loop.

Prints ``ready`` once the store is open (then, with ``--wait-for-go``, waits for a ``go`` line on
stdin), and after every append that has RETURNED prints ``<event id> <seq>`` and flushes: that
line is the acknowledgement the nurse would see as "saved". Time comes from a FixedClock that
moves one second per note. ``--count 0`` appends until the process is killed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime

from bedside.clock import FixedClock
from bedside.events import EventDraft, NoteAdded
from bedside.ids import SessionId, UserId
from bedside.service import ChartService
from bedside.store import Store

RUNAWAY_LIMIT = 100_000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--session", required=True)
    parser.add_argument("--author", required=True)
    parser.add_argument("--start", required=True, help="ISO time with offset")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--via", choices=["service", "store"], default="service")
    parser.add_argument("--wait-for-go", action="store_true")
    parser.add_argument(
        "--gap-ms",
        type=float,
        default=0.0,
        help="idle time between appends, so a competing writer gets the lock (load shaping)",
    )
    args = parser.parse_args(argv)

    store = Store(args.db)
    clock = FixedClock(datetime.fromisoformat(args.start))
    service = ChartService(store, clock)
    session_id = SessionId(args.session)
    author = store.user(UserId(args.author))
    print("ready", flush=True)
    if args.wait_for_go and sys.stdin.readline() != "go\n":
        return 2

    limit = args.count or RUNAWAY_LIMIT
    for i in range(1, limit + 1):
        now = clock.advance(seconds=1)
        text = f"worker {os.getpid()} note {i}"
        if args.via == "service":
            event = service.add_note(author, session_id, text).event
        else:
            (event,) = store.append(
                session_id,
                [EventDraft(payload=NoteAdded(text=text), clinical_time=now)],
                author=author.id,
                at=now,
            )
        print(event.id, event.seq, flush=True)
        if args.gap_ms:
            time.sleep(args.gap_ms / 1000)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
