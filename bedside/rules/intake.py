"""Intake contraindication screen (CLINICAL.md §6.2) and the allergies confirmed for the
session (CLINICAL.md §13, "Allergy status").

Absolute items (label contraindications) cannot be overridden; relative items need a
clinician's override with a reason. Allergies recorded as unknown block moving on: the nurse
asks the patient and records no known drug allergies or the list.
"""

from __future__ import annotations

from typing import cast

from bedside.allergies import AllergyState
from bedside.events import IntakeScreened
from bedside.report import Finding, RuleReport, error, warning
from bedside.state import SessionState

# key: (question shown to the nurse, absolute?)
CONTRAINDICATIONS: dict[str, tuple[str, bool]] = {
    "hypersensitivity": ("Known hypersensitivity to ketamine or esketamine", True),
    "aneurysm_avm": ("Aneurysmal vascular disease or arteriovenous malformation", True),
    "intracerebral_haemorrhage": ("History of intracerebral haemorrhage", True),
    "uncontrolled_hypertension": ("Uncontrolled or untreated hypertension", False),
    "recent_cardiac_event": ("Recent MI, unstable angina or significant arrhythmia", False),
    "raised_icp_iop": ("Raised intracranial or intraocular pressure (incl. glaucoma)", False),
    "psychosis_mania": ("Current psychosis or mania", False),
    "substance_use": ("Active substance use disorder / recreational ketamine or PCP use", False),
    "hepatic_impairment": ("Moderate or severe hepatic impairment", False),
    "pregnancy_breastfeeding": ("Pregnant or breastfeeding", False),
    "untreated_hyperthyroidism": ("Untreated hyperthyroidism", False),
    "cystitis": ("Ulcerative or interstitial cystitis", False),
}


def screen(state: SessionState) -> RuleReport:
    """Findings from the latest intake screen, or an error when none was recorded."""
    if state.intake is None:
        return RuleReport.of([error("intake.missing", "The intake screen has not been recorded")])
    intake = cast(IntakeScreened, state.intake.payload)
    findings: list[Finding] = []
    unknown = set(intake.contraindications) - set(CONTRAINDICATIONS)
    if unknown:
        findings.append(error("intake.unknown_item", f"Unknown screen items: {sorted(unknown)}"))
    unanswered = [k for k in CONTRAINDICATIONS if k not in intake.contraindications]
    if unanswered:
        findings.append(
            error(
                "intake.unanswered",
                "Screen questions not answered: "
                + ", ".join(CONTRAINDICATIONS[k][0] for k in unanswered),
            )
        )
    for key, present in intake.contraindications.items():
        if present and key in CONTRAINDICATIONS:
            text, absolute = CONTRAINDICATIONS[key]
            findings.append(
                error(
                    f"intake.contraindication.{key}",
                    f"Contraindication: {text}" + (" (absolute)" if absolute else ""),
                    overridable=not absolute,
                )
            )
    if intake.pregnancy_test == "positive":
        findings.append(error("intake.pregnancy_positive", "Pregnancy test is positive"))
    if intake.substance_use_48h:
        findings.append(
            error(
                "intake.substance_use_48h",
                "Alcohol or recreational drug use in the last 48 h",
                overridable=True,
            )
        )
    findings += allergy_findings(intake)
    if not intake.medicines_reviewed:
        findings.append(error("intake.medicines_not_reviewed", "Current medicines not reviewed"))
    if not intake.fasting_as_instructed:
        findings.append(warning("intake.not_fasting", "Patient has not fasted as instructed"))
    missing = [
        w for w, v in (("name", intake.escort_name), ("phone", intake.escort_phone)) if not v
    ]
    if missing:
        # Says what is missing: "name and phone" read as wrong when the name was typed.
        findings.append(
            warning(
                "intake.no_escort",
                f"Escort {' and '.join(missing)} not recorded (needed before discharge)",
            )
        )
    return RuleReport.of(findings)


def allergy_findings(intake: IntakeScreened) -> list[Finding]:
    """A blocking finding when the intake recorded the allergies as unknown.

    An intake without any allergy answer can only be one recorded before allergies were
    confirmed at intake (the service refuses a new one without): it is flagged, not blocked,
    so a session that moved on under the earlier rules still reads and imports as it ran.
    """
    if intake.allergies is None:
        return [
            warning(
                "intake.allergies_not_confirmed",
                "Allergies were not confirmed at this intake (recorded before allergies were "
                "part of the intake screen)",
            )
        ]
    if intake.allergies.state is AllergyState.UNKNOWN:
        return [
            error(
                "intake.allergies_unknown",
                "Allergies are unknown: ask the patient (or their records) and record no known "
                "drug allergies or their allergies before moving on",
            )
        ]
    return []
