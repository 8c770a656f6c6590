"""The life of an order: draft, awaiting payment, paid, completed, cancelled or refunded.

Every change locks the order row, checks the state it starts from, and writes
a line of history; a repeated request (a double tap, a retried callback) finds
the change already made and returns without doing it twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hardware.services.print_jobs import print_job_create
from kiosk.broadcast import order_status_broadcast
from kiosk.models import (
    ActorKind,
    CardRefund,
    Kiosk,
    Order,
    OrderNumberSequence,
    OrderState,
    OrderStateChange,
    Payment,
    PaymentChannel,
    PaymentMethod,
    PaymentStatus,
)
from kiosk.services.errors import CartError, OrderStateError, PaymentMismatch
from kiosk.signals import order_handed_over, order_paid, order_voided
from loyalty.services.reactions import (
    loyalty_order_cancelled,
    loyalty_order_paid,
    loyalty_order_refunded,
)

logger = logging.getLogger(__name__)

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    OrderState.DRAFT: {OrderState.AWAITING_PAYMENT, OrderState.CANCELLED},
    # Back to draft when the customer returns to the order after a failed card payment.
    OrderState.AWAITING_PAYMENT: {
        OrderState.PAID,
        OrderState.CANCELLED,
        OrderState.DRAFT,
    },
    OrderState.PAID: {OrderState.COMPLETED, OrderState.REFUNDED},
    OrderState.COMPLETED: {OrderState.REFUNDED},
    OrderState.CANCELLED: set(),
    OrderState.REFUNDED: set(),
}

_TIMESTAMPS: dict[str, str] = {
    OrderState.AWAITING_PAYMENT: "submitted_at",
    OrderState.PAID: "paid_at",
    OrderState.COMPLETED: "completed_at",
    OrderState.CANCELLED: "cancelled_at",
    OrderState.REFUNDED: "refunded_at",
}


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("store").get(pk=order.pk)


def _transition(
    order: Order,
    to_state: str,
    *,
    actor: str,
    user: User | None = None,
    note: str = "",
) -> None:
    """Move a locked order to `to_state` and record who did it."""
    from_state = order.state
    if to_state not in ALLOWED_TRANSITIONS[from_state]:
        raise OrderStateError(
            _("This order is %(state)s and cannot change that way.")
            % {"state": order.get_state_display().lower()}
        )
    order.state = to_state
    fields = ["state", "updated_at"]
    stamp = _TIMESTAMPS.get(to_state)
    if stamp:
        setattr(order, stamp, timezone.now())
        fields.append(stamp)
    order.save(update_fields=fields)
    OrderStateChange.objects.create(
        order=order,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        user=user if user is not None and user.is_authenticated else None,
        note=note[:200],
    )
    if to_state == OrderState.CANCELLED:
        loyalty_order_cancelled(order=order)
    if to_state == OrderState.REFUNDED:
        loyalty_order_refunded(order=order)
        order_voided.send(sender=Order, order=order)
    if to_state == OrderState.COMPLETED:
        order_handed_over.send(sender=Order, order=order)
    # Only a submitted order has a screen showing its state (payment or
    # confirmation); a draft's start and end concern no page.
    if order.kiosk_id is not None and OrderState.DRAFT not in (from_state, to_state):
        transaction.on_commit(partial(order_status_broadcast, order_id=order.pk))


def _card_payment_in_progress() -> OrderStateError:
    return OrderStateError(
        _("A card payment is in progress on the kiosk for this order.")
    )


def _has_open_terminal_payment(order: Order) -> bool:
    return order.payments.filter(
        channel=PaymentChannel.TERMINAL,
        status__in=[PaymentStatus.CREATED, PaymentStatus.PENDING],
    ).exists()


def _may_have_been_charged(order: Order) -> bool:
    """A terminal attempt that went through, or whose outcome nobody knows yet."""
    return order.payments.filter(
        channel=PaymentChannel.TERMINAL,
        status__in=[
            PaymentStatus.CREATED,
            PaymentStatus.PENDING,
            PaymentStatus.UNKNOWN,
            PaymentStatus.APPROVED,
        ],
    ).exists()


def _abandon_previous(kiosk: Kiosk) -> None:
    """Cancel what an earlier customer left on this kiosk without resetting it."""
    for order in Order.objects.filter(kiosk=kiosk, state=OrderState.DRAFT):
        _transition(
            order, OrderState.CANCELLED, actor=ActorKind.SYSTEM, note="abandoned"
        )
    leftovers = Order.objects.filter(
        kiosk=kiosk,
        state=OrderState.AWAITING_PAYMENT,
        payment_method=PaymentMethod.CARD,
    )
    for order in leftovers:
        if not _may_have_been_charged(order):
            _transition(
                order,
                OrderState.CANCELLED,
                actor=ActorKind.SYSTEM,
                note="abandoned after a failed card payment",
            )


@transaction.atomic
def order_start(*, kiosk: Kiosk, language: str) -> Order:
    """A new customer: a fresh draft order on this kiosk."""
    kiosk = Kiosk.objects.select_for_update().select_related("store").get(pk=kiosk.pk)
    _abandon_previous(kiosk)
    store = kiosk.store
    kiosk.last_seen_at = timezone.now()
    kiosk.save(update_fields=["last_seen_at"])
    modes = store.service_modes
    return Order.objects.create(
        store=store,
        kiosk=kiosk,
        language=language if language in store.languages else store.default_language,
        currency=store.currency,
        service_mode=modes[0] if len(modes) == 1 else "",
    )


@transaction.atomic
def order_set_language(*, order: Order, language: str) -> Order:
    order = _lock(order)
    if language in order.store.languages and order.language != language:
        order.language = language
        order.save(update_fields=["language", "updated_at"])
    return order


def _assign_number(order: Order, now: datetime) -> None:
    business_date = order.store.business_date(now)
    sequence, _created = OrderNumberSequence.objects.select_for_update().get_or_create(
        store=order.store, business_date=business_date
    )
    OrderNumberSequence.objects.filter(pk=sequence.pk).update(
        last_number=F("last_number") + 1
    )
    sequence.refresh_from_db(fields=["last_number"])
    order.number = sequence.last_number
    order.business_date = business_date
    order.save(update_fields=["number", "business_date", "updated_at"])


@transaction.atomic
def order_submit(*, order: Order, method: str, now: datetime | None = None) -> Order:
    """Send a draft to be paid by `method`: it gets its number and awaits payment."""
    order = _lock(order)
    if order.state != OrderState.DRAFT:
        raise OrderStateError(_("This order has already been sent."))
    if not order.lines.exists():
        raise CartError(_("Your order is empty."))
    if not order.service_mode:
        raise CartError(_("Choose whether you eat in or take away."))
    if order.number is None:
        _assign_number(order, now or timezone.now())
    order.payment_method = method
    order.save(update_fields=["payment_method", "updated_at"])
    _transition(
        order, OrderState.AWAITING_PAYMENT, actor=ActorKind.CUSTOMER, note=method
    )
    return order


@transaction.atomic
def order_mark_paid(
    *,
    order: Order,
    payment: Payment,
    actor: str,
    user: User | None = None,
) -> Order:
    """The single point where an order becomes paid.

    In the same transaction: the payment is approved, the receipt is queued for
    the kiosk's printer and the loyalty posting for the outbox worker. Paying
    an order already paid changes nothing.
    """
    order = _lock(order)
    if order.is_paid:
        return order
    _transition(order, OrderState.PAID, actor=actor, user=user, note=payment.channel)
    if payment.status != PaymentStatus.APPROVED:
        payment.status = PaymentStatus.APPROVED
        payment.finished_at = timezone.now()
        payment.save(update_fields=["status", "finished_at"])
    # The posting first: the receipt may wait for what it brings.
    loyalty_order_paid(order=order)
    # Before the receipt's job is read by the agent (after the commit): the
    # kitchen's estimated wait is printed on it.
    order_paid.send(sender=Order, order=order)
    print_job_create(order=order)
    logger.info(
        "order paid", extra={"order": order.uuid.hex, "channel": payment.channel}
    )
    return order


@transaction.atomic
def order_confirm_payment(
    *,
    order: Order,
    channel: str,
    user: User | None = None,
    amount: int | None = None,
    reference: str = "",
) -> Order:
    """Staff at the counter, or the store's POS, took the money for this order.

    `amount`, when given (the POS sends it), must equal the order's total.
    Confirming an order already paid returns it unchanged.
    """
    order = _lock(order)
    if order.is_paid:
        return order
    if order.state != OrderState.AWAITING_PAYMENT:
        raise OrderStateError(
            _("Order %(number)s is %(state)s: it cannot be paid.")
            % {"number": order.number, "state": order.get_state_display().lower()}
        )
    if _has_open_terminal_payment(order):
        raise _card_payment_in_progress()
    if amount is not None and amount != order.total:
        raise PaymentMismatch(
            _("The amount %(amount)d does not match the order total %(total)d.")
            % {"amount": amount, "total": order.total}
        )
    payment = Payment.objects.create(
        order=order,
        attempt_key=Payment.new_attempt_key(),
        channel=channel,
        status=PaymentStatus.APPROVED,
        amount=order.total,
        currency=order.currency,
        reference=reference[:80],
        user=user if user is not None and user.is_authenticated else None,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    actor = ActorKind.POS if channel == PaymentChannel.POS else ActorKind.STAFF
    return order_mark_paid(order=order, payment=payment, actor=actor, user=user)


@transaction.atomic
def order_confirm_nothing_to_pay(*, order: Order) -> Order:
    """An order whose total is zero (its rewards cover it) needs no terminal
    and no till: it is paid with a payment of nothing, on a channel of its own,
    through the one "paid" service (receipt, loyalty posting, counter list).
    Confirming it again returns it unchanged."""
    order = _lock(order)
    if order.is_paid:
        return order
    if order.state != OrderState.AWAITING_PAYMENT or order.total != 0:
        raise OrderStateError(_("This order has something to pay."))
    now = timezone.now()
    payment = Payment.objects.create(
        order=order,
        attempt_key=Payment.new_attempt_key(),
        channel=PaymentChannel.NOTHING_TO_PAY,
        status=PaymentStatus.APPROVED,
        amount=0,
        currency=order.currency,
        started_at=now,
        finished_at=now,
    )
    return order_mark_paid(order=order, payment=payment, actor=ActorKind.CUSTOMER)


@transaction.atomic
def order_cancel(
    *,
    order: Order,
    actor: str,
    user: User | None = None,
    reason: str = "",
) -> Order:
    """Cancel an order nobody paid for. Cancelling it again changes nothing."""
    order = _lock(order)
    if order.state == OrderState.CANCELLED:
        return order
    if order.is_paid:
        raise OrderStateError(_("This order is paid: it cannot be cancelled here."))
    if _has_open_terminal_payment(order):
        raise _card_payment_in_progress()
    order.cancel_reason = reason[:200]
    order.save(update_fields=["cancel_reason", "updated_at"])
    _transition(order, OrderState.CANCELLED, actor=actor, user=user, note=reason)
    return order


@transaction.atomic
def order_refund(
    *,
    order: Order,
    actor: str,
    user: User | None = None,
    reason: str = "",
) -> Order:
    """Record that a paid order was given back to the customer; the loyalty
    programme takes back the points it earned and gives back the rewards it
    used. Each approved card payment gets its refund row, keyed before any
    terminal is called (`kiosk.services.refunds` sends them); the rest is
    returned at the till. Refunding it again changes nothing."""
    order = _lock(order)
    if order.state == OrderState.REFUNDED:
        return order
    if not order.is_paid:
        raise OrderStateError(_("Only a paid order can be refunded."))
    _transition(order, OrderState.REFUNDED, actor=actor, user=user, note=reason)
    _card_refunds_create(order)
    return order


def _card_refunds_create(order: Order) -> None:
    """A pending refund for each approved terminal payment that has none yet."""
    payments = order.payments.filter(
        channel=PaymentChannel.TERMINAL,
        status=PaymentStatus.APPROVED,
        refunds__isnull=True,
    )
    for payment in payments:
        CardRefund.objects.create(
            payment=payment,
            refund_key=CardRefund.new_refund_key(),
            amount=payment.amount,
            currency=payment.currency,
        )


@transaction.atomic
def order_complete(*, order: Order, actor: str, user: User | None = None) -> Order:
    """The order was handed over. Completing it again changes nothing."""
    order = _lock(order)
    if order.state == OrderState.COMPLETED:
        return order
    _transition(order, OrderState.COMPLETED, actor=actor, user=user)
    return order


@transaction.atomic
def order_reopen(*, order: Order) -> Order:
    """Back to the cart after a card payment that did not go through."""
    order = _lock(order)
    if order.state == OrderState.DRAFT:
        return order
    if not order.is_paying_by_card:
        raise OrderStateError(_("This order has already been sent."))
    last = order.payments.filter(channel=PaymentChannel.TERMINAL).last()
    if last is not None and not last.is_final:
        raise _card_payment_in_progress()
    if last is not None and last.status in {
        PaymentStatus.APPROVED,
        PaymentStatus.UNKNOWN,
    }:
        raise OrderStateError(_("This order has already been sent."))
    order.payment_method = ""
    order.save(update_fields=["payment_method", "updated_at"])
    _transition(
        order, OrderState.DRAFT, actor=ActorKind.CUSTOMER, note="back to the cart"
    )
    return order


@transaction.atomic
def order_reset(*, order: Order, note: str) -> Order:
    """The customer left (idle timeout or "cancel order"): drop what nobody will pay.

    Orders waiting for the counter, or for a terminal that has not answered,
    stay as they are: someone may still pay for them.
    """
    order = _lock(order)
    if order.is_draft or (
        order.is_paying_by_card and not _may_have_been_charged(order)
    ):
        _transition(order, OrderState.CANCELLED, actor=ActorKind.CUSTOMER, note=note)
    return order
