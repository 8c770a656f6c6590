"""Checkout: the cart becomes an order to pay, by card on the terminal or at the
counter; an order with nothing to pay is confirmed at once.

It builds on the order's life (`orders`) and on the terminal (`payments`):
the order is submitted and its first terminal attempt written in one
transaction, and the terminal is called once that transaction has committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kiosk.models import Order, OrderState, Payment, PaymentMethod
from kiosk.services.cart import cart_remove_unavailable
from kiosk.services.errors import CartError
from kiosk.services.orders import (
    order_confirm_nothing_to_pay,
    order_reopen,
    order_submit,
)
from kiosk.services.payments import (
    latest_terminal_payment,
    payment_attempt_create,
    payment_start,
)
from loyalty.services.reactions import loyalty_order_awaiting_counter


@dataclass
class CheckoutResult:
    """What a tap on "pay" led to."""

    order: Order
    payment: Payment | None = None
    removed: list[str] = field(default_factory=list)

    @property
    def is_submitted(self) -> bool:
        return self.order.state == OrderState.AWAITING_PAYMENT


def order_checkout(
    *, order: Order, method: str, now: datetime | None = None
) -> CheckoutResult:
    """Submit the cart for payment by card or at the counter.

    Unavailable lines are removed first and reported, and the order is not
    submitted: the customer sees the change before paying. A repeated tap
    returns the payment already under way and creates nothing. A total of
    zero (rewards cover the order) goes to no terminal and no counter,
    whichever way was asked: the order is paid as it is sent.
    """
    if method not in PaymentMethod.values:
        raise CartError(_("Choose how you would like to pay."))
    with transaction.atomic():
        order = (
            Order.objects.select_for_update().select_related("store").get(pk=order.pk)
        )
        # Under the lock: a second tap that loaded the order while it was still
        # a draft finds it submitted and gets the payment under way.
        if order.state == OrderState.DRAFT:
            removed = cart_remove_unavailable(order=order, now=now)
            if removed:
                order.refresh_from_db()
                return CheckoutResult(order=order, removed=removed)
        if order.state == OrderState.AWAITING_PAYMENT:
            return CheckoutResult(order=order, payment=latest_terminal_payment(order))
        if order.total == 0:
            order = order_submit(
                order=order, method=PaymentMethod.NOTHING_TO_PAY, now=now
            )
            return CheckoutResult(order=order_confirm_nothing_to_pay(order=order))
        if method == PaymentMethod.NOTHING_TO_PAY:
            raise CartError(_("Choose how you would like to pay."))
        order = order_submit(order=order, method=method, now=now)
        payment = None
        if method == PaymentMethod.CARD:
            payment = payment_attempt_create(order=order)
        else:
            loyalty_order_awaiting_counter(order=order)
    if payment is not None:
        payment = payment_start(payment=payment)
    return CheckoutResult(order=order, payment=payment)


def order_switch_to_counter(*, order: Order) -> Order:
    """After a card payment that did not go through, pay at the counter instead."""
    with transaction.atomic():
        order = order_reopen(order=order)
        result = order_checkout(order=order, method=PaymentMethod.COUNTER)
    return result.order
