"""The demo clinic and the scripted sessions it is made of, charted through the same service a
nurse uses (Qt-free; the app's first run, ``bedside demo``, the tests and the benchmarks use
them). Kept out of the domain package: it is content the app ships, not a rule of the clinic.

* :mod:`ui.demo.staff` — the accounts and the clinic settings;
* :mod:`ui.demo.answers` — intake and scale answers;
* :mod:`ui.demo.reference` — the reference session and its course order;
* :mod:`ui.demo.clinic` — the whole demo clinic (:func:`build_demo`);
* :mod:`ui.demo.long_session` — a long, messy session for tests, benchmarks and the printout.
"""

from ui.demo.answers import (
    ALDRETE_FULL,
    PHQ9_KEYS,
    cadss6_answers,
    cssrs_negative,
    no_contraindications,
    phq9_answers,
    score_baseline_scales,
)
from ui.demo.clinic import build_demo, demo_kept_or_built
from ui.demo.reference import (
    REFERENCE_INDICATION,
    ReferencePlan,
    chart_reference_session,
    order_reference_course,
    prepare_reference_dose,
)
from ui.demo.staff import (
    DEMO_PASSWORD,
    DEMO_TIMEZONE,
    SIGNATURE_STROKES,
    DemoStaff,
    create_staff,
    demo_settings,
    set_up_clinic,
)

__all__ = [
    "ALDRETE_FULL",
    "DEMO_PASSWORD",
    "DEMO_TIMEZONE",
    "PHQ9_KEYS",
    "REFERENCE_INDICATION",
    "SIGNATURE_STROKES",
    "DemoStaff",
    "ReferencePlan",
    "build_demo",
    "cadss6_answers",
    "chart_reference_session",
    "create_staff",
    "cssrs_negative",
    "demo_kept_or_built",
    "demo_settings",
    "no_contraindications",
    "order_reference_course",
    "phq9_answers",
    "prepare_reference_dose",
    "score_baseline_scales",
    "set_up_clinic",
]
