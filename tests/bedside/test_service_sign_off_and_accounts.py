"""Signing the record at the chart service: the charting nurse signs before the clinician, sign-off
re-checks the discharge criteria against the latest scores and rescored corrections, and an
account deactivated since it was read cannot act through a stale copy.

Each test reproduces a scenario that once got through the core review.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pytest

from bedside.clock import FixedClock
from bedside.errors import OperationRefused, PermissionDenied
from bedside.events import Phase
from bedside.ids import SessionId
from bedside.people import Patient
from bedside.scales import ScaleName
from bedside.service import ChartService
from tests.bedside.clinic_support import (
    jo_roe_with_course,
    patient_with_course,
    reference_session_until,
)
from tests.conftest import T0
from ui.demo import ALDRETE_FULL, DEMO_PASSWORD, DemoStaff, chart_reference_session


@pytest.fixture
def patient(service: ChartService, staff: DemoStaff) -> Patient:
    return jo_roe_with_course(service, staff)


def session(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient, until: Phase
) -> SessionId:
    return reference_session_until(service, clock, staff, patient, until)


def test_ready_session_with_worse_findings_cannot_be_signed(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.READY_FOR_DISCHARGE)
    clock.advance(minutes=1)
    service.score_scale(staff.nurse, sid, ScaleName.MOAAS, {"response": 3})
    with pytest.raises(OperationRefused) as refused:
        service.sign_off(staff.clinician, sid, DEMO_PASSWORD)
    assert "discharge.sedation_resolved" in refused.value.report.codes()
    assert not service.state(sid).locked


def test_discharge_assessment_correction_is_rescored(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    sid = session(service, clock, staff, patient, Phase.READY_FOR_DISCHARGE)
    assessment = service.state(sid).discharge_assessments[-1]
    clock.advance(minutes=2)
    fixed = service.correct(
        staff.nurse,
        sid,
        assessment.id,
        "activity mis-scored",
        answers={**ALDRETE_FULL, "activity": 1},
    ).event
    assert fixed.payload.total == 9  # type: ignore[union-attr]
    assert clock.now() - T0 > timedelta(minutes=100)


def test_the_charting_nurse_signs_the_record_before_sign_off(
    service: ChartService, clock: FixedClock, staff: DemoStaff, patient: Patient
) -> None:
    from bedside.errors import AuthenticationFailed
    from bedside.events import ChartAttested
    from bedside.signatures import Meaning

    sid = session(service, clock, staff, patient, Phase.INFUSING)
    with pytest.raises(OperationRefused, match="sign the charting"):
        service.attest_chart(staff.nurse, sid, DEMO_PASSWORD)  # not while the pump runs
    ready = chart_reference_session(
        service,
        clock,
        staff,
        patient_with_course(service, staff, "MRN-10"),
        chair=2,
        start=T0,
        until=Phase.READY_FOR_DISCHARGE,
    )
    with pytest.raises(AuthenticationFailed):
        service.attest_chart(staff.nurse, ready, "wrong password")
    event = service.attest_chart(staff.nurse, ready, DEMO_PASSWORD).event
    signature = cast(ChartAttested, event.payload).signature
    assert signature.meaning is Meaning.CHARTED_BY
    assert signature.signer_id == staff.nurse.id
    with pytest.raises(OperationRefused, match="already signed"):
        service.attest_chart(staff.nurse, ready, DEMO_PASSWORD)
    assert [e.id for e in service.state(ready).attestations] == [event.id]


def test_stale_deactivated_admin_object_cannot_manage_users(
    service: ChartService, staff: DemoStaff
) -> None:
    other_admin = service.accounts.create_user(
        staff.admin,
        username="admin2",
        full_name="Second Admin",
        role=staff.admin.role,
        password=DEMO_PASSWORD,
    )
    service.accounts.set_active(staff.admin, other_admin.id, False)
    with pytest.raises(PermissionDenied, match="deactivated"):
        service.accounts.set_active(other_admin, other_admin.id, True)
    with pytest.raises(PermissionDenied, match="deactivated"):
        service.new_protocol_version(other_admin, {"alerts.pause.systolic_max": 240})
