"""The values of the course summary: one row per session, the PHQ-9 trend points, the outcome
definition and the summary itself, with the words the course view and the course PDF print.

Built by :mod:`charting.course`; plain frozen dataclasses, no Qt, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bedside.course import CourseOrder
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.protocol import AlertLevel
from bedside.rules import controlled
from bedside.rules.side_effects import SEVERITY_WORDS

LEVEL_RANK = {None: 0, AlertLevel.NOTIFY: 1, AlertLevel.PAUSE: 2, AlertLevel.DO_NOT_START: 3}
"""Alert levels from none to the most urgent, for picking the worst of several."""


@dataclass(frozen=True)
class OutcomeDefinition:
    """How the course's PHQ-9 scores are judged (CLINICAL.md §8.2).

    The protocol (``resources/protocol_default.toml``) does not carry outcome definitions yet,
    so the defaults live here with their sources. A clinic that chooses another definition
    passes its own instance.
    """

    response_drop_fraction: float = 0.5
    """Response: the latest PHQ-9 is at least this fraction below the course's first one."""
    remission_below: int = 5
    """Remission: the latest PHQ-9 is below this total."""
    # Printed on the course summary, so in a clinician's words: where each definition comes
    # from, not the repository's notes (CLINICAL.md §8.2 keeps those, with their evidence tags).
    response_source: str = (
        "the usual definition of response in depression trials, on PHQ-9, MADRS or QIDS-SR16 "
        "(ACNP Task Force, Rush et al., Neuropsychopharmacology 2006)"
    )
    remission_source: str = (
        "PHQ-9 below 5 is the 'minimal symptoms' band (Kroenke et al., J Gen Intern Med 2001); "
        "trials more often define remission on MADRS or QIDS-SR16"
    )

    @property
    def response_line(self) -> float:
        """The response threshold as a fraction of the first score (0.5 → half of it)."""
        return 1.0 - self.response_drop_fraction


DEFAULT_OUTCOMES = OutcomeDefinition()
"""The shipped outcome definition: response ≥ 50 % fall, remission PHQ-9 < 5."""


class SessionStatus(StrEnum):
    """Where a session of the course stands."""

    OPEN = "open"
    SIGNED = "signed"
    ENDED_EARLY = "ended_early"

    @property
    def label(self) -> str:
        """Words for a nurse."""
        return {"open": "Open", "signed": "Signed", "ended_early": "Ended early"}[self.value]


@dataclass(frozen=True)
class SideEffectSummary:
    """One side effect of a session, at the worst severity charted for it."""

    effect: str
    """Checklist key, e.g. ``nausea``."""
    label: str
    max_severity: int
    """CTCAE grade 0–3 (none / mild / moderate / severe)."""
    serious: bool
    """Charted as a serious adverse event at least once."""

    @property
    def text(self) -> str:
        """E.g. ``Nausea (mild)``; ``SERIOUS`` is added for a serious adverse event."""
        serious = ", SERIOUS" if self.serious else ""
        return f"{self.label} ({SEVERITY_WORDS[self.max_severity]}{serious})"

    @property
    def short_text(self) -> str:
        """E.g. ``Dissociation (moderate)``: the label's first name only ("Dissociation /
        derealisation" → "Dissociation", "Anxiety or panic" → "Anxiety"), for a narrow column
        that lists several effects on a line."""
        short = self.label.split(" / ")[0].split(" or ")[0].split(" (")[0]
        serious = ", SERIOUS" if self.serious else ""
        return f"{short} ({SEVERITY_WORDS[self.max_severity]}{serious})"


@dataclass(frozen=True)
class CourseSessionRow:
    """One session of the course, as the course table and the course PDF show it.

    Values that were not charted are None (never zero), so a missing score is not mistaken
    for a normal one.
    """

    session_id: SessionId
    record_hash: str
    """The hash of the session's last entry as read (printed beside it, for ``verify --hash``)."""
    number: int
    """k: the session's place in the course, 1-based (counting sessions ended early)."""
    planned_infusions: int
    """n: infusions the live course order plans."""
    date: date
    """Clinic-local date of the session."""
    opened_at: datetime
    chair: int
    status: SessionStatus
    phase: Phase
    infusion_started: bool
    infusion_completed: bool | None
    """Whether the pump ran the full volume; None until the infusion stops."""
    planned_mg: float | None
    planned_mg_per_kg: float | None
    dosing_weight_kg: float | None
    infused_mg: float | None
    """From the pump volume × the bag concentration (``bedside.rules.controlled``)."""
    peak_systolic: int | None
    peak_systolic_level: AlertLevel | None
    peak_diastolic: int | None
    peak_diastolic_level: AlertLevel | None
    cadss6_end: int | None
    """CADSS-6 total nearest the end of the infusion."""
    side_effects: tuple[SideEffectSummary, ...]
    phq9_before: int | None
    """PHQ-9 total scored before the infusion started."""
    phq9_item9_positive: bool
    cssrs_band: str | None
    """Worst C-SSRS screen band of the session: none / low / moderate / high."""
    cssrs_flagged: bool
    """A moderate- or high-risk C-SSRS screen."""
    ended_early_reason: str = ""

    @property
    def infused_mg_per_kg(self) -> float | None:
        """Infused dose per kg of dosing weight."""
        if self.infused_mg is None or not self.dosing_weight_kg:
            return None
        return self.infused_mg / self.dosing_weight_kg

    @property
    def dose_differs(self) -> bool:
        """The infused dose differs from the planned one (stopped early, pump volume short)."""
        if self.infused_mg is None or self.planned_mg is None:
            return False
        return abs(self.infused_mg - self.planned_mg) > controlled.TOLERANCE_MG

    @property
    def max_side_effect_severity(self) -> int | None:
        """The worst severity among the session's side effects; None when none were charted."""
        return max((s.max_severity for s in self.side_effects), default=None)

    @property
    def number_text(self) -> str:
        """``3 of 6``."""
        return f"{self.number} of {self.planned_infusions}"

    @property
    def dose_text(self) -> str:
        """``36 mg · 0.5 mg/kg``; both planned and given when they differ; ``—`` before a plan."""
        if self.planned_mg is None or self.planned_mg_per_kg is None:
            return "—"
        planned = f"{self.planned_mg:g} mg · {self.planned_mg_per_kg:g} mg/kg"
        given = self.infused_mg_per_kg
        if self.dose_differs and self.infused_mg is not None and given is not None:
            return f"{planned} planned; {self.infused_mg:g} mg · {given:.2f} mg/kg given"
        return planned

    @property
    def peak_bp_text(self) -> str:
        """``172/98`` (peaks of each value, which may come from different readings)."""
        if self.peak_systolic is None and self.peak_diastolic is None:
            return "—"
        sbp = "—" if self.peak_systolic is None else str(self.peak_systolic)
        dbp = "—" if self.peak_diastolic is None else str(self.peak_diastolic)
        return f"{sbp}/{dbp}"

    @property
    def peak_bp_level(self) -> AlertLevel | None:
        """The most urgent protocol level the peak values crossed."""
        return max(
            (self.peak_systolic_level, self.peak_diastolic_level), key=LEVEL_RANK.__getitem__
        )

    @property
    def side_effects_text(self) -> str:
        """``Nausea (mild), Headache (moderate)``; ``None`` when nothing was charted."""
        return ", ".join(s.text for s in self.side_effects) or "None"

    @property
    def status_text(self) -> str:
        """``Signed``, ``Ended early`` or ``Open · Infusing``."""
        if self.status is SessionStatus.OPEN:
            return f"Open · {self.phase.label}"
        return self.status.label


@dataclass(frozen=True)
class Phq9Point:
    """One point of the PHQ-9 trend: the score before session ``number``."""

    number: int
    session_id: SessionId
    date: date
    total: int
    item9_positive: bool
    """Item 9 (thoughts of death or self-harm) above 0: same-day follow-up (CLINICAL.md §8.1)."""


@dataclass(frozen=True)
class CourseSummary:
    """A patient's course: its sessions, the PHQ-9 trend and the outcome flags.

    ``response`` and ``remission`` are None until a PHQ-9 has been scored after the course's
    first one (an outcome needs a score to compare with the baseline).
    """

    patient: Patient
    order: CourseOrder | None
    """The live course order (None when the patient has no course)."""
    orders: tuple[CourseOrder, ...]
    """The live order and the orders it superseded, oldest first (the dose history)."""
    sessions: tuple[CourseSessionRow, ...]
    planned_infusions: int
    infusions_given: int
    """Sessions in which the infusion was started."""
    cumulative_infused_mg: float
    """Sum of the infused doses known so far."""
    cumulative_complete: bool
    """False while a started infusion has no infused amount yet (still running)."""
    phq9: tuple[Phq9Point, ...]
    first_phq9: Phq9Point | None
    latest_phq9: Phq9Point | None
    phq9_change_percent: float | None
    """(latest − first) / first × 100: negative is better. None without two scores, or when
    the first score is 0."""
    response: bool | None
    remission: bool | None
    outcomes: OutcomeDefinition
    timezone: str
    as_of: datetime
    days_since_last_infusion: int | None

    @property
    def infusions_text(self) -> str:
        """``4 of 6 planned`` (``none: no course order`` without an order)."""
        if self.order is None:
            return "none: no course order"
        return f"{self.infusions_given} of {self.planned_infusions} planned"

    @property
    def cumulative_text(self) -> str:
        """``144 mg``, with ``so far`` while an infusion is still running."""
        running = " so far" if not self.cumulative_complete else ""
        return f"{self.cumulative_infused_mg:g} mg{running}"

    @property
    def change_text(self) -> str:
        """``−53 % (19 → 9)``, or a word saying why there is no change yet."""
        first, latest = self.first_phq9, self.latest_phq9
        if first is None or latest is None:
            return "no PHQ-9 yet"
        if first is latest:
            return f"{first.total} (first score only)"
        if self.phq9_change_percent is None:
            return f"{first.total} → {latest.total}"
        sign = "−" if self.phq9_change_percent < 0 else "+"
        return f"{sign}{abs(self.phq9_change_percent):.0f} % ({first.total} → {latest.total})"

    @staticmethod
    def flag_text(flag: bool | None) -> str:
        """``Yes``, ``No`` or ``Not yet`` for a response or remission flag."""
        return "Not yet" if flag is None else ("Yes" if flag else "No")

    @property
    def response_threshold(self) -> float | None:
        """The PHQ-9 total at or below which the course counts as a response."""
        if self.first_phq9 is None:
            return None
        return self.first_phq9.total * self.outcomes.response_line
