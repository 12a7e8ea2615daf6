"""Charting a rescue (PRN) medicine from the session window."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from bedside.people import Permission
from ui.dialogs.prn import PrnDialog

if TYPE_CHECKING:
    from ui.session.window import SessionView


def give_prn(view: SessionView) -> None:
    """A rescue medicine, ordered by a clinician; a refusal (a dose of 0, a nurse as the
    orderer) reopens the dialog as it was typed."""
    ctx, user = view.ctx, view.user
    if user is None:
        return
    clinicians = [u for u in view.service.store.users() if u.can(Permission.ORDER_COURSE)]
    entry = PrnDialog.ask(clinicians, view)
    while entry is not None:
        given = entry
        saved = view.run(
            partial(
                view.service.give_prn,
                user,
                ctx,
                drug=given.drug,
                dose=given.dose,
                unit=given.unit,
                route=given.route,
                indication=given.indication,
                ordered_by=given.ordered_by,
            )
        )
        if saved is not None:
            return
        entry = PrnDialog.ask(clinicians, view, previous=given)
