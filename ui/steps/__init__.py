"""The guided steps before the infusion: intake, baseline, consent, dose and preparation, each a focused form, and the step bar."""
