"""The Pongo sandbox's own control routes: balances, orders, rewards, demo page."""

from __future__ import annotations

import re

from tests.sandboxes.conftest import order_payload

LEA = "cust_0000000001"


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
