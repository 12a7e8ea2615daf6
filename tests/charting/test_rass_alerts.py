"""Issue 10 item 12: RASS raises alerts like MOAA/S when it is the protocol's sedation scale.

Defaults (protocol ``alerts.pause``): ``rass_min = -2`` fires at RASS ≤ −3 (no eye contact to
voice, CLINICAL.md §2.2, §3.3) and ``rass_max = 2`` at RASS ≥ +3 (very agitated). The same rule
raises the alert and colours the flowsheet cell.
"""

from __future__ import annotations

import dataclasses

import pytest
from charting_fixtures import Charted

from bedside.context import SessionContext
from bedside.events import AlertRaised
from bedside.protocol import AlertLevel, Protocol, default_protocol
from bedside.rules.alerts import evaluate_sedation
from bedside.scales import ScaleName
from charting.flowsheet import build_flowsheet


def with_sedation_scale(protocol: Protocol, scale: str) -> Protocol:
    """The protocol with another sedation scale."""
    monitoring = protocol.monitoring.model_copy(update={"sedation_scale": scale})
    return protocol.model_copy(update={"monitoring": monitoring})


RASS_PROTOCOL = with_sedation_scale(default_protocol(), "rass")


@pytest.mark.parametrize(
    ("total", "code"),
    [
        (-5, "pause.rass.low"),
        (-3, "pause.rass.low"),
        (3, "pause.rass.high"),
        (4, "pause.rass.high"),
    ],
)
def test_rass_past_the_pause_limits_pauses(total: int, code: str) -> None:
    result = evaluate_sedation(
        ScaleName.RASS, total, infusing_or_after=True, protocol=RASS_PROTOCOL
    )
    assert result.level is AlertLevel.PAUSE
    assert [b.code for b in result.breaches] == [code]


@pytest.mark.parametrize("total", [-2, -1, 0, 1, 2])
def test_rass_inside_the_limits_fires_nothing(total: int) -> None:
    result = evaluate_sedation(
        ScaleName.RASS, total, infusing_or_after=True, protocol=RASS_PROTOCOL
    )
    assert result.breaches == ()


def test_the_message_reads_rass_with_its_sign() -> None:
    deep = evaluate_sedation(ScaleName.RASS, -3, infusing_or_after=True, protocol=RASS_PROTOCOL)
    assert deep.message() == "Pause infusion: RASS -3 at or below -3"
    agitated = evaluate_sedation(ScaleName.RASS, 3, infusing_or_after=True, protocol=RASS_PROTOCOL)
    assert agitated.message() == "Pause infusion: RASS +3 at or above +3"


def test_rass_is_not_judged_before_the_start_or_when_the_clinic_scores_moaas() -> None:
    before = evaluate_sedation(ScaleName.RASS, -4, infusing_or_after=False, protocol=RASS_PROTOCOL)
    assert before.breaches == ()
    moaas_clinic = default_protocol()
    assert moaas_clinic.monitoring.sedation_scale == "moaas"
    other = evaluate_sedation(ScaleName.RASS, -4, infusing_or_after=True, protocol=moaas_clinic)
    assert other.breaches == ()


def test_moaas_is_still_judged_in_a_rass_clinic() -> None:
    result = evaluate_sedation(ScaleName.MOAAS, 2, infusing_or_after=True, protocol=RASS_PROTOCOL)
    assert result.level is AlertLevel.PAUSE


def rass_context(infusing: Charted) -> SessionContext:
    """The infusing session as read, under a protocol whose sedation scale is RASS."""
    ctx = infusing.service.context(infusing.sid)
    return dataclasses.replace(ctx, protocol=with_sedation_scale(ctx.protocol, "rass"))


def test_a_rass_score_past_the_limit_raises_an_alert_and_colours_its_cell(
    infusing: Charted,
) -> None:
    ctx = rass_context(infusing)
    change = infusing.service.score_scale(infusing.staff.nurse, ctx, ScaleName.RASS, {"score": -3})
    scored, raised = change.events
    alert = raised.payload
    assert isinstance(alert, AlertRaised)
    assert alert.level is AlertLevel.PAUSE
    assert alert.source_event_id == scored.id
    assert alert.rule_codes == ("pause.rass.low",)
    assert alert.message == "Pause infusion: RASS -3 at or below -3"
    rows = build_flowsheet(change.context.state, ctx.protocol)
    cell = next(r for r in reversed(rows) if r.cell("sedation").text).cell("sedation")
    assert cell.text == "RASS -3"
    assert cell.level is AlertLevel.PAUSE
    assert cell.mark == "▼"  # not colour alone
    assert cell.reasons == ("RASS -3 at or below -3",)


def test_a_calm_rass_score_raises_nothing_and_is_not_coloured(infusing: Charted) -> None:
    ctx = rass_context(infusing)
    change = infusing.service.score_scale(infusing.staff.nurse, ctx, ScaleName.RASS, {"score": 0})
    assert [e.kind for e in change.events] == ["scale_scored"]
    rows = build_flowsheet(change.context.state, ctx.protocol)
    cell = next(r for r in reversed(rows) if r.cell("sedation").text).cell("sedation")
    assert cell.level is None
    assert cell.mark == ""
