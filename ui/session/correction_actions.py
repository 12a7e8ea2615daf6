"""Correcting or voiding an entry chosen in the session record (or a flowsheet row).

Each correctable kind opens its own form filled with the entry as charted, its time, and a
reason; the core keeps the original, struck, with the reason. A void asks why, and whether
the entry was charted on the wrong patient's record (its words then stay off printouts). Kinds
that other entries or signatures rest on (pump events, alerts, signatures) are never corrected:
the nurse is told what to do instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bedside.context import SessionChange
from bedside.errors import InputRejected
from bedside.events import (
    ChartEvent,
    DischargeAssessed,
    DosePlanned,
    DrugPrepared,
    Kind,
    NoteAdded,
    ScaleScored,
    SideEffectNoted,
    rule_for,
)
from bedside.rules import dosing
from bedside.scales import ScaleName
from bedside.timeutil import local_date
from charting.record import WHAT
from charting.record_text import Wording, entry_words
from ui.common import operations
from ui.dialogs import scale as scale_dialog
from ui.dialogs.discharge import DischargeEntry
from ui.dialogs.discharge_correction import DischargeCorrection, DischargeCorrectionDialog
from ui.dialogs.entries import SideEffectDialog, SideEffectEntry, TextEntry, TextEntryDialog
from ui.dialogs.entry_dialog import until_saved
from ui.dialogs.preparation_correction import (
    DosePlanCorrection,
    DosePlanCorrectionDialog,
    PreparationCorrection,
    PreparationCorrectionDialog,
    expiry_as_printed,
    volume_text,
)
from ui.dialogs.scale import ScaleEntry
from ui.dialogs.vitals import VitalsDialog
from ui.dialogs.void import VoidDialog, VoidEntry
from ui.session import hold_banner, prn_actions
from ui.steps.intake_correction import IntakeCorrection, IntakeCorrectionDialog

if TYPE_CHECKING:
    from ui.session.window import SessionView


def selected_entry(view: SessionView) -> ChartEvent | None:
    """The entry selected in the record (or, when the flowsheet has the focus, its row); a
    struck entry is history, and some kinds are never corrected: both are said, not ignored."""
    picked = view.record.selected()
    if view.table.hasFocus() or picked is None:
        index = view.table.currentIndex()
        row = view.model.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        struck, event_id, correctable = row.struck, row.event_id, not row.struck
    else:
        struck, event_id, correctable = picked.struck, picked.event_id, picked.correctable
    if struck:
        operations.show_error(view, InputRejected("That entry was already corrected or voided"))
        return None
    entry = view.ctx.state.effective.get(event_id)
    if entry is None or not correctable:
        what = WHAT[entry.kind].lower() if entry is not None else "entry"
        operations.show_error(
            view,
            InputRejected(
                f"A {what} entry is not corrected or voided: other entries and signatures rest "
                "on it. Chart a note saying what was wrong (after sign-off, an addendum)."
            ),
        )
        return None
    return entry


def _words(view: SessionView, entry: ChartEvent) -> str:
    return entry_words(entry, Wording(view.ctx.state, view.names, view.service.timezone))


def _correct(
    view: SessionView, entry: ChartEvent, reason: str, when: Any, **fields: Any
) -> SessionChange | None:
    user = view.user
    if user is None:
        return None
    return view.run(
        lambda: view.service.correct(user, view.ctx, entry.id, reason, clinical_time=when, **fields)
    )


def _correct_text(view: SessionView, entry: ChartEvent, field: str, prompt: str) -> None:
    """A note, a deferral's reason or a resolution's note, corrected in full."""
    clock, tz = view.service.clock, view.service.timezone
    start = TextEntry(str(getattr(entry.payload, field)), entry.clinical_time)

    def ask(previous: TextEntry | None) -> TextEntry | None:
        return TextEntryDialog.ask(
            WHAT[entry.kind],
            prompt,
            clock,
            tz,
            view,
            previous or start,
            multiline=isinstance(entry.payload, NoteAdded),
            correcting=_words(view, entry),
        )

    until_saved(
        ask,
        lambda e: _correct(view, entry, e.reason, e.taken_at, **{field: e.text}),
    )


def _correct_side_effect(view: SessionView, entry: ChartEvent) -> None:
    p = entry.payload
    assert isinstance(p, SideEffectNoted)
    clock, tz = view.service.clock, view.service.timezone
    start = SideEffectEntry(p.effect, p.severity, p.action, p.note, entry.clinical_time)

    def ask(previous: SideEffectEntry | None) -> SideEffectEntry | None:
        return SideEffectDialog.ask(
            clock, tz, view, previous or start, correcting=_words(view, entry)
        )

    def save(e: SideEffectEntry) -> SessionChange | None:
        fields = {"effect": e.effect, "severity": e.severity, "action": e.action, "note": e.note}
        return _correct(view, entry, e.reason, e.taken_at, **fields)

    until_saved(ask, save)


def _correct_score(view: SessionView, entry: ChartEvent) -> None:
    p = entry.payload
    assert isinstance(p, ScaleScored)
    clock, tz = view.service.clock, view.service.timezone
    start = ScaleEntry(dict(p.answers), entry.clinical_time)

    def ask(previous: ScaleEntry | None) -> ScaleEntry | None:
        return scale_dialog.ask_scale(
            p.scale, clock, tz, view, previous or start, correcting=_words(view, entry)
        )

    until_saved(ask, lambda e: _correct(view, entry, e.reason, e.taken_at, answers=e.answers))


def _correct_prn(view: SessionView, entry: ChartEvent) -> None:
    """The PRN dialog filled with the dose as charted; the core judges it again."""
    prn_actions.correct_prn(view, entry, _words(view, entry))


def _correct_dose_plan(view: SessionView, entry: ChartEvent) -> None:
    """The vial strength and the bag; the core computes the plan again (never typed totals)."""
    p = entry.payload
    assert isinstance(p, DosePlanned)
    user, ctx = view.user, view.ctx
    if user is None:
        return
    weight = ctx.state.baseline_value("weight_kg")
    weight_line = (
        f"Order {ctx.order.mg_per_kg:g} mg/kg · charted weight "
        f"<b>{'—' if weight is None else f'{weight:g} kg'}</b> (planned on {p.weight_kg:g} kg). "
        "A wrong weight is corrected on the baseline vitals first."
    )

    def preview(vial: float, bag: float) -> dosing.DoseResult:
        return view.service.preview_dose(
            ctx,
            vial_concentration_mg_ml=vial,
            bag_volume_ml=bag,
            weight_measured_on=p.weight_measured_on,
        )

    def ask(previous: DosePlanCorrection | None) -> DosePlanCorrection | None:
        start = previous or DosePlanCorrection(p.vial_concentration_mg_ml, p.bag_volume_ml)
        strengths = ctx.protocol.dosing.vial_concentrations_mg_ml
        words = _words(view, entry)
        return DosePlanCorrectionDialog.ask(words, weight_line, strengths, preview, view, start)

    def save(e: DosePlanCorrection) -> SessionChange | None:
        return view.run(
            lambda: view.service.correct_dose_plan(
                user,
                ctx,
                entry.id,
                e.reason,
                vial_concentration_mg_ml=e.vial_concentration_mg_ml,
                bag_volume_ml=e.bag_volume_ml,
            )
        )

    until_saved(ask, save)


def _correct_preparation(view: SessionView, entry: ChartEvent) -> None:
    """The vial as charted, with a fresh double-check by a second person."""
    p = entry.payload
    assert isinstance(p, DrugPrepared)
    user, ctx = view.user, view.ctx
    if user is None:
        return
    today = local_date(view.service.clock.now(), ctx.state.opened.clinic_timezone)
    start = PreparationCorrection(
        volume_text(p.vial_volume_ml),
        p.lot,
        expiry_as_printed(p.expiry),
        p.ndc,
        volume_text(p.drawn_ml),
    )

    def ask(previous: PreparationCorrection | None) -> PreparationCorrection | None:
        words = _words(view, entry)
        return PreparationCorrectionDialog.ask(
            words, p.vial_concentration_mg_ml, today, view, previous or start
        )

    def save(e: PreparationCorrection) -> SessionChange | None:
        def call() -> SessionChange:
            checker = view.service.accounts.authenticate(e.checker, e.password)
            return view.service.correct_preparation(
                user,
                ctx,
                entry.id,
                e.reason,
                checker=checker,
                checker_password=e.password,
                vial_volume_ml=e.vial_volume_ml,
                lot=e.lot,
                expiry=e.expiry,
                ndc=e.ndc,
                drawn_ml=e.drawn_ml,
            )

        return view.run(call)

    until_saved(ask, save)


def _correct_discharge(view: SessionView, entry: ChartEvent) -> None:
    """The discharge dialog filled with the answers as charted; the core scores them again."""
    p = entry.payload
    assert isinstance(p, DischargeAssessed)
    charted = DischargeEntry(
        dict(p.answers),
        p.escort_present,
        p.escort_name,
        p.instructions_given,
        p.iv_removed_site_ok,
    )

    def ask(previous: DischargeCorrection | None) -> DischargeCorrection | None:
        start = previous or DischargeCorrection(charted, "")
        return DischargeCorrectionDialog.ask_correction(
            ScaleName(p.scale), _words(view, entry), view, start
        )

    def save(e: DischargeCorrection) -> SessionChange | None:
        a = e.entry
        return _correct(
            view,
            entry,
            e.reason,
            None,
            answers=a.answers,
            escort_present=a.escort_present,
            escort_name=a.escort_name,
            instructions_given=a.instructions_given,
            iv_removed_site_ok=a.iv_removed_site_ok,
        )

    until_saved(ask, save)


def _correct_intake(view: SessionView, entry: ChartEvent) -> None:
    """The intake form filled with the screen as charted; a refused correction reopens the same
    form as typed."""
    user = view.user
    if user is None:
        return
    dialog = IntakeCorrectionDialog(
        view.service, view.ctx, user, view.theme, _words(view, entry), view
    )

    def ask(_previous: IntakeCorrection | None) -> IntakeCorrection | None:
        return dialog.answer if dialog.exec() == dialog.DialogCode.Accepted else None

    def save(e: IntakeCorrection) -> SessionChange | None:
        return view.run(
            lambda: view.service.correct_intake(user, view.ctx, entry.id, e.reason, **e.values)
        )

    until_saved(ask, save)
    dialog.deleteLater()


def _correct_vitals(view: SessionView, entry: ChartEvent) -> None:
    if view.user is None:
        return
    change = VitalsDialog.ask(
        view.service,
        view.ctx,
        view.user,
        view.theme,
        view,
        correcting=entry,
        baseline=entry.kind is Kind.BASELINE_VITALS,
    )
    if change is not None:
        view.apply(change)


CORRECTORS: dict[Kind, Callable[[SessionView, ChartEvent], None]] = {
    Kind.VITALS_RECORDED: _correct_vitals,
    Kind.BASELINE_VITALS: _correct_vitals,
    Kind.SCALE_SCORED: _correct_score,
    Kind.SIDE_EFFECT_NOTED: _correct_side_effect,
    Kind.NOTE: lambda v, e: _correct_text(v, e, "text", "Nursing note:"),
    Kind.CHECK_DEFERRED: lambda v, e: _correct_text(v, e, "reason", "Why the check was deferred:"),
    Kind.SIDE_EFFECT_RESOLVED: lambda v, e: _correct_text(v, e, "note", "Note on the resolution:"),
    Kind.PRN_GIVEN: _correct_prn,
    Kind.DOSE_PLANNED: _correct_dose_plan,
    Kind.DRUG_PREPARED: _correct_preparation,
    Kind.DISCHARGE_ASSESSED: _correct_discharge,
    Kind.INTAKE_SCREENED: _correct_intake,
}
"""The form that corrects each kind (a kind without one is voided and charted again)."""


def correct_selected(view: SessionView) -> None:
    """Correct the selected entry in its own form: the original stays, struck, with the reason."""
    entry = selected_entry(view)
    if entry is None or view.user is None or hold_banner.refused_here(view):
        return
    corrector = CORRECTORS.get(entry.kind)
    if corrector is None:
        operations.show_error(
            view,
            InputRejected(
                f"A {WHAT[entry.kind].lower()} entry is corrected by voiding it (Delete, with the "
                "reason) and charting it again."
            ),
        )
        return
    corrector(view, entry)


def void_selected(view: SessionView) -> None:
    """Mark the selected entry as entered in error, with the reason."""
    ctx, user = view.ctx, view.user
    entry = selected_entry(view)
    if entry is None or user is None or hold_banner.refused_here(view):
        return
    if rule_for(entry.kind).never_voided:
        # Said before a reason is asked for: the core would refuse the void anyway.
        operations.show_error(
            view,
            InputRejected(
                f"A {WHAT[entry.kind].lower()} entry is corrected (C), never voided: the "
                "session rests on it."
            ),
        )
        return
    prompt = (
        f"Void: {_words(view, entry)}\n\nWhy was this entry made in error? "
        "(It stays visible, struck through.)"
    )

    def save(said: VoidEntry) -> SessionChange | None:
        return view.run(
            lambda: view.service.void(
                user, ctx, entry.id, said.reason, wrong_patient=said.wrong_patient
            )
        )

    until_saved(lambda previous: VoidDialog.ask(prompt, previous, parent=view), save)
