from __future__ import annotations

import pytest

from kiosk.models import SimulatedTerminalTransaction
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
