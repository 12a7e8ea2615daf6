"""Lock the workstation after an idle period, without closing or losing anything.

Input anywhere in the application counts as activity. The time source is injectable so tests
advance it instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
}


class IdleLock(QObject):
    """Emits ``idle`` once when no input arrived for ``timeout_s`` seconds (a number, or a
    function read at each check: the protocol's setting, which an admin may change while the
    board is open)."""

    idle = Signal()

    def __init__(
        self,
        timeout_s: float | Callable[[], float],
        *,
        monotonic: Callable[[], float] = time.monotonic,
        poll_ms: int = 5000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.timeout_s = timeout_s
        self._monotonic = monotonic
        self._last = monotonic()
        self._fired = False
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        """Begin watching (install as an application-wide event filter separately)."""
        self.reset()
        self.timer.start()

    def stop(self) -> None:
        """Stop watching."""
        self.timer.stop()

    def reset(self) -> None:
        """Count from now (after an unlock)."""
        self._last = self._monotonic()
        self._fired = False

    def check(self) -> None:
        """Emit ``idle`` if the timeout has passed since the last input."""
        limit = self.timeout_s() if callable(self.timeout_s) else self.timeout_s
        if not self._fired and self._monotonic() - self._last >= limit:
            self._fired = True
            self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any input is activity."""
        if event.type() in _ACTIVITY and not self._fired:
            self._last = self._monotonic()
        return False
