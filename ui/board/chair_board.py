"""The chair board: a tile per chair, the most urgent one unmistakable.

Each tile says its chair's check level (charting.escalation) in a glyph, a word and a colour:
amber when a check is due, red when the vitals are late, and urgent — an inverted band and a
flashing tile — once they are very late; and how many checks were missed and whether the pump
ran past its planned end. The first chair in the order (charting.board.by_urgency) that needs the
nurse carries a "GO HERE FIRST" band, so it stands out even among several amber tiles.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from bedside.people import Patient
from bedside.protocol import AlertLevel
from charting.board import ChairSummary, Urgency
from charting.escalation import Escalation, headline
from charting.flowsheet import FlowsheetRow
from ui.common.flash import Flasher, restyle
from ui.common.theme import PALETTES, TYPE_SCALE, points

_URGENCY_PROPERTY = {
    Urgency.PAUSE_ALERT: "pause",
    Urgency.PUMP_OVERRUN: "overrun",
    Urgency.OVERDUE_INFUSING: "overdue",
    Urgency.OVERDUE_OBSERVING: "overdue",
    Urgency.NOTIFY_ALERT: "notify",
    Urgency.DUE_NOW: "due",
    Urgency.AWAITING_SIGN_OFF: "signoff",
    Urgency.EMPTY: "free",
}

FIRST_WORDS = "▶ GO HERE FIRST"
"""The band on the chair to go to next."""


def tile_tone(summary: ChairSummary) -> str:
    """The colour a chair is drawn in: its check level (``Escalation.key``), raised to red by
    an open pause alert or the pump past its end and to amber by a notify alert; otherwise
    "signoff", "quiet" or "free". The board and the locked board draw the same tone."""
    if not summary.occupied:
        return "free"
    level = summary.escalation
    if summary.urgency in (Urgency.PAUSE_ALERT, Urgency.PUMP_OVERRUN):
        level = max(level, Escalation.LATE)
    elif summary.urgency is Urgency.NOTIFY_ALERT:
        level = max(level, Escalation.DUE)
    if level is not Escalation.NONE:
        return level.key
    return "signoff" if summary.urgency is Urgency.AWAITING_SIGN_OFF else "quiet"


_VITALS = (
    ("BP", ("systolic", "diastolic")),
    ("HR", ("heart_rate",)),
    ("SpO₂", ("spo2",)),
    ("RR", ("resp_rate",)),
)


def vitals_html(row: FlowsheetRow | None, theme: str) -> str:
    """The last vitals on one line; abnormal values bold, coloured and marked with ▲/▼ so the
    flag does not depend on colour alone."""
    if row is None:
        return "<span>No vitals charted yet</span>"
    palette = PALETTES[theme]
    parts = []
    for label, keys in _VITALS:
        cells = [row.cell(k) for k in keys]
        if all(c.value is None for c in cells):
            continue
        text = "/".join(f"={c.text}" if c.copied else c.text for c in cells)  # = copied
        level = max(
            (c.level for c in cells if c.level),
            default=None,
            key=lambda lv: ["notify", "pause", "do_not_start"].index(lv.value),
        )
        if level is None:
            parts.append(f"{label} {escape(text)}")
        else:
            colour = palette["danger"] if level is not AlertLevel.NOTIFY else palette["warning"]
            arrow = (
                "▲" if any("above" in r or "rose" in r for c in cells for r in c.reasons) else "▼"
            )
            parts.append(f"{label} <b style='color:{colour}'>{escape(text)} {arrow}</b>")
    line = " · ".join(parts)
    return f"Baseline: {line}" if row.baseline else line


def drug_open_html(summary: ChairSummary, theme: str) -> str:
    """The chair's open drug remainder (an open item until wasted with a witness), and a
    session charted at two workstations that waits for a clinician; "" when neither."""
    lines = []
    if summary.branches_waiting:
        lines.append(
            f"<b style='color:{PALETTES[theme]['danger']}'>⚑ Charted at two workstations:</b>"
            " a clinician must resolve it"
        )
    text = summary.drug_open_text
    if text:
        label, _, amounts = text.partition(": ")
        lines.append(
            f"<b style='color:{PALETTES[theme]['warning']}'>{escape(label)}:</b> {escape(amounts)}"
        )
    return "<br>".join(lines)


def set_look(widget: QWidget, name: str, value: str) -> None:
    """Set a property the style sheet selects on (:func:`ui.common.flash.restyle`). A widget not
    yet polished (the tiles drawn before the board is first shown) only takes the value: Qt
    polishes it when shown, reading the property then, so re-styling it here polished every
    tile twice on the way to the first paint (and loaded QStyle's enums, ~20 ms of a start)."""
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        restyle(widget, name, value)
    else:
        widget.setProperty(name, value)


class ChairTile(QFrame):
    """One chair. Click or Enter opens it."""

    opened = Signal(int)

    def __init__(self, chair: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chair = chair
        self.summary = ChairSummary(chair=chair)
        self.setObjectName("chairTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(300, 190)
        # Calm until told otherwise: the flasher's first look at a calm tile then changes
        # nothing, instead of re-styling the tile and its labels before it is ever shown.
        self.setProperty("flash", "off")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(4)
        self.first_band = self._label("tileFirst")
        self.title = self._label("tileChair", f"CHAIR {chair}")
        self.urgency = self._label("tileUrgency")
        self.patient = self._label("tilePatient")
        self.detail = self._label("tileDetail")
        self.detail.setProperty("role", "muted")
        self.clock = self._label("tileClock")
        self.countdown = self._label("tileCountdown")
        """The next check, led by the level's glyph and word ("‼ URGENT · Vitals overdue …")."""
        self.missed = self._label("tileMissed")
        self.overrun = self._label("tileOverrun", wrap=True)
        self.vitals = self._label("tileVitals", rich=True)
        self.alert = self._label("tileAlert", wrap=True)
        self.drug = self._label("tileDrug", wrap=True, rich=True)
        for w in self._lines():
            layout.addWidget(w)
        layout.addStretch(1)

    def _label(
        self, name: str, text: str = "", *, wrap: bool = False, rich: bool = False
    ) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setWordWrap(wrap)
        if rich:
            label.setTextFormat(Qt.TextFormat.RichText)
        return label

    def _lines(self) -> tuple[QLabel, ...]:
        return (
            self.first_band,
            self.title,
            self.urgency,
            self.patient,
            self.detail,
            self.clock,
            self.countdown,
            self.missed,
            self.overrun,
            self.vitals,
            self.alert,
            self.drug,
        )

    @property
    def tone(self) -> str:
        """The colour the tile is drawn in (:func:`tile_tone`)."""
        return str(self.property("tone"))

    def show_summary(self, summary: ChairSummary, *, first: bool, theme: str) -> None:
        """Draw a summary; ``first`` marks the chair to go to next (said only of a chair that
        needs the nurse)."""
        self.summary = s = summary
        first = first and s.needs_action
        set_look(self, "urgency", _URGENCY_PROPERTY.get(s.urgency, "normal"))
        set_look(self, "tone", tile_tone(s))
        set_look(self, "escalation", s.escalation.key)
        set_look(self, "first", "true" if first else "false")
        self.first_band.setText(FIRST_WORDS if first else "")
        self.urgency.setText(s.urgency_text.upper())
        if not s.occupied or s.patient is None:
            self.patient.setText("Free")
            self.detail.setText("Press Enter or click to start a session")
            for w in self._lines()[5:]:
                w.setText("")
        else:
            self._show_session(s, s.patient, theme)
        for label in self._lines():
            label.setVisible(bool(label.text()))
        said = " ".join(t for t in (s.urgency_text, self.countdown.text(), s.overrun_text) if t)
        self.setAccessibleName(f"Chair {s.chair}: {self.patient.text()} {said}".strip())

    def _show_session(self, s: ChairSummary, p: Patient, theme: str) -> None:
        self.patient.setText(p.display_name)
        number = f" · session {s.session_number}" if s.session_number else ""
        phase = s.phase.label if s.phase else ""
        at = f" · charted at {s.charted_at}" if s.charted_at else ""  # read-only here
        self.detail.setText(f"{p.mrn}{number} · {phase}{at}")
        self.clock.setText(s.elapsed_label)
        self.countdown.setText(headline(s.escalation, s.check_text))
        set_look(self.countdown, "escalation", s.escalation.key)
        self.missed.setText(f"✗ {s.missed_text}" if s.missed else "")
        set_look(self.missed, "escalation", s.escalation.key)
        self.overrun.setText(f"⚠ {s.overrun_text}" if s.overrun else "")
        self.vitals.setText(vitals_html(s.last_vitals, theme))
        self.drug.setText(drug_open_html(s, theme))
        if not s.open_alerts:
            self.alert.setText("")
            return
        level, message = s.open_alerts[-1]
        more = f" (+{len(s.open_alerts) - 1} more)" if len(s.open_alerts) > 1 else ""
        # The tile shows the first finding; the whole alert is one hover (or one key in the
        # session window) away, so a small window never clips it mid-word.
        first_part = message.split(";")[0]
        shown = first_part + ("; …" if first_part != message else "")
        self.alert.setText(f"⚠ {shown}{more}")
        self.alert.setToolTip(message)
        set_look(self.alert, "level", level.value)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The tile as styled, and while it has the keyboard focus a dashed ring inside its
        border: the border's colour and width already say the chair's urgency, so the focus
        is drawn apart from it, and without colour."""
        super().paintEvent(event)
        if not self.hasFocus():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.WindowText), 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(8, 8, -8, -8), 6, 6)
        painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.opened.emit(self.chair)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.opened.emit(self.chair)
            return
        super().keyPressEvent(event)


_TILE_FONTS = (
    ("QLabel#tileChair", "font_small"),
    ("QLabel#tilePatient", "font_large"),
    ("QLabel#tileClock", "font_huge"),
    ("QLabel#tileCountdown", "font_large"),
    ("QLabel#tileFirst", "font_huge"),
    (
        "QLabel#tileDetail, QLabel#tileVitals, QLabel#tileAlert, QLabel#tileDrug, "
        "QLabel#tileUrgency, QLabel#tileMissed, QLabel#tileOverrun",
        "font_size",
    ),
)
"""Each tile label's type size in the theme (``TYPE_SCALE``), scaled with the board."""

_DESIGN_SIZE = (1340, 700)
"""The board's size on a 1366×768 screen, where the theme's type sizes are the right ones."""


def tile_font_scale(width: int, height: int) -> float:
    """How much larger the tiles' type is drawn on a board of ``width``×``height`` pixels:
    1 at 1366×768 and below, growing with the smaller of the two ratios (a wide but short
    window must not overflow its tiles), in tenths, at most 1.8."""
    ratio = min(width / _DESIGN_SIZE[0], height / _DESIGN_SIZE[1])
    return min(max(round(ratio, 1), 1.0), 1.8)


def tile_font_sheet(scale: float) -> str:
    """The tile labels' type sizes at ``scale`` (empty at 1: the theme's own sizes)."""
    if scale == 1.0:
        return ""
    return "\n".join(
        f"{selector} {{ font-size: {round(points(TYPE_SCALE[size]) * scale)}pt; }}"
        for selector, size in _TILE_FONTS
    )


class ChairBoard(QWidget):
    """The grid of tiles (two columns up to four chairs, then three); on a big screen the tiles
    and their type grow with the board."""

    opened = Signal(int)
    chairs_changed = Signal(int)
    """The number of tiles, after an admin changed the protocol's chairs."""

    def __init__(self, chairs: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setSpacing(14)
        self.grid.setContentsMargins(14, 14, 14, 14)
        self.tiles: list[ChairTile] = []
        self.set_chair_count(chairs)
        self.font_scale = 1.0
        self.flasher = Flasher(self)
        """Flashes the urgent tiles (step it in a test instead of waiting)."""

    def set_chair_count(self, chairs: int) -> None:
        """As many tiles as chairs, laid out again when the count changes (an admin changed the
        protocol's chairs while the board was open)."""
        if chairs == len(self.tiles):
            return
        while len(self.tiles) > chairs:
            gone = self.tiles.pop()
            self.grid.removeWidget(gone)
            gone.deleteLater()
        while len(self.tiles) < chairs:
            tile = ChairTile(len(self.tiles) + 1)
            tile.opened.connect(self.opened)
            self.tiles.append(tile)
        columns = 2 if chairs <= 4 else 3
        for i, tile in enumerate(self.tiles):
            self.grid.removeWidget(tile)
            self.grid.addWidget(tile, i // columns, i % columns)
        self.chairs_changed.emit(chairs)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Scale the tiles' type to the board (restyled only when the scale changes)."""
        super().resizeEvent(event)
        scale = tile_font_scale(self.width(), self.height())
        if scale != self.font_scale:
            self.font_scale = scale
            self.setStyleSheet(tile_font_sheet(scale))

    def show_summaries(
        self, summaries: list[ChairSummary], first_chair: int | None, theme: str
    ) -> None:
        """Update every tile (one per summary: the count follows the protocol)."""
        self.set_chair_count(len(summaries))
        for tile, summary in zip(self.tiles, summaries, strict=True):
            tile.show_summary(summary, first=summary.chair == first_chair, theme=theme)
            self.flasher.watch(tile, summary.escalation.flashing)
