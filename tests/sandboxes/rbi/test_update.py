"""Update: PENDING holds, CLAIMED burns and earns, replays and refusals."""

from __future__ import annotations

from tests.sandboxes.rbi.conftest import (
    ALEX,
    CHICKEN_MEAL,
    FREE_DRINK,
    KIM,
    SAM,
    available_points,
    line,
    meal_lines,
    offer_line,
    reward_line,
    rules_of,
    transaction_body,
)

FRIES = ("reward-free-fries", "9002")


def _opened(api, identifier=ALEX, **vendor):
    return api.identified(identifier, **vendor)["transactionId"]


def _update(api, transaction_id, lines=None, status="PENDING", **body):
    return api.update(
        transaction_id,
        transaction_body(transaction_id, lines=lines, status=status, **body),
    )


def test_pending_holds_the_rewards_points(rbi_sandbox, api):
    transaction_id = _opened(api)

    _update(api, transaction_id, [*meal_lines(), reward_line(*FREE_DRINK)])

    assert (
        rbi_sandbox.user(ALEX)["points"],
        available_points(rbi_sandbox, ALEX),
        rbi_sandbox.transaction(transaction_id)["heldPoints"],
    ) == (1200, 950, 250)


def test_pending_answers_the_available_balance_and_no_earn(api):
    transaction_id = _opened(api)

    response = _update(api, transaction_id, [*meal_lines(), reward_line(*FREE_DRINK)])

    assert response.json() == {
        "loyaltyId": ALEX,
        "points": 950,
        "pointsEarned": 0,
        "pointsRedeemed": 250,
        "transactionId": transaction_id,
    }


def test_pending_replaces_the_basket_and_its_holds(rbi_sandbox, api):
    transaction_id = _opened(api)
    _update(api, transaction_id, [reward_line(*FREE_DRINK)])

    _update(api, transaction_id, [reward_line(*FRIES)])

    state = rbi_sandbox.transaction(transaction_id)
    assert state["holds"] == [
        {
            "incentiveId": "reward-free-fries",
            "loyaltyEngineId": "eng-rwd-0002",
            "points": 400,
        }
    ]
    assert available_points(rbi_sandbox, ALEX) == 800


def test_pending_without_rewards_releases_identify_holds(rbi_sandbox, api):
    transaction_id = _opened(api, "222222")

    _update(api, transaction_id, meal_lines())

    assert available_points(rbi_sandbox, ALEX) == 1200


def test_pending_stores_the_basket(rbi_sandbox, api):
    transaction_id = _opened(api)
    lines = [*meal_lines(), reward_line(*FREE_DRINK)]

    _update(api, transaction_id, lines)

    assert rbi_sandbox.transaction(transaction_id)["basket"] == lines


def test_pending_with_empty_payments_for_the_counter(api):
    transaction_id = _opened(api)

    response = _update(api, transaction_id, meal_lines(), payments=[])

    assert response.status_code == 200


def test_claim_burns_the_rewards_and_earns_on_the_spend(rbi_sandbox, api):
    transaction_id = _opened(api)
    lines = [*meal_lines(), reward_line(*FREE_DRINK), offer_line(*CHICKEN_MEAL)]

    response = _update(api, transaction_id, lines, status="CLAIMED")

    assert response.json() == {
        "loyaltyId": ALEX,
        "points": 1064,
        "pointsEarned": 114,
        "pointsRedeemed": 250,
        "transactionId": transaction_id,
    }
    assert rbi_sandbox.user(ALEX)["points"] == 1064


def test_claim_records_burn_earn_and_history(rbi_sandbox, api):
    transaction_id = _opened(api)
    _update(api, transaction_id, [*meal_lines(), reward_line(*FREE_DRINK)])

    _update(
        api, transaction_id, [*meal_lines(), reward_line(*FREE_DRINK)], status="CLAIMED"
    )

    state = rbi_sandbox.transaction(transaction_id)
    assert (
        state["status"],
        state["heldPoints"],
        state["burnedPoints"],
        state["earnedPoints"],
    ) == ("CLAIMED", 0, 250, 84)
    assert [event["event"] for event in state["history"]] == [
        "identified",
        "updated",
        "claimed",
    ]


def test_claim_after_pending_turns_the_hold_into_a_burn(rbi_sandbox, api):
    transaction_id = _opened(api, "222222")

    _update(
        api, transaction_id, [*meal_lines(), reward_line(*FREE_DRINK)], status="CLAIMED"
    )

    assert (rbi_sandbox.user(ALEX)["points"], available_points(rbi_sandbox, ALEX)) == (
        1034,
        1034,
    )


def test_earn_is_rounded_down(api):
    transaction_id = _opened(api)

    response = _update(
        api, transaction_id, [line("1", "item", "4101", 5.99)], status="CLAIMED"
    )

    assert response.json()["pointsEarned"] == 59


def test_earn_needs_the_minimum_spend(api):
    transaction_id = _opened(api)

    response = _update(
        api, transaction_id, [line("1", "item", "4201", 0.99)], status="CLAIMED"
    )

    assert response.json()["pointsEarned"] == 0


def test_earn_starts_at_the_minimum_spend(api):
    transaction_id = _opened(api)

    response = _update(
        api, transaction_id, [line("1", "item", "4201", 1.00)], status="CLAIMED"
    )

    assert response.json()["pointsEarned"] == 10


def test_earn_counts_every_unit(api):
    transaction_id = _opened(api)

    response = _update(
        api,
        transaction_id,
        [line("1", "item", "4102", 3.50, quantity=3)],
        status="CLAIMED",
    )

    assert response.json()["pointsEarned"] == 105


def test_earn_can_count_payments_instead(rbi_sandbox, api):
    rbi_sandbox.faults(earn_basis="payments")
    transaction_id = _opened(api)

    response = _update(
        api,
        transaction_id,
        meal_lines(),
        status="CLAIMED",
        payments=[{"amount": 500, "type": "VISA"}],
    )

    assert response.json()["pointsEarned"] == 50


def test_a_counter_claim_without_payments_earns_on_the_lines(api):
    transaction_id = _opened(api)

    response = _update(api, transaction_id, meal_lines(), status="CLAIMED", payments=[])

    assert response.json()["pointsEarned"] == 84


def test_the_same_claim_again_is_refused_not_replayed(rbi_sandbox, api):
    transaction_id = _opened(api)
    body = transaction_body(
        transaction_id,
        lines=[*meal_lines(), reward_line(*FREE_DRINK)],
        status="CLAIMED",
    )
    api.update(transaction_id, body)

    second = api.update(transaction_id, body)

    assert (second.status_code, second.json()["code"]) == (
        409,
        "TransactionAlreadyClaimed",
    )
    assert rbi_sandbox.transaction(transaction_id)["earnedPoints"] == 84


def test_a_replayed_claim_burns_and_earns_once(rbi_sandbox, api):
    transaction_id = _opened(api)
    body = transaction_body(
        transaction_id,
        lines=[*meal_lines(), reward_line(*FREE_DRINK)],
        status="CLAIMED",
    )
    api.update(transaction_id, body)

    api.update(transaction_id, body)

    assert rbi_sandbox.user(ALEX)["points"] == 1034


def test_another_claim_of_a_claimed_transaction_conflicts(api):
    transaction_id = _opened(api)
    _update(api, transaction_id, meal_lines(), status="CLAIMED")

    response = _update(
        api, transaction_id, [*meal_lines(), reward_line(*FREE_DRINK)], status="CLAIMED"
    )

    assert (response.status_code, response.json()) == (
        409,
        {
            "statusCode": 409,
            "code": "TransactionAlreadyClaimed",
            "message": "Transaction already claimed",
            "details": {},
        },
    )


def test_pending_after_the_claim_conflicts(api):
    transaction_id = _opened(api)
    _update(api, transaction_id, meal_lines(), status="CLAIMED")

    response = _update(api, transaction_id, meal_lines())

    assert response.status_code == 409


def test_a_voided_transaction_is_not_claimable(api):
    transaction_id = _opened(api)
    api.void(transaction_id)

    response = _update(api, transaction_id, meal_lines(), status="CLAIMED")

    assert (response.status_code, response.json()["code"]) == (
        400,
        "TransactionNotClaimable",
    )


def test_a_status_other_than_pending_or_claimed_is_not_claimable(api):
    transaction_id = _opened(api)

    response = _update(api, transaction_id, meal_lines(), status="VOID")

    assert (response.status_code, response.json()["code"]) == (
        400,
        "TransactionNotClaimable",
    )


def test_an_unknown_transaction_is_not_found(api):
    missing = "f4190848-169d-4c69-9f53-f916318c432b"

    response = _update(api, missing, meal_lines())

    assert (response.status_code, response.json()["code"]) == (
        404,
        "TransactionNotFoundError",
    )


def test_missing_points_alone_are_insufficient_points(rbi_sandbox, api):
    transaction_id = _opened(api, KIM)

    response = _update(
        api,
        transaction_id,
        [reward_line(*FREE_DRINK)],
        status="CLAIMED",
        loyalty_id=KIM,
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "statusCode": 400,
            "code": "TransactionInsufficientPoints",
            "message": "User does not have sufficient funds to redeem reward",
            "details": {"currentValue": 240, "targetValue": 250},
        },
    )
    assert rbi_sandbox.user(KIM)["points"] == 240


def test_other_rule_failures_are_a_rules_error(rbi_sandbox, api):
    transaction_id = _opened(api, SAM)

    response = _update(
        api,
        transaction_id,
        [reward_line(*FREE_DRINK), offer_line(*CHICKEN_MEAL, quantity=2)],
        status="CLAIMED",
        loyalty_id=SAM,
    )

    assert rules_of(response) == [
        ("insufficient-point-balance", "point-balance"),
        ("exceeds-limit-per-order", "limit-per-order"),
    ]


def test_a_refused_claim_changes_nothing(rbi_sandbox, api):
    transaction_id = _opened(api, SAM)

    _update(
        api,
        transaction_id,
        [*meal_lines(), reward_line(*FREE_DRINK)],
        status="CLAIMED",
        loyalty_id=SAM,
    )

    state = rbi_sandbox.transaction(transaction_id)
    assert (state["status"], rbi_sandbox.user(SAM)["points"]) == ("PENDING", 0)


def test_a_reward_at_a_store_without_loyalty_is_redeem_reward_error(api):
    transaction_id = _opened(api, storeId="8888")

    response = _update(
        api,
        transaction_id,
        [reward_line(*FREE_DRINK)],
        status="CLAIMED",
        storeId="8888",
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "statusCode": 400,
            "code": "RedeemRewardError",
            "message": "Rewards cannot be redeemed at this store",
            "details": {},
        },
    )


def test_redeem_reward_error_follows_the_spelling_switch(rbi_sandbox, api):
    rbi_sandbox.faults(upper_snake_codes=True)
    transaction_id = _opened(api, storeId="8888")

    response = _update(
        api,
        transaction_id,
        [reward_line(*FREE_DRINK)],
        status="CLAIMED",
        storeId="8888",
    )

    assert response.json()["code"] == "REDEEM_REWARD_ERROR"


def test_a_sale_without_rewards_at_a_store_without_loyalty_is_claimed(api):
    transaction_id = _opened(api, storeId="8888")

    response = _update(
        api, transaction_id, meal_lines(), status="CLAIMED", storeId="8888"
    )

    assert response.status_code == 200


def test_the_pos_claims_a_counter_order_with_the_same_plus(rbi_sandbox, api):
    transaction_id = _opened(api)
    lines = [*meal_lines(), reward_line(*FREE_DRINK)]
    _update(api, transaction_id, lines, payments=[])

    response = _update(
        api,
        transaction_id,
        lines,
        status="CLAIMED",
        payments=[{"amount": 849, "type": "CASH"}],
        terminal="POS-1",
    )

    assert (response.status_code, rbi_sandbox.user(ALEX)["points"]) == (200, 1034)
