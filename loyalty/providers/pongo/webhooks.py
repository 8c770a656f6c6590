"""Pongo webhook deliveries: signature check on the raw bytes, then parsing."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from loyalty.providers.pongo.client import MalformedAnswer, integer, mapping, text

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
    except ValueError as err:
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
