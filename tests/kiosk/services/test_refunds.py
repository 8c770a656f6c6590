from __future__ import annotations

import pytest

from kiosk.models import (
    ActorKind,
    CardRefund,
    OrderState,
    Payment,
    PaymentStatus,
    RefundStatusChoice,
    SimulatedTerminalRefund,
    SimulatedTerminalTransaction,
)
from kiosk.payments.base import (
    RefundResult,
    RefundStatus,
    TerminalRejected,
    TerminalUnavailable,
)
from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
from kiosk.services.orders import order_confirm_payment, order_refund
from kiosk.services.payments import payment_refresh
from kiosk.services.refunds import (
    NO_CARD_REFUNDS,
    card_refunds_retry,
    order_refund_to_card,
)


@pytest.fixture
def card_paid(card_order):
    """Fries (3.50) paid by card on the simulated terminal."""
    payment = card_order.payments.get()
    SimulatedTerminal().customer_action(
        attempt_key=payment.attempt_key, outcome=SimulatedOutcome.APPROVE
    )
    payment_refresh(order=card_order)
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PAID
    return card_order


def unresponsive(on: bool) -> None:
    SimulatedTerminalTransaction.objects.update(is_unresponsive=on)


def test_refunding_a_card_order_gives_the_money_back_to_the_card(menu, card_paid):
    refunds = order_refund_to_card(order=card_paid, actor=ActorKind.STAFF)

    card_paid.refresh_from_db()
    payment = card_paid.payments.get()
    given = SimulatedTerminalRefund.objects.get()
    assert card_paid.state == OrderState.REFUNDED
    assert [(r.payment_id, r.amount, r.status) for r in refunds] == [
        (payment.pk, 350, RefundStatusChoice.SUCCEEDED)
    ]
    assert (given.refund_key, given.amount) == (refunds[0].refund_key, 350)
    assert refunds[0].reference == f"SIM-R{given.pk:06d}"
    assert refunds[0].tries == 1


def test_the_refund_row_is_written_with_the_order_refund(menu, card_paid):
    order_refund(order=card_paid, actor=ActorKind.POS)

    refund = CardRefund.objects.get()
    assert (refund.status, refund.amount, refund.currency, refund.tries) == (
        RefundStatusChoice.PENDING,
        350,
        "EUR",
        0,
    )
    assert len(refund.refund_key) == 32
    assert SimulatedTerminalRefund.objects.count() == 0


def test_refunding_twice_refunds_the_card_once(menu, card_paid):
    order_refund_to_card(order=card_paid, actor=ActorKind.STAFF)
    order_refund_to_card(order=card_paid, actor=ActorKind.STAFF)

    assert CardRefund.objects.count() == 1
    assert SimulatedTerminalRefund.objects.count() == 1


def test_an_order_paid_at_the_counter_gets_no_card_refund(menu, counter_order):
    order_confirm_payment(order=counter_order, channel="counter")

    assert order_refund_to_card(order=counter_order, actor=ActorKind.STAFF) == []
    assert CardRefund.objects.count() == 0


def test_a_lost_answer_leaves_the_refund_pending(menu, card_paid):
    unresponsive(True)

    [refund] = order_refund_to_card(order=card_paid, actor=ActorKind.STAFF)

    assert (refund.status, refund.tries, refund.finished_at) == (
        RefundStatusChoice.PENDING,
        1,
        None,
    )
    assert refund.message == "The terminal did not answer; the refund is sent again."
    assert SimulatedTerminalRefund.objects.count() == 0


def test_the_retry_sends_a_pending_refund_again_under_the_same_key(menu, card_paid):
    unresponsive(True)
    [refund] = order_refund_to_card(order=card_paid, actor=ActorKind.STAFF)
    CardRefund.objects.update(last_tried_at=None)
    unresponsive(False)

    assert card_refunds_retry() == 1

    refund.refresh_from_db()
    assert (refund.status, refund.tries) == (RefundStatusChoice.SUCCEEDED, 2)
    assert SimulatedTerminalRefund.objects.get().refund_key == refund.refund_key


def test_a_refund_tried_lately_waits_for_the_next_round(menu, card_paid):
    unresponsive(True)
    order_refund_to_card(order=card_paid, actor=ActorKind.STAFF)
    unresponsive(False)

    assert card_refunds_retry() == 0
    assert CardRefund.objects.get().status == RefundStatusChoice.PENDING


def test_a_refused_refund_fails_for_staff_to_refund_by_other_means(
    menu, card_paid, monkeypatch
):
    def refuse(self, **kwargs):
        raise TerminalRejected("card account closed")

    monkeypatch.setattr(SimulatedTerminal, "refund", refuse)

    [refund] = order_refund_to_card(order=card_paid, actor=ActorKind.STAFF)

    assert (refund.status, refund.message) == (
        RefundStatusChoice.FAILED,
        "card account closed",
    )
    assert refund.get_status_display() == "Refused: refund by other means"
    assert refund.finished_at is not None
    assert card_refunds_retry() == 0


class CardOnlyTerminal:
    """A terminal that takes cards but cannot refund them."""

    def __init__(self, *, config=None) -> None:
        self.config = config


def test_a_terminal_without_card_refunds_fails_the_refund(menu, card_paid, monkeypatch):
    monkeypatch.setattr(
        "kiosk.services.refunds.terminal_for_payment",
        lambda payment: CardOnlyTerminal(),
    )

    [refund] = order_refund_to_card(order=card_paid, actor=ActorKind.STAFF)

    assert (refund.status, refund.message) == (
        RefundStatusChoice.FAILED,
        NO_CARD_REFUNDS,
    )


def test_a_pending_acquirer_answer_keeps_the_refund_pending(
    menu, card_paid, monkeypatch
):
    monkeypatch.setattr(
        SimulatedTerminal,
        "refund",
        lambda self, **kwargs: RefundResult(RefundStatus.PENDING, reference="ACQ-1"),
    )

    [refund] = order_refund_to_card(order=card_paid, actor=ActorKind.STAFF)

    assert (refund.status, refund.reference) == (RefundStatusChoice.PENDING, "ACQ-1")


def test_a_declined_attempt_is_not_refunded(menu, card_order):
    payment = card_order.payments.get()
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.DECLINED)
    order_confirm_payment(order=card_order, channel="counter")

    assert order_refund_to_card(order=card_order, actor=ActorKind.STAFF) == []


def test_the_simulator_refuses_more_than_the_transaction_took(menu, card_paid):
    payment = card_paid.payments.get()
    terminal = SimulatedTerminal()

    with pytest.raises(TerminalRejected):
        terminal.refund(
            refund_key="k1",
            attempt_key=payment.attempt_key,
            payment_reference=payment.reference,
            amount=351,
            currency="EUR",
        )
    assert SimulatedTerminalRefund.objects.count() == 0


def test_the_simulator_does_not_answer_when_unresponsive(menu, card_paid):
    payment = card_paid.payments.get()
    unresponsive(True)

    with pytest.raises(TerminalUnavailable):
        SimulatedTerminal().refund(
            refund_key="k1",
            attempt_key=payment.attempt_key,
            payment_reference=payment.reference,
            amount=350,
            currency="EUR",
        )
