"""Rescue (PRN) medicines given during a session: who ordered them, and the checks against the
patient's allergies and the clinic's PRN list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bedside.context import SessionChange
from bedside.errors import InputRejected, StoreError
from bedside.events import PrnGiven
from bedside.people import Permission, User
from bedside.service.base import SessionRef
from bedside.service.infusion import InfusionOperations
from bedside.validation import parse


class MedicineOperations(InfusionOperations):
    """Rescue (PRN) medicines."""

    def give_prn(
        self,
        actor: User,
        session: SessionRef,
        clinical_time: datetime | None = None,
        **fields: Any,
    ) -> SessionChange:
        """A rescue (PRN) medicine given, with drug, dose, route, indication and who ordered it."""
        payload = parse(PrnGiven, fields)
        try:
            orderer = self.store.user(payload.ordered_by)
        except StoreError as exc:
            raise InputRejected("The PRN order must name a clinician of this clinic") from exc
        if not orderer.can(Permission.ORDER_COURSE):
            raise InputRejected(
                f"{orderer.display_name} cannot order medicines: a PRN needs an active "
                "clinician's order (standing order or verbal order)"
            )
        return self._chart(actor, session, payload, clinical_time=clinical_time)
