"""A waste is at most what is open (found by a nurse's walk: 140 typed for 14 was witnessed,
signed, could not be corrected, and the session could never be reconciled or signed)."""

from __future__ import annotations

import pytest

from bedside.clock import FixedClock
from bedside.errors import InputRejected, OperationRefused
from bedside.events import Phase
from bedside.rules.controlled import reconcile
from bedside.service import ChartService
from tests.bedside.clinic_support import patient_with_course, reference_session_until
from ui.demo import DEMO_PASSWORD, DemoStaff


def test_a_waste_above_the_open_amount_is_refused_before_the_witness_signs(
    service: ChartService, clock: FixedClock, staff: DemoStaff
) -> None:
    patient = patient_with_course(service, staff, "MRN-W1")
    sid = reference_session_until(service, clock, staff, patient, Phase.INFUSING)
    ctx = service.context(sid)
    assert reconcile(ctx.state, ctx.protocol).open_mg == 14.0
    events = len(ctx.state.events)
    with pytest.raises(InputRejected) as refused:
        service.record_waste(
            staff.nurse, sid, wasted_mg=140.0, witness=staff.nurse2, witness_password=DEMO_PASSWORD
        )
    words = str(refused.value)
    assert "140 mg is more than the 14 mg still open" in words
    assert "allowed up to 14 mg" in words
    assert len(service.context(sid).state.events) == events  # nothing saved
    for bad in (0.0, -3.0, float("nan")):
        with pytest.raises(InputRejected, match="a number of mg, more than 0"):
            service.record_waste(
                staff.nurse,
                sid,
                wasted_mg=bad,
                witness=staff.nurse2,
                witness_password=DEMO_PASSWORD,
            )
    service.record_waste(
        staff.nurse, sid, wasted_mg=14.0, witness=staff.nurse2, witness_password=DEMO_PASSWORD
    )
    with pytest.raises(OperationRefused, match="Nothing drawn is open to waste"):
        service.record_waste(
            staff.nurse, sid, wasted_mg=1.0, witness=staff.nurse2, witness_password=DEMO_PASSWORD
        )
