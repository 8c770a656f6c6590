"""Orders: 201 then 202 for the same order, points, rewards, enrolment, status, check-ins."""

from __future__ import annotations

import pytest

from tests.sandboxes.conftest import CH_TOKEN, order_payload

LEA = "cust_0000000001"
INES = "cust_0000000004"
ORDER = "5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a"
ALREADY_PROCESSED = "This order has already been processed."
COFFEE_LINE = {
    "external_id": "SKU-ESPRESSO",
    "name": "Espresso",
    "quantity": 1,
    "unit_amount": 0,
    "amount": 0,
    "reward_id": "rew_0000000001",
    "customer_reward_id": "crw_0000000001",
}
MENU_LINE = {
    "external_id": "SKU-MENU-CLASSIC",
    "name": "Menu Classic",
    "quantity": 1,
    "unit_amount": 1250,
    "amount": 1250,
}


def _post(api, **overrides):
    return api.post("/v1/orders", json=order_payload(**overrides))


def _status(api, status, order_id=ORDER):
    return api.request(
        "PATCH",
        f"/v1/orders/{order_id}/status",
        json={"loyalty_store_slug": "demo-paris-11", "status": status},
    )


def _owned(api, customer=LEA):
    return {
        owned["id"]: owned
        for owned in api.get(f"/v1/customers/{customer}/rewards").json()["data"]
    }


def test_first_post_is_201_with_the_points_earned(api):
    response = _post(api)

    data = response.json()["data"]
    assert response.status_code == 201
    assert data["id"].startswith("ord_")
    assert {
        key: data[key]
        for key in (
            "order_id",
            "loyalty_store_slug",
            "customer",
            "points_earned",
            "status",
        )
    } == {
        "order_id": ORDER,
        "loyalty_store_slug": "demo-paris-11",
        "customer": LEA,
        "points_earned": 13,
        "status": "paid",
    }
    assert "warnings" not in response.json()


def test_points_are_credited_to_the_customer(api):
    _post(api)

    assert api.customer(LEA)["points"] == 333


def test_the_same_order_again_is_202_and_changes_nothing(api):
    first = _post(api).json()["data"]

    response = _post(api)

    assert (response.status_code, response.json()) == (
        202,
        {"message": ALREADY_PROCESSED, "id": first["id"], "order_id": ORDER},
    )
    assert api.customer(LEA)["points"] == 333


def test_the_same_order_with_another_payload_is_202(api):
    _post(api)

    response = _post(api, amount=99999, lines=[], channel="")

    assert (response.status_code, response.json()["message"]) == (
        202,
        ALREADY_PROCESSED,
    )


def test_the_same_order_id_in_another_store_is_another_order(api):
    _post(api)

    response = _post(api, loyalty_store_slug="demo-lyon-2")

    assert response.status_code == 201


def test_the_sandbox_counts_one_order_after_a_duplicate(pongo_sandbox, api):
    _post(api)
    _post(api)

    orders = pongo_sandbox.orders(order_id=ORDER)
    assert (len(orders), orders[0]["receipts"]) == (1, 2)


def test_a_pending_order_earns_nothing(api):
    response = _post(api, status="pending")

    assert (response.json()["data"]["points_earned"], api.customer(LEA)["points"]) == (
        0,
        320,
    )


def test_a_completed_order_earns_points(api):
    response = _post(api, status="completed")

    assert response.json()["data"]["points_earned"] == 13


def test_points_are_rounded_down(api):
    lines = [{**MENU_LINE, "unit_amount": 1399, "amount": 1399}]

    response = _post(api, amount=1399, lines=lines)

    assert response.json()["data"]["points_earned"] == 13


def test_a_ch_order_earns_one_point_per_franc(api):
    response = api.post(
        "/v1/orders",
        token=CH_TOKEN,
        json=order_payload(
            loyalty_store_slug="demo-geneve",
            amount=2500,
            lines=[{**MENU_LINE, "unit_amount": 2500, "amount": 2500}],
            customer={"public_id": "cust_0000000101"},
        ),
    )

    noah = api.get("/v1/customers/cust_0000000101", token=CH_TOKEN).json()["data"]
    assert (response.json()["data"]["points_earned"], noah["points"]) == (25, 145)


def test_an_order_without_customer_is_stored_unattributed(api):
    response = _post(api, customer=None)

    data = response.json()["data"]
    assert (response.status_code, data["customer"], data["points_earned"]) == (
        201,
        None,
        0,
    )


def test_an_unknown_phone_enrols_the_customer(api):
    response = _post(
        api,
        customer={
            "public_id": None,
            "phone": "33600000001",
            "first_name": "Zoé",
            "has_optin_sms": True,
            "has_optin_email": False,
        },
    )

    customer = api.get("/v1/customers/phone/33600000001").json()["data"]
    assert response.json()["data"]["customer"] == customer["public_id"]
    assert (
        customer["first_name"],
        customer["points"],
        customer["has_optin_sms"],
        customer["has_optin_email"],
        customer["reference_store"]["slug"],
    ) == (
        "Zoé",
        13,
        True,
        False,
        "demo-paris-11",
    )


def test_a_known_phone_without_id_identifies_the_customer(api):
    response = _post(api, customer={"phone": "33611112222"})

    assert response.json()["data"]["customer"] == "cust_0000000003"


def test_an_unknown_pass_id_without_phone_is_422(api):
    response = _post(api, customer={"public_id": "cust_ffffffffff"})

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"customer.public_id": ["The selected customer.public_id is invalid."]},
    )


def test_a_reward_line_uses_the_owned_reward(api):
    _post(
        api, lines=[MENU_LINE, COFFEE_LINE], amount=1250, reward_ids=["rew_0000000001"]
    )

    owned = _owned(api)["crw_0000000001"]
    assert (owned["used"], owned["used_order_id"]) == (True, ORDER)


def test_a_voucher_line_uses_the_reward_with_its_coupon(api):
    voucher = {
        "external_id": "VOUCHER",
        "name": "5 € de réduction",
        "quantity": 1,
        "unit_amount": -500,
        "amount": -500,
        "reward_id": "rew_0000000003",
        "coupon_code": "PONGO-C3D4E5F6",
    }

    response = _post(
        api, lines=[MENU_LINE, voucher], amount=750, customer={"public_id": INES}
    )

    assert (
        response.json()["data"]["points_earned"],
        _owned(api, INES)["crw_0000000003"]["used"],
    ) == (7, True)


def test_a_reward_line_matching_nothing_is_a_warning_on_an_accepted_order(api):
    menu = {**MENU_LINE, "unit_amount": 0, "amount": 0, "reward_id": "rew_0000000002"}

    response = _post(api, lines=[MENU_LINE, menu], amount=1250)

    assert response.status_code == 201
    assert response.json()["warnings"] == [
        {"line": 1, "message": "reward not owned or already used"}
    ]


def test_a_used_reward_on_a_line_is_a_warning(api):
    voucher = {
        "external_id": "VOUCHER",
        "name": "5 €",
        "quantity": 1,
        "unit_amount": -500,
        "amount": -500,
        "reward_id": "rew_0000000003",
        "coupon_code": "PONGO-USED0001",
    }

    response = _post(api, lines=[MENU_LINE, voucher], amount=750)

    assert response.json()["warnings"] == [
        {"line": 1, "message": "reward not owned or already used"}
    ]


def test_a_reward_in_lines_and_reward_ids_is_used_once(api):
    second = api.post(
        "/v1/rewards/rew_0000000001/buy",
        json={"customer": LEA, "store_slug": "demo-paris-11"},
    ).json()["data"]["id"]
    line = {
        key: value for key, value in COFFEE_LINE.items() if key != "customer_reward_id"
    }

    response = _post(
        api, lines=[MENU_LINE, line], amount=1250, reward_ids=["rew_0000000001"]
    )

    owned = _owned(api)
    assert "warnings" not in response.json()
    assert (owned["crw_0000000001"]["used"], owned[second]["used"]) == (True, False)


def test_reward_ids_alone_use_an_owned_reward(api):
    _post(api, reward_ids=["rew_0000000001"])

    assert _owned(api)["crw_0000000001"]["used"] is True


def test_reward_ids_matching_nothing_are_a_warning(api):
    response = _post(api, reward_ids=["rew_0000000007"])

    assert response.json()["warnings"] == [
        {"reward_id": "rew_0000000007", "message": "reward not owned or already used"}
    ]


def test_a_reward_locked_by_another_order_is_not_used(api):
    api.post(
        "/v1/customers/cust_0000000001/rewards/crw_0000000001/lock",
        json={"order_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9"},
    )

    response = _post(api, lines=[MENU_LINE, COFFEE_LINE], amount=1250)

    assert (response.json()["warnings"], _owned(api)["crw_0000000001"]["used"]) == (
        [{"line": 1, "message": "reward not owned or already used"}],
        False,
    )


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"lines": []}, {"lines": ["The lines field is required."]}),
        (
            {"loyalty_store_slug": "demo-geneve"},
            {"loyalty_store_slug": ["The selected loyalty store slug is invalid."]},
        ),
        ({"order_id": None}, {"order_id": ["The order id field is required."]}),
        ({"channel": ""}, {"channel": ["The channel field is required."]}),
        ({"amount": "13.50"}, {"amount": ["The amount must be an integer."]}),
        (
            {"amount": 1400},
            {
                "amount": [
                    "The amount may not be greater than the sum of the line amounts."
                ]
            },
        ),
        (
            {"created_at": "2025-05-02 12:31"},
            {
                "created_at": [
                    "The created at must be an ISO 8601 date with its offset."
                ]
            },
        ),
        (
            {"customer": {"phone": "0612345678"}},
            {"customer.phone": ["The phone format is invalid."]},
        ),
        (
            {"payments": [{"method": "card"}]},
            {"payments.0.amount": ["The amount field is required."]},
        ),
    ],
)
def test_an_invalid_order_is_422(api, overrides, errors):
    response = _post(api, **overrides)

    assert (response.status_code, response.json()["errors"]) == (422, errors)


def test_an_amount_below_the_lines_is_a_discount_the_till_applied(api):
    response = _post(api, amount=850, customer={"public_id": INES})

    assert (response.status_code, response.json()["data"]["points_earned"]) == (
        201,
        8,
    )


def test_a_line_whose_amount_is_not_unit_times_quantity_is_422(api):
    lines = [{**MENU_LINE, "quantity": 2}, order_payload()["lines"][1]]

    response = _post(api, lines=lines)

    assert response.json()["errors"] == {
        "lines.0.amount": ["The amount must equal unit amount × quantity."]
    }


def test_only_reward_lines_may_be_negative(api):
    discount = {
        "external_id": "PROMO",
        "name": "Promo",
        "quantity": 1,
        "unit_amount": -100,
        "amount": -100,
    }

    response = _post(api, lines=[*order_payload()["lines"], discount], amount=1250)

    assert response.json()["errors"] == {
        "lines.2.amount": ["Only reward lines may be negative."]
    }


def test_a_refused_order_stores_nothing(pongo_sandbox, api):
    _post(api, lines=[])

    assert pongo_sandbox.order_count(order_id=ORDER) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", "drive-through"),
        ("delivery_mode", "eat_in"),
        ("status", "done"),
        ("delivery_status", "served"),
    ],
)
def test_an_enumerated_field_outside_its_list_is_422(pongo_sandbox, api, field, value):
    response = _post(api, **{field: value})

    label = field.replace("_", " ")
    assert (response.status_code, response.json()) == (
        422,
        {
            "message": f"The selected {label} is invalid.",
            "errors": {field: [f"The selected {label} is invalid."]},
        },
    )
    assert pongo_sandbox.order_count(order_id=ORDER) == 0


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("channel", ("pos", "kiosk", "click_and_collect", "order_and_pay")),
        ("delivery_mode", ("on_site", "take_away", "delivery", "click_and_collect")),
        ("status", ("pending", "paid", "completed", "cancelled", "refunded")),
        ("delivery_status", ("pending", "in_progress", "ready", "delivered")),
    ],
)
def test_enumerated_fields_take_the_values_of_their_lists(api, field, values):
    statuses = [
        _post(api, order_id=f"order-{index}", **{field: value}).status_code
        for index, value in enumerate(values)
    ]

    assert statuses == [201] * len(values)


def test_without_strict_enums_any_text_is_taken(pongo_sandbox, api):
    pongo_sandbox.faults(strict_enums=False)

    response = _post(api, channel="drive-through")

    assert response.status_code == 201


def test_a_status_update_outside_the_list_is_422(api):
    _post(api)

    response = _status(api, "reimbursed")

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"status": ["The selected status is invalid."]},
    )


# --- Status -------------------------------------------------------------------------


def test_cancelling_removes_the_points_earned(api):
    _post(api)

    response = _status(api, "cancelled")

    assert (
        response.status_code,
        response.json()["data"]["status"],
        api.customer(LEA)["points"],
    ) == (200, "cancelled", 320)


def test_refunding_never_takes_the_balance_below_zero(pongo_sandbox, api):
    _post(api)
    pongo_sandbox.set_points(LEA, 5)

    _status(api, "refunded")

    assert api.customer(LEA)["points"] == 0


def test_cancelling_twice_removes_the_points_once(api):
    _post(api)

    _status(api, "cancelled")
    _status(api, "refunded")

    assert api.customer(LEA)["points"] == 320


def test_cancelling_gives_back_the_rewards_used(api):
    _post(api, lines=[MENU_LINE, COFFEE_LINE], amount=1250)

    _status(api, "cancelled")

    owned = _owned(api)["crw_0000000001"]
    assert (owned["used"], owned["used_order_id"]) == (False, None)


def test_refunding_gives_back_a_reward_marked_used_for_the_order_apart(api):
    _post(api, amount=850, customer={"public_id": INES})
    api.request(
        "PATCH",
        f"/v1/customers/{INES}/rewards/crw_0000000003/use",
        json={"order_id": ORDER, "store_slug": "demo-paris-11"},
    )

    _status(api, "refunded")

    owned = _owned(api, INES)["crw_0000000003"]
    assert (owned["used"], owned["used_order_id"]) == (False, None)


def test_without_restore_rewards_cancelling_keeps_them_used(pongo_sandbox, api):
    pongo_sandbox.faults(restore_rewards=False)
    _post(api, lines=[MENU_LINE, COFFEE_LINE], amount=1250)

    _status(api, "cancelled")

    assert _owned(api)["crw_0000000001"]["used"] is True


def test_paying_a_pending_order_credits_it(api):
    _post(api, status="pending")

    response = _status(api, "paid")

    assert (response.json()["data"]["points_earned"], api.customer(LEA)["points"]) == (
        13,
        333,
    )


def test_delivery_status_alone_can_change(api):
    _post(api)

    response = api.request(
        "PATCH",
        f"/v1/orders/{ORDER}/status",
        json={"loyalty_store_slug": "demo-paris-11", "delivery_status": "delivered"},
    )

    assert (
        response.json()["data"]["status"],
        response.json()["data"]["delivery_status"],
    ) == ("paid", "delivered")


def test_status_of_an_unknown_order_is_404(api):
    response = _status(api, "cancelled", order_id="ffffffffffffffffffffffffffffffff")

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Order not found."},
    )


def test_status_without_store_is_422(api):
    _post(api)

    response = api.request(
        "PATCH", f"/v1/orders/{ORDER}/status", json={"status": "cancelled"}
    )

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"loyalty_store_slug": ["The loyalty store slug field is required."]},
    )


# --- Check-ins -----------------------------------------------------------------------


def test_a_checkin_by_phone_credits_points(api):
    response = api.post(
        "/v1/checkins",
        json={"phone": "33611112222", "store_slug": "demo-lyon-2", "amount": 1000},
    )

    data = response.json()["data"]
    assert response.status_code == 201
    assert data["id"].startswith("chk_")
    assert (
        data["customer"],
        data["points_earned"],
        api.customer("cust_0000000003")["points"],
    ) == ("cust_0000000003", 10, 160)


def test_a_checkin_by_customer_id(api):
    response = api.post(
        "/v1/checkins", json={"customer": LEA, "store_slug": "demo-paris-11"}
    )

    assert (response.status_code, response.json()["data"]["points_earned"]) == (201, 0)


def test_a_checkin_of_an_unknown_phone_is_422(api):
    response = api.post(
        "/v1/checkins", json={"phone": "33600000001", "store_slug": "demo-paris-11"}
    )

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"phone": ["The selected phone is invalid."]},
    )


def test_a_checkin_without_store_is_422(api):
    response = api.post("/v1/checkins", json={"phone": "33611112222"})

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"store_slug": ["The store slug field is required."]},
    )
