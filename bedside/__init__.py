"""The domain of an IV ketamine infusion session, with no Qt and no wall clock.

Where to look:

* :mod:`bedside.events` — the record: every kind of entry and the one table of what each kind
  allows (phases, corrections, two workstations at once, signatures, role);
* :mod:`bedside.state` — ``fold(events) -> SessionState``, everything derived from the record;
* :mod:`bedside.rules` — the clinical rules, each returning a ``RuleReport``: phases and their
  guards, who may start a session today (``eligibility``), alerts, dosing, discharge readiness
  and when it is judged (``discharge.judged_at``), the controlled-substance record,
  side-effect severity;
* :mod:`bedside.scales` — MOAA/S, RASS, CADSS-6, PHQ-9 (and its bands), C-SSRS, Aldrete, PADSS;
* :mod:`bedside.protocol` — the clinic's versioned settings, each with its cited source;
* :mod:`bedside.context` — the read model the views and printouts are given;
* :mod:`bedside.service` — the only way anything is written (one facade, split by what the clinic
  does), returning what each operation changed;
* :mod:`bedside.store` — SQLite: the only module with SQL.
"""
