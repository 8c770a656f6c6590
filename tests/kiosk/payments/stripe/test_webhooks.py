"""Reading Stripe's webhook deliveries: the signature first, then the event."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from kiosk.payments import notice_reader
from kiosk.payments.base import NoticeRefused, TerminalNotice
from kiosk.payments.stripe.webhooks import notices_read

SECRET = "whsec_test_secret"


def signed(body: bytes, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return {"Stripe-Signature": f"t={timestamp},v1={digest}"}


def event(kind: str, obj: dict[str, object]) -> bytes:
    return json.dumps(
        {"id": "evt_1", "object": "event", "type": kind, "data": {"object": obj}}
    ).encode()


READER_EVENT = event(
    "terminal.reader.action_succeeded",
    {"id": "tmr_Kiosk1", "object": "terminal.reader", "action": {}},
)
INTENT_EVENT = event(
    "payment_intent.succeeded",
    {"id": "pi_1", "object": "payment_intent", "metadata": {"attempt_key": "a1"}},
)


def test_it_is_the_notice_reader_of_stripe():
    assert notice_reader("stripe") is notices_read
    assert notice_reader("simulator") is None


def test_a_reader_event_names_the_reader():
    notices = notices_read(
        body=READER_EVENT, headers=signed(READER_EVENT), secrets=[SECRET]
    )

    assert notices == [TerminalNotice(terminal_id="tmr_Kiosk1")]


def test_a_payment_intent_event_names_the_attempt():
    notices = notices_read(
        body=INTENT_EVENT, headers=signed(INTENT_EVENT), secrets=[SECRET]
    )

    assert notices == [TerminalNotice(attempt_key="a1")]


def test_any_of_the_secrets_verifies_a_delivery():
    headers = signed(INTENT_EVENT, secret="whsec_other")

    notices = notices_read(
        body=INTENT_EVENT, headers=headers, secrets=["", SECRET, "whsec_other"]
    )

    assert notices == [TerminalNotice(attempt_key="a1")]


def test_an_event_the_kiosk_does_not_use_gives_no_notice():
    body = event("customer.created", {"id": "cus_1", "object": "customer"})

    assert notices_read(body=body, headers=signed(body), secrets=[SECRET]) == []


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Stripe-Signature": "nonsense"},
        signed(INTENT_EVENT, secret="whsec_wrong"),
        signed(INTENT_EVENT, at=int(time.time()) - 3600),
    ],
    ids=["missing", "garbled", "wrong secret", "too old"],
)
def test_a_delivery_that_does_not_verify_is_refused(headers):
    with pytest.raises(NoticeRefused, match="signature"):
        notices_read(body=INTENT_EVENT, headers=headers, secrets=[SECRET])


def test_without_a_secret_nothing_verifies():
    with pytest.raises(NoticeRefused):
        notices_read(body=INTENT_EVENT, headers=signed(INTENT_EVENT), secrets=[])


def test_a_body_changed_after_signing_is_refused():
    headers = signed(INTENT_EVENT)

    with pytest.raises(NoticeRefused):
        notices_read(body=INTENT_EVENT + b" ", headers=headers, secrets=[SECRET])


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[" * 100_000 + b"]" * 100_000,
        b'["an", "array"]',
        b'{"type": "payment_intent.succeeded"}',
        b'{"type": 1, "data": {"object": {}}}',
        b"\xff\xfe",
    ],
    ids=["text", "deep", "array", "no object", "type not text", "not utf-8"],
)
def test_a_signed_body_that_is_no_event_is_refused(body):
    with pytest.raises(NoticeRefused):
        notices_read(body=body, headers=signed(body), secrets=[SECRET])


def test_a_huge_delivery_is_refused_before_anything():
    body = b"{" + b" " * 300_000 + b"}"

    with pytest.raises(NoticeRefused, match="too large"):
        notices_read(body=body, headers=signed(body), secrets=[SECRET])
