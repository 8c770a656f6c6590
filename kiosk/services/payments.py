"""Card payments on the kiosk's terminal.

The kiosk starts an attempt, then polls it until the terminal gives a final
answer. An approved attempt marks the order paid. A terminal that stops
answering is asked to cancel after PAYMENT_TERMINAL_TIMEOUT_SECONDS; if even
that goes unanswered the attempt is left "unknown" and the order stays open
for the counter, because the customer may have been charged.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiosk.models import (
    ActorKind,
    Order,
    Payment,
    PaymentChannel,
    PaymentStatus,
)
from kiosk.payments.base import (
    CardDetails,
    TerminalRejected,
    TerminalResult,
    TerminalStatus,
    TerminalUnavailable,
    mask_pan,
)
from kiosk.services.errors import OrderStateError
from kiosk.services.orders import order_mark_paid
from kiosk.services.terminals import (
    customer_playable_for_kiosk,
    kiosk_terminal,
    terminal_for_payment,
)

logger = logging.getLogger(__name__)

# An open attempt this old has lost its payment screen: the worker polls it.
RECOVER_AFTER = timedelta(minutes=1)
# Unknown attempts are asked about this long; after that, reconciliation and
# the vendor's dashboard settle them.
UNKNOWN_ASKED_FOR = timedelta(days=7)

_FINAL = {
    TerminalStatus.APPROVED: PaymentStatus.APPROVED,
    TerminalStatus.DECLINED: PaymentStatus.DECLINED,
    TerminalStatus.CANCELLED: PaymentStatus.CANCELLED,
    TerminalStatus.TIMED_OUT: PaymentStatus.TIMED_OUT,
    TerminalStatus.FAILED: PaymentStatus.FAILED,
}


def payment_attempt_create(*, order: Order) -> Payment:
    """A new terminal attempt with its own key, written before the terminal is called.

    It names the kiosk's terminal as it is now: the attempt's status, cancel
    and refunds go to that terminal whatever happens to the kiosk's later.
    """
    terminal = kiosk_terminal(order.kiosk)
    return Payment.objects.create(
        order=order,
        attempt_key=Payment.new_attempt_key(),
        channel=PaymentChannel.TERMINAL,
        amount=order.total,
        currency=order.currency,
        kiosk_terminal=terminal,
        terminal_vendor=terminal.vendor if terminal else settings.PAYMENT_TERMINAL,
        terminal_id=terminal.terminal_id if terminal else "",
    )


def payment_start(*, payment: Payment) -> Payment:
    """Send a created attempt to the terminal (outside any transaction)."""
    terminal = terminal_for_payment(payment)
    try:
        terminal.payment_start(
            attempt_key=payment.attempt_key,
            amount=payment.amount,
            currency=payment.currency,
            reference=str(payment.order.number or payment.order.uuid.hex[:8]),
        )
    except TerminalRejected as err:
        logger.warning(
            "terminal refused a payment", extra={"attempt": payment.attempt_key}
        )
        return _finish(payment, TerminalResult(TerminalStatus.FAILED, message=str(err)))
    except TerminalUnavailable:
        # It may have started all the same: polling will tell.
        logger.warning(
            "terminal unreachable at start", extra={"attempt": payment.attempt_key}
        )
    Payment.objects.filter(pk=payment.pk, status=PaymentStatus.CREATED).update(
        status=PaymentStatus.PENDING, started_at=timezone.now()
    )
    payment.refresh_from_db()
    return payment


@transaction.atomic
def _finish(payment: Payment, result: TerminalResult) -> Payment:
    payment = (
        Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
    )
    if payment.is_final:
        return payment
    _apply(payment, result)
    if payment.status == PaymentStatus.APPROVED:
        _pay_order(payment)
    return payment


def _apply(payment: Payment, result: TerminalResult) -> None:
    """The terminal's final answer, and what the receipt shows of the card."""
    payment.status = _FINAL.get(result.status, PaymentStatus.UNKNOWN)
    payment.reference = result.reference[:80]
    card = result.card or CardDetails()
    payment.card_brand = (card.brand or result.card_brand)[:20]
    payment.auth_code = (card.auth_code or result.auth_code)[:20]
    payment.masked_pan = mask_pan(card.masked_pan)
    payment.application_label = card.application_label[:40]
    payment.aid = card.aid[:32]
    payment.entry_mode = card.entry_mode[:20]
    payment.transaction_reference = card.transaction_reference[:80]
    if card.terminal_id:
        payment.terminal_id = card.terminal_id[:80]
    payment.message = result.message[:200]
    payment.finished_at = timezone.now()
    payment.save()


def _pay_order(payment: Payment) -> None:
    order = payment.order
    if order.is_paid and not _is_paid_by(order, payment):
        # Paid another way meanwhile (at the counter): the card was charged twice.
        _flag_unpayable(payment)
        return
    try:
        order_mark_paid(order=order, payment=payment, actor=ActorKind.TERMINAL)
    except OrderStateError:
        _flag_unpayable(payment)


def _is_paid_by(order: Order, payment: Payment) -> bool:
    return (
        not order.payments.filter(status=PaymentStatus.APPROVED)
        .exclude(pk=payment.pk)
        .exists()
    )


def _flag_unpayable(payment: Payment) -> None:
    """Money taken for an order that can no longer be paid: staff must refund.

    The reconciliation view lists every such payment.
    """
    logger.error(
        "approved payment for an order that cannot be paid",
        extra={"attempt": payment.attempt_key, "state": payment.order.state},
    )


@transaction.atomic
def _mark_unknown(payment: Payment) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not payment.is_final:
        payment.status = PaymentStatus.UNKNOWN
        payment.message = "The terminal stopped answering."
        payment.finished_at = timezone.now()
        payment.save()
        logger.error("terminal outcome unknown", extra={"attempt": payment.attempt_key})
    return payment


def _is_overdue(payment: Payment) -> bool:
    started = payment.started_at or payment.created_at
    deadline = started + timedelta(seconds=settings.PAYMENT_TERMINAL_TIMEOUT_SECONDS)
    return timezone.now() >= deadline


def latest_terminal_payment(order: Order) -> Payment | None:
    return (
        order.payments.filter(channel=PaymentChannel.TERMINAL)
        .order_by("created_at", "id")
        .last()
    )


def payment_refresh(*, order: Order) -> Payment | None:
    """Ask the terminal how the latest attempt is going, and act on a final answer."""
    payment = latest_terminal_payment(order)
    if payment is None or payment.is_final:
        return payment
    return payment_poll(payment=payment)


def payment_poll(*, payment: Payment) -> Payment:
    """One attempt's state from its terminal: a final answer is acted on once,
    and an attempt past its time is given up (cancelled, or left unknown)."""
    terminal = terminal_for_payment(payment)
    try:
        result = terminal.payment_status(attempt_key=payment.attempt_key)
    except TerminalRejected as err:
        return _finish(payment, TerminalResult(TerminalStatus.FAILED, message=str(err)))
    except TerminalUnavailable:
        result = TerminalResult(TerminalStatus.PENDING)
    if result.is_final:
        return _finish(payment, result)
    if _is_overdue(payment):
        return _give_up(payment)
    return payment


def payments_recover(*, batch: int = 50) -> int:
    """Attempts nobody is polling any more (the kiosk's page or process gone).

    Open attempts older than RECOVER_AFTER are polled as the payment screen
    would; unknown ones (of the last UNKNOWN_ASKED_FOR) are asked again and
    finished when the terminal answers, so a charged card never ends without its paid order. Returns how
    many attempts were looked at.
    """
    stale = Payment.objects.filter(
        channel=PaymentChannel.TERMINAL,
        status__in=[PaymentStatus.CREATED, PaymentStatus.PENDING],
        created_at__lt=timezone.now() - RECOVER_AFTER,
    ).order_by("created_at", "id")[:batch]
    unknown = Payment.objects.filter(
        channel=PaymentChannel.TERMINAL,
        status=PaymentStatus.UNKNOWN,
        created_at__gte=timezone.now() - UNKNOWN_ASKED_FOR,
    ).order_by("created_at", "id")[:batch]
    seen = 0
    for payment in stale:
        payment_poll(payment=payment)
        seen += 1
    for payment in unknown:
        payment_unknown_settle(payment=payment)
        seen += 1
    return seen


def payment_unknown_settle(*, payment: Payment) -> Payment:
    """Ask the terminal again about an attempt whose outcome nobody knew.

    An approval pays the order when it still can be; otherwise the payment is
    flagged for staff (reconciliation). No answer leaves it unknown.
    """
    terminal = terminal_for_payment(payment)
    try:
        result = terminal.payment_status(attempt_key=payment.attempt_key)
    except TerminalRejected as err:
        # The terminal does not know the attempt: nothing was charged.
        result = TerminalResult(TerminalStatus.FAILED, message=str(err))
    except TerminalUnavailable:
        return payment
    if not result.is_final:
        return payment
    return _settle(payment, result)


@transaction.atomic
def _settle(payment: Payment, result: TerminalResult) -> Payment:
    payment = (
        Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
    )
    if payment.status != PaymentStatus.UNKNOWN:
        return payment
    _apply(payment, result)
    logger.info(
        "unknown payment settled",
        extra={"attempt": payment.attempt_key, "status": payment.status},
    )
    if payment.status == PaymentStatus.APPROVED:
        _pay_order(payment)
    return payment


def _give_up(payment: Payment) -> Payment:
    terminal = terminal_for_payment(payment)
    try:
        result = terminal.payment_cancel(attempt_key=payment.attempt_key)
    except TerminalUnavailable:
        return _mark_unknown(payment)
    except TerminalRejected as err:
        result = TerminalResult(TerminalStatus.FAILED, message=str(err))
    if result.status == TerminalStatus.CANCELLED:
        result = TerminalResult(
            TerminalStatus.TIMED_OUT, message="The terminal did not answer."
        )
    return _finish(payment, result)


def payment_cancel_by_customer(*, order: Order) -> Payment | None:
    """The customer taps "cancel" on the kiosk while the terminal waits for a card."""
    payment = latest_terminal_payment(order)
    if payment is None or payment.is_final:
        return payment
    try:
        result = terminal_for_payment(payment).payment_cancel(
            attempt_key=payment.attempt_key
        )
    except TerminalUnavailable:
        return payment
    return _finish(payment, result)


def payment_retry(*, order: Order) -> Payment:
    """A new attempt after one that failed; a double tap returns the one under way."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if not order.is_paying_by_card:
            raise OrderStateError(_("This order is not waiting for a card payment."))
        latest = latest_terminal_payment(order)
        if latest is not None and latest.status in {
            PaymentStatus.CREATED,
            PaymentStatus.PENDING,
            PaymentStatus.APPROVED,
            PaymentStatus.UNKNOWN,
        }:
            return latest
        payment = payment_attempt_create(order=order)
    return payment_start(payment=payment)


def payment_customer_action(*, order: Order, outcome: str) -> bool:
    """Play the customer at the terminal, on a terminal that lets the kiosk do so.

    False when the terminal offers no such outcome. Without an attempt under
    way there is nobody at the terminal to play, and nothing happens.
    """
    terminal = customer_playable_for_kiosk(order.kiosk)
    if terminal is None or outcome not in dict(terminal.customer_outcomes()):
        return False
    latest = latest_terminal_payment(order)
    if latest is not None:
        terminal.customer_action(attempt_key=latest.attempt_key, outcome=outcome)
    return True
