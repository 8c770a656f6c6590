from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kiosk.models import (
    ActorKind,
    CardRefund,
    OrderState,
    Payment,
    RefundStatusChoice,
    SimulatedTerminalRefund,
)
from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_refund
from kiosk.services.selections import LineSelection


@pytest.fixture
def card_order(menu, draft_order):
    cart_line_add(order=draft_order, selection=LineSelection(product_id=menu.fries.pk))
    return order_checkout(order=draft_order, method="card").order


def test_once_pays_a_forgotten_approval_and_sends_a_pending_refund(menu, card_order):
    payment = card_order.payments.get()
    SimulatedTerminal().customer_action(
        attempt_key=payment.attempt_key, outcome=SimulatedOutcome.APPROVE
    )
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - timedelta(minutes=2)
    )
    out = io.StringIO()

    call_command("payments_worker", "--once", stdout=out)

    card_order.refresh_from_db()
    assert card_order.state == OrderState.PAID
    assert out.getvalue() == "payments looked at 1\nrefunds sent 0\n"

    order_refund(order=card_order, actor=ActorKind.STAFF)
    out = io.StringIO()

    call_command("payments_worker", "--once", stdout=out)

    assert out.getvalue() == "payments looked at 0\nrefunds sent 1\n"
    assert CardRefund.objects.get().status == RefundStatusChoice.SUCCEEDED
    assert SimulatedTerminalRefund.objects.count() == 1
