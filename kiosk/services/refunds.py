"""Refunds back to the card.

Refunding a paid order (`order_refund`) writes a pending refund row, with its
key, for each approved terminal payment, in the same transaction as the
order's change. The rows are then sent to the terminal each payment went to,
outside any transaction: an answer lost leaves the row pending, and the
payments worker sends it again under the same key, so a card is refunded
once. A terminal that refuses, or that cannot refund at all, leaves the row
failed: staff give the money back by other means (cash at the counter).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from kiosk.models import CardRefund, Order, RefundStatusChoice
from kiosk.payments.base import (
    CardRefunds,
    RefundNotice,
    RefundResult,
    RefundStatus,
    TerminalRejected,
    TerminalUnavailable,
)
from kiosk.services.orders import order_refund
from kiosk.services.terminals import terminal_for_payment

logger = logging.getLogger(__name__)

NO_CARD_REFUNDS = (
    "This terminal cannot refund to the card: give the money back at the counter."
)
NO_ANSWER = "The terminal did not answer; the refund is sent again."
# A pending refund is sent again once this long has passed since the last try.
RETRY_AFTER = timedelta(seconds=30)
RETRY_BATCH = 50


def order_refund_to_card(
    *, order: Order, actor: str, user: User | None = None, reason: str = ""
) -> list[CardRefund]:
    """Refund the order (`order_refund`), then send its card refunds at once.

    Returns the order's card refunds as they stand after sending.
    """
    order = order_refund(order=order, actor=actor, user=user, reason=reason)
    return card_refunds_send(order=order)


def card_refunds_send(*, order: Order) -> list[CardRefund]:
    refunds = CardRefund.objects.filter(payment__order=order)
    for refund in refunds.filter(status=RefundStatusChoice.PENDING):
        card_refund_send(refund=refund)
    return list(refunds.select_related("payment").order_by("created_at", "id"))


def card_refunds_retry() -> int:
    """Send again the pending refunds not tried lately; how many were sent."""
    due = timezone.now() - RETRY_AFTER
    pending = CardRefund.objects.filter(status=RefundStatusChoice.PENDING).exclude(
        last_tried_at__gt=due
    )
    sent = 0
    for refund in pending.order_by("created_at", "id")[:RETRY_BATCH]:
        card_refund_send(refund=refund)
        sent += 1
    return sent


def card_refund_send(*, refund: CardRefund) -> CardRefund:
    """Send one pending refund to its payment's terminal, under its own key."""
    refund = _claim(refund)
    if refund.status != RefundStatusChoice.PENDING:
        return refund
    payment = refund.payment
    terminal = terminal_for_payment(payment)
    if not isinstance(terminal, CardRefunds):
        return _record(
            refund, RefundResult(RefundStatus.FAILED, message=NO_CARD_REFUNDS)
        )
    try:
        result = terminal.refund(
            refund_key=refund.refund_key,
            attempt_key=payment.attempt_key,
            payment_reference=payment.reference,
            amount=refund.amount,
            currency=refund.currency,
        )
    except TerminalUnavailable:
        logger.warning("card refund unanswered", extra={"refund": refund.refund_key})
        result = RefundResult(RefundStatus.PENDING, message=NO_ANSWER)
    except TerminalRejected as err:
        logger.error("card refund refused", extra={"refund": refund.refund_key})
        result = RefundResult(RefundStatus.FAILED, message=str(err))
    return _record(refund, result)


@transaction.atomic
def card_refund_notified(*, notice: RefundNotice, vendor: str) -> CardRefund | None:
    """The acquirer's final word on a refund it had taken (a signed webhook).

    The refund is found by the acquirer's reference, or, when its answer is
    not recorded yet, as the pending refund of the payment with that reference
    and amount. Only a pending refund changes; a notice about none is None.
    """
    refunds = CardRefund.objects.select_for_update().filter(
        payment__terminal_vendor=vendor
    )
    refund = (
        refunds.filter(reference=notice.reference).first() if notice.reference else None
    )
    if refund is None and notice.payment_reference:
        refund = (
            refunds.filter(
                status=RefundStatusChoice.PENDING,
                payment__reference=notice.payment_reference,
                amount=notice.amount,
            )
            .order_by("created_at", "id")
            .first()
        )
    if refund is None:
        return None
    if refund.status == RefundStatusChoice.PENDING:
        logger.info(
            "card refund notified",
            extra={"refund": refund.refund_key, "status": str(notice.status)},
        )
    return _record(
        refund,
        RefundResult(
            notice.status,
            reference=notice.reference,
            message=notice.message or str(notice.status),
        ),
    )


@transaction.atomic
def _claim(refund: CardRefund) -> CardRefund:
    """Count the try before the terminal is called."""
    refund = (
        # Only the refund's row: PostgreSQL locks no row of an outer join's
        # nullable side (the payment's terminal may be gone).
        CardRefund.objects.select_for_update(of=("self",))
        .select_related("payment__kiosk_terminal__kiosk")
        .get(pk=refund.pk)
    )
    if refund.status == RefundStatusChoice.PENDING:
        refund.tries += 1
        refund.last_tried_at = timezone.now()
        refund.save(update_fields=["tries", "last_tried_at"])
    return refund


@transaction.atomic
def _record(refund: CardRefund, result: RefundResult) -> CardRefund:
    refund = CardRefund.objects.select_for_update().get(pk=refund.pk)
    if refund.status != RefundStatusChoice.PENDING:
        return refund
    refund.status = RefundStatusChoice(str(result.status))
    refund.reference = result.reference[:80] or refund.reference
    refund.message = result.message[:200]
    if refund.status != RefundStatusChoice.PENDING:
        refund.finished_at = timezone.now()
    refund.save()
    return refund
