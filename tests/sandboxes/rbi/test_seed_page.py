"""RBI's personalised-offers page: its example payloads, answered in its shapes.

The payloads below are the page's, made valid JSON: placeholders replaced,
comments and the `"field"?:` optional markers removed. Their currency (USD)
and their totals (lines of 7.99 against a payment of 5.00) stay as they are.
"""

from __future__ import annotations

import copy
import json

import pytest

from tests.sandboxes.rbi.conftest import ALEX, available_points

POS_VENDOR = {
    "matchingId": "smg-0001",
    "operator": "op-0007",
    "posType": "Partner",
    "storeId": "9999",
    "supportingPos": "partner",
    "terminal": "2",
    "transactionId": "pos-transaction-0001",
}

IDENTIFY = {"identifier": "111111", "posVendor": POS_VENDOR}

VALIDATE = json.loads(
    """
{
    "channel": "Restaurant",
    "created": "2021-05-04T13:39:47Z",
    "loyaltyId": "00000000-0000-4000-8000-000000000001",
    "serviceMode": "EAT_IN",
    "status": "PENDING",
    "transactionDetails": {
        "currency": "USD",
        "order": [
            {"name": "med whopper combo", "price": 5.00, "productId": "4001",
             "productType": "combo", "quantity": 1, "referenceId": "1", "tax": 0},
            {"name": "whopper", "parentReferenceId": "1", "price": 0, "productId": "4101",
             "productType": "item", "quantity": 1, "referenceId": "2", "tax": 0},
            {"name": "med fries", "parentReferenceId": "1", "price": 0, "productId": "4102",
             "productType": "item", "quantity": 1, "referenceId": "3", "tax": 0},
            {"incentiveId": "reward-free-drink", "name": "free drink reward", "price": 0,
             "productId": "9001", "productType": "REWARD", "quantity": 1,
             "referenceId": "4", "tax": 0},
            {"incentiveId": "offer-chicken-meal-299", "loyaltyEngineId": "eng-ofr-0001",
             "name": "$2.99 chicken sandwich meal", "price": 2.99, "productId": "8001",
             "productType": "OFFER", "quantity": 1, "referenceId": "5", "tax": 0.50}
        ],
        "payments": [{"amount": 500, "type": "VISA", "ccToken": "tok-visa-0001"}],
        "posVendor": {
            "matchingId": "smg-0001", "operator": "op-0007", "posType": "Partner",
            "storeId": "9999", "supportingPos": "partner", "terminal": "2",
            "transactionId": "pos-transaction-0001"
        }
    },
    "transactionId": "TRANSACTION"
}
"""
)

UNCLAIMED = json.loads(
    """
{
    "channel": "Restaurant",
    "created": "2021-05-04T13:39:47Z",
    "serviceMode": "TAKEOUT",
    "status": "CLAIMED",
    "transactionDetails": {
        "currency": "USD",
        "order": [
            {"name": "some incentive name", "price": 5.00, "productId": "8002",
             "productType": "offer", "quantity": 1, "referenceId": "1", "tax": 0},
            {"name": "med whopper combo", "price": 5.00, "productId": "4001",
             "productType": "combo", "quantity": 1, "referenceId": "1", "tax": 0},
            {"name": "whopper", "parentReferenceId": "1", "price": 0, "productId": "4101",
             "productType": "item", "quantity": 1, "referenceId": "2", "tax": 0},
            {"name": "med fries", "parentReferenceId": "1", "price": 0, "productId": "4102",
             "productType": "item", "quantity": 1, "referenceId": "3", "tax": 0}
        ],
        "payments": [{"amount": 500, "type": "CASH", "ccToken": "tok-cash-0001"}],
        "posVendor": {
            "matchingId": "smg-0001", "operator": "op-0007", "posType": "Partner",
            "storeId": "9999", "terminal": "2", "transactionId": "pos-transaction-0002"
        }
    }
}
"""
)

POINTS_ANSWER_KEYS = {
    "loyaltyId",
    "points",
    "pointsEarned",
    "pointsRedeemed",
    "transactionId",
}


def _for(transaction_id, payload, **changes):
    body = copy.deepcopy(payload)
    body["transactionId"] = transaction_id
    body.update(changes)
    return body


def _update(transaction_id, status):
    """The Update page's body: the same order, for a system-wide offer."""
    return _for(transaction_id, VALIDATE, status=status)


def _void():
    """The Void page's body: no loyaltyId, no transactionId, any basket."""
    body = copy.deepcopy(UNCLAIMED)
    body["status"] = "CLAIMED"
    return body


@pytest.fixture
def transaction_id(api):
    response = api.request("POST", "/loyalty/identify", json=IDENTIFY)
    assert response.status_code == 200, response.text
    return response.json()["transactionId"]


def test_identify_answers_the_documented_shape(api):
    response = api.request("POST", "/loyalty/identify", json=IDENTIFY)

    data = response.json()
    assert (response.status_code, set(data)) == (
        200,
        {"balances", "loyaltyUser", "order", "transactionId"},
    )
    assert (data["balances"], set(data["loyaltyUser"])) == (
        [{"amount": 1200, "currency": "points"}],
        {"created", "id", "name"},
    )


def test_validate_answers_the_documented_shape(api, transaction_id):
    response = api.validate(transaction_id, _for(transaction_id, VALIDATE))

    assert (response.status_code, response.json()) == (
        200,
        {
            "loyaltyId": ALEX,
            "points": 1029,
            "pointsEarned": 79,
            "pointsRedeemed": 250,
            "transactionId": transaction_id,
        },
    )


def test_validate_holds_nothing(rbi_sandbox, api, transaction_id):
    api.validate(transaction_id, _for(transaction_id, VALIDATE))

    assert available_points(rbi_sandbox, ALEX) == 1200


def test_update_pending_answers_the_documented_shape(api, transaction_id):
    response = api.update(transaction_id, _update(transaction_id, "PENDING"))

    assert (response.status_code, response.json()) == (
        200,
        {
            "loyaltyId": ALEX,
            "points": 950,
            "pointsEarned": 0,
            "pointsRedeemed": 250,
            "transactionId": transaction_id,
        },
    )


def test_update_claimed_answers_the_documented_shape(api, transaction_id):
    response = api.update(transaction_id, _update(transaction_id, "CLAIMED"))

    assert (response.status_code, response.json()) == (
        200,
        {
            "loyaltyId": ALEX,
            "points": 1029,
            "pointsEarned": 79,
            "pointsRedeemed": 250,
            "transactionId": transaction_id,
        },
    )


def test_update_pending_then_claimed_keeps_the_documented_shape(api, transaction_id):
    api.update(transaction_id, _update(transaction_id, "PENDING"))

    response = api.update(transaction_id, _update(transaction_id, "CLAIMED"))

    assert set(response.json()) == POINTS_ANSWER_KEYS


def test_void_answers_the_documented_shape(api, transaction_id):
    api.update(transaction_id, _update(transaction_id, "CLAIMED"))

    response = api.void(transaction_id, _void())

    assert (response.status_code, response.json()) == (
        200,
        {"transactionId": transaction_id},
    )


def test_void_after_the_claim_gives_the_balance_back(rbi_sandbox, api, transaction_id):
    api.update(transaction_id, _update(transaction_id, "CLAIMED"))

    api.void(transaction_id, _void())

    assert available_points(rbi_sandbox, ALEX) == 1200


def test_unclaimed_answers_the_documented_shape(api):
    response = api.unclaimed(UNCLAIMED)

    data = response.json()
    assert (response.status_code, set(data)) == (200, {"presentation", "transactionId"})
    assert data["presentation"] == {
        "header": "Burger King France",
        "footer": "Thank you for your visit",
        "marketing": "Earn points on this order: scan it in the BK app",
        "identifier": f"Transaction ID: {data['transactionId']}",
    }


def test_a_personalised_offer_line_carries_only_its_engine_id(api):
    transaction_id = api.identified("222222")["transactionId"]
    body = _for(transaction_id, VALIDATE)
    body["transactionDetails"]["order"][4] = {
        "loyaltyEngineId": "eng-pof-0001",
        "name": "your whopper for 2.00",
        "price": 2.00,
        "productId": "8007",
        "productType": "OFFER",
        "quantity": 1,
        "referenceId": "5",
        "tax": 0.33,
    }

    response = api.update(transaction_id, {**body, "status": "CLAIMED"})

    assert (response.status_code, response.json()["pointsEarned"]) == (200, 70)
