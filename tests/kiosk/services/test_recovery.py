"""The payments worker's part: attempts no payment screen polls any more."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hardware.models import PrintJob
from kiosk.models import (
    OrderState,
    Payment,
    PaymentStatus,
    SimulatedTerminalTransaction,
)
from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
from kiosk.services.orders import order_cancel, order_confirm_payment
from kiosk.services.payments import payment_refresh, payments_recover


def customer(payment: Payment, outcome: SimulatedOutcome) -> None:
    SimulatedTerminal().customer_action(
        attempt_key=payment.attempt_key, outcome=outcome
    )


def age(payment: Payment, seconds: int = 61) -> None:
    """The attempt was made `seconds` ago (its screen has been gone since)."""
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


def make_unknown(order, settings) -> Payment:
    payment = order.payments.get()
    customer(payment, SimulatedOutcome.UNRESPONSIVE)
    settings.PAYMENT_TERMINAL_TIMEOUT_SECONDS = 0
    payment = payment_refresh(order=order)
    assert payment is not None
    assert payment.status == PaymentStatus.UNKNOWN
    settings.PAYMENT_TERMINAL_TIMEOUT_SECONDS = 120
    return payment


def terminal_answers_again(payment: Payment, status: str) -> None:
    SimulatedTerminalTransaction.objects.filter(attempt_key=payment.attempt_key).update(
        is_unresponsive=False, status=status
    )


def test_an_approved_attempt_nobody_polls_pays_its_order(menu, card_order):
    payment = card_order.payments.get()
    customer(payment, SimulatedOutcome.APPROVE)
    age(payment)

    assert payments_recover() == 1

    card_order.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED
    assert payment.masked_pan == "**** 0119"
    assert card_order.state == OrderState.PAID
    assert PrintJob.objects.filter(order=card_order).count() == 1


def test_recovering_twice_pays_the_order_once(menu, card_order):
    payment = card_order.payments.get()
    customer(payment, SimulatedOutcome.APPROVE)
    age(payment)

    payments_recover()
    assert payments_recover() == 0

    assert card_order.history.filter(to_state=OrderState.PAID).count() == 1
    assert PrintJob.objects.filter(order=card_order).count() == 1


def test_an_attempt_younger_than_a_minute_is_left_to_its_screen(menu, card_order):
    payment = card_order.payments.get()
    customer(payment, SimulatedOutcome.APPROVE)
    age(payment, seconds=30)

    assert payments_recover() == 0

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_an_overdue_attempt_nobody_polls_is_given_up(menu, card_order, settings):
    payment = card_order.payments.get()
    settings.PAYMENT_TERMINAL_TIMEOUT_SECONDS = 60
    age(payment, seconds=90)
    Payment.objects.filter(pk=payment.pk).update(
        started_at=timezone.now() - timedelta(seconds=90)
    )

    payments_recover()

    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.status == PaymentStatus.TIMED_OUT
    assert card_order.state == OrderState.AWAITING_PAYMENT


def test_an_attempt_never_sent_to_the_terminal_fails(menu, card_order):
    payment = card_order.payments.get()
    SimulatedTerminalTransaction.objects.all().delete()
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CREATED)
    age(payment)

    payments_recover()

    payment.refresh_from_db()
    assert (payment.status, payment.message) == (
        PaymentStatus.FAILED,
        "unknown attempt",
    )


def test_an_unknown_attempt_approved_after_all_pays_the_order(
    menu, card_order, settings
):
    payment = make_unknown(card_order, settings)
    terminal_answers_again(payment, "approved")

    assert payments_recover() == 1

    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED
    assert payment.reference.startswith("SIM-")
    assert card_order.state == OrderState.PAID


def test_an_unknown_attempt_declined_after_all_keeps_the_order_open(
    menu, card_order, settings
):
    payment = make_unknown(card_order, settings)
    terminal_answers_again(payment, "declined")

    payments_recover()

    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.status == PaymentStatus.DECLINED
    assert card_order.state == OrderState.AWAITING_PAYMENT


def test_an_unknown_attempt_still_unanswered_stays_unknown(menu, card_order, settings):
    payment = make_unknown(card_order, settings)

    payments_recover()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.UNKNOWN


def test_an_approval_for_an_order_paid_at_the_counter_is_flagged(
    menu, card_order, settings, caplog
):
    payment = make_unknown(card_order, settings)
    order_confirm_payment(order=card_order, channel="counter")
    terminal_answers_again(payment, "approved")

    payments_recover()

    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED
    assert card_order.history.filter(to_state=OrderState.PAID).count() == 1
    assert card_order.history.get(to_state=OrderState.PAID).note == "counter"
    assert "approved payment for an order that cannot be paid" in caplog.messages


def test_an_approval_for_a_cancelled_order_is_flagged(
    menu, card_order, settings, caplog
):
    payment = make_unknown(card_order, settings)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED)
    order_cancel(order=card_order, actor="staff")
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.UNKNOWN)
    terminal_answers_again(payment, "approved")

    payments_recover()

    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED
    assert card_order.state == OrderState.CANCELLED
    assert "approved payment for an order that cannot be paid" in caplog.messages


@pytest.mark.parametrize("status", ["approved", "declined"])
def test_a_settled_unknown_attempt_is_not_asked_again(
    menu, card_order, settings, status
):
    payment = make_unknown(card_order, settings)
    terminal_answers_again(payment, status)
    payments_recover()

    assert payments_recover() == 0


def test_an_unknown_attempt_older_than_a_week_is_left_to_staff(
    menu, card_order, settings
):
    payment = make_unknown(card_order, settings)
    terminal_answers_again(payment, "approved")
    age(payment, seconds=8 * 24 * 3600)

    assert payments_recover() == 0

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.UNKNOWN
