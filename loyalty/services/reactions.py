"""What loyalty does when an order changes state, inside the same transaction.

The order services call these at each transition; each queues, in the
outbox, the calls the programme must receive: the posting of a paid order,
the release of what a cancelled one held, the take-back of a refund, the
transaction kept open for the counter.
"""

from __future__ import annotations

import logging

from kiosk.models import Order
from loyalty.models import (
    OrderLoyalty,
    OutboxMessage,
    OutboxOperation,
    OutboxStatus,
)
from loyalty.programmes import posting_provider, store_programme
from loyalty.providers.base import Capability, LoyaltyProvider, LoyaltyRejected
from loyalty.services.outbox import outbox_enqueue, outbox_posting_of
from loyalty.services.postings import posting_from
from loyalty.services.redemptions import redemptions_release
from loyalty.services.retention import order_phone_forget
from loyalty.services.sessions import session_enqueue

logger = logging.getLogger(__name__)


def loyalty_order_paid(*, order: Order) -> OutboxMessage | None:
    """The order is paid: queue its posting.

    An order without an identified member is posted only to a programme that
    records guests' sales (GUEST_POSTINGS); the others need a member to give
    points to.
    """
    loyalty = OrderLoyalty.objects.filter(order=order).first()
    programme = loyalty.programme if loyalty else store_programme(order.store)
    if order.kiosk is None or not programme:
        return None
    provider = _provider(order, programme)
    if provider is None:
        return None
    if loyalty is None and Capability.GUEST_POSTINGS not in provider.capabilities:
        return None
    posting = posting_from(order, loyalty, programme=programme)
    return outbox_enqueue(
        order=order,
        programme=programme,
        operation=OutboxOperation.ORDER_POST,
        payload=provider.posting_payload(posting=posting),
    )


def loyalty_order_cancelled(*, order: Order) -> None:
    """A cancelled order gives back what it held: reward locks, held points;
    the customer's phone number is forgotten."""
    redemptions_release(order=order)
    session_enqueue(order=order, operation=OutboxOperation.SESSION_VOID)
    order_phone_forget(order=order)


def loyalty_order_refunded(*, order: Order) -> OutboxMessage | None:
    """The paid order was refunded: queue taking back what its posting gave.

    An order that was never posted (a guest, or a posting the programme
    refused) has nothing to take back. The worker sends the refund only once
    the posting has been delivered.
    """
    posting = outbox_posting_of(order)
    if posting is None or posting.status == OutboxStatus.FAILED:
        return None
    loyalty = OrderLoyalty.objects.filter(order=order).first()
    provider = _provider(order, posting.programme)
    if provider is None:
        return None
    frozen = posting_from(order, loyalty, programme=posting.programme)
    return outbox_enqueue(
        order=order,
        programme=posting.programme,
        operation=OutboxOperation.ORDER_REFUND,
        payload=provider.refund_payload(posting=frozen),
    )


def loyalty_order_awaiting_counter(*, order: Order) -> None:
    """Paying at the counter: the programme's transaction stays open, its rewards held."""
    session_enqueue(order=order, operation=OutboxOperation.SESSION_HOLD)


def _provider(order: Order, programme: str) -> LoyaltyProvider | None:
    """The programme's provider, or None (logged) once the store left it:
    an order's payment or refund never fails because of loyalty."""
    try:
        return posting_provider(order.store, programme)
    except LoyaltyRejected:
        logger.error(
            "order not sent to its loyalty programme: the store is not connected",
            extra={"order": order.uuid.hex, "programme": programme},
        )
        return None
