"""The loyalty outbox: calls that must reach the programme, written in the same
transaction as their cause and delivered by the loyalty worker
(`loyalty.services.worker`, run by `manage.py loyalty_worker`).

Every message carries the exact request body, frozen when it was written, and
one idempotency key: `<order uuid>:<operation>[:<subject>]`, where the subject
names what the call is about (an owned reward, the programme's transaction).
Writing the same key twice keeps the first message: a double tap, a retried
request or a second reaction to the same change never queues a second call.
A call that may rightly be made again for the same subject (releasing a
reward that was locked again) is written with `once=False`.
"""

from __future__ import annotations

import uuid

from django.utils import timezone

from kiosk.models import Order
from loyalty.models import OutboxMessage, OutboxOperation, OutboxStatus
from loyalty.providers.base import Payload


def outbox_key(*, order: Order, operation: str, subject: str = "") -> str:
    """The idempotency key of the message for `operation` on `subject` of an order."""
    key = f"{order.uuid.hex}:{operation}"
    return f"{key}:{subject}" if subject else key


def outbox_enqueue(
    *,
    order: Order,
    programme: str,
    operation: OutboxOperation,
    payload: Payload,
    subject: str = "",
    once: bool = True,
) -> OutboxMessage:
    """Queue a call for the worker (call it inside the transaction of its cause)."""
    key = outbox_key(order=order, operation=operation, subject=subject)
    if not once:
        key = f"{key}:{uuid.uuid4().hex[:8]}"
    message, _created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "order": order,
            "programme": programme,
            "operation": operation,
            "payload": payload,
            "next_attempt_at": timezone.now(),
        },
    )
    return message


def outbox_posting_of(order: Order) -> OutboxMessage | None:
    """The message that posts the paid order, if one was written."""
    return OutboxMessage.objects.filter(
        order=order, operation=OutboxOperation.ORDER_POST
    ).first()


def outbox_retry(*, message: OutboxMessage) -> None:
    """Staff: try a failed or waiting message again now."""
    OutboxMessage.objects.filter(pk=message.pk).exclude(
        status=OutboxStatus.DONE
    ).update(
        status=OutboxStatus.PENDING, next_attempt_at=timezone.now(), lease_until=None
    )
