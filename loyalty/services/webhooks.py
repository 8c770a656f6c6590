"""Webhooks from Pongo: verified on the raw bytes, deduplicated, then mirrored."""

from __future__ import annotations

import logging
from enum import StrEnum

from django.db import IntegrityError, transaction

from loyalty.models import MirroredMember, PongoConnection, Programme, WebhookEvent
from loyalty.providers.pongo.client import MalformedAnswer
from loyalty.providers.pongo.webhooks import customer_event_from, signature_is_valid

logger = logging.getLogger(__name__)


class WebhookOutcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    BAD_SIGNATURE = "bad_signature"
    MALFORMED = "malformed"
    UNKNOWN_STORE = "unknown_store"


def pongo_webhook_receive(
    *, store_id: int, raw_body: bytes, signature: str, now: int
) -> WebhookOutcome:
    """Take a customer.created/updated delivery into the local member mirror."""
    connection = PongoConnection.objects.filter(store_id=store_id).first()
    if connection is None or not connection.webhook_secret:
        return WebhookOutcome.UNKNOWN_STORE
    if not signature_is_valid(
        raw_body=raw_body, header=signature, secret=connection.webhook_secret, now=now
    ):
        logger.warning("pongo webhook with a bad signature", extra={"store": store_id})
        return WebhookOutcome.BAD_SIGNATURE
    try:
        event = customer_event_from(raw_body)
    except MalformedAnswer:
        logger.warning("pongo webhook malformed", extra={"store": store_id})
        return WebhookOutcome.MALFORMED
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                event_id=event.event_id, programme=Programme.PONGO
            )
            MirroredMember.objects.update_or_create(
                connection=connection,
                reference=event.reference,
                defaults={
                    "first_name": event.first_name,
                    "phone": event.phone,
                    "points": event.points,
                },
            )
    except IntegrityError:
        return WebhookOutcome.DUPLICATE
    return WebhookOutcome.ACCEPTED
