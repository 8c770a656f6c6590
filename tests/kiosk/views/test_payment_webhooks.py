"""`POST /payments/stripe/webhook/`: the Stripe sandbox's own signed deliveries,
passed to the kiosk, resolve the attempt through the one "paid" path."""

from __future__ import annotations

import json

import pytest
import stripe

from kiosk.models import KioskTerminal, OrderState, Payment, PaymentStatus
from kiosk.services.payments import latest_terminal_payment
from sandboxes.stripe.emulator import SECRET_KEY
from tests.kiosk.payments.stripe.conftest import READER, card_order
from tests.kiosk.payments.stripe.test_terminal import forget_ids
from tests.kiosk.payments.stripe.test_webhooks import event, signed
from tests.processes import wait_until

URL = "/payments/stripe/webhook/"
# Nothing listens there: the sandbox keeps each delivery it tried.
RECEIVER = "http://127.0.0.1:9/payments/stripe/webhook/"


@pytest.fixture
def webhook_secret(stripe_sandbox) -> str:
    client = stripe.StripeClient(
        SECRET_KEY, base_addresses={"api": stripe_sandbox.base_url}
    )
    endpoint = client.v1.webhook_endpoints.create(
        {
            "url": RECEIVER,
            "enabled_events": [
                "terminal.reader.action_succeeded",
                "terminal.reader.action_failed",
                "payment_intent.succeeded",
            ],
        }
    )
    return str(endpoint.secret)


@pytest.fixture
def stripe_kiosk(menu, stripe_sandbox, webhook_secret):
    terminal = KioskTerminal.objects.create(
        kiosk=menu.kiosk,
        vendor="stripe",
        terminal_id=READER,
        endpoint=stripe_sandbox.base_url,
        options={"timeout_seconds": "2"},
    )
    terminal.credentials = {"secret_key": SECRET_KEY, "webhook_secret": webhook_secret}
    terminal.save()
    return menu


def delivery(sandbox, kind: str) -> tuple[bytes, dict[str, str]]:
    found = wait_until(
        lambda: [d for d in sandbox.webhook_deliveries() if d["event"] == kind],
        timeout=5,
        what=f"a {kind} delivery",
    )
    return found[0]["body"].encode(), found[0]["headers"]


def post(client, body: bytes, headers: dict[str, str]):
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def test_the_reader_s_approval_pays_the_order_once(
    client, stripe_kiosk, stripe_sandbox
):
    order = card_order(stripe_kiosk)
    forget_ids()  # the webhook may reach another process than the screen's
    stripe_sandbox.reader_action(READER, "approve")
    body, headers = delivery(stripe_sandbox, "terminal.reader.action_succeeded")

    first = post(client, body, headers)
    replay = post(client, body, headers)

    assert (first.status_code, first.content) == (200, b"accepted")
    assert (replay.status_code, replay.content) == (200, b"ignored")
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    payment = latest_terminal_payment(order)
    assert payment is not None
    assert payment.status == PaymentStatus.APPROVED
    assert payment.masked_pan == "**** 4242"
    assert Payment.objects.filter(status=PaymentStatus.APPROVED).count() == 1
    assert stripe_sandbox.payments()[0]["amount_received"] == order.total


def test_a_cancel_on_the_reader_ends_the_attempt(client, stripe_kiosk, stripe_sandbox):
    order = card_order(stripe_kiosk)
    stripe_sandbox.reader_action(READER, "cancel")
    body, headers = delivery(stripe_sandbox, "terminal.reader.action_failed")

    response = post(client, body, headers)

    assert response.status_code == 200
    payment = latest_terminal_payment(order)
    assert payment is not None
    assert payment.status == PaymentStatus.CANCELLED
    order.refresh_from_db()
    assert order.state != OrderState.PAID


def test_a_bad_signature_is_refused_and_changes_nothing(
    client, stripe_kiosk, stripe_sandbox
):
    order = card_order(stripe_kiosk)
    stripe_sandbox.reader_action(READER, "approve")
    body, headers = delivery(stripe_sandbox, "terminal.reader.action_succeeded")
    forged = {"Stripe-Signature": headers["Stripe-Signature"][:-4] + "0000"}

    response = post(client, body, forged)

    assert (response.status_code, response.content) == (400, b"refused")
    payment = latest_terminal_payment(order)
    assert payment is not None
    assert payment.status == PaymentStatus.PENDING


def test_a_malformed_delivery_is_refused(client, stripe_kiosk, webhook_secret):
    for body in (b"{", b"[" * 50_000, json.dumps({"type": "x"}).encode()):
        response = post(client, body, signed(body, secret=webhook_secret))

        assert response.status_code == 400


def test_an_event_about_an_unknown_attempt_is_ignored(
    client, stripe_kiosk, webhook_secret
):
    body = event(
        "payment_intent.succeeded",
        {"id": "pi_x", "object": "payment_intent", "metadata": {"attempt_key": "nope"}},
    )

    response = post(client, body, signed(body, secret=webhook_secret))

    assert (response.status_code, response.content) == (200, b"ignored")


def test_a_vendor_without_webhooks_is_not_found(client, db):
    response = client.post(
        "/payments/simulator/webhook/", data=b"{}", content_type="application/json"
    )

    assert response.status_code == 404


def test_only_post_is_taken(client, db):
    assert client.get(URL).status_code == 405
