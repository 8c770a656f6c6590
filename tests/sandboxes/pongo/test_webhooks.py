"""Webhooks: subscriptions, signed deliveries of customer events, and retries."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest

from tests.sandboxes.conftest import CH_TOKEN, order_payload

SECRET = "whsec_test_secret"


def pongo_signature_is_valid(
    *, raw_body: bytes, header: str, secret: str, now: int
) -> bool:
    """The receiver's check, as the contract writes it."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = parts.get("t", "")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > 300:
        return False
    expected = hmac.new(
        secret.encode(), raw_body + timestamp.encode(), hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


@pytest.fixture
def subscribed(pongo_sandbox, api, webhook_receiver):
    """The receiver subscribed to both customer events of the FR merchant."""
    pongo_sandbox.faults(allow_http_webhooks=True)
    for event in ("customer.created", "customer.updated"):
        api.post(
            "/v1/webhooks",
            json={"event": event, "url": webhook_receiver.url, "secret": SECRET},
        )
    return webhook_receiver


def _enrol(api, phone="33600000001"):
    body = {"phone": phone, "reference_store_slug": "demo-paris-11", "has_optin": True}
    return api.post("/v1/customers", json=body).json()["data"]


def test_subscribing_an_https_url(api):
    response = api.post(
        "/v1/webhooks",
        json={
            "event": "customer.created",
            "url": "https://127.0.0.1:9/pongo/webhooks",
        },
    )

    data = response.json()["data"]
    assert response.status_code == 201
    assert data["id"].startswith("wh_")
    assert data["secret"].startswith("whsec_")
    assert (data["event"], data["url"]) == (
        "customer.created",
        "https://127.0.0.1:9/pongo/webhooks",
    )


def test_subscribing_keeps_the_given_secret(api):
    response = api.post(
        "/v1/webhooks",
        json={
            "event": "customer.updated",
            "url": "https://127.0.0.1:9/h",
            "secret": SECRET,
        },
    )

    assert response.json()["data"]["secret"] == SECRET


def test_subscribing_an_http_url_is_422(api):
    response = api.post(
        "/v1/webhooks",
        json={"event": "customer.created", "url": "http://127.0.0.1:9/hooks"},
    )

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"url": ["The url must start with https://."]},
    )


def test_http_urls_are_allowed_with_the_switch(pongo_sandbox, api):
    pongo_sandbox.faults(allow_http_webhooks=True)

    response = api.post(
        "/v1/webhooks",
        json={"event": "customer.created", "url": "http://127.0.0.1:9/hooks"},
    )

    assert response.status_code == 201


def test_subscribing_an_unknown_event_is_422(api):
    response = api.post(
        "/v1/webhooks",
        json={"event": "order.created", "url": "https://127.0.0.1:9/h"},
    )

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"event": ["The selected event is invalid."]},
    )


def test_unsubscribing(api):
    webhook = api.post(
        "/v1/webhooks",
        json={"event": "customer.created", "url": "https://127.0.0.1:9/h"},
    ).json()["data"]

    response = api.request("DELETE", f"/v1/webhooks/{webhook['id']}")

    assert response.status_code == 204
    assert api.request("DELETE", f"/v1/webhooks/{webhook['id']}").status_code == 404


def test_unsubscribing_a_webhook_of_another_merchant_is_404(api):
    webhook = api.post(
        "/v1/webhooks",
        json={"event": "customer.created", "url": "https://127.0.0.1:9/h"},
    ).json()["data"]

    response = api.request("DELETE", f"/v1/webhooks/{webhook['id']}", token=CH_TOKEN)

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Webhook not found."},
    )


def test_a_created_customer_is_delivered_signed(pongo_sandbox, api, subscribed):
    customer = _enrol(api)
    pongo_sandbox.wait_for_webhook_deliveries(1)

    received = subscribed.received[0]
    assert pongo_signature_is_valid(
        raw_body=received.body,
        header=received.headers["Pongo-Signature"],
        secret=SECRET,
        now=int(time.time()),
    )
    payload = received.json()
    assert payload["id"].startswith("evt_")
    assert (payload["event"], payload["data"]) == ("customer.created", customer)


def test_a_signature_does_not_verify_with_another_secret(
    pongo_sandbox, api, subscribed
):
    _enrol(api)
    pongo_sandbox.wait_for_webhook_deliveries(1)

    received = subscribed.received[0]
    assert not pongo_signature_is_valid(
        raw_body=received.body,
        header=received.headers["Pongo-Signature"],
        secret="another-secret",
        now=int(time.time()),
    )


def test_the_delivery_log_shows_the_signature_sent(pongo_sandbox, api, subscribed):
    _enrol(api)

    delivery = pongo_sandbox.wait_for_webhook_deliveries(1)[0]

    assert (
        delivery["event"],
        delivery["status"],
        delivery["attempt"],
        delivery["is_delivered"],
    ) == ("customer.created", 200, 1, True)
    assert (
        delivery["headers"]["Pongo-Signature"]
        == subscribed.received[0].headers["Pongo-Signature"]
    )


def test_timestamps_follow_the_sandbox_clock(pongo_sandbox, api, subscribed):
    pongo_sandbox.set_clock(3600)
    _enrol(api)

    delivery = pongo_sandbox.wait_for_webhook_deliveries(1)[0]

    header = subscribed.received[0].headers["Pongo-Signature"]
    assert header.startswith(f"t={delivery['timestamp']},")
    assert pongo_signature_is_valid(
        raw_body=subscribed.received[0].body,
        header=header,
        secret=SECRET,
        now=delivery["timestamp"],
    )
    assert not pongo_signature_is_valid(
        raw_body=subscribed.received[0].body,
        header=header,
        secret=SECRET,
        now=int(time.time()),
    )


def test_an_update_is_delivered(pongo_sandbox, api, subscribed):
    api.request("PATCH", "/v1/customers/cust_0000000003", json={"has_optin": True})

    pongo_sandbox.wait_for_webhook_deliveries(1)

    payload = subscribed.received[0].json()
    assert (
        payload["event"],
        payload["data"]["public_id"],
        payload["data"]["has_optin"],
    ) == ("customer.updated", "cust_0000000003", True)


def test_points_set_by_the_control_api_are_delivered(pongo_sandbox, subscribed):
    pongo_sandbox.set_points("cust_0000000001", 999)

    pongo_sandbox.wait_for_webhook_deliveries(1)

    payload = subscribed.received[0].json()
    assert (payload["event"], payload["data"]["points"]) == ("customer.updated", 999)


def test_enrolment_by_an_order_is_delivered(pongo_sandbox, api, subscribed):
    api.post(
        "/v1/orders",
        json=order_payload(customer={"phone": "33600000001", "has_optin": True}),
    )

    pongo_sandbox.wait_for_webhook_deliveries(2)

    events = [
        (received.json()["event"], received.json()["data"]["points"])
        for received in subscribed.received
    ]
    assert events == [("customer.created", 0), ("customer.updated", 13)]


def test_a_refused_request_delivers_nothing(pongo_sandbox, api, subscribed):
    api.post(
        "/v1/customers",
        json={
            "phone": "33600000001",
            "reference_store_slug": "demo-paris-11",
            "email": "bad",
        },
    )
    pongo_sandbox.set_points("cust_0000000002", 1)
    pongo_sandbox.wait_for_webhook_deliveries(1)

    assert [received.json()["event"] for received in subscribed.received] == [
        "customer.updated"
    ]


def test_customers_of_another_merchant_are_not_delivered(
    pongo_sandbox, api, subscribed
):
    api.post(
        "/v1/customers",
        token=CH_TOKEN,
        json={"phone": "41790000001", "reference_store_slug": "demo-geneve"},
    )
    pongo_sandbox.set_points("cust_0000000001", 1)
    pongo_sandbox.wait_for_webhook_deliveries(1)

    assert [
        received.json()["data"]["public_id"] for received in subscribed.received
    ] == ["cust_0000000001"]


def test_a_failing_receiver_is_retried_after_1_5_and_25_seconds(
    pongo_sandbox, api, subscribed
):
    subscribed.status = 500
    _enrol(api)
    pongo_sandbox.wait_for_webhook_deliveries(1)
    time.sleep(0.3)
    assert len(pongo_sandbox.webhook_deliveries()) == 1

    # Each jump puts the sandbox clock just at the next retry.
    for offset_s, attempts in ((1, 2), (6, 3), (31, 4)):
        pongo_sandbox.set_clock(offset_s)
        pongo_sandbox.wait_for_webhook_deliveries(attempts)
    pongo_sandbox.set_clock(3600)
    time.sleep(0.3)

    deliveries = pongo_sandbox.webhook_deliveries()
    assert [
        (delivery["attempt"], delivery["status"], delivery["next_retry_in_s"])
        for delivery in deliveries
    ] == [
        (1, 500, 1.0),
        (2, 500, 5.0),
        (3, 500, 25.0),
        (4, 500, None),
    ]
    assert len({received.body for received in subscribed.received}) == 1


def test_a_retry_that_succeeds_stops_the_retries(pongo_sandbox, api, subscribed):
    subscribed.status = 503
    _enrol(api)
    pongo_sandbox.wait_for_webhook_deliveries(1)
    subscribed.status = 200

    pongo_sandbox.set_clock(1)
    pongo_sandbox.wait_for_webhook_deliveries(2)
    pongo_sandbox.set_clock(3600)
    time.sleep(0.3)

    assert [
        (delivery["status"], delivery["next_retry_in_s"])
        for delivery in pongo_sandbox.webhook_deliveries()
    ] == [
        (503, 1.0),
        (200, None),
    ]


def test_an_unreachable_receiver_is_recorded_as_a_connection_error(
    pongo_sandbox, api, webhook_receiver
):
    pongo_sandbox.faults(allow_http_webhooks=True)
    api.post(
        "/v1/webhooks",
        json={"event": "customer.created", "url": "http://127.0.0.1:9/closed"},
    )
    _enrol(api)

    delivery = pongo_sandbox.wait_for_webhook_deliveries(1)[0]

    assert (delivery["status"], delivery["error"], delivery["next_retry_in_s"]) == (
        None,
        "ConnectionError",
        1.0,
    )
