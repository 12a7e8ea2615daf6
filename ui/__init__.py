"""The desktop app and the command line: the only layer that imports Qt, and the composition
root (``ui.launcher``) that wires the store, the service and the clock.

* :mod:`ui.board` — the main window: the chair board, sign-in, the first run, the lock;
* :mod:`ui.session` — a session's window and its actions;
* :mod:`ui.steps` — the guided steps before the infusion;
* :mod:`ui.dialogs` — small dialogs that return plain values;
* :mod:`ui.admin` — accounts, protocol, clinic settings;
* :mod:`ui.course` — a patient's course and the course order;
* :mod:`ui.common` — what every screen shares;
* :mod:`ui.cli` — the ``bedside`` command line (no Qt);
* :mod:`ui.demo` — the demo clinic and the scripted sessions (no Qt).

Screens present what the core decides; they never decide.
"""
