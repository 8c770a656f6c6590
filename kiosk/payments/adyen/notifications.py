"""Adyen's standard webhooks (notifications): verified by HMAC, read into notices.

A delivery is `{"live", "notificationItems": [{"NotificationRequestItem":
{...}}]}`; each item carries its own `additionalData.hmacSignature`, checked
with the official `Adyen` package against each HMAC key the kiosk knows (hex,
one per webhook set up in Adyen's Customer Area). Every item must verify, or
the delivery is refused. The kiosk uses the refund events only: a refund
taken through Checkout answers `received`, and this is its outcome.
"""

from __future__ import annotations

import binascii
import json
from collections.abc import Mapping, Sequence
from typing import Any

from Adyen.util import (  # type: ignore[import-untyped]  # no annotations
    is_valid_hmac_notification,
)

from kiosk.payments.base import (
    NoticeRefused,
    RefundNotice,
    RefundStatus,
    TerminalNotice,
)

MAX_BODY_BYTES = 256 * 1024
MAX_ITEMS = 100
# eventCode → what it says of the refund, whatever its `success`
# (REFUND says it by `success`).
REFUND_FAILED = {"REFUND_FAILED", "REFUNDED_REVERSED"}


def _verified(item: dict[str, Any], secrets: list[str]) -> bool:
    for secret in secrets:
        try:
            if is_valid_hmac_notification(item, secret):
                return True
        except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
            continue
    return False


def _items(body: bytes) -> list[dict[str, Any]]:
    try:
        delivery: Any = json.loads(body)
    except (ValueError, RecursionError) as err:
        raise NoticeRefused("the delivery is not JSON") from err
    wrappers = delivery.get("notificationItems") if isinstance(delivery, dict) else None
    if not isinstance(wrappers, list) or not 0 < len(wrappers) <= MAX_ITEMS:
        raise NoticeRefused("the delivery has no notification items")
    items = []
    for wrapper in wrappers:
        item = (
            wrapper.get("NotificationRequestItem")
            if isinstance(wrapper, dict)
            else None
        )
        if not isinstance(item, dict):
            raise NoticeRefused("a notification item is not an object")
        items.append(item)
    return items


def _refund_notice(item: dict[str, Any]) -> RefundNotice | None:
    event = item.get("eventCode")
    if event != "REFUND" and event not in REFUND_FAILED:
        return None
    amount = item.get("amount")
    value = amount.get("value") if isinstance(amount, dict) else None
    reference = item.get("pspReference")
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not isinstance(reference, str)
    ):
        raise NoticeRefused("a refund notification has no amount or reference")
    succeeded = event == "REFUND" and item.get("success") == "true"
    return RefundNotice(
        reference=reference,
        payment_reference=str(item.get("originalReference", "")),
        amount=value,
        status=RefundStatus.SUCCEEDED if succeeded else RefundStatus.FAILED,
        message=str(item.get("reason", ""))[:200],
    )


def notices_read(
    *, body: bytes, headers: Mapping[str, str], secrets: list[str]
) -> Sequence[TerminalNotice | RefundNotice]:
    if len(body) > MAX_BODY_BYTES:
        raise NoticeRefused("the delivery is too large")
    items = _items(body)
    keys = [s for s in secrets if s]
    if not all(_verified(item, keys) for item in items):
        raise NoticeRefused("a notification's HMAC signature does not verify")
    return [notice for item in items if (notice := _refund_notice(item)) is not None]
