"""Unclaimed sales: recorded without a user, no rules, no points."""

from __future__ import annotations

from tests.sandboxes.rbi.conftest import (
    ALEX,
    KIM,
    ROBIN,
    SAM,
    line,
    meal_lines,
    transaction_body,
)

SEED_POINTS = {ALEX: 1200, SAM: 0, KIM: 240, ROBIN: 3000}


def _sale(**changes):
    return transaction_body(None, loyalty_id=None, status="CLAIMED", **changes)


def test_an_unclaimed_sale_is_recorded_as_claimed(rbi_sandbox, api):
    transaction_id = api.unclaimed(_sale()).json()["transactionId"]

    state = rbi_sandbox.transaction(transaction_id)
    assert (state["status"], state["isUnclaimed"], state["loyaltyId"]) == (
        "CLAIMED",
        True,
        None,
    )
    assert state["basket"] == meal_lines()


def test_an_unclaimed_sale_moves_no_points(rbi_sandbox, api):
    api.unclaimed(_sale())

    points = {
        loyalty_id: rbi_sandbox.user(loyalty_id)["points"] for loyalty_id in SEED_POINTS
    }
    assert points == SEED_POINTS


def test_an_unclaimed_sale_evaluates_no_rules(api):
    lines = [
        line(
            "1", "offer", "8003", 3.99, incentiveId="offer-weekend-whopper", quantity=3
        )
    ]

    response = api.unclaimed(_sale(lines=lines))

    assert response.status_code == 200


def test_an_unclaimed_sale_must_be_claimed(api):
    response = api.unclaimed(transaction_body(None, loyalty_id=None, status="PENDING"))

    assert (response.status_code, response.json()["details"]) == (
        400,
        {"fields": ["status"]},
    )


def test_an_unclaimed_sale_at_an_unknown_store_is_store_not_found(api):
    response = api.unclaimed(_sale(storeId="1234"))

    assert (response.status_code, response.json()["code"]) == (404, "StoreNotFound")


def test_an_unclaimed_sale_needs_its_store(api):
    body = _sale()
    del body["transactionDetails"]["posVendor"]

    response = api.unclaimed(body)

    assert response.json()["details"] == {
        "fields": ["transactionDetails.posVendor.storeId"]
    }


def test_each_unclaimed_sale_gets_its_own_transaction(api):
    first = api.unclaimed(_sale()).json()["transactionId"]

    assert api.unclaimed(_sale()).json()["transactionId"] != first


def test_an_unclaimed_sale_can_be_voided(rbi_sandbox, api):
    transaction_id = api.unclaimed(_sale()).json()["transactionId"]

    api.void(transaction_id)

    assert rbi_sandbox.transaction(transaction_id)["status"] == "VOID"


def test_an_unclaimed_sale_cannot_be_claimed_by_a_user(api):
    transaction_id = api.unclaimed(_sale()).json()["transactionId"]

    response = api.update(
        transaction_id, transaction_body(transaction_id, status="CLAIMED")
    )

    assert (response.status_code, response.json()["code"]) == (
        409,
        "TransactionAlreadyClaimed",
    )


def test_an_unclaimed_sale_sent_twice_is_recorded_twice(rbi_sandbox, api):
    first = api.unclaimed(_sale()).json()["transactionId"]

    second = api.unclaimed(_sale()).json()["transactionId"]

    assert first != second
    assert rbi_sandbox.transaction(second)["isUnclaimed"] is True
