"""Reward routes: catalogue filters, buying, owned rewards, lock, unlock and use."""

from __future__ import annotations

import re
import threading

import pytest

from tests.sandboxes.conftest import PongoApi

LEA = "cust_0000000001"
HUGO = "cust_0000000002"
INES = "cust_0000000004"
LEA_COFFEE = f"/v1/customers/{LEA}/rewards/crw_0000000001"
ORDER = "5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a"
OTHER_ORDER = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
FOURTEEN_MINUTES_S = 14 * 60
FIFTEEN_MINUTES_AND_A_SECOND_S = 15 * 60 + 1


def _ids(response):
    return [reward["public_id"] for reward in response.json()["data"]]


def _buy(api, reward, customer=LEA, **fields):
    body = {"customer": customer, "store_slug": "demo-paris-11", **fields}
    return api.post(f"/v1/rewards/{reward}/buy", json=body)


def _lock(api, path=LEA_COFFEE, order_id=ORDER, **fields):
    return api.post(
        f"{path}/lock",
        json={"order_id": order_id, "store_slug": "demo-paris-11", **fields},
    )


def _use(api, path=LEA_COFFEE, order_id=ORDER):
    return api.request(
        "PATCH",
        f"{path}/use",
        json={"order_id": order_id, "store_slug": "demo-paris-11"},
    )


def _owned(api, customer=LEA):
    return {
        owned["id"]: owned
        for owned in api.get(f"/v1/customers/{customer}/rewards").json()["data"]
    }


# --- Catalogue ---------------------------------------------------------------------


def test_without_a_customer_every_active_reward_is_listed(api):
    assert _ids(api.get("/v1/rewards")) == [
        "rew_0000000008",
        "rew_0000000005",
        "rew_0000000001",
        "rew_0000000003",
        "rew_0000000004",
        "rew_0000000006",
        "rew_0000000002",
        "rew_0000000007",
    ]


def test_a_segment_reward_is_hidden_from_customers_outside_it(api):
    assert "rew_0000000005" not in _ids(
        api.get("/v1/rewards", params={"customer": LEA})
    )


def test_a_segment_reward_is_listed_for_customers_in_it(api):
    assert "rew_0000000005" in _ids(api.get("/v1/rewards", params={"customer": INES}))


def test_a_store_reward_is_hidden_in_other_stores(api):
    assert "rew_0000000004" not in _ids(
        api.get("/v1/rewards", params={"store_slug": "demo-lyon-2"})
    )


def test_a_store_reward_is_listed_in_its_store(api):
    assert "rew_0000000004" in _ids(
        api.get("/v1/rewards", params={"store_slug": "demo-paris-11"})
    )


def test_rewards_are_not_filtered_by_balance(api):
    response = api.get(
        "/v1/rewards", params={"customer": HUGO, "store_slug": "demo-paris-11"}
    )

    assert _ids(response) == [
        "rew_0000000008",
        "rew_0000000001",
        "rew_0000000003",
        "rew_0000000004",
        "rew_0000000006",
        "rew_0000000002",
        "rew_0000000007",
    ]


def test_points_filters(api):
    response = api.get("/v1/rewards", params={"points_min": 100, "points_max": 250})

    assert _ids(response) == ["rew_0000000003", "rew_0000000004", "rew_0000000006"]


def test_an_inactive_reward_is_not_listed(pongo_sandbox, api):
    pongo_sandbox.update_reward("rew_0000000001", is_active=False)

    assert "rew_0000000001" not in _ids(api.get("/v1/rewards"))


def test_an_expired_reward_is_not_listed(pongo_sandbox, api):
    pongo_sandbox.update_reward(
        "rew_0000000001", expires_at="2030-01-01T00:00:00+00:00"
    )
    pongo_sandbox.set_clock(10 * 365 * 24 * 3600)

    assert "rew_0000000001" not in _ids(api.get("/v1/rewards"))


def test_an_unknown_customer_filter_is_422(api):
    response = api.get("/v1/rewards", params={"customer": "cust_ffffffffff"})

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"customer": ["The selected customer is invalid."]},
    )


# --- Buying ------------------------------------------------------------------------


def test_buying_deducts_the_points_and_returns_the_new_balance(api):
    response = _buy(api, "rew_0000000001")

    assert response.status_code == 201
    assert response.json()["customer"] == {"public_id": LEA, "points": 270}
    assert api.customer(LEA)["points"] == 270


def test_a_bought_free_product_is_owned_unused_without_coupon(api):
    owned = _buy(api, "rew_0000000001").json()["data"]

    assert owned["id"].startswith("crw_")
    assert {
        key: owned[key]
        for key in (
            "reward_id",
            "customer",
            "store_slug",
            "external_id",
            "coupon_code",
            "used",
            "locked_until",
        )
    } == {
        "reward_id": "rew_0000000001",
        "customer": LEA,
        "store_slug": "demo-paris-11",
        "external_id": "SKU-ESPRESSO,SKU-CAFE-LONG,ZELTY-9912",
        "coupon_code": None,
        "used": False,
        "locked_until": None,
    }
    assert owned["reward"]["external_id"] == "SKU-ESPRESSO,SKU-CAFE-LONG,ZELTY-9912"


def test_a_bought_voucher_has_a_coupon_code(api):
    owned = _buy(api, "rew_0000000003").json()["data"]

    assert re.fullmatch(r"PONGO-[A-Z0-9]{8}", owned["coupon_code"])


def test_every_voucher_gets_its_own_coupon_code(api):
    first = _buy(api, "rew_0000000003").json()["data"]["coupon_code"]
    second = _buy(api, "rew_0000000003").json()["data"]["coupon_code"]

    assert first != second


def test_buying_with_used_true_consumes_at_once(api):
    owned = _buy(api, "rew_0000000001", used=True).json()["data"]

    assert owned["used"] is True


def test_buying_without_enough_points_is_409_and_spends_nothing(api):
    response = _buy(api, "rew_0000000001", customer=HUGO)

    assert (response.status_code, response.json()) == (
        409,
        {
            "message": "The customer does not have enough points.",
            "code": "insufficient_points",
        },
    )
    assert (api.customer(HUGO)["points"], _owned(api, HUGO)) == (0, {})


def test_buying_an_unknown_reward_is_404(api):
    response = _buy(api, "rew_ffffffffff")

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Reward not found."},
    )


def test_buying_for_an_unknown_customer_is_404(api):
    response = _buy(api, "rew_0000000001", customer="cust_ffffffffff")

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Customer not found."},
    )


def test_buying_without_a_store_is_422(api):
    response = api.post("/v1/rewards/rew_0000000001/buy", json={"customer": LEA})

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"store_slug": ["The store slug field is required."]},
    )


def test_buying_a_segment_reward_outside_the_segment_is_422(api):
    response = _buy(api, "rew_0000000005")

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"customer": ["This reward is not available for this customer."]},
    )


def test_buying_a_store_reward_in_another_store_is_422(api):
    response = _buy(api, "rew_0000000004", store_slug="demo-lyon-2")

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"store_slug": ["This reward is not available in this store."]},
    )


def test_buying_an_inactive_reward_is_422(pongo_sandbox, api):
    pongo_sandbox.update_reward("rew_0000000001", is_active=False)

    response = _buy(api, "rew_0000000001")

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"customer": ["This reward is no longer available."]},
    )


def test_buying_without_the_pin_of_a_customer_who_has_one_is_422(api):
    response = _buy(api, "rew_0000000005", customer=INES)

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"pin": ["The pin is incorrect."]},
    )


def test_buying_with_a_wrong_pin_is_422_and_spends_nothing(api):
    _buy(api, "rew_0000000005", customer=INES, pin="0000")

    assert api.customer(INES)["points"] == 80


def test_buying_with_the_right_pin(api):
    response = _buy(api, "rew_0000000005", customer=INES, pin="1234")

    assert (response.status_code, response.json()["customer"]["points"]) == (201, 50)


def test_two_parallel_buys_of_what_the_customer_can_afford_once(pongo_sandbox):
    pongo_sandbox.set_points(LEA, 50)
    clients = [PongoApi(pongo_sandbox.base_url) for _ in range(2)]
    start = threading.Barrier(2)
    statuses = []

    def buy(client):
        start.wait()
        statuses.append(_buy(client, "rew_0000000001").status_code)

    threads = [threading.Thread(target=buy, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201, 409]
    assert clients[0].customer(LEA)["points"] == 0


# --- Owned rewards ------------------------------------------------------------------


def test_owned_rewards_filtered_by_used(api):
    unused = api.get(f"/v1/customers/{LEA}/rewards", params={"used": "false"})
    used = api.get(f"/v1/customers/{LEA}/rewards", params={"used": "true"})

    assert (_ids_of_owned(unused), _ids_of_owned(used)) == (
        ["crw_0000000001"],
        ["crw_0000000002"],
    )


def test_owned_rewards_of_an_unknown_customer_is_404(api):
    response = api.get("/v1/customers/cust_ffffffffff/rewards")

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Customer not found."},
    )


def test_owned_rewards_with_a_bad_used_filter_is_422(api):
    response = api.get(f"/v1/customers/{LEA}/rewards", params={"used": "maybe"})

    assert response.status_code == 422


def _ids_of_owned(response):
    return [owned["id"] for owned in response.json()["data"]]


# --- Lock, unlock, use ----------------------------------------------------------------


def test_lock_holds_the_reward_for_the_order(api):
    response = _lock(api)

    owned = response.json()["data"]
    assert (response.status_code, owned["locked_order_id"]) == (200, ORDER)
    assert owned["locked_until"] is not None


def test_lock_by_another_order_is_409(api):
    _lock(api)

    response = _lock(api, order_id=OTHER_ORDER)

    assert (response.status_code, response.json()) == (
        409,
        {"message": "This reward is locked by another order.", "code": "reward_locked"},
    )


def test_locking_again_for_the_same_order_is_409(api):
    _lock(api)

    response = _lock(api)

    assert (response.status_code, response.json()) == (
        409,
        {"message": "This reward is already locked.", "code": "reward_locked"},
    )
    assert _owned(api)["crw_0000000001"]["locked_order_id"] == ORDER


def test_a_lock_holds_until_its_duration_on_the_sandbox_clock(pongo_sandbox, api):
    _lock(api)
    pongo_sandbox.set_clock(FOURTEEN_MINUTES_S)

    response = _lock(api, order_id=OTHER_ORDER)

    assert response.status_code == 409


def test_an_expired_lock_lets_another_order_lock(pongo_sandbox, api):
    _lock(api)
    pongo_sandbox.set_clock(FIFTEEN_MINUTES_AND_A_SECOND_S)

    response = _lock(api, order_id=OTHER_ORDER)

    assert (response.status_code, response.json()["data"]["locked_order_id"]) == (
        200,
        OTHER_ORDER,
    )


def test_a_lock_of_a_given_duration_ends_then(pongo_sandbox, api):
    _lock(api, duration_minutes=1)
    pongo_sandbox.set_clock(61)

    assert _owned(api)["crw_0000000001"]["locked_until"] is None


def test_locking_a_used_reward_is_409(api):
    response = _lock(api, path=f"/v1/customers/{LEA}/rewards/crw_0000000002")

    assert (response.status_code, response.json()) == (
        409,
        {"message": "This reward has already been used.", "code": "reward_used"},
    )


def test_locking_without_order_id_is_422(api):
    response = api.post(f"{LEA_COFFEE}/lock", json={})

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"order_id": ["The order id field is required."]},
    )


def test_locking_a_reward_of_another_customer_is_404(api):
    response = _lock(api, path=f"/v1/customers/{HUGO}/rewards/crw_0000000001")

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Reward not found."},
    )


def test_unlock_releases_the_lock(api):
    _lock(api)

    response = api.request("DELETE", f"{LEA_COFFEE}/lock")

    assert (response.status_code, _owned(api)["crw_0000000001"]["locked_order_id"]) == (
        204,
        None,
    )


def test_unlocking_an_unlocked_reward_is_204(api):
    response = api.request("DELETE", f"{LEA_COFFEE}/lock")

    assert response.status_code == 204


def test_unlocking_for_another_order_is_409(api):
    _lock(api)

    response = api.request(
        "DELETE", f"{LEA_COFFEE}/lock", json={"order_id": OTHER_ORDER}
    )

    assert (response.status_code, response.json()["code"]) == (409, "reward_locked")


def test_unlocking_an_unknown_reward_is_404(api):
    response = api.request("DELETE", f"/v1/customers/{LEA}/rewards/crw_ffffffffff/lock")

    assert response.status_code == 404


def test_use_marks_the_reward_used_by_the_order(api):
    response = _use(api)

    owned = response.json()["data"]
    assert (response.status_code, owned["used"], owned["used_order_id"]) == (
        200,
        True,
        ORDER,
    )


def test_using_again_for_the_same_order_is_409(api):
    _use(api)

    response = _use(api)

    assert (response.status_code, response.json()) == (
        409,
        {"message": "This reward has already been used.", "code": "reward_used"},
    )


def test_using_a_reward_used_by_another_order_is_409(api):
    _use(api)

    response = _use(api, order_id=OTHER_ORDER)

    assert (response.status_code, response.json()["code"]) == (409, "reward_used")


def test_using_a_reward_locked_by_another_order_is_409(api):
    _lock(api, order_id=OTHER_ORDER)

    response = _use(api)

    assert (response.status_code, response.json()["code"]) == (409, "reward_locked")


def test_using_an_unknown_reward_is_404(api):
    response = _use(api, path=f"/v1/customers/{LEA}/rewards/crw_ffffffffff")

    assert response.status_code == 404


@pytest.mark.parametrize("order_id", [None, ""])
def test_using_without_order_id_is_422(api, order_id):
    response = api.request("PATCH", f"{LEA_COFFEE}/use", json={"order_id": order_id})

    assert response.status_code == 422
