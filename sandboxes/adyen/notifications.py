"""The Adyen emulator's standard webhooks: a REFUND notification for each
refund it takes, signed with the sandbox's HMAC key.

The signature follows Adyen's description of HMAC signatures for standard
notifications: HMAC-SHA256, with the hex-decoded key, of the values of
pspReference, originalReference, merchantAccountCode, merchantReference,
amount value, amount currency, eventCode and success joined by ":", in
base64, in `additionalData.hmacSignature`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from sandboxes.adyen.state import Refund

# The sandbox's HMAC key (hex), as Adyen's Customer Area shows a webhook's.
HMAC_KEY = "6b696f736b2d73616e64626f782d686d61632d6b65792d666f722d61647965"

SIGNED_FIELDS = (
    "pspReference",
    "originalReference",
    "merchantAccountCode",
    "merchantReference",
    "value",
    "currency",
    "eventCode",
    "success",
)


def hmac_signature(item: dict[str, Any], key: str = HMAC_KEY) -> str:
    amount = item.get("amount") or {}
    values = {
        **item,
        "value": amount.get("value", ""),
        "currency": amount.get("currency", ""),
    }
    signing = ":".join(str(values.get(name, "")) for name in SIGNED_FIELDS)
    digest = hmac.new(binascii.a2b_hex(key), signing.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def refund_notification(
    refund: Refund, *, merchant_account: str, refusal: str, now: datetime | None = None
) -> bytes:
    item: dict[str, Any] = {
        "amount": {"currency": refund.currency, "value": refund.amount},
        "eventCode": "REFUND",
        "eventDate": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "merchantAccountCode": merchant_account,
        "merchantReference": refund.reference,
        "originalReference": refund.payment_psp_reference,
        "pspReference": refund.psp_reference,
        "reason": refusal,
        "success": "false" if refusal else "true",
    }
    item["additionalData"] = {"hmacSignature": hmac_signature(item)}
    return json.dumps(
        {"live": "false", "notificationItems": [{"NotificationRequestItem": item}]}
    ).encode()
