from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kiosk.models import SimulatedTerminalRefund, SimulatedTerminalTransaction
from kiosk.payments.base import (
    CardRefunds,
    RefundStatus,
    TerminalCheck,
    TerminalCheckable,
    TerminalConfig,
    TerminalRejected,
    TerminalStatus,
    TransactionsReport,
)
from kiosk.payments.simulator import SimulatedTerminal


@pytest.mark.django_db
def test_a_customer_outcome_the_simulator_does_not_know_is_refused():
    terminal = SimulatedTerminal()
    terminal.payment_start(
        attempt_key="a" * 32, amount=350, currency="EUR", reference="1"
    )

    with pytest.raises(ValueError, match="steal"):
        terminal.customer_action(attempt_key="a" * 32, outcome="steal")

    assert SimulatedTerminalTransaction.objects.get().status == "pending"


@pytest.mark.django_db
def test_the_outcomes_carry_the_labels_of_the_keys():
    labels = dict(SimulatedTerminal().customer_outcomes())

    assert labels["approve"] == "Card approved"
    assert labels["unresponsive"] == "Terminal stops answering"


def test_the_simulator_has_every_capability_of_a_terminal():
    terminal = SimulatedTerminal()

    assert isinstance(terminal, CardRefunds)
    assert isinstance(terminal, TerminalCheckable)
    assert isinstance(terminal, TransactionsReport)


def test_the_simulators_test_names_its_terminal():
    terminal = SimulatedTerminal(
        config=TerminalConfig(vendor="simulator", terminal_id="SIM-4")
    )

    assert terminal.check() == TerminalCheck(
        ok=True, detail="Simulated terminal SIM-4 answers."
    )


@pytest.mark.django_db
def test_the_report_lists_the_attempts_of_its_own_device_in_the_window():
    mine = SimulatedTerminal(config=TerminalConfig(vendor="simulator", terminal_id="A"))
    other = SimulatedTerminal(
        config=TerminalConfig(vendor="simulator", terminal_id="B")
    )
    mine.payment_start(attempt_key="a" * 32, amount=350, currency="EUR", reference="1")
    other.payment_start(attempt_key="b" * 32, amount=900, currency="EUR", reference="2")
    mine.customer_action(attempt_key="a" * 32, outcome="approve")
    now = timezone.now()

    report = mine.transactions(
        start=now - timedelta(hours=1), end=now + timedelta(hours=1), attempt_keys=[]
    )
    later = mine.transactions(
        start=now + timedelta(hours=1), end=now + timedelta(hours=2), attempt_keys=[]
    )

    row = SimulatedTerminalTransaction.objects.get(attempt_key="a" * 32)
    assert [(t.attempt_key, t.status, t.amount, t.reference) for t in report] == [
        ("a" * 32, TerminalStatus.APPROVED, 350, f"SIM-{row.pk:06d}")
    ]
    assert later == []


@pytest.mark.django_db
def test_a_refund_key_used_again_returns_the_same_refund():
    terminal = SimulatedTerminal()
    terminal.payment_start(
        attempt_key="c" * 32, amount=350, currency="EUR", reference="1"
    )
    terminal.customer_action(attempt_key="c" * 32, outcome="approve")
    reference = terminal.payment_status(attempt_key="c" * 32).reference

    first = terminal.refund(
        refund_key="r1",
        attempt_key="c" * 32,
        payment_reference=reference,
        amount=350,
        currency="EUR",
    )
    again = terminal.refund(
        refund_key="r1",
        attempt_key="c" * 32,
        payment_reference=reference,
        amount=350,
        currency="EUR",
    )

    assert first == again
    assert first.status == RefundStatus.SUCCEEDED
    assert SimulatedTerminalRefund.objects.count() == 1


@pytest.mark.django_db
def test_a_declined_attempt_cannot_be_refunded():
    terminal = SimulatedTerminal()
    terminal.payment_start(
        attempt_key="d" * 32, amount=350, currency="EUR", reference="1"
    )
    terminal.customer_action(attempt_key="d" * 32, outcome="decline")

    with pytest.raises(TerminalRejected, match="no approved transaction to refund"):
        terminal.refund(
            refund_key="r1",
            attempt_key="d" * 32,
            payment_reference="",
            amount=350,
            currency="EUR",
        )
