"""Reading Adyen's standard webhooks: every item's HMAC first, then the refund events.

The sandbox signs its notifications with its own reading of Adyen's HMAC
description; the kiosk verifies them with the official `Adyen` package: the
two agreeing is the check that the signing string is right.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kiosk.payments.adyen.notifications import notices_read
from kiosk.payments.base import NoticeRefused, RefundNotice, RefundStatus
from sandboxes.adyen.notifications import HMAC_KEY, hmac_signature, refund_notification
from sandboxes.adyen.state import Refund

REFUND = Refund(
    psp_reference="SBXR000000000001",
    payment_psp_reference="SBX000000000007",
    amount=350,
    currency="EUR",
    reference="attempt-1",
)
OTHER_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"


def read(body: bytes, secrets: list[str] | None = None):
    return notices_read(body=body, headers={}, secrets=secrets or [HMAC_KEY])


def items(body: bytes) -> list[dict[str, Any]]:
    return [w["NotificationRequestItem"] for w in json.loads(body)["notificationItems"]]


def delivery(*signed_items: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "live": "false",
            "notificationItems": [
                {"NotificationRequestItem": item} for item in signed_items
            ],
        }
    ).encode()


def test_a_refund_that_went_through_is_read_from_the_sandboxs_signed_delivery():
    body = refund_notification(REFUND, merchant_account="KioskSandboxPOS", refusal="")

    assert read(body) == [
        RefundNotice(
            reference="SBXR000000000001",
            payment_reference="SBX000000000007",
            amount=350,
            status=RefundStatus.SUCCEEDED,
        )
    ]


def test_a_refused_refund_carries_the_acquirers_reason():
    body = refund_notification(
        REFUND, merchant_account="KioskSandboxPOS", refusal="Insufficient balance"
    )

    [notice] = read(body)

    assert isinstance(notice, RefundNotice)
    assert (notice.status, notice.message) == (
        RefundStatus.FAILED,
        "Insufficient balance",
    )


def test_any_of_the_known_keys_verifies_and_a_key_that_is_not_hex_is_skipped():
    body = refund_notification(REFUND, merchant_account="KioskSandboxPOS", refusal="")

    assert len(read(body, ["not hex", OTHER_KEY, HMAC_KEY])) == 1


def test_a_delivery_signed_with_another_key_is_refused():
    body = refund_notification(REFUND, merchant_account="KioskSandboxPOS", refusal="")

    with pytest.raises(NoticeRefused, match="HMAC"):
        read(body, [OTHER_KEY])


def test_an_item_changed_after_signing_is_refused():
    [item] = items(
        refund_notification(REFUND, merchant_account="KioskSandboxPOS", refusal="")
    )
    item["amount"]["value"] = 35000

    with pytest.raises(NoticeRefused):
        read(delivery(item))


def test_one_unsigned_item_refuses_the_whole_delivery():
    [good] = items(
        refund_notification(REFUND, merchant_account="KioskSandboxPOS", refusal="")
    )
    forged = {**good, "pspReference": "SBXR999", "additionalData": {}}

    with pytest.raises(NoticeRefused):
        read(delivery(good, forged))


def test_events_other_than_refunds_give_no_notice():
    item = {
        "amount": {"currency": "EUR", "value": 350},
        "eventCode": "AUTHORISATION",
        "merchantAccountCode": "KioskSandboxPOS",
        "merchantReference": "attempt-1",
        "pspReference": "SBX000000000007",
        "success": "true",
    }
    item["additionalData"] = {"hmacSignature": hmac_signature(item)}

    assert read(delivery(item)) == []


def test_a_refund_failed_event_is_a_failed_refund():
    item = {
        "amount": {"currency": "EUR", "value": 350},
        "eventCode": "REFUND_FAILED",
        "merchantAccountCode": "KioskSandboxPOS",
        "merchantReference": "attempt-1",
        "originalReference": "SBX000000000007",
        "pspReference": "SBXR000000000001",
        "reason": "Refund failed at the scheme",
        "success": "true",
    }
    item["additionalData"] = {"hmacSignature": hmac_signature(item)}

    [notice] = read(delivery(item))

    assert isinstance(notice, RefundNotice)
    assert notice.status == RefundStatus.FAILED


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[" * 100_000 + b"]" * 100_000,
        b"{}",
        b'{"notificationItems": []}',
        b'{"notificationItems": [1]}',
        b'{"notificationItems": [{"NotificationRequestItem": "x"}]}',
        b'{"notificationItems": [{"NotificationRequestItem": {"eventCode": "REFUND"}}]}',
        b" " * (300 * 1024),
    ],
    ids=[
        "not-json",
        "deep",
        "no-items",
        "empty",
        "item-not-object",
        "request-not-object",
        "unsigned",
        "too-large",
    ],
)
def test_a_malformed_delivery_is_refused(body):
    with pytest.raises(NoticeRefused):
        read(body)
