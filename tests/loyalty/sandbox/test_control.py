"""The control API: health, reset, request log, clock, balances, orders, demo page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.loyalty.sandbox.conftest import order_payload

LEA = "cust_0000000001"


def test_health(pongo_sandbox):
    health = pongo_sandbox.health()

    assert (health["status"], health["emulator"], health["clock_offset_s"]) == (
        "ok",
        "pongo",
        0.0,
    )
    assert health["faults"] == {
        "latency_ms": 0,
        "jitter_ms": 0,
        "error_rate": 0.0,
        "error_status": 503,
        "force_status": None,
        "down": False,
        "rules": [],
        "rate_limit_per_min": None,
        "seed": 0,
        "strict_enums": False,
        "honor_idempotency_key": False,
        "restore_rewards": True,
        "allow_http_webhooks": False,
    }


def test_request_log_records_each_api_request(pongo_sandbox, api):
    api.post(
        "/v1/customers",
        json={"phone": "33600000001", "reference_store_slug": "demo-paris-11"},
        headers={"Idempotency-Key": "k-1", "User-Agent": "kiosk/1.0"},
    )

    entry = pongo_sandbox.requests()[0]
    assert {
        key: entry[key]
        for key in ("seq", "method", "path", "body", "status", "processed", "fault")
    } == {
        "seq": 1,
        "method": "POST",
        "path": "/v1/customers",
        "body": {"phone": "33600000001", "reference_store_slug": "demo-paris-11"},
        "status": 201,
        "processed": True,
        "fault": None,
    }
    assert entry["headers"] == {
        "authorization": "Bearer sandbox-fr-token",
        "content-type": "application/json",
        "accept": "*/*",
        "user-agent": "kiosk/1.0",
        "idempotency-key": "k-1",
    }


def test_request_log_since_a_sequence_number(pongo_sandbox, api):
    for path in ("/v1/stores", "/v1/rewards", "/v1/customer-tags"):
        api.get(path)

    assert [entry["path"] for entry in pongo_sandbox.requests(since=1)] == [
        "/v1/rewards",
        "/v1/customer-tags",
    ]


def test_request_log_keeps_the_query(pongo_sandbox, api):
    api.get("/v1/rewards", params={"customer": LEA, "store_slug": "demo-paris-11"})

    assert pongo_sandbox.requests()[0]["query"] == {
        "customer": LEA,
        "store_slug": "demo-paris-11",
    }


def test_control_requests_are_not_logged(pongo_sandbox):
    pongo_sandbox.health()
    pongo_sandbox.set_points(LEA, 1)

    assert pongo_sandbox.requests() == []


def test_clock_offset_moves_the_sandbox_time(pongo_sandbox):
    pongo_sandbox.set_clock(900)

    health = pongo_sandbox.health()
    clock = datetime.fromisoformat(health["clock"])
    assert health["clock_offset_s"] == 900.0
    assert clock - datetime.now(tz=clock.tzinfo) > timedelta(seconds=890)


def test_reset_clears_faults_clock_and_log(pongo_sandbox, api):
    pongo_sandbox.faults(latency_ms=10)
    pongo_sandbox.set_clock(60)
    api.get("/v1/stores")

    pongo_sandbox.reset()

    health = pongo_sandbox.health()
    assert (
        health["faults"]["latency_ms"],
        health["clock_offset_s"],
        pongo_sandbox.requests(),
    ) == (0, 0.0, [])


def test_reset_restarts_the_request_numbering(pongo_sandbox, api):
    api.get("/v1/stores")
    pongo_sandbox.reset()
    api.get("/v1/stores")

    assert [entry["seq"] for entry in pongo_sandbox.requests()] == [1]


def test_set_points_sets_a_balance(pongo_sandbox, api):
    customer = pongo_sandbox.set_points(LEA, 42)

    assert (customer["points"], api.customer(LEA)["points"]) == (42, 42)


def test_set_points_of_an_unknown_customer_is_404(api):
    response = api.post(
        "/_sandbox/customers/cust_ffffffffff/points", token=None, json={"points": 1}
    )

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Customer not found."},
    )


def test_negative_points_are_refused(api):
    response = api.post(
        f"/_sandbox/customers/{LEA}/points", token=None, json={"points": -1}
    )

    assert response.status_code == 422


def test_orders_lists_what_the_sandbox_stored(pongo_sandbox, api):
    api.post("/v1/orders", json=order_payload())

    orders = pongo_sandbox.orders(order_id=order_payload()["order_id"])

    assert [
        (
            order["loyalty_store_slug"],
            order["customer"],
            order["amount"],
            order["points_earned"],
            order["receipts"],
        )
        for order in orders
    ] == [
        ("demo-paris-11", LEA, 1350, 13, 1),
    ]


def test_order_count_is_zero_for_an_order_never_received(pongo_sandbox):
    assert pongo_sandbox.order_count(order_id="ffffffffffffffffffffffffffffffff") == 0


def test_update_reward_changes_a_catalogue_reward(pongo_sandbox):
    reward = pongo_sandbox.update_reward(
        "rew_0000000002", is_active=False, expires_at="2030-01-01T00:00:00+01:00"
    )

    assert (reward["is_active"], reward["expires_at"]) == (
        False,
        "2029-12-31T23:00:00+00:00",
    )


def test_unknown_control_route_is_404(api):
    response = api.get("/_sandbox/nothing-here", token=None)

    assert response.status_code == 404


def test_demo_page_shows_every_customer_with_a_qr_code(api):
    response = api.get("/_sandbox/", token=None)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.text.count("<svg") == 5
    for public_id in (
        "cust_0000000001",
        "cust_0000000002",
        "cust_0000000003",
        "cust_0000000004",
        "cust_0000000101",
    ):
        assert f"<code>{public_id}</code>" in response.text


def test_demo_page_shows_balances_and_owned_rewards(api):
    response = api.get("/_sandbox/", token=None)

    assert '<p class="points">320 points</p>' in response.text
    assert (
        "<li>5 € de réduction: <code>crw_0000000003</code>, coupon <code>PONGO-C3D4E5F6</code>, unused</li>"
        in response.text
    )


def test_demo_page_needs_no_script_and_no_external_resource(api):
    html = api.get("/_sandbox/", token=None).text

    assert "<script" not in html
    assert re.findall(r"""(?:src|href)=""", html) == []
    assert "@import" not in html
