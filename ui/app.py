"""The desktop app's start, in two steps so that a window answers at once (issue 13 item 5).

First step, with Qt and nothing of the domain: the QApplication with the crash handler, the
theme's palette, the icon and the shipped fonts, and the first window (:class:`StartFrame`) shown where
the board will be. Second step, at the event loop's first turn, with that window on the screen:
the record's models and the board imported, the database opened, the first run or the sign-in,
the board (:mod:`ui.board.opening`). Nothing can be charted before the second step ends, so
nothing typed can go to a half-loaded screen."""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.board.start_frame import StartFrame
from ui.common import app_icon, crash, settings, theme
from ui.common.fonts import register_shipped_fonts

if TYPE_CHECKING:
    from bedside.clock import Clock
    from ui.board.main_window import MainWindow

log = logging.getLogger(__name__)
MARKS = "BEDSIDE_START_MARKS"
"""A file the start writes its two moments to (``time.monotonic_ns()`` of the first window's
first paint and of the board shown with the loop turning), for ``bench/cold_start_bench.py``."""


def run_app(
    db_path: Path | None = None,
    *,
    smoke: bool = False,
    clock: Clock | None = None,
    demo: bool = False,
) -> int:
    """Open the app on the database; ``smoke`` quits as soon as the board is shown; ``demo``:
    the first window says it opens the demo clinic (``bedside --demo``)."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationName(settings.APPLICATION)
    crash.install()  # Qt's messages and unhandled errors: to the log, then a plain dialog
    qsettings = QSettings()
    theme.apply_palette(app, settings.THEME.get(qsettings))  # the sheet: in the second step
    app_icon.apply(app)
    register_shipped_fonts()  # DejaVu (resources/fonts) even where it is not installed
    frame = StartFrame(qsettings, demo=demo)
    opened: list[MainWindow] = []
    frame.on_screen.connect(
        lambda: _second_step(app, frame, opened, qsettings, db_path, smoke, clock, demo)
    )
    frame.show()
    # Ctrl+C in a terminal ends the app at once, as for any program: Python's own handler only
    # runs between Qt's events, so it went off at the nurse's next click instead (a lost click,
    # a traceback). Nothing is lost: every entry is committed when it is made.
    interrupt = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        code = app.exec()
    finally:
        signal.signal(signal.SIGINT, interrupt)
        for window in opened:
            window.service.store.close()
        frame.close()  # still up when no board opened (closed sign-in, an error)
    return int(code)


def _second_step(
    app: QApplication,
    frame: StartFrame,
    opened: list[MainWindow],
    qsettings: QSettings,
    db_path: Path | None,
    smoke: bool,
    clock: Clock | None,
    demo: bool = False,
) -> None:
    """The domain and the board (for ``demo``, the demo clinic made first when its file holds
    none), with the first window on the screen; the app ends with the exit code when no board
    opens."""
    try:
        from ui.board.opening import open_board  # the record's models and the board load here

        # What is imported by now (~80k objects) lives as long as the app: out of the garbage
        # collector's reach, no full collection walks it again (30-60 ms each, a hitch of the
        # board), nor do those at exit (~200 ms of each start: bench app_cold_start_smoke).
        gc.freeze()
        gc.enable()  # off since the launcher's start (ui.launcher.main)
        theme.apply(app, settings.THEME.get(qsettings))  # the sheet, for the sign-in and board
        if frame.isMinimized():  # the sign-in opens over it: a dialog over a minimised window
            frame.showNormal()  # can stay hidden with it
        result = open_board(qsettings, db_path, smoke=smoke, clock=clock, parent=frame, demo=demo)
    except BaseException:  # no board: said in words, logged, never a traceback
        log.exception("the board could not be opened")
        _cannot_open(smoke, frame)
        app.exit(1)
        return
    if isinstance(result, int):
        app.exit(result)
        return
    opened.append(result)
    frame.close()
    if smoke:
        QTimer.singleShot(0, lambda: _ready(app, frame))


def _ready(app: QApplication, frame: StartFrame) -> None:
    """The start-up check's end: the board is shown and the loop turns; note when, and quit."""
    marks = os.environ.get(MARKS)
    if marks:
        import json

        moments = {
            "frame_painted_ns": frame.first_painted_ns,
            "board_ready_ns": time.monotonic_ns(),
        }
        Path(marks).write_text(json.dumps(moments), encoding="utf-8")
    app.quit()


def _cannot_open(smoke: bool, frame: StartFrame) -> None:
    """Say that the board could not open, nothing was changed, and where the log is."""
    words = crash.cannot_open_text()
    if smoke:
        sys.stderr.write(f"bedside: {words}\n")
    else:
        QMessageBox.critical(frame, "Bedside could not open", words)
