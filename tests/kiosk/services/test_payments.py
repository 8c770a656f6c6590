from __future__ import annotations

import pytest

from hardware.models import PrintJob
from kiosk.models import (
    ActorKind,
    OrderState,
    OrderStateChange,
    Payment,
    PaymentChannel,
    PaymentStatus,
    SimulatedTerminalTransaction,
)
from kiosk.payments.base import TerminalUnavailable
from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
from kiosk.services.errors import OrderStateError
from kiosk.services.orders import order_reopen, order_reset, order_submit
from kiosk.services.payments import (
    payment_attempt_create,
    payment_cancel_by_customer,
    payment_customer_action,
    payment_refresh,
    payment_retry,
    payment_start,
)


def customer(order, outcome: SimulatedOutcome) -> None:
    """The customer does `outcome` at the terminal for the latest attempt."""
    payment = order.payments.order_by("id").last()
    SimulatedTerminal().customer_action(
        attempt_key=payment.attempt_key, outcome=outcome
    )


def refresh(order) -> Payment:
    """Poll the terminal for the order's latest attempt (there is one)."""
    payment = payment_refresh(order=order)
    assert payment is not None
    return payment


def cancel(order) -> Payment:
    """The customer taps "cancel" on the kiosk (an attempt exists)."""
    payment = payment_cancel_by_customer(order=order)
    assert payment is not None
    return payment


def terminal_row(payment: Payment) -> SimulatedTerminalTransaction:
    return SimulatedTerminalTransaction.objects.get(attempt_key=payment.attempt_key)


def test_an_approved_card_pays_the_order_and_records_the_card(menu, card_order):
    customer(card_order, SimulatedOutcome.APPROVE)

    payment = refresh(card_order)

    card_order.refresh_from_db()
    row = terminal_row(payment)
    assert payment.status == PaymentStatus.APPROVED
    assert (payment.card_brand, payment.auth_code, payment.reference) == (
        "VISA",
        f"{int(payment.attempt_key[:8], 16) % 1_000_000:06d}",
        f"SIM-{row.pk:06d}",
    )
    assert payment.finished_at is not None
    assert card_order.state == OrderState.PAID
    assert PrintJob.objects.filter(order=card_order).count() == 1
    change = card_order.history.get(to_state=OrderState.PAID)
    assert (change.actor, change.note) == (ActorKind.TERMINAL, "terminal")


def test_polling_an_approved_payment_again_changes_nothing(menu, card_order):
    customer(card_order, SimulatedOutcome.APPROVE)
    first = refresh(card_order)

    again = refresh(card_order)

    assert again == first
    assert Payment.objects.count() == 1
    assert PrintJob.objects.count() == 1
    assert OrderStateChange.objects.filter(to_state=OrderState.PAID).count() == 1


@pytest.mark.parametrize(
    ("outcome", "status", "message"),
    [
        (SimulatedOutcome.DECLINE, PaymentStatus.DECLINED, "Card declined"),
        (SimulatedOutcome.TIMEOUT, PaymentStatus.TIMED_OUT, "No card presented"),
        (SimulatedOutcome.CANCEL, PaymentStatus.CANCELLED, "Cancelled on the terminal"),
    ],
)
def test_a_failed_card_payment_leaves_the_order_awaiting_payment(
    menu, card_order, outcome, status, message
):
    customer(card_order, outcome)

    payment = refresh(card_order)

    card_order.refresh_from_db()
    assert (payment.status, payment.message, payment.card_brand) == (
        status,
        message,
        "",
    )
    assert payment.finished_at is not None
    assert (card_order.state, card_order.payment_method) == (
        OrderState.AWAITING_PAYMENT,
        "card",
    )
    assert PrintJob.objects.count() == 0
    assert len(card_order.history.all()) == 1


def test_a_payment_still_waiting_for_the_card_stays_pending(menu, card_order):
    payment = refresh(card_order)

    assert (payment.status, payment.finished_at) == (PaymentStatus.PENDING, None)


def test_a_terminal_refusing_the_amount_fails_the_attempt(menu, fries_order):
    order = order_submit(order=fries_order, method="card")
    attempt = payment_attempt_create(order=order)
    # An amount the simulated terminal refuses (a zero total never gets here).
    Payment.objects.filter(pk=attempt.pk).update(amount=0)
    attempt.refresh_from_db()

    payment = payment_start(payment=attempt)

    assert (payment.status, payment.message) == (
        PaymentStatus.FAILED,
        "amount must be positive",
    )
    order.refresh_from_db()
    assert order.state == OrderState.AWAITING_PAYMENT
    assert SimulatedTerminalTransaction.objects.count() == 0


def test_retry_after_a_declined_card_starts_a_new_attempt(menu, card_order):
    customer(card_order, SimulatedOutcome.DECLINE)
    declined = refresh(card_order)

    retry = payment_retry(order=card_order)

    assert retry.pk != declined.pk
    assert retry.attempt_key != declined.attempt_key
    assert (retry.channel, retry.status, retry.amount) == (
        PaymentChannel.TERMINAL,
        PaymentStatus.PENDING,
        350,
    )
    assert list(Payment.objects.order_by("id").values_list("status", flat=True)) == [
        PaymentStatus.DECLINED,
        PaymentStatus.PENDING,
    ]
    assert terminal_row(retry).status == "pending"


def test_a_double_tap_on_retry_returns_the_attempt_under_way(menu, card_order):
    customer(card_order, SimulatedOutcome.DECLINE)
    refresh(card_order)
    first = payment_retry(order=card_order)

    second = payment_retry(order=card_order)

    assert second.pk == first.pk
    assert Payment.objects.count() == 2
    assert SimulatedTerminalTransaction.objects.count() == 2


def test_retry_while_the_first_attempt_is_pending_creates_nothing(menu, card_order):
    pending = card_order.payments.get()

    retry = payment_retry(order=card_order)

    assert retry.pk == pending.pk
    assert Payment.objects.count() == 1


def test_retry_after_an_approved_payment_creates_nothing(menu, card_order):
    customer(card_order, SimulatedOutcome.APPROVE)
    refresh(card_order)

    with pytest.raises(OrderStateError):
        payment_retry(order=card_order)

    assert Payment.objects.count() == 1


def test_retry_of_an_order_paid_at_the_counter_is_refused(menu, counter_order):
    with pytest.raises(OrderStateError, match="not waiting for a card payment"):
        payment_retry(order=counter_order)

    assert Payment.objects.count() == 0


def test_an_unresponsive_terminal_is_still_pending_before_the_timeout(menu, card_order):
    customer(card_order, SimulatedOutcome.UNRESPONSIVE)

    payment = refresh(card_order)

    card_order.refresh_from_db()
    assert (payment.status, payment.finished_at) == (PaymentStatus.PENDING, None)
    assert card_order.state == OrderState.AWAITING_PAYMENT


def test_an_unresponsive_terminal_past_the_timeout_leaves_the_payment_unknown(
    menu, card_order, settings
):
    customer(card_order, SimulatedOutcome.UNRESPONSIVE)
    settings.PAYMENT_TERMINAL_TIMEOUT_SECONDS = 0

    payment = refresh(card_order)

    card_order.refresh_from_db()
    assert (payment.status, payment.message) == (
        PaymentStatus.UNKNOWN,
        "The terminal stopped answering.",
    )
    assert payment.finished_at is not None
    assert card_order.state == OrderState.AWAITING_PAYMENT
    # The cancel never reached the terminal.
    assert terminal_row(payment).status == "pending"
    assert PrintJob.objects.count() == 0


def test_an_unknown_payment_keeps_the_order_for_the_counter(menu, card_order, settings):
    customer(card_order, SimulatedOutcome.UNRESPONSIVE)
    settings.PAYMENT_TERMINAL_TIMEOUT_SECONDS = 0
    refresh(card_order)

    order_reset(order=card_order, note="idle")

    card_order.refresh_from_db()
    assert card_order.state == OrderState.AWAITING_PAYMENT
    assert payment_retry(order=card_order).status == PaymentStatus.UNKNOWN
    assert Payment.objects.count() == 1


def test_a_terminal_still_waiting_past_the_timeout_is_cancelled_as_timed_out(
    menu, card_order, settings
):
    settings.PAYMENT_TERMINAL_TIMEOUT_SECONDS = 0

    payment = refresh(card_order)

    card_order.refresh_from_db()
    assert (payment.status, payment.message) == (
        PaymentStatus.TIMED_OUT,
        "The terminal did not answer.",
    )
    assert terminal_row(payment).status == "cancelled"
    assert card_order.state == OrderState.AWAITING_PAYMENT


def test_a_card_approved_just_before_the_kiosk_gives_up_pays_the_order(
    menu, card_order, settings, monkeypatch
):
    def status_lost(self, *, attempt_key):
        raise TerminalUnavailable("status call lost")

    customer(card_order, SimulatedOutcome.APPROVE)
    monkeypatch.setattr(SimulatedTerminal, "payment_status", status_lost)
    settings.PAYMENT_TERMINAL_TIMEOUT_SECONDS = 0

    payment = refresh(card_order)

    card_order.refresh_from_db()
    assert (payment.status, payment.card_brand) == (PaymentStatus.APPROVED, "VISA")
    assert terminal_row(payment).status == "approved"
    assert card_order.state == OrderState.PAID
    assert PrintJob.objects.count() == 1


def test_the_customer_cancels_a_pending_payment(menu, card_order):
    payment = cancel(card_order)

    card_order.refresh_from_db()
    assert (payment.status, payment.message) == (
        PaymentStatus.CANCELLED,
        "Cancelled on the terminal",
    )
    assert terminal_row(payment).status == "cancelled"
    assert card_order.state == OrderState.AWAITING_PAYMENT


def test_the_customer_may_go_back_to_the_cart_after_cancelling(menu, card_order):
    cancel(card_order)

    order = order_reopen(order=card_order)

    assert order.state == OrderState.DRAFT


def test_a_customer_cancel_arriving_after_the_approval_pays_the_order(menu, card_order):
    customer(card_order, SimulatedOutcome.APPROVE)

    payment = cancel(card_order)

    card_order.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED
    assert card_order.state == OrderState.PAID


def test_a_customer_cancel_on_an_unresponsive_terminal_leaves_it_pending(
    menu, card_order
):
    customer(card_order, SimulatedOutcome.UNRESPONSIVE)

    payment = cancel(card_order)

    assert (payment.status, payment.finished_at) == (PaymentStatus.PENDING, None)


def test_a_customer_cancel_after_a_final_answer_changes_nothing(menu, card_order):
    customer(card_order, SimulatedOutcome.DECLINE)
    declined = refresh(card_order)

    payment = cancel(card_order)

    assert (payment.pk, payment.status, payment.message) == (
        declined.pk,
        PaymentStatus.DECLINED,
        "Card declined",
    )


def test_a_customer_action_after_the_final_answer_is_ignored(menu, card_order):
    customer(card_order, SimulatedOutcome.DECLINE)
    payment = refresh(card_order)

    customer(card_order, SimulatedOutcome.APPROVE)

    assert terminal_row(payment).status == "declined"
    assert refresh(card_order).status == PaymentStatus.DECLINED


def test_a_key_of_the_payment_screen_plays_the_customer_at_the_terminal(
    menu, card_order
):
    assert payment_customer_action(order=card_order, outcome="decline")

    assert refresh(card_order).status == PaymentStatus.DECLINED


def test_an_outcome_the_terminal_does_not_offer_changes_nothing(menu, card_order):
    assert not payment_customer_action(order=card_order, outcome="steal")

    assert refresh(card_order).status == PaymentStatus.PENDING
