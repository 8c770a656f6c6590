"""Pongo webhook deliveries: verified on the raw bytes, deduplicated, then mirrored."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction

from loyalty.models.programmes import Programme
from loyalty.models.webhooks import WebhookEvent
from loyalty.providers.pongo.client import MalformedAnswer, integer, mapping, text
from loyalty.providers.pongo.models import MirroredMember, PongoConnection

logger = logging.getLogger(__name__)

TOLERANCE_SECONDS = 300


def signature_is_valid(*, raw_body: bytes, header: str, secret: str, now: int) -> bool:
    """Pongo-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of body then t>."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    timestamp = parts.get("t", "")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(
        secret.encode(), raw_body + timestamp.encode(), hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


@dataclass(frozen=True)
class CustomerEvent:
    event_id: str
    event: str
    reference: str
    first_name: str
    phone: str
    points: int


def customer_event_from(raw_body: bytes) -> CustomerEvent:
    try:
        body = mapping(json.loads(raw_body), "event")
    except (ValueError, RecursionError) as err:
        raise MalformedAnswer("webhook body is not JSON") from err
    event = text(body, "event", required=True)
    if event not in {"customer.created", "customer.updated"}:
        raise MalformedAnswer(f"unexpected webhook event {event!r}")
    customer = mapping(body.get("data"), "customer")
    return CustomerEvent(
        event_id=text(body, "id", required=True),
        event=event,
        reference=text(customer, "public_id", required=True),
        first_name=text(customer, "first_name"),
        phone=text(customer, "phone"),
        points=integer(customer, "points", default=0),
    )


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
