"""How much a charted entry reads, counted rather than timed (run by ``bench/run.py``).

``reads_per_charted_entry``, ``folds_per_charted_entry``
    The demo clinic at :data:`bench.ui_bench.NOW` with the chair board and four session windows
    open (the three open chairs and the latest signed session), as a nurse covering every chair
    has it. A note is charted from the infusing chair's window through its own action (the note
    dialog answered), then the main window ticks once (board and all four windows). Counted:
    calls of ``Store.events`` (an event log read) and of ``fold``, wherever they are made.
    Floor: 1, the one fold of the changed record that any design redrawing from the record
    needs. Goal: value <= 2 for each.
``flowsheets_per_idle_tick``
    The same windows, three one-second ticks with nothing charted: flowsheets built (and reads
    and folds, which must be zero too). Floor: 0. Goal: value = 0.

Counts do not depend on the machine: ``tests/ui/test_reads_per_entry.py`` pins the same
figures.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from bedside.clock import FixedClock
from bedside.events import Phase
from bedside.service import ChartService
from bedside.store import Store
from bench import ui_bench
from bench.common import RunConfig, line, log
from bench.counting import counting


def bench_reads(cfg: RunConfig) -> list[dict[str, Any]]:
    """Reads and folds per charted entry, and flowsheets per idle tick."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.board.main_window import MainWindow
    from ui.dialogs.text import TextDialog

    db = ui_bench.demo_db(cfg, "reads")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    clock = FixedClock(ui_bench.NOW)
    store = Store(db)
    service = ChartService(store, clock)
    nurse = service.accounts.authenticate(ui_bench.NURSE, "bedside-demo")
    window = MainWindow(
        service, nurse, clock, QSettings(str(db.parent / "s.ini"), QSettings.Format.IniFormat)
    )
    window.ticker.stop()
    window.idle.stop()
    window.show()
    busy = service.busy_chairs(clock.now())
    signed = [h.id for h in store.all_sessions() if h.id not in busy.values()]
    views = [window.open_session(sid) for sid in [*busy.values(), signed[-1]][:4]]
    infusing = next(v for v in views if v.ctx.state.phase is Phase.INFUSING)
    app.processEvents()
    real_ask = TextDialog.ask
    TextDialog.ask = classmethod(lambda cls, *a, **k: "resting quietly")  # type: ignore[assignment, method-assign]
    try:
        with counting() as entry:
            infusing.buttons["note"].click()
            window.refresh()
    finally:
        TextDialog.ask = real_ask  # type: ignore[method-assign]
    with counting() as idle:
        for _ in range(3):
            clock.advance(seconds=1)
            window.refresh()
    for view in views:
        view.close()
    window.close()
    app.processEvents()
    store.close()
    log(
        f"reads: a note from a window with the board and {len(views)} windows open: "
        f"{entry.reads} reads, {entry.folds} folds, {entry.flowsheets} flowsheets; "
        f"three idle ticks: {idle.reads} reads, {idle.folds} folds, {idle.flowsheets} flowsheets"
    )
    return [
        line("reads_per_charted_entry", entry.reads, "reads", 1, "value <= 2"),
        line("folds_per_charted_entry", entry.folds, "folds", 1, "value <= 2"),
        line(
            "flowsheets_per_idle_tick",
            (idle.flowsheets + idle.reads + idle.folds) / 3,
            "flowsheets",
            0,
            "value = 0 (no read, no fold, no flowsheet)",
        ),
    ]
