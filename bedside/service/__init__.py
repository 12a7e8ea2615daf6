"""Chart operations: the only way anything is written to a session's record.

Each operation checks the author's role, validates input (impossible values are refused with the
field and the allowed range; nothing is saved half-way), evaluates the guards, and appends its
events in one durable transaction; abnormal-but-possible values are saved and flagged. Every
session operation returns a :class:`~bedside.context.SessionChange`, and takes the session by id
or as the caller read it (:data:`~bedside.service.base.SessionRef`).

:class:`ChartService` is one facade over the parts, each a module of its own:

* :mod:`~bedside.service.base` — reading a session and the one write path;
* :mod:`~bedside.service.clinic` — settings, protocol versions, patients, course orders;
* :mod:`~bedside.service.opening` — who may start, opening, the chairs, steps, ending early;
* :mod:`~bedside.service.before_infusion` — intake, baseline, consent, dose, preparation;
* :mod:`~bedside.service.infusion` — the pump, timed vitals and scores, alerts;
* :mod:`~bedside.service.entries` — side effects, PRN, notes, deferrals, corrections;
* :mod:`~bedside.service.corrections` — corrections judged again: PRN, dose plan, preparation;
* :mod:`~bedside.service.discharge` — discharge score, waste, signatures, addenda;
* :mod:`~bedside.service.reading` — what the printouts and the course view read.
"""

from bedside.context import SessionChange, SessionContext
from bedside.service.base import SessionRef
from bedside.service.before_infusion import BeforeInfusionOperations
from bedside.service.corrections import CorrectionOperations
from bedside.service.discharge import DischargeOperations
from bedside.service.entries import EntryOperations
from bedside.service.forks import ForkOperations
from bedside.service.opening import OpeningOperations
from bedside.service.reading import ReadingOperations


class ChartService(
    OpeningOperations,
    CorrectionOperations,
    BeforeInfusionOperations,
    EntryOperations,
    DischargeOperations,
    ReadingOperations,
    ForkOperations,
):
    """Operations on patients, courses and sessions, for one signed-in workstation."""


__all__ = ["ChartService", "SessionChange", "SessionContext", "SessionRef"]
