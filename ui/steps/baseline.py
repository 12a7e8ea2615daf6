"""Baseline: vitals with weight, the sedation score, PHQ-9, C-SSRS and a baseline CADSS-6, with
"OK to start" evaluated live by the core after every entry.

Each entry opens its own focused dialog (the vitals keypad, or the scale's items); the page lists
what is recorded, when, and what is still missing.
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton

from bedside.context import SessionChange, SessionContext
from bedside.events import Phase, ScaleScored
from bedside.scales import ScaleFlag, ScaleName, score
from bedside.timeutil import local_text
from ui.dialogs import scale as scale_dialog
from ui.dialogs.entry_dialog import until_saved
from ui.dialogs.scale import ScaleEntry
from ui.dialogs.vitals import VitalsDialog
from ui.steps.page import StepPage


class BaselineStep(StepPage):
    """Baseline observations before consent and the dose."""

    phase = Phase.BASELINE
    next_phase = Phase.CONSENT
    title = "Baseline"
    all_clear = "OK to start"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hint = QLabel(
            "Record each item; the panel on the right says live whether it is OK to start. "
            "Repeat the vitals after rest if a value is high (the latest set counts)."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        self.form.addWidget(hint)
        grid = QGridLayout()
        self.rows: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        entries: list[tuple[str, str]] = [("vitals", "Vitals, weight and height")]
        # The protocol's sedation scale, then PHQ-9 and C-SSRS, then baseline dissociation. The
        # session's protocol version is fixed when it opens, so this is read once.
        sedation = self.ctx.protocol.monitoring.sedation_scale
        self.scales = [ScaleName(sedation), ScaleName.PHQ9, ScaleName.CSSRS, ScaleName.CADSS6]
        entries += [(s.value, s.label) for s in self.scales]
        for row, (key, label) in enumerate(entries):
            button = QPushButton(label)
            button.setObjectName(f"baseline_{key}")
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, k=key: self.record(k))
            grid.addWidget(button, row, 0)
            status = QLabel()
            status.setObjectName(f"status_{key}")
            status.setWordWrap(True)
            status.setTextFormat(Qt.TextFormat.RichText)
            grid.addWidget(status, row, 1)
            self.rows[key] = status
            self.buttons[key] = button
        grid.setColumnStretch(1, 1)
        self.form.addLayout(grid)
        self.form.addStretch(1)

    def record(self, key: str) -> None:
        """Open the entry's dialog; the core saves and judges it."""
        if self.user is None:
            return
        user = self.user
        if key == "vitals":
            change = VitalsDialog.ask(self.service, self.ctx, user, self.theme, self, baseline=True)
            if change is not None:
                self.saved.emit(change)
            return
        scale = ScaleName(key)
        clock, tz = self.service.clock, self.service.timezone

        def ask(previous: ScaleEntry | None) -> ScaleEntry | None:
            return scale_dialog.ask_scale(scale, clock, tz, self, previous)

        def save(entry: ScaleEntry) -> SessionChange | None:
            ctx = self.ctx
            return self.save_change(
                lambda: self.service.score_scale(
                    user, ctx, scale, entry.answers, clinical_time=entry.taken_at
                )
            )

        until_saved(ask, save)  # a refusal reopens the form as it was answered

    def load(self, ctx: SessionContext) -> None:
        state, tz = ctx.state, self.service.timezone
        base = state.latest_baseline()
        event = state.baseline_vitals[-1] if state.baseline_vitals else None
        if base is None or event is None:
            self.rows["vitals"].setText("<i>not recorded</i>")
        else:
            parts = []
            if base.systolic is not None:
                parts.append(f"BP {base.systolic}/{base.diastolic}")
            for label, value, unit in (
                ("HR", base.heart_rate, ""),
                ("SpO2", base.spo2, "%"),
                ("RR", base.resp_rate, ""),
                ("T", base.temperature_c, " °C"),
                ("", base.weight_kg, " kg"),
                ("", base.height_cm, " cm"),
            ):
                if value is not None:
                    parts.append(f"{label} {value:g}{unit}".strip())
            when = local_text(event.clinical_time, tz, "%H:%M")
            self.rows["vitals"].setText(f"✓ {' · '.join(parts)} <i>({when})</i>")
        for scale in self.scales:
            latest = state.latest_scale(scale)
            if latest is None:
                self.rows[scale.value].setText("<i>not recorded</i>")
                continue
            result = cast(ScaleScored, latest.payload)
            words = score(result.scale, result.answers).band_label
            flags = (
                f" — <b>{', '.join(ScaleFlag(f).label for f in result.flags)}</b>"
                if result.flags
                else ""
            )
            when = local_text(latest.clinical_time, tz, "%H:%M")
            self.rows[scale.value].setText(
                f"✓ <b>{result.total}</b> · {words}{flags} <i>({when})</i>"
            )
        editable = self.can_chart and state.phase is Phase.BASELINE
        for button in self.buttons.values():
            button.setEnabled(editable)
