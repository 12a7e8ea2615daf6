"""Side-effect checklist (CLINICAL.md §4.1) and severity words (CTCAE 0–3, §4.2)."""

from __future__ import annotations

SEVERITY_WORDS = {0: "none", 1: "mild", 2: "moderate", 3: "severe"}
"""Clinic scale none/mild/moderate/severe mapped onto CTCAE grades 0–3."""

MODERATE = 2
"""CTCAE grade 2: an effect that needs watching until it settles."""
SEVERE = 3
"""CTCAE grade 3: severe."""


def needs_follow_up(severity: int) -> bool:
    """A moderate or severe effect: highlighted on the summary, and named at sign-off while it
    is not marked resolved."""
    return severity >= MODERATE


def is_severe(severity: int) -> bool:
    """A severe effect (CTCAE grade 3): highlighted in the course view and its summary."""
    return severity >= SEVERE


CHECKLIST: dict[str, tuple[str, str]] = {
    # key: (group, label)
    "hypertension": ("Cardiovascular", "Raised blood pressure"),
    "tachycardia": ("Cardiovascular", "Tachycardia"),
    "palpitations": ("Cardiovascular", "Palpitations"),
    "chest_pain": ("Cardiovascular", "Chest pain or pressure"),
    "hypotension_bradycardia": ("Cardiovascular", "Hypotension or bradycardia"),
    "dizziness": ("Neurological", "Dizziness / light-headedness"),
    "headache": ("Neurological", "Headache"),
    "blurred_vision": ("Neurological", "Blurred or double vision"),
    "nystagmus": ("Neurological", "Nystagmus"),
    "numbness": ("Neurological", "Numbness / hypoaesthesia"),
    "feeling_drunk": ("Neurological", "Ataxia / feeling drunk"),
    "twitching": ("Neurological", "Muscle twitching"),
    "nausea": ("Gastrointestinal", "Nausea"),
    "vomiting": ("Gastrointestinal", "Vomiting"),
    "hypersalivation": ("Gastrointestinal", "Hypersalivation"),
    "dissociation": ("Psychiatric/perceptual", "Dissociation / derealisation"),
    "anxiety": ("Psychiatric/perceptual", "Anxiety or panic"),
    "agitation": ("Psychiatric/perceptual", "Agitation"),
    "dysphoria": ("Psychiatric/perceptual", "Dysphoria"),
    "hallucinations": ("Psychiatric/perceptual", "Hallucinations or illusions"),
    "emergence_reaction": ("Psychiatric/perceptual", "Emergence reaction / confusion"),
    "tearfulness": ("Psychiatric/perceptual", "Tearfulness"),
    "excessive_sedation": ("Sedation/respiratory", "Excessive sedation"),
    "desaturation": ("Sedation/respiratory", "SpO2 drop"),
    "reduced_rr": ("Sedation/respiratory", "Reduced respiratory rate"),
    "iv_site": ("Other", "IV-site problem"),
    "rash": ("Other", "Rash or itching"),
    "allergic_reaction": ("Other", "Allergic reaction"),
    "urinary": ("Other", "Urinary symptoms"),
    "suicidal_ideation": ("Safety", "Suicidal ideation expressed (route to clinician)"),
}

QUICK_EFFECTS = ("nausea", "dizziness", "headache", "anxiety", "dissociation", "hypertension")
"""The effects a nurse reaches with one tap during an infusion."""


def label(effect: str) -> str:
    """Words for an effect key (unknown keys are shown as they are)."""
    return CHECKLIST.get(effect, ("Other", effect.replace("_", " ")))[1]
