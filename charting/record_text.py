"""Each kind of entry in words, as the session record lists it: what was charted, in a line a
nurse reads at a glance ("ondansetron 4 mg IV for nausea · ordered by Dr Rao").

Words only, no judgement: levels, lateness and corrections are facts of the row
(:mod:`charting.record`), and every rule stays where it lives in ``bedside/``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bedside.events import (
    AddendumAdded,
    AlertAcknowledged,
    AlertRaised,
    ChartAttested,
    ChartEvent,
    CheckDeferred,
    ConsentRecorded,
    DischargeAssessed,
    DosePlanned,
    DrugPrepared,
    ForkResolved,
    InfusionPaused,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    IntakeScreened,
    Kind,
    NoteAdded,
    Override,
    PhaseAdvanced,
    PrnGiven,
    RateChanged,
    ScaleScored,
    SessionEndedEarly,
    SessionOpened,
    SessionSigned,
    SideEffectNoted,
    SideEffectResolved,
    WasteRecorded,
)
from bedside.events.observations import VitalsBase
from bedside.ids import UserId
from bedside.scales import ScaleFlag
from bedside.state import SessionState
from bedside.timeutil import local_text
from charting.checks_missed import deferral_words
from charting.marks import prn_label, side_effect_label


@dataclass(frozen=True)
class Wording:
    """What the words of an entry may need beyond the entry itself."""

    state: SessionState
    names: Mapping[UserId, str]
    tz: str

    def name(self, user: UserId) -> str:
        """A user's name as the clinic knows it (the id when the account is unknown here)."""
        return self.names.get(user, str(user))

    def clock(self, event: ChartEvent | None) -> str:
        """An entry's clinical clock time, e.g. "10:12"."""
        return "?" if event is None else local_text(event.clinical_time, self.tz, "%H:%M")


def vitals_words(v: VitalsBase) -> str:
    """A vitals set in the order nurses say it: "BP 128/82 · HR 76 · SpO₂ 98 % · RR 14"; a
    value copied from the previous set (Ctrl+D) reads "=98", as on the flowsheet, and the
    line says so: a copied value never reads as measured."""
    copied = set(getattr(v, "copied", ()))

    def mark(name: str, value: object) -> str:
        return f"={value}" if name in copied else f"{value}"

    parts: list[str] = []
    if v.systolic is not None:
        parts.append(f"BP {mark('systolic', v.systolic)}/{mark('diastolic', v.diastolic)}")
    if v.heart_rate is not None:
        parts.append(f"HR {mark('heart_rate', v.heart_rate)}")
    if v.spo2 is not None:
        parts.append(f"SpO₂ {mark('spo2', v.spo2)} %")
    if v.resp_rate is not None:
        parts.append(f"RR {mark('resp_rate', v.resp_rate)}")
    if v.temperature_c is not None:
        parts.append(f"T {v.temperature_c:g} °C")
    if v.on_oxygen:
        flow = f" {v.o2_flow_l_min:g} L/min" if v.o2_flow_l_min is not None else ""
        parts.append(f"on O₂{flow}")
    if v.weight_kg is not None:
        parts.append(f"weight {v.weight_kg:g} kg")
    if v.height_cm is not None:
        parts.append(f"height {v.height_cm:g} cm")
    if copied:
        parts.append(f"{len(copied)} copied from the previous set (=)")
    return " · ".join(parts)


def _scale(p: ScaleScored, _: Wording) -> str:
    flags = "".join(f" · ⚑ {ScaleFlag(f).label}" for f in p.flags)
    band = f" ({p.band})" if p.band else ""
    return f"{p.scale.label} {p.total}{band}{flags}"


def _opened(p: SessionOpened, _: Wording) -> str:
    return (
        f"Session {p.number_in_course} of the course opened at chair {p.chair} "
        f"(protocol v{p.protocol_version})"
    )


def _phase(p: PhaseAdvanced, w: Wording) -> str:
    text = f"{p.from_phase.label} completed → {p.to_phase.label}"
    if p.override is not None:
        text += f" · overridden by {w.name(p.override.clinician_id)}: {p.override.reason}"
    return text


def _intake(p: IntakeScreened, _: Wording) -> str:
    found = [k.replace("_", " ") for k, present in p.contraindications.items() if present]
    checked = ", ".join(i.replace("_", " ") for i in p.identifiers_checked)
    return (
        f"Identity checked ({checked}) · contraindications: {', '.join(found) or 'none'} · "
        f"pregnancy test {p.pregnancy_test.replace('_', ' ')}"
    )


def _consent(p: ConsentRecorded, _: Wording) -> str:
    capacity = "capacity confirmed" if p.capacity_confirmed else "capacity NOT confirmed"
    return (
        f"Consent ({p.template_id} v{p.template_version}) signed by the patient and "
        f"{p.clinician_signature.signer_name} · {capacity}"
    )


def _dose(p: DosePlanned, _: Wording) -> str:
    return (
        f"{p.dose_mg:g} mg ({p.mg_per_kg:g} mg/kg × {p.dosing_weight_kg:g} kg) · "
        f"{p.final_volume_ml:g} mL over {p.duration_min} min at {p.rate_ml_h:g} mL/h"
    )


def _prepared(p: DrugPrepared, _: Wording) -> str:
    return (
        f"{p.drug} lot {p.lot}, expires {p.expiry:%d %b %Y} · drawn {p.drawn_mg:g} mg "
        f"({p.drawn_ml:g} mL) into {p.bag_volume_ml:g} mL {p.diluent} · "
        f"double-checked by {p.double_check.signer_name}"
    )


def _started(p: InfusionStarted, w: Wording) -> str:
    text = f"Pump started at {p.rate_ml_h:g} mL/h, volume to infuse {p.vtbi_ml:g} mL"
    return text + _confirmed(p.override, w)


def _paused(p: InfusionPaused, _: Wording) -> str:
    return f"Pump paused: {p.reason}"


def _resumed(p: InfusionResumed, w: Wording) -> str:
    return f"Pump resumed at {p.rate_ml_h:g} mL/h" + _confirmed(p.override, w)


def _confirmed(override: Override | None, w: Wording) -> str:
    """A clinician's confirmation past blocking findings, by name and reason."""
    if override is None:
        return ""
    return f" · confirmed by {w.name(override.clinician_id)}: {override.reason}"


def _rate(p: RateChanged, _: Wording) -> str:
    return f"Rate changed to {p.rate_ml_h:g} mL/h: {p.reason}"


def _stopped(p: InfusionStopped, _: Wording) -> str:
    how = "completed" if p.completed else f"stopped early: {p.reason or 'no reason given'}"
    return f"Pump stopped, {p.volume_infused_ml:g} mL infused ({how})"


def _side_effect(p: SideEffectNoted, _: Wording) -> str:
    parts = [side_effect_label(p.effect, p.severity)]
    if p.serious:
        parts.append("SERIOUS")
    if p.action:
        parts.append(f"action: {p.action}")
    if p.note:
        parts.append(p.note)
    return " · ".join(parts)


def _resolved(p: SideEffectResolved, w: Wording) -> str:
    noted = w.state.effective.get(p.side_effect_event_id)
    what = "side effect"
    if noted is not None and isinstance(noted.payload, SideEffectNoted):
        what = side_effect_label(noted.payload.effect, noted.payload.severity)
    note = f" · {p.note}" if p.note else ""
    return f"Resolved: {what} (noted {w.clock(noted)}){note}"


def _prn(p: PrnGiven, w: Wording) -> str:
    effect = f" · effect: {p.effect}" if p.effect else ""
    return f"{prn_label(p)} for {p.indication} · ordered by {w.name(p.ordered_by)}{effect}"


def _note(p: NoteAdded, _: Wording) -> str:
    return p.text


def _alert(p: AlertRaised, _: Wording) -> str:
    return p.message  # already says what to do: "Pause infusion: Systolic BP 186 …"


def _acknowledged(p: AlertAcknowledged, w: Wording) -> str:
    alert = w.state.alerts.get(p.alert_event_id)
    about = f"alert of {w.clock(alert.raised)}" if alert is not None else "alert"
    notified = " · clinician notified" if p.clinician_notified else ""
    return f"Acknowledged the {about}: {p.action_taken}{notified}"


def _deferred(p: CheckDeferred, w: Wording) -> str:
    return deferral_words(p, w.names, w.tz)


def _discharge(p: DischargeAssessed, _: Wording) -> str:
    escort = f"escort {p.escort_name or 'present'}" if p.escort_present else "NO escort"
    told = "instructions given" if p.instructions_given else "instructions NOT given"
    return f"{p.scale.label} {p.total}/10 · {escort} · {told}"


def _waste(p: WasteRecorded, _: Wording) -> str:
    return (
        f"Wasted {p.wasted_mg:g} mg ({p.wasted_ml:g} mL) from the {p.source}, {p.method} · "
        f"witnessed by {p.witness.signer_name}"
    )


def _signed(p: SessionSigned, w: Wording) -> str:
    text = f"Discharge signed by {p.signature.signer_name}"
    if p.override is not None:
        text += f" · overriding: {p.override.reason}"
    return text


def _attested(p: ChartAttested, _: Wording) -> str:
    return f"Charting signed as complete and accurate by {p.signature.signer_name}"


def _addendum(p: AddendumAdded, _: Wording) -> str:
    return f"{p.text} · reason: {p.reason} · signed by {p.signature.signer_name}"


def _fork(p: ForkResolved, _: Wording) -> str:
    steps = (
        f"{len(p.kept)} step(s) kept, {len(p.set_aside)} set aside"
        if p.kept or p.set_aside
        else "no conflicting steps"
    )
    return f"Entries charted at two workstations merged in time order; {steps} · reason: {p.reason}"


def _ended(p: SessionEndedEarly, _: Wording) -> str:
    return f"Session ended early: {p.reason}"


def _vitals(p: VitalsBase, _: Wording) -> str:
    return vitals_words(p)


_WORDS: dict[Kind, Callable[[Any, Wording], str]] = {
    Kind.SESSION_OPENED: _opened,
    Kind.PHASE_ADVANCED: _phase,
    Kind.SESSION_ENDED_EARLY: _ended,
    Kind.INTAKE_SCREENED: _intake,
    Kind.BASELINE_VITALS: _vitals,
    Kind.VITALS_RECORDED: _vitals,
    Kind.SCALE_SCORED: _scale,
    Kind.CONSENT_RECORDED: _consent,
    Kind.DOSE_PLANNED: _dose,
    Kind.DRUG_PREPARED: _prepared,
    Kind.INFUSION_STARTED: _started,
    Kind.INFUSION_PAUSED: _paused,
    Kind.INFUSION_RESUMED: _resumed,
    Kind.RATE_CHANGED: _rate,
    Kind.INFUSION_STOPPED: _stopped,
    Kind.SIDE_EFFECT_NOTED: _side_effect,
    Kind.SIDE_EFFECT_RESOLVED: _resolved,
    Kind.PRN_GIVEN: _prn,
    Kind.NOTE: _note,
    Kind.ALERT_RAISED: _alert,
    Kind.ALERT_ACKNOWLEDGED: _acknowledged,
    Kind.CHECK_DEFERRED: _deferred,
    Kind.DISCHARGE_ASSESSED: _discharge,
    Kind.WASTE_RECORDED: _waste,
    Kind.SESSION_SIGNED: _signed,
    Kind.CHART_ATTESTED: _attested,
    Kind.ADDENDUM: _addendum,
    Kind.ENTRY_VOIDED: lambda _p, _w: "Entered in error",
    Kind.FORK_RESOLVED: _fork,
}


def entry_words(event: ChartEvent, wording: Wording) -> str:
    """What ``event`` charted, in one line of words.

    Parameters
    ----------
    event : ChartEvent
        Any entry of the record.
    wording : Wording
        The record it belongs to, the staff's names and the clinic's time zone.

    Returns
    -------
    str
        The entry in words; every kind has its own wording.
    """
    return _WORDS[event.kind](event.payload, wording)
