"""Void: holds released, claims reversed down to 0, replays, refusals."""

from __future__ import annotations

from tests.sandboxes.rbi.conftest import (
    ALEX,
    FREE_DRINK,
    SAM,
    UNKNOWN_USER,
    available_points,
    line,
    meal_lines,
    reward_line,
    transaction_body,
)


def _claimed(api, lines, identifier=ALEX, loyalty_id=ALEX):
    transaction_id = api.identified(identifier)["transactionId"]
    body = transaction_body(
        transaction_id, lines=lines, status="CLAIMED", loyalty_id=loyalty_id
    )
    assert api.update(transaction_id, body).status_code == 200
    return transaction_id


def test_void_releases_the_identify_holds(rbi_sandbox, api):
    transaction_id = api.identified("222222")["transactionId"]

    response = api.void(transaction_id)

    assert (response.status_code, response.json()) == (
        200,
        {"transactionId": transaction_id},
    )
    assert available_points(rbi_sandbox, ALEX) == 1200


def test_void_releases_the_pending_holds(rbi_sandbox, api):
    transaction_id = api.identified(ALEX)["transactionId"]
    api.update(
        transaction_id,
        transaction_body(transaction_id, lines=[reward_line(*FREE_DRINK)]),
    )

    api.void(transaction_id)

    state = rbi_sandbox.transaction(transaction_id)
    assert (state["status"], state["heldPoints"], state["holds"]) == ("VOID", 0, [])
    assert available_points(rbi_sandbox, ALEX) == 1200


def test_voiding_again_is_refused_and_moves_nothing(rbi_sandbox, api):
    transaction_id = api.identified("222222")["transactionId"]
    api.void(transaction_id)

    response = api.void(transaction_id)

    assert (response.status_code, response.json()["code"]) == (
        400,
        "TransactionNotClaimable",
    )
    assert rbi_sandbox.user(ALEX)["availablePoints"] == 1200


def test_void_of_a_claim_returns_the_burn_and_takes_the_earn(rbi_sandbox, api):
    transaction_id = _claimed(api, [*meal_lines(), reward_line(*FREE_DRINK)])

    api.void(transaction_id)

    assert rbi_sandbox.user(ALEX)["points"] == 1200


def test_void_of_a_claim_is_recorded(rbi_sandbox, api):
    transaction_id = _claimed(api, [*meal_lines(), reward_line(*FREE_DRINK)])

    api.void(transaction_id)

    state = rbi_sandbox.transaction(transaction_id)
    assert (state["status"], state["history"][-1]) == (
        "VOID",
        {
            "at": state["updatedAt"],
            "event": "voided",
            "returnedPoints": 250,
            "removedPoints": 84,
        },
    )


def test_void_of_a_claim_never_goes_below_zero(rbi_sandbox, api):
    transaction_id = _claimed(
        api, [line("1", "item", "4101", 5.99)], identifier=SAM, loyalty_id=SAM
    )
    rbi_sandbox.set_points(SAM, 20)

    api.void(transaction_id)

    assert rbi_sandbox.user(SAM)["points"] == 0


def test_voiding_a_voided_claim_moves_nothing(rbi_sandbox, api):
    transaction_id = _claimed(api, [*meal_lines(), reward_line(*FREE_DRINK)])
    api.void(transaction_id)

    api.void(transaction_id)

    assert rbi_sandbox.user(ALEX)["points"] == 1200


def test_void_needs_no_body(api):
    transaction_id = api.identified(ALEX)["transactionId"]

    response = api.request("PUT", f"/loyalty/transaction/pos/{transaction_id}/void")

    assert response.status_code == 200


def test_void_ignores_the_basket(rbi_sandbox, api):
    transaction_id = api.identified("222222")["transactionId"]
    body = transaction_body(None, loyalty_id=None, lines=[reward_line(*FREE_DRINK)])

    api.void(transaction_id, body)

    assert rbi_sandbox.transaction(transaction_id)["basket"] == [
        {
            "referenceId": "01",
            "productType": "REWARD",
            "productId": "9001",
            "quantity": 1,
            "incentiveId": "reward-free-drink",
            "loyaltyEngineId": "eng-rwd-0001",
            "price": 0,
        },
        {
            "referenceId": "02",
            "productType": "OFFER",
            "productId": "8007",
            "quantity": 1,
            "incentiveId": "config-whopper-2",
            "loyaltyEngineId": "eng-pof-0001",
        },
    ]


def test_void_of_an_unknown_transaction_is_not_found(api):
    response = api.void("f4190848-169d-4c69-9f53-f916318c432b")

    assert (response.status_code, response.json()["code"]) == (
        404,
        "TransactionNotFoundError",
    )


def test_void_for_an_unknown_user_is_user_not_found(api):
    transaction_id = api.identified(ALEX)["transactionId"]

    response = api.void(transaction_id, {"loyaltyId": UNKNOWN_USER})

    assert (response.status_code, response.json()["code"]) == (
        404,
        "UserNotFoundError",
    )


def test_void_with_a_malformed_body_is_a_validation_error(api):
    transaction_id = api.identified(ALEX)["transactionId"]

    response = api.request(
        "PUT", f"/loyalty/transaction/pos/{transaction_id}/void", data=b"[1, 2"
    )

    assert (response.status_code, response.json()["code"]) == (400, "ValidationError")


def test_a_refused_void_keeps_the_holds(rbi_sandbox, api):
    transaction_id = api.identified("222222")["transactionId"]

    api.void(transaction_id, {"loyaltyId": UNKNOWN_USER})

    assert rbi_sandbox.transaction(transaction_id)["status"] == "PENDING"
