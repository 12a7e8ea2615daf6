"""Chart events: the append-only record of a session.

Every event has a clinical time (when it happened), a recorded time (when it was typed, never
editable), an author, and a payload validated by the model for its kind. A correction is a new
event of the same kind whose ``supersedes`` names the event it replaces, with a ``reason``; a
void is an :class:`EntryVoided` event. Nothing is ever edited or deleted.
"""

from __future__ import annotations

import copy
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from bedside.ids import CourseId, EventId, PatientId, ProtocolId, SessionId, UserId
from bedside.protocol import AlertLevel, WeightBasis
from bedside.ranges import (
    BagVolume,
    Diastolic,
    DoseMgPerKg,
    DrugAmountMg,
    DrugVolumeMl,
    DurationMin,
    HeartRate,
    HeightCm,
    O2Flow,
    PumpRate,
    RespRate,
    SpO2,
    Systolic,
    TemperatureC,
    VialConcentration,
    VialVolume,
    WeightKg,
)
from bedside.scales import ScaleName
from bedside.signatures import Signature
from bedside.timeutil import UtcDatetime

ShortText = Annotated[str, Field(max_length=500)]
LongText = Annotated[str, Field(min_length=1, max_length=5000)]


class Phase(StrEnum):
    """Session phases (ARCHITECTURE.md): the step the session is in."""

    INTAKE = "intake"
    BASELINE = "baseline"
    CONSENT = "consent"
    PREPARED = "prepared"  # dose and preparation; ends when the infusion starts
    INFUSING = "infusing"
    PAUSED = "paused"
    OBSERVING = "observing"
    READY_FOR_DISCHARGE = "ready_for_discharge"
    SIGNED = "signed"
    ENDED_EARLY = "ended_early"

    @property
    def label(self) -> str:
        """Words for a nurse."""
        return _PHASE_LABELS[self]


_PHASE_LABELS = {
    Phase.INTAKE: "Intake",
    Phase.BASELINE: "Baseline",
    Phase.CONSENT: "Consent",
    Phase.PREPARED: "Dose & preparation",
    Phase.INFUSING: "Infusing",
    Phase.PAUSED: "Paused",
    Phase.OBSERVING: "Observation",
    Phase.READY_FOR_DISCHARGE: "Ready for discharge",
    Phase.SIGNED: "Signed",
    Phase.ENDED_EARLY: "Ended early",
}


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Override(_Payload):
    """A clinician's decision to proceed past blocking findings, with the reason."""

    clinician_id: UserId
    reason: Annotated[str, Field(min_length=5, max_length=1000)]
    finding_codes: tuple[str, ...] = Field(min_length=1)
    signature: Signature


# --- session ------------------------------------------------------------------------------------


class SessionOpened(_Payload):
    kind: Literal["session_opened"] = "session_opened"
    patient_id: PatientId
    course_id: CourseId
    number_in_course: int = Field(ge=1, le=200)
    chair: int = Field(ge=1, le=24)
    protocol_id: ProtocolId
    protocol_version: int = Field(ge=1)
    protocol_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    clinic_timezone: str = Field(min_length=1, max_length=64)


class PhaseAdvanced(_Payload):
    """The nurse completed a step; the guard report was clean or a clinician overrode it."""

    kind: Literal["phase_advanced"] = "phase_advanced"
    from_phase: Phase
    to_phase: Phase
    override: Override | None = None


class SessionEndedEarly(_Payload):
    kind: Literal["session_ended_early"] = "session_ended_early"
    reason: Annotated[str, Field(min_length=3, max_length=1000)]


# --- intake ---------------------------------------------------------------------------------------

Identifier = Literal["full_name", "date_of_birth", "mrn", "photo_id", "address"]


class IntakeScreened(_Payload):
    """Identity check, contraindication screen (CLINICAL.md §6.2) and pre-session checks."""

    kind: Literal["intake_screened"] = "intake_screened"
    identifiers_checked: tuple[Identifier, ...] = Field(min_length=2)
    contraindications: dict[str, bool]
    pregnancy_test: Literal["not_applicable", "negative", "positive", "declined"]
    medicines_reviewed: bool
    new_medicines: tuple[str, ...] = ()
    fasting_as_instructed: bool
    substance_use_48h: bool
    escort_name: Annotated[str, Field(max_length=120)] = ""
    escort_phone: Annotated[str, Field(max_length=40)] = ""
    notes: ShortText = ""

    @model_validator(mode="after")
    def _two_distinct_identifiers(self) -> Self:
        if len(set(self.identifiers_checked)) < 2:
            raise ValueError("identity must be checked on two different identifiers")
        return self


# --- observations ---------------------------------------------------------------------------------


class _Vitals(_Payload):
    """A set of vital signs taken together. Blood pressure is both values or neither."""

    systolic: Systolic | None = None
    diastolic: Diastolic | None = None
    heart_rate: HeartRate | None = None
    spo2: SpO2 | None = None
    resp_rate: RespRate | None = None
    temperature_c: TemperatureC | None = None
    on_oxygen: bool = False
    o2_flow_l_min: O2Flow | None = None
    weight_kg: WeightKg | None = None
    height_cm: HeightCm | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.systolic is None) != (self.diastolic is None):
            raise ValueError("blood pressure needs both systolic and diastolic")
        if (
            self.systolic is not None
            and self.diastolic is not None
            and self.systolic <= self.diastolic
        ):
            raise ValueError(
                f"Systolic BP {self.systolic} must be higher than diastolic {self.diastolic}"
            )
        if self.o2_flow_l_min is not None and not self.on_oxygen:
            raise ValueError("oxygen flow given but 'on oxygen' is not ticked")
        measured = (
            self.systolic,
            self.heart_rate,
            self.spo2,
            self.resp_rate,
            self.temperature_c,
            self.weight_kg,
        )
        if all(v is None for v in measured):
            raise ValueError("a vitals set needs at least one value")
        return self

    @property
    def has_bp(self) -> bool:
        """True when the set includes a blood pressure."""
        return self.systolic is not None


class BaselineVitals(_Vitals):
    kind: Literal["baseline_vitals"] = "baseline_vitals"


class VitalsRecorded(_Vitals):
    kind: Literal["vitals_recorded"] = "vitals_recorded"


class ScaleScored(_Payload):
    """A scored instrument. Answers are stored; the total is computed, never typed."""

    kind: Literal["scale_scored"] = "scale_scored"
    scale: ScaleName
    answers: dict[str, int]
    total: int
    band: str
    flags: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _total_matches_answers(self) -> Self:
        from bedside.scales import score  # local: scales imports nothing from events

        computed = score(self.scale, self.answers)
        if (computed.total, computed.band, computed.flags) != (self.total, self.band, self.flags):
            raise ValueError(
                f"{self.scale.value} total/band do not match the answers "
                f"(computed {computed.total} {computed.band})"
            )
        return self


# --- consent, dose, preparation --------------------------------------------------------------------


class SignaturePad(_Payload):
    """A handwritten signature: strokes of (x, y) points in a unit box (0..1)."""

    strokes: tuple[tuple[tuple[float, float], ...], ...] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _inside_box(self) -> Self:
        points = [p for stroke in self.strokes for p in stroke]
        if len(points) < 2:
            raise ValueError("the signature pad is empty")
        if any(not (0 <= x <= 1 and 0 <= y <= 1) for x, y in points):
            raise ValueError("signature points must lie in the unit box")
        return self


class ConsentRecorded(_Payload):
    kind: Literal["consent_recorded"] = "consent_recorded"
    template_id: str = Field(min_length=1, max_length=60)
    template_version: int = Field(ge=1)
    elements_acknowledged: tuple[str, ...] = Field(min_length=1)
    capacity_confirmed: bool
    patient_signature: SignaturePad
    clinician_signature: Signature
    witness_name: Annotated[str, Field(max_length=120)] = ""
    valid_until: date | None = None


class DosePlanned(_Payload):
    """Dose arithmetic from the course order. Inputs and results are both kept, so a reprint
    shows exactly what the nurse saw; the model re-computes and refuses a mismatch."""

    kind: Literal["dose_planned"] = "dose_planned"
    course_id: CourseId
    mg_per_kg: DoseMgPerKg
    weight_kg: WeightKg
    weight_measured_on: date
    height_cm: HeightCm | None = None
    weight_basis: WeightBasis
    dosing_weight_kg: WeightKg
    dose_mg: DrugAmountMg
    vial_concentration_mg_ml: VialConcentration
    drug_volume_ml: DrugVolumeMl
    bag_volume_ml: BagVolume
    final_volume_ml: DrugVolumeMl
    concentration_mg_ml: float = Field(gt=0)
    duration_min: DurationMin
    rate_ml_h: PumpRate
    rate_step_ml_h: float = Field(gt=0, le=10, description="the pump step the rate was rounded to")
    formula: str = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _arithmetic_adds_up(self) -> Self:
        """Every stored result must follow from the stored inputs (CLINICAL.md §1.4)."""

        def close(a: float, b: float, tol: float) -> bool:
            return abs(a - b) <= tol

        checks = (
            (
                "dosing weight",
                self.dosing_weight_kg <= self.weight_kg + 1e-9,
                "above actual weight",
            ),
            (
                "dose",
                close(self.dose_mg, self.mg_per_kg * self.dosing_weight_kg, 0.01),
                f"{self.dose_mg:g} mg ≠ {self.mg_per_kg:g} mg/kg × {self.dosing_weight_kg:g} kg",
            ),
            (
                "drug volume",
                close(self.drug_volume_ml, self.dose_mg / self.vial_concentration_mg_ml, 0.01),
                f"{self.drug_volume_ml:g} mL ≠ {self.dose_mg:g} mg ÷ "
                f"{self.vial_concentration_mg_ml:g} mg/mL",
            ),
            (
                "final volume",
                close(self.final_volume_ml, self.bag_volume_ml + self.drug_volume_ml, 0.011),
                f"{self.final_volume_ml:g} mL ≠ bag + drug",
            ),
            (
                "concentration",
                close(self.concentration_mg_ml, self.dose_mg / self.final_volume_ml, 0.0005),
                f"{self.concentration_mg_ml:g} mg/mL ≠ dose ÷ final volume",
            ),
            (
                "rate",
                close(
                    self.rate_ml_h,
                    self.final_volume_ml * 60 / self.duration_min,
                    self.rate_step_ml_h / 2 + 0.001,
                ),
                f"{self.rate_ml_h:g} mL/h ≠ final volume over {self.duration_min} min",
            ),
        )
        for name, ok, detail in checks:
            if not ok:
                raise ValueError(f"dose plan {name} does not add up: {detail}")
        return self


class DrugPrepared(_Payload):
    """Vial, lot, expiry and the amount drawn up, with a second person's double-check."""

    kind: Literal["drug_prepared"] = "drug_prepared"
    drug: str = Field(default="ketamine hydrochloride", max_length=80)
    vial_concentration_mg_ml: VialConcentration
    vial_volume_ml: VialVolume
    lot: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9./-]+$")
    expiry: date
    ndc: Annotated[str, Field(max_length=20)] = ""
    drawn_mg: DrugAmountMg
    drawn_ml: DrugVolumeMl
    diluent: Literal["0.9% sodium chloride", "5% dextrose"] = "0.9% sodium chloride"
    bag_volume_ml: BagVolume
    double_check: Signature

    @model_validator(mode="after")
    def _drawn_matches_concentration(self) -> Self:
        expected = self.drawn_ml * self.vial_concentration_mg_ml
        if abs(expected - self.drawn_mg) > 0.01 * max(1.0, self.drawn_mg):
            raise ValueError(
                f"drawn {self.drawn_mg:g} mg does not match {self.drawn_ml:g} mL × "
                f"{self.vial_concentration_mg_ml:g} mg/mL = {expected:g} mg"
            )
        if self.drawn_ml > self.vial_volume_ml + 1e-9:
            raise ValueError(
                f"drawn {self.drawn_ml:g} mL is more than the vial holds ({self.vial_volume_ml:g} mL)"
            )
        return self


# --- infusion --------------------------------------------------------------------------------------


class InfusionStarted(_Payload):
    kind: Literal["infusion_started"] = "infusion_started"
    rate_ml_h: PumpRate
    vtbi_ml: DrugVolumeMl


class InfusionPaused(_Payload):
    kind: Literal["infusion_paused"] = "infusion_paused"
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class InfusionResumed(_Payload):
    kind: Literal["infusion_resumed"] = "infusion_resumed"
    rate_ml_h: PumpRate


class RateChanged(_Payload):
    kind: Literal["rate_changed"] = "rate_changed"
    rate_ml_h: PumpRate
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class InfusionStopped(_Payload):
    kind: Literal["infusion_stopped"] = "infusion_stopped"
    volume_infused_ml: DrugVolumeMl
    completed: bool = True
    reason: ShortText = ""


# --- effects, medicines, notes, alerts ---------------------------------------------------------------


class SideEffectNoted(_Payload):
    kind: Literal["side_effect_noted"] = "side_effect_noted"
    effect: str = Field(min_length=2, max_length=60, pattern=r"^[a-z0-9_]+$")
    severity: int = Field(ge=0, le=3, description="none/mild/moderate/severe = CTCAE 0-3")
    action: ShortText = ""
    serious: bool = False
    note: ShortText = ""


class SideEffectResolved(_Payload):
    kind: Literal["side_effect_resolved"] = "side_effect_resolved"
    side_effect_event_id: EventId
    note: ShortText = ""


Route = Literal["IV", "IM", "PO", "SL", "SC", "IN", "inhaled"]


class PrnGiven(_Payload):
    kind: Literal["prn_given"] = "prn_given"
    drug: str = Field(min_length=2, max_length=80)
    dose: float = Field(gt=0, le=10000)
    unit: Literal["mg", "mcg", "g", "mL", "units", "L/min"]
    route: Route
    indication: str = Field(min_length=2, max_length=300)
    ordered_by: UserId
    related_event_id: EventId | None = None
    effect: ShortText = ""


class NoteAdded(_Payload):
    kind: Literal["note"] = "note"
    text: LongText


class AlertRaised(_Payload):
    """Written by the service in the same transaction as the reading that caused it."""

    kind: Literal["alert_raised"] = "alert_raised"
    level: AlertLevel
    source_event_id: EventId
    rule_codes: tuple[str, ...] = Field(min_length=1)
    message: str = Field(min_length=1, max_length=1000)


class AlertAcknowledged(_Payload):
    kind: Literal["alert_acknowledged"] = "alert_acknowledged"
    alert_event_id: EventId
    action_taken: Annotated[str, Field(min_length=3, max_length=1000)]
    clinician_notified: bool = False


class CheckDeferred(_Payload):
    """ "Patient resting - check deferred", with a reason, for the check due at ``due_at``."""

    kind: Literal["check_deferred"] = "check_deferred"
    due_at: UtcDatetime
    reason: Annotated[str, Field(min_length=3, max_length=500)]


# --- discharge, waste, signing -----------------------------------------------------------------------


class DischargeAssessed(_Payload):
    kind: Literal["discharge_assessed"] = "discharge_assessed"
    scale: Literal[ScaleName.ALDRETE, ScaleName.PADSS]
    answers: dict[str, int]
    total: int = Field(ge=0, le=10)
    escort_present: bool
    escort_name: Annotated[str, Field(max_length=120)] = ""
    instructions_given: bool
    iv_removed_site_ok: bool = True

    @model_validator(mode="after")
    def _total_matches(self) -> Self:
        from bedside.scales import score

        computed = score(self.scale, self.answers)
        if computed.total != self.total:
            raise ValueError(
                f"discharge score total {self.total} does not match the items ({computed.total})"
            )
        return self


class WasteRecorded(_Payload):
    kind: Literal["waste_recorded"] = "waste_recorded"
    wasted_mg: DrugAmountMg
    wasted_ml: DrugVolumeMl
    source: Literal["vial", "bag"] = "vial"
    method: str = Field(default="rendered unrecoverable in waste container", max_length=200)
    witness: Signature


class SessionSigned(_Payload):
    kind: Literal["session_signed"] = "session_signed"
    signature: Signature
    override: Override | None = None


class ChartAttested(_Payload):
    """The charting nurse signs that the record is complete and accurate, before sign-off."""

    kind: Literal["chart_attested"] = "chart_attested"
    signature: Signature


class AddendumAdded(_Payload):
    kind: Literal["addendum"] = "addendum"
    text: LongText
    reason: Annotated[str, Field(min_length=3, max_length=1000)]
    signature: Signature


class EntryVoided(_Payload):
    """Marks an entry as entered in error. The original stays in the record, struck through."""

    kind: Literal["entry_voided"] = "entry_voided"


Payload = Annotated[
    SessionOpened
    | PhaseAdvanced
    | SessionEndedEarly
    | IntakeScreened
    | BaselineVitals
    | VitalsRecorded
    | ScaleScored
    | ConsentRecorded
    | DosePlanned
    | DrugPrepared
    | InfusionStarted
    | InfusionPaused
    | InfusionResumed
    | RateChanged
    | InfusionStopped
    | SideEffectNoted
    | SideEffectResolved
    | PrnGiven
    | NoteAdded
    | AlertRaised
    | AlertAcknowledged
    | CheckDeferred
    | DischargeAssessed
    | WasteRecorded
    | SessionSigned
    | ChartAttested
    | AddendumAdded
    | EntryVoided,
    Field(discriminator="kind"),
]

PAYLOAD_TYPES: dict[str, type[_Payload]] = {
    t.model_fields["kind"].default: t for t in _Payload.__subclasses__() if "kind" in t.model_fields
}
for _base in (_Vitals,):
    for _t in _base.__subclasses__():
        PAYLOAD_TYPES[_t.model_fields["kind"].default] = _t

CORRECTABLE_KINDS = frozenset(
    {
        "baseline_vitals",
        "vitals_recorded",
        "scale_scored",
        "side_effect_noted",
        "side_effect_resolved",
        "prn_given",
        "note",
        "intake_screened",
        "check_deferred",
        "discharge_assessed",
    }
)
"""Kinds a nurse may correct or void. Signatures, infusion timing and alerts are corrected only
by an addendum or a new event, because other entries and signatures depend on them."""


class ChartEvent(BaseModel):
    """One immutable entry of a session's record, with its place in the hash chain."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: EventId
    session_id: SessionId
    seq: int = Field(ge=1)
    clinical_time: UtcDatetime
    recorded_time: UtcDatetime
    author: UserId
    payload: Payload
    supersedes: EventId | None = None
    reason: Annotated[str, Field(max_length=1000)] | None = None
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    # The payload exactly as first stored. Hashes and exports use it, so a model that later gains
    # an optional field still reads old records without changing what was signed and hashed.
    _raw_payload: dict[str, Any] | None = PrivateAttr(default=None)

    @property
    def kind(self) -> str:
        """The payload's kind, e.g. ``"vitals_recorded"``."""
        return self.payload.kind

    @property
    def raw_payload(self) -> dict[str, Any]:
        """The payload as stored (or, for a new event, as it will be stored)."""
        if self._raw_payload is None:
            self._raw_payload = self.payload.model_dump(mode="json")
        return self._raw_payload

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw_payload(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        raw = data.get("payload") if isinstance(data, dict) else None
        event = handler(data)
        if isinstance(raw, dict):
            event._raw_payload = copy.deepcopy(raw)
        return event

    @model_serializer(mode="wrap")
    def _dump_raw_payload(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        data = handler(self)
        if info.mode == "json" and isinstance(data, dict) and "payload" in data:
            data["payload"] = copy.deepcopy(self.raw_payload)
        return data

    @model_validator(mode="after")
    def _correction_rules(self) -> Self:
        if self.supersedes is not None and not (self.reason and len(self.reason.strip()) >= 3):
            raise ValueError("a correction or void needs a reason")
        if self.kind == "entry_voided" and self.supersedes is None:
            raise ValueError("a void must name the entry it voids")
        if self.clinical_time > self.recorded_time:
            raise ValueError("clinical time cannot be later than the time it was recorded")
        return self


class EventDraft(BaseModel):
    """What an operation wants to append, before the store gives it a place in the chain."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    payload: Payload
    clinical_time: UtcDatetime
    supersedes: EventId | None = None
    reason: str | None = None
