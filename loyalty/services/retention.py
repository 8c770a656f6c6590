"""Customers' phone numbers are kept only as long as a posting needs them.

They are cleared once the order is posted (the worker), cancelled (the
reactions) or its posting given up (the worker), and at the latest after
LOYALTY_PHONE_RETENTION_DAYS, here, with the outbox payloads that carry them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kiosk.models import Order
from loyalty.models import OrderLoyalty, OutboxMessage, OutboxStatus
from loyalty.programmes import programme_connector
from loyalty.providers import PROVIDERS

logger = logging.getLogger(__name__)


def order_phone_forget(*, order: Order) -> None:
    """The order's phone number is needed no more."""
    OrderLoyalty.objects.filter(order=order).exclude(member_phone="").update(
        member_phone=""
    )


def outbox_payload_redact(*, message: OutboxMessage) -> None:
    """Keep the message's call without the customer's personal data."""
    if message.programme not in PROVIDERS:
        return
    redacted = programme_connector(message.programme).redact(payload=message.payload)
    if redacted != message.payload:
        OutboxMessage.objects.filter(pk=message.pk).update(payload=redacted)


@transaction.atomic
def loyalty_personal_data_purge(*, now: datetime | None = None) -> int:
    """Clear what outlived the retention period; returns the orders cleared."""
    cutoff = (now or timezone.now()) - timedelta(
        days=settings.LOYALTY_PHONE_RETENTION_DAYS
    )
    cleared = OrderLoyalty.objects.filter(identified_at__lt=cutoff).exclude(
        member_phone=""
    )
    orders = list(cleared.values_list("order_id", flat=True))
    cleared.update(member_phone="")
    # Delivered and given-up calls were redacted when they finished.
    for message in OutboxMessage.objects.filter(
        created_at__lt=cutoff,
        status__in=[OutboxStatus.PENDING, OutboxStatus.IN_FLIGHT],
    ):
        outbox_payload_redact(message=message)
    if orders:
        logger.info(
            "phone numbers past retention cleared", extra={"orders": len(orders)}
        )
    return len(orders)
