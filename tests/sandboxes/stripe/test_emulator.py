"""The Stripe sandbox as the official `stripe` library sees it, over HTTP."""

from __future__ import annotations

import json

import pytest
import requests
import stripe

from sandboxes.stripe.emulator import SECRET_KEY, WEBHOOK_SECRET, StripeEmulator
from tests.processes import wait_until

READER = "tmr_SandboxTest1"


@pytest.fixture
def client(stripe_sandbox) -> stripe.StripeClient:
    return stripe.StripeClient(
        SECRET_KEY,
        base_addresses={"api": stripe_sandbox.base_url},
        max_network_retries=0,
    )


def intent(client: stripe.StripeClient, key: str | None = None, **changes):
    params = {
        "amount": 1250,
        "currency": "eur",
        "payment_method_types": ["card_present"],
        "capture_method": "manual",
        "metadata": {"attempt_key": "a1"},
        **changes,
    }
    options = {"idempotency_key": key} if key else {}
    return client.v1.payment_intents.create(params, options)  # type: ignore[arg-type]


def test_a_payment_intent_is_created_as_stripe_shapes_it(client):
    created = intent(client)

    assert created.id.startswith("pi_")
    assert created.object == "payment_intent"
    assert created.status == "requires_payment_method"
    assert created.amount == 1250
    assert created.metadata["attempt_key"] == "a1"
    assert client.v1.payment_intents.retrieve(created.id).id == created.id


def test_the_same_idempotency_key_replays_the_first_answer(client, stripe_sandbox):
    first = intent(client, key="k1")
    again = intent(client, key="k1")

    assert again.id == first.id
    assert len(stripe_sandbox.payments()) == 1


def test_a_key_reused_with_other_parameters_is_refused(client, stripe_sandbox):
    intent(client, key="k2")

    with pytest.raises(stripe.IdempotencyError):
        intent(client, key="k2", amount=999)

    assert len(stripe_sandbox.payments()) == 1


def test_a_replay_says_so_and_a_refusal_by_state_is_replayed_too(stripe_sandbox):
    headers = {"Authorization": f"Bearer {SECRET_KEY}", "Idempotency-Key": "k3"}
    url = stripe_sandbox.base_url + "/v1/payment_intents/pi_missing/cancel"

    first = requests.post(url, headers=headers, timeout=5)
    again = requests.post(url, headers=headers, timeout=5)

    assert (first.status_code, again.status_code) == (404, 404)
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


def test_the_test_helper_presents_a_card_and_capture_completes_it(client):
    created = intent(client)
    client.v1.terminal.readers.process_payment_intent(
        READER, {"payment_intent": created.id}
    )
    reader = client.v1.test_helpers.terminal.readers.present_payment_method(
        READER, {"type": "card_present", "card_present": {"number": "5555555555554444"}}
    )

    assert reader.action.status == "succeeded"
    authorised = client.v1.payment_intents.retrieve(
        created.id, {"expand": ["latest_charge"]}
    )
    assert authorised.status == "requires_capture"
    card = authorised.latest_charge.payment_method_details.card_present
    assert (card.brand, card.last4) == ("mastercard", "4444")
    assert card.receipt.dedicated_file_name == "A0000000041010"
    captured = client.v1.payment_intents.capture(created.id)
    assert (captured.status, captured.amount_received) == ("succeeded", 1250)


def test_the_decline_test_card_is_declined(client):
    created = intent(client)
    client.v1.terminal.readers.process_payment_intent(
        READER, {"payment_intent": created.id}
    )
    reader = client.v1.test_helpers.terminal.readers.present_payment_method(
        READER, {"card_present": {"number": "4000000000009995"}}
    )

    assert reader.action.status == "failed"
    assert reader.action.failure_code == "card_declined"
    declined = client.v1.payment_intents.retrieve(created.id)
    assert declined.status == "requires_payment_method"
    assert declined.last_payment_error.decline_code == "insufficient_funds"


def test_a_busy_reader_answers_stripe_s_error(client):
    client.v1.terminal.readers.process_payment_intent(
        READER, {"payment_intent": intent(client).id}
    )

    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.terminal.readers.process_payment_intent(
            READER, {"payment_intent": intent(client).id}
        )

    assert caught.value.code == "terminal_reader_busy"
    assert caught.value.http_status == 400


def test_cancel_action_ends_the_reader_s_action(client):
    created = intent(client)
    client.v1.terminal.readers.process_payment_intent(
        READER, {"payment_intent": created.id}
    )

    reader = client.v1.terminal.readers.cancel_action(READER)

    assert reader.action.status == "failed"
    cancelled = client.v1.payment_intents.cancel(created.id)
    assert cancelled.status == "canceled"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.payment_intents.cancel(created.id)
    assert caught.value.code == "payment_intent_unexpected_state"


def test_search_finds_a_payment_intent_by_its_metadata(client):
    created = intent(client, metadata={"attempt_key": "wanted"})
    intent(client, metadata={"attempt_key": "other"})

    found = client.v1.payment_intents.search(
        {"query": "metadata['attempt_key']:'wanted'"}
    )

    assert [i.id for i in found.data] == [created.id]


def test_list_pages_through_payment_intents_newest_first(client):
    ids = [intent(client).id for _ in range(3)]

    page = client.v1.payment_intents.list({"limit": 2})
    rest = client.v1.payment_intents.list(
        {"limit": 2, "starting_after": page.data[-1].id}
    )

    assert [i.id for i in page.data] == ids[::-1][:2]
    assert page.has_more
    assert [i.id for i in rest.data] == ids[:1]


def test_a_wrong_key_is_an_authentication_error(stripe_sandbox):
    client = stripe.StripeClient(
        "sk_test_wrong", base_addresses={"api": stripe_sandbox.base_url}
    )

    with pytest.raises(stripe.AuthenticationError):
        client.v1.payment_intents.retrieve("pi_x")


def test_an_unknown_payment_intent_is_resource_missing(client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.payment_intents.retrieve("pi_missing")

    assert caught.value.code == "resource_missing"
    assert caught.value.http_status == 404


def test_bad_parameters_answer_stripe_s_error_shape(stripe_sandbox):
    response = requests.post(
        stripe_sandbox.base_url + "/v1/payment_intents",
        data={"amount": "twelve", "currency": "eur"},
        headers={"Authorization": f"Bearer {SECRET_KEY}"},
        timeout=5,
    )

    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert response.json()["error"]["param"] == "amount"


def test_refunds_give_back_at_most_what_was_captured(client):
    created = intent(client, capture_method="automatic")
    client.v1.terminal.readers.process_payment_intent(
        READER, {"payment_intent": created.id}
    )
    client.v1.test_helpers.terminal.readers.present_payment_method(READER)

    refund = client.v1.refunds.create({"payment_intent": created.id, "amount": 1000})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create({"payment_intent": created.id, "amount": 1000})

    assert (refund.status, refund.amount) == ("succeeded", 1000)
    assert caught.value.code == "amount_too_large"
    assert client.v1.refunds.retrieve(refund.id).payment_intent == created.id


def test_events_are_signed_so_the_library_verifies_them(client, stripe_sandbox):
    endpoint = client.v1.webhook_endpoints.create(
        {"url": "http://127.0.0.1:9/hook", "enabled_events": ["payment_intent.created"]}
    )
    intent(client)

    [delivery] = wait_until(
        lambda: [
            d
            for d in stripe_sandbox.webhook_deliveries()
            if d["event"] == "payment_intent.created" and d["attempt"] == 1
        ],
        timeout=5,
        what="the delivery",
    )
    event = stripe.Webhook.construct_event(
        delivery["body"], delivery["headers"]["Stripe-Signature"], endpoint.secret
    )

    assert event.type == "payment_intent.created"
    assert event.data.object.metadata["attempt_key"] == "a1"


def test_the_default_endpoint_signs_with_the_sandbox_secret():
    emulator = StripeEmulator(webhook_url="http://127.0.0.1:9/hook")
    body = json.dumps({"id": "evt_1", "object": "event"}).encode()

    headers = emulator.sign_webhook(body, WEBHOOK_SECRET, 1_700_000_000)

    stripe.WebhookSignature.verify_header(
        body, headers["Stripe-Signature"], WEBHOOK_SECRET, tolerance=None
    )
    assert emulator.account.endpoints["we_sandbox"]["url"] == "http://127.0.0.1:9/hook"


def test_the_screen_follows_the_reader(client, stripe_sandbox):
    created = intent(client, amount=899)
    client.v1.terminal.readers.process_payment_intent(
        READER, {"payment_intent": created.id}
    )
    assert "Present card" in stripe_sandbox.screen(READER)
    assert "8.99 EUR" in stripe_sandbox.screen(READER)

    response = requests.post(
        f"{stripe_sandbox.base_url}/_sandbox/terminal/{READER}/action",
        data={"action": "decline"},
        allow_redirects=False,
        timeout=5,
    )

    assert response.status_code == 302
    assert "Declined" in stripe_sandbox.screen(READER)


def test_a_control_action_without_a_waiting_payment_is_a_conflict(stripe_sandbox):
    with pytest.raises(Exception, match="409|No payment"):
        stripe_sandbox.reader_action(READER, "approve")
    with pytest.raises(Exception, match="422|action"):
        stripe_sandbox.reader_action(READER, "explode")
