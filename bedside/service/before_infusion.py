"""Before the pump starts: intake, baseline, consent, the dose plan and the drawn-up drug."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from typing import Any, cast

from bedside.context import SessionChange, SessionContext
from bedside.errors import InputRejected, OperationRefused
from bedside.events import (
    BaselineVitals,
    ConsentRecorded,
    DosePlanned,
    DrugPrepared,
    EventDraft,
    SignaturePad,
)
from bedside.expiry import expired, parse_expiry
from bedside.people import Permission, User
from bedside.rules import controlled, dosing
from bedside.service.base import ServiceBase, SessionRef
from bedside.signatures import Meaning
from bedside.state import fold
from bedside.timeutil import local_date
from bedside.validation import parse


class BeforeInfusionOperations(ServiceBase):
    """Intake, baseline, consent, dose plan and preparation."""

    def record_intake(
        self,
        actor: User,
        session: SessionRef,
        clinical_time: datetime | None = None,
        **fields: Any,
    ) -> SessionChange:
        """The intake screen, with the allergies confirmed for this session
        (``allergies=``, see :mod:`bedside.service.intake`)."""
        from bedside.service import intake  # the allergy confirmation lives there

        return intake.record_intake(self, actor, session, fields, clinical_time)

    def record_baseline(
        self,
        actor: User,
        session: SessionRef,
        clinical_time: datetime | None = None,
        **values: Any,
    ) -> SessionChange:
        """A baseline vitals set (may be repeated after rest)."""
        return self._record(BaselineVitals, actor, session, values, clinical_time)

    def record_consent(
        self,
        actor: User,
        session: SessionRef,
        *,
        elements_acknowledged: list[str],
        capacity_confirmed: bool,
        patient_signature: list[list[tuple[float, float]]],
        clinician: User,
        clinician_password: str,
        witness_name: str = "",
        valid_until: date | None = None,
    ) -> SessionChange:
        """Consent with the patient's pad signature and the clinician's password confirmation.

        A consent with an element not acknowledged, or without the patient's capacity confirmed,
        is refused here, naming what is missing, before the clinician signs anything: a consent
        is stored whole or not at all.
        """
        self.accounts.require(clinician, Permission.CONFIRM_CONSENT, "confirm consent")
        lacking = self.consent_template.unconfirmed(elements_acknowledged, capacity_confirmed)
        if lacking:
            raise InputRejected(
                "Consent not recorded: " + "; ".join(lacking) + ". Go through each element "
                "with the patient and tick it when acknowledged."
            )
        ctx = self.context(session)
        pad = parse(SignaturePad, {"strokes": patient_signature})
        signature = self.accounts.sign(
            clinician,
            clinician_password,
            Meaning.CONSENT_OBTAINED,
            ctx.state.head_hash,
            Permission.CONFIRM_CONSENT,
        )
        payload = parse(
            ConsentRecorded,
            {
                "template_id": self.consent_template.id,
                "template_version": self.consent_template.version,
                "elements_acknowledged": elements_acknowledged,
                "capacity_confirmed": capacity_confirmed,
                "patient_signature": pad,
                "clinician_signature": signature,
                "witness_name": witness_name,
                "valid_until": valid_until,
            },
        )
        draft = EventDraft(payload=payload, clinical_time=self.clock.now())
        return self._append(actor, ctx, [draft])

    # --- the dose ---------------------------------------------------------------------------------

    def preview_dose(
        self,
        session: SessionRef,
        *,
        vial_concentration_mg_ml: float,
        bag_volume_ml: float | None = None,
        weight_kg: float | None = None,
        weight_measured_on: date | None = None,
    ) -> dosing.DoseResult:
        """The dose plan from the course order and the charted weight, without saving."""
        return self._plan(
            self.context(session),
            vial_concentration_mg_ml,
            bag_volume_ml,
            weight_kg,
            weight_measured_on,
        )

    def _plan(
        self,
        ctx: SessionContext,
        vial_concentration_mg_ml: float,
        bag_volume_ml: float | None,
        weight_kg: float | None,
        weight_measured_on: date | None,
    ) -> dosing.DoseResult:
        charted = ctx.state.baseline_value("weight_kg")
        if charted is None:
            raise InputRejected("Record the patient's weight with the baseline vitals first")
        tolerance = ctx.protocol.dosing.weight_tolerance_kg
        if weight_kg is not None and abs(weight_kg - charted) > tolerance:
            raise InputRejected(
                f"The dose must use the charted weight ({charted:g} kg); to use {weight_kg:g} kg, "
                "correct the baseline weight first"
            )
        today = local_date(self.clock.now(), self.timezone)
        inputs = dosing.DoseInputs(
            weight_kg=charted,
            weight_measured_on=weight_measured_on or today,
            vial_concentration_mg_ml=vial_concentration_mg_ml,
            bag_volume_ml=bag_volume_ml
            if bag_volume_ml is not None
            else ctx.protocol.dosing.default_bag_volume_ml,
            height_cm=ctx.state.baseline_value("height_cm"),
            sex=ctx.patient.sex,
            previous_weight_kg=self._previous_weight(ctx),
        )
        return dosing.plan_dose(inputs, order=ctx.order, protocol=ctx.protocol, today=today)

    def _previous_weight(self, ctx: SessionContext) -> float | None:
        """The weight the patient's previous session was dosed on, if any."""
        for header in reversed(self.store.sessions_for_patient(ctx.patient.id)):
            if header.id == ctx.header.id or header.opened_at >= ctx.header.opened_at:
                continue
            plan = fold(self.store.events(header.id)).dose_plan
            if plan is not None:
                return cast(DosePlanned, plan.payload).weight_kg
        return None

    def plan_dose(
        self,
        actor: User,
        session: SessionRef,
        *,
        vial_concentration_mg_ml: float,
        bag_volume_ml: float | None = None,
        weight_kg: float | None = None,
        weight_measured_on: date | None = None,
    ) -> SessionChange:
        """Compute and record the dose plan (hard stops refuse; nothing is capped)."""
        ctx = self.context(session)
        payload = self._planned(
            ctx, vial_concentration_mg_ml, bag_volume_ml, weight_kg, weight_measured_on
        )
        draft = EventDraft(payload=payload, clinical_time=self.clock.now())
        return self._append(actor, ctx, [draft])

    def _planned(
        self,
        ctx: SessionContext,
        vial_concentration_mg_ml: float,
        bag_volume_ml: float | None,
        weight_kg: float | None,
        weight_measured_on: date | None,
    ) -> DosePlanned:
        """The dose plan computed from the order and the charted weight, as it is stored (a new
        plan and a corrected one alike); a hard stop refuses it."""
        plan, report = self._plan(
            ctx, vial_concentration_mg_ml, bag_volume_ml, weight_kg, weight_measured_on
        )
        if plan is None:
            raise OperationRefused("Dose not planned.", report)
        return DosePlanned(
            course_id=ctx.order.id,
            mg_per_kg=plan.mg_per_kg,
            weight_kg=plan.weight_kg,
            weight_measured_on=weight_measured_on or local_date(self.clock.now(), self.timezone),
            height_cm=ctx.state.baseline_value("height_cm"),
            weight_basis=plan.weight_basis,
            dosing_weight_kg=plan.dosing_weight_kg,
            dose_mg=plan.dose_mg,
            vial_concentration_mg_ml=plan.vial_concentration_mg_ml,
            drug_volume_ml=plan.drug_volume_ml,
            bag_volume_ml=plan.bag_volume_ml,
            final_volume_ml=plan.final_volume_ml,
            concentration_mg_ml=plan.concentration_mg_ml,
            duration_min=plan.duration_min,
            rate_ml_h=plan.rate_ml_h,
            rate_step_ml_h=plan.rate_step_ml_h,
            formula=plan.formula,
        )

    # --- the drug in the nurse's hand -------------------------------------------------------------

    def record_preparation(
        self,
        actor: User,
        session: SessionRef,
        *,
        checker: User,
        checker_password: str,
        **fields: Any,
    ) -> SessionChange:
        """Vial, lot, expiry and amount drawn, double-checked by a second person's password.

        The vial strength and the bag default to the dose plan's, and the drug drawn in mg is
        computed here from the mL drawn (:func:`~bedside.rules.controlled.mg_in`); a given
        ``drawn_mg`` must agree with it. ``expiry`` may be the text typed off the vial
        (``"30 Jun 2027"``, ``"06/2027"``...): it is read by :func:`bedside.expiry.parse_expiry`,
        the same reading the form showed back, and refused in words if it cannot be read.
        """
        ctx = self.context(session)
        payload = self._prepared(actor, ctx, checker, checker_password, fields)
        draft = EventDraft(payload=payload, clinical_time=self.clock.now())
        return self._append(actor, ctx, [draft])

    def _prepared(
        self,
        actor: User,
        ctx: SessionContext,
        checker: User,
        checker_password: str,
        fields: dict[str, Any],
        *,
        already_used: bool = False,
    ) -> DrugPrepared:
        """The preparation as it is stored (a new one and a corrected one alike): the expiry
        read from the text typed, the mg computed from the mL, a second person's signature
        taken now; an expired vial is refused, unless ``already_used``: a correction made
        after the start records the vial as it was (the record tells the truth, and the
        sign-off flags the expired vial, :func:`bedside.rules.phases.sign_report`)."""
        if isinstance(fields.get("expiry"), str):
            fields["expiry"] = parse_expiry(fields["expiry"]).value
        if checker.id == actor.id:
            raise InputRejected("The double-check must be done by a second person")
        self.accounts.require(checker, Permission.WITNESS, "double-check a dose")
        plan = ctx.state.typed(ctx.state.dose_plan, DosePlanned)
        if plan is not None:
            fields.setdefault("vial_concentration_mg_ml", plan.vial_concentration_mg_ml)
            fields.setdefault("bag_volume_ml", plan.bag_volume_ml)
        if "drawn_mg" not in fields and {"drawn_ml", "vial_concentration_mg_ml"} <= set(fields):
            # A value that is not a number is left for the model to name with its range.
            with contextlib.suppress(TypeError, ValueError):
                fields["drawn_mg"] = controlled.mg_in(
                    float(fields["drawn_ml"]), float(fields["vial_concentration_mg_ml"])
                )
        signature = self.accounts.sign(
            checker,
            checker_password,
            Meaning.DOUBLE_CHECKED_DOSE,
            ctx.state.head_hash,
            Permission.WITNESS,
        )
        if signature.signer_id == actor.id:
            raise InputRejected("The double-check must be done by a second person")
        payload = parse(DrugPrepared, {**fields, "double_check": signature})
        today = local_date(self.clock.now(), ctx.state.opened.clinic_timezone)
        if expired(payload.expiry, today) and not already_used:
            # Refused before anything is drawn into the record: an expired vial never reaches
            # the pump, and the nurse is told now, not at the start.
            raise InputRejected(
                f"Expiry {payload.expiry:%d %b %Y}: vial lot {payload.lot} has expired. Use an "
                "in-date vial."
            )
        return payload
