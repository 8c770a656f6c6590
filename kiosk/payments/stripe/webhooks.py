"""Stripe's webhook deliveries: verified by signature, read into notices.

`Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`,
checked by the official library against each signing secret the kiosk knows
(one per Stripe account), with Stripe's 300 s tolerance. Reader events name
the reader whose attempt changed; PaymentIntent events carry the attempt key
in their metadata. Either only prompts the kiosk to read the PaymentIntent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import stripe

from kiosk.payments.base import NoticeRefused, TerminalNotice
from kiosk.payments.stripe.intents import intent_attempt_key

MAX_BODY_BYTES = 256 * 1024
TOLERANCE_S = 300
READER_EVENTS = {
    "terminal.reader.action_succeeded",
    "terminal.reader.action_failed",
    "terminal.reader.action_updated",
}
INTENT_PREFIX = "payment_intent."


def _verified(body: bytes, header: str, secrets: list[str]) -> bool:
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(body, header, secret, TOLERANCE_S)
        except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError):
            continue
        return True
    return False


def notices_read(
    *, body: bytes, headers: Mapping[str, str], secrets: list[str]
) -> list[TerminalNotice]:
    if len(body) > MAX_BODY_BYTES:
        raise NoticeRefused("the delivery is too large")
    header = headers.get("Stripe-Signature", "")
    if not header or not _verified(body, header, [s for s in secrets if s]):
        raise NoticeRefused("the signature does not verify")
    try:
        event: Any = json.loads(body)
    except (ValueError, RecursionError) as err:
        raise NoticeRefused("the delivery is not JSON") from err
    if not isinstance(event, dict):
        raise NoticeRefused("the delivery is not an event")
    kind = event.get("type")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(kind, str) or not isinstance(obj, dict):
        raise NoticeRefused("the event has no type or object")
    if kind in READER_EVENTS and obj.get("object") == "terminal.reader":
        reader = obj.get("id")
        return [TerminalNotice(terminal_id=reader)] if isinstance(reader, str) else []
    if kind.startswith(INTENT_PREFIX) and obj.get("object") == "payment_intent":
        attempt_key = intent_attempt_key(obj)
        return [TerminalNotice(attempt_key=attempt_key)] if attempt_key else []
    return []
