from __future__ import annotations

import pytest

from hardware.models import PrintJob
from kiosk.models import (
    ActorKind,
    Order,
    OrderLine,
    OrderNumberSequence,
    OrderState,
    OrderStateChange,
    Payment,
    PaymentChannel,
    PaymentStatus,
    SimulatedTerminalTransaction,
)
from kiosk.services.cart import cart_line_add, order_discount_add
from kiosk.services.checkout import order_checkout, order_switch_to_counter
from kiosk.services.errors import CartError, OrderStateError
from kiosk.services.orders import order_cancel, order_start
from kiosk.services.selections import LineSelection
from tests.kiosk.services.test_orders import fail_card_payment, history


def test_checkout_by_card_submits_the_order_and_creates_one_payment(menu, fries_order):
    result = order_checkout(order=fries_order, method="card")

    order = result.order
    payment = Payment.objects.get()
    assert result.is_submitted
    assert result.payment == payment
    assert (order.state, order.payment_method, order.number) == (
        OrderState.AWAITING_PAYMENT,
        "card",
        1,
    )
    assert order.submitted_at is not None
    assert (payment.channel, payment.status, payment.amount, payment.currency) == (
        PaymentChannel.TERMINAL,
        PaymentStatus.PENDING,
        350,
        "EUR",
    )
    assert payment.started_at is not None
    assert list(
        SimulatedTerminalTransaction.objects.values_list(
            "attempt_key", "amount", "reference", "status"
        )
    ) == [(payment.attempt_key, 350, "1", "pending")]
    assert history(order) == [
        (OrderState.DRAFT, OrderState.AWAITING_PAYMENT, ActorKind.CUSTOMER, "card")
    ]


def test_a_second_tap_on_pay_by_card_creates_no_second_payment(menu, fries_order):
    first = order_checkout(order=fries_order, method="card")

    second = order_checkout(order=first.order, method="card")

    assert second.payment == first.payment
    assert second.is_submitted
    assert Payment.objects.count() == 1
    assert SimulatedTerminalTransaction.objects.count() == 1
    assert len(history(fries_order)) == 1


def test_a_double_tap_that_loaded_the_draft_twice_gets_the_same_payment(
    menu, fries_order
):
    first_tap = Order.objects.get(pk=fries_order.pk)
    second_tap = Order.objects.get(pk=fries_order.pk)

    first = order_checkout(order=first_tap, method="card")
    second = order_checkout(order=second_tap, method="card")

    assert second.payment == first.payment
    assert Payment.objects.count() == 1
    assert len(history(fries_order)) == 1


def test_checkout_at_the_counter_creates_no_payment(menu, fries_order):
    result = order_checkout(order=fries_order, method="counter")

    assert (result.order.state, result.order.payment_method, result.payment) == (
        OrderState.AWAITING_PAYMENT,
        "counter",
        None,
    )
    assert Payment.objects.count() == 0
    assert history(result.order) == [
        (OrderState.DRAFT, OrderState.AWAITING_PAYMENT, ActorKind.CUSTOMER, "counter")
    ]


def test_checkout_with_an_unknown_method_is_refused(menu, fries_order):
    with pytest.raises(CartError, match="Choose how you would like to pay."):
        order_checkout(order=fries_order, method="cash")

    fries_order.refresh_from_db()
    assert (fries_order.state, fries_order.number) == (OrderState.DRAFT, None)
    assert Payment.objects.count() == 0


def test_checkout_of_an_empty_cart_is_refused(menu, draft_order):
    with pytest.raises(CartError, match="Your order is empty."):
        order_checkout(order=draft_order, method="card")

    draft_order.refresh_from_db()
    assert (draft_order.state, draft_order.number) == (OrderState.DRAFT, None)
    assert Payment.objects.count() == 0
    assert OrderNumberSequence.objects.count() == 0
    assert OrderStateChange.objects.count() == 0


def test_checkout_without_a_service_mode_is_refused(menu):
    order = order_start(kiosk=menu.kiosk, language="en")
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))

    with pytest.raises(CartError, match="Choose whether you eat in or take away."):
        order_checkout(order=order, method="card")

    order.refresh_from_db()
    assert (order.state, order.number) == (OrderState.DRAFT, None)
    assert Payment.objects.count() == 0
    assert OrderNumberSequence.objects.count() == 0


def test_checkout_removes_unavailable_lines_and_does_not_submit(menu, fries_order):
    cart_line_add(order=fries_order, selection=LineSelection(product_id=menu.cola.pk))
    menu.fries.is_available = False
    menu.fries.save()

    result = order_checkout(order=fries_order, method="card")

    assert result.removed == ["Fries"]
    assert not result.is_submitted
    assert (result.order.state, result.order.number, result.order.total) == (
        OrderState.DRAFT,
        None,
        300,
    )
    assert list(OrderLine.objects.values_list("name", flat=True)) == ["Cola"]
    assert Payment.objects.count() == 0
    assert OrderStateChange.objects.count() == 0


def test_checkout_of_a_cancelled_order_is_refused(menu, fries_order):
    order_cancel(order=fries_order, actor=ActorKind.CUSTOMER)

    with pytest.raises(OrderStateError):
        order_checkout(order=fries_order, method="card")

    assert Payment.objects.count() == 0
    assert len(history(fries_order)) == 1


def test_switching_to_the_counter_after_a_declined_card_payment(menu, card_order):
    fail_card_payment(card_order)

    order = order_switch_to_counter(order=card_order)

    assert (order.state, order.payment_method, order.number) == (
        OrderState.AWAITING_PAYMENT,
        "counter",
        1,
    )
    assert Payment.objects.count() == 1
    assert [row[:3] for row in history(order)] == [
        (OrderState.DRAFT, OrderState.AWAITING_PAYMENT, ActorKind.CUSTOMER),
        (OrderState.AWAITING_PAYMENT, OrderState.DRAFT, ActorKind.CUSTOMER),
        (OrderState.DRAFT, OrderState.AWAITING_PAYMENT, ActorKind.CUSTOMER),
    ]


@pytest.fixture
def free_order(menu, fries_order):
    """Fries (3.50) and a 5 € voucher: nothing to pay."""
    order_discount_add(
        order=fries_order, name="5 € off", kind="amount", value=500, source="pongo"
    )
    fries_order.refresh_from_db()
    assert fries_order.total == 0
    return fries_order


@pytest.mark.parametrize("method", ["card", "counter", "nothing"])
def test_an_order_with_nothing_to_pay_is_paid_without_terminal_or_counter(
    free_order, method
):
    result = order_checkout(order=free_order, method=method)

    order = result.order
    payment = Payment.objects.get()
    assert (order.state, order.payment_method, order.number) == ("paid", "nothing", 1)
    assert (result.payment, result.removed) == (None, [])
    assert (payment.channel, payment.status, payment.amount) == (
        PaymentChannel.NOTHING_TO_PAY,
        PaymentStatus.APPROVED,
        0,
    )
    assert not SimulatedTerminalTransaction.objects.exists()
    assert PrintJob.objects.filter(order=order).count() == 1
    assert history(order) == [
        (OrderState.DRAFT, OrderState.AWAITING_PAYMENT, ActorKind.CUSTOMER, "nothing"),
        (OrderState.AWAITING_PAYMENT, OrderState.PAID, ActorKind.CUSTOMER, "nothing"),
    ]


def test_a_second_tap_on_an_order_with_nothing_to_pay_changes_nothing(free_order):
    first = order_checkout(order=free_order, method="nothing")

    with pytest.raises(OrderStateError):
        order_checkout(order=first.order, method="nothing")

    assert Payment.objects.count() == 1
    assert OrderStateChange.objects.count() == 2


def test_nothing_to_pay_is_no_way_to_pay_an_order_with_a_total(fries_order):
    with pytest.raises(CartError):
        order_checkout(order=fries_order, method="nothing")

    fries_order.refresh_from_db()
    assert (fries_order.state, fries_order.payment_method) == ("draft", "")
    assert not Payment.objects.exists()
