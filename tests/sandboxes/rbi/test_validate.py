"""Validate: the rule evaluator's every documented failure, and no side effects."""

from __future__ import annotations

import pytest

from tests.sandboxes.rbi.conftest import (
    ALEX,
    CHICKEN_MEAL,
    FREE_DRINK,
    FRIES_OFFER,
    KIM,
    NUGGETS,
    ROBIN,
    STORE_SPECIAL,
    WEEKEND_WHOPPER,
    WELCOME_SHAKE,
    available_points,
    line,
    market_time,
    meal_lines,
    offer_line,
    paris,
    reward_line,
    rules_of,
    transaction_body,
)


def _opened(api, identifier=ALEX, **vendor):
    return api.identified(identifier, **vendor)["transactionId"]


def _validate(api, transaction_id, lines, **body):
    return api.validate(
        transaction_id, transaction_body(transaction_id, lines=lines, **body)
    )


def test_a_valid_basket_answers_its_points(api):
    transaction_id = _opened(api)
    lines = [*meal_lines(), reward_line(*FREE_DRINK), offer_line(*CHICKEN_MEAL)]

    response = _validate(api, transaction_id, lines)

    assert (response.status_code, response.json()) == (
        200,
        {
            "loyaltyId": ALEX,
            "points": 1064,
            "pointsEarned": 114,
            "pointsRedeemed": 250,
            "transactionId": transaction_id,
        },
    )


def test_validate_accepts_put(api):
    transaction_id = _opened(api)

    response = api.validate(transaction_id, transaction_body(transaction_id), "PUT")

    assert response.status_code == 200


def test_validate_changes_nothing(rbi_sandbox, api):
    transaction_id = _opened(api)

    _validate(api, transaction_id, [*meal_lines(), reward_line(*FREE_DRINK)])

    state = rbi_sandbox.transaction(transaction_id)
    assert (state["heldPoints"], state["basket"], state["history"][-1]["event"]) == (
        0,
        [],
        "identified",
    )
    assert available_points(rbi_sandbox, ALEX) == 1200


def test_insufficient_points_give_current_and_target_values(api):
    transaction_id = _opened(api, KIM)

    response = _validate(
        api, transaction_id, [*meal_lines(), reward_line(*FREE_DRINK)], loyalty_id=KIM
    )

    assert response.json() == {
        "statusCode": 400,
        "isEngineError": True,
        "code": "RulesError",
        "message": "Rule evaluation failed",
        "details": {
            "ruleEvaluation": [
                {
                    "code": "insufficient-point-balance",
                    "ruleId": "point-balance",
                    "message": "User does not have sufficient funds to redeem reward",
                    "currentValue": 240,
                    "targetValue": 250,
                    "incentiveId": "reward-free-drink",
                    "loyaltyEngineId": "eng-rwd-0001",
                }
            ]
        },
    }


def test_rewards_draw_on_one_balance(api):
    transaction_id = _opened(api)
    lines = [
        reward_line("reward-free-whopper", "9003", "4"),
        reward_line("reward-free-fries", "9002", "5"),
        reward_line(*FREE_DRINK, reference_id="6"),
    ]

    response = _validate(api, transaction_id, lines)

    entries = response.json()["details"]["ruleEvaluation"]
    assert [
        (entry["incentiveId"], entry["currentValue"], entry["targetValue"])
        for entry in entries
    ] == [("reward-free-drink", 1200, 1400)]


def test_another_pending_transactions_holds_count_against_the_balance(api):
    api.identified("222222")
    transaction_id = _opened(api)
    lines = [
        reward_line("reward-free-whopper", "9003"),
        reward_line("reward-free-fries", "9002", "5"),
    ]

    response = _validate(api, transaction_id, lines)

    entries = response.json()["details"]["ruleEvaluation"]
    assert [(entry["currentValue"], entry["targetValue"]) for entry in entries] == [
        (950, 1150)
    ]


def test_an_incentive_twice_exceeds_the_limit_per_order(api):
    transaction_id = _opened(api)

    response = _validate(api, transaction_id, [offer_line(*CHICKEN_MEAL, quantity=2)])

    entry = response.json()["details"]["ruleEvaluation"][0]
    assert (
        entry["code"],
        entry["ruleId"],
        entry["currentValue"],
        entry["targetValue"],
    ) == (
        "exceeds-limit-per-order",
        "limit-per-order",
        2,
        1,
    )


def test_the_same_incentive_on_two_lines_exceeds_the_limit_per_order(api):
    transaction_id = _opened(api)
    lines = [
        offer_line(*CHICKEN_MEAL, reference_id="5"),
        offer_line(*CHICKEN_MEAL, reference_id="6"),
    ]

    response = _validate(api, transaction_id, lines)

    assert rules_of(response) == [("exceeds-limit-per-order", "limit-per-order")]


def test_an_offer_after_its_end_date(rbi_sandbox, api):
    market_time(rbi_sandbox, paris(2036, 1, 2))
    transaction_id = _opened(api)

    response = _validate(api, transaction_id, [offer_line(*FRIES_OFFER)])

    entry = response.json()["details"]["ruleEvaluation"][0]
    assert (
        entry["code"],
        entry["ruleId"],
        entry["currentValue"],
        entry["targetValue"],
    ) == (
        "invalid-end-date",
        "date-span",
        "2036-01-02",
        "2035-12-31",
    )


def test_an_offer_before_its_start_date(rbi_sandbox, api):
    market_time(rbi_sandbox, paris(2024, 12, 31))
    transaction_id = _opened(api)

    response = _validate(api, transaction_id, [offer_line(*FRIES_OFFER)])

    entry = response.json()["details"]["ruleEvaluation"][0]
    assert (
        entry["code"],
        entry["ruleId"],
        entry["currentValue"],
        entry["targetValue"],
    ) == (
        "invalid-start-date",
        "date-span",
        "2024-12-31",
        "2025-01-01",
    )


def test_dates_are_the_market_day_not_the_utc_day(rbi_sandbox, api):
    # 00:30 in Paris on 1 January 2036 is still 31 December in UTC.
    market_time(rbi_sandbox, paris(2036, 1, 1, 0).replace(minute=30))
    transaction_id = _opened(api)

    response = _validate(api, transaction_id, [offer_line(*FRIES_OFFER)])

    assert rules_of(response) == [("invalid-end-date", "date-span")]


def test_a_weekend_offer_on_a_wednesday(rbi_sandbox, api):
    market_time(rbi_sandbox, paris(2026, 11, 25))
    transaction_id = _opened(api)

    response = _validate(api, transaction_id, [offer_line(*WEEKEND_WHOPPER)])

    entry = response.json()["details"]["ruleEvaluation"][0]
    assert (
        entry["code"],
        entry["ruleId"],
        entry["currentValue"],
        entry["targetValue"],
    ) == (
        "invalid-day-of-the-week",
        "day-of-the-week",
        "wednesday",
        ["saturday", "sunday"],
    )


def test_a_weekend_offer_on_a_saturday(rbi_sandbox, api):
    market_time(rbi_sandbox, paris(2026, 11, 28))
    transaction_id = _opened(api)

    response = _validate(api, transaction_id, [offer_line(*WEEKEND_WHOPPER)])

    assert response.status_code == 200


def test_an_offer_outside_its_service_modes(api):
    transaction_id = _opened(api)

    response = _validate(
        api, transaction_id, [offer_line(*STORE_SPECIAL)], service_mode="DRIVE_THRU"
    )

    entry = response.json()["details"]["ruleEvaluation"][0]
    assert (
        entry["code"],
        entry["ruleId"],
        entry["currentValue"],
        entry["targetValue"],
    ) == (
        "invalid-service-mode",
        "service-mode",
        "DRIVE_THRU",
        ["EAT_IN", "TAKEOUT"],
    )


def test_a_store_offer_at_another_store(api):
    transaction_id = _opened(api, storeId="7777")

    response = _validate(
        api, transaction_id, [offer_line(*STORE_SPECIAL)], storeId="7777"
    )

    entry = response.json()["details"]["ruleEvaluation"][0]
    assert (
        entry["code"],
        entry["ruleId"],
        entry["currentValue"],
        entry["targetValue"],
    ) == (
        "invalid-store-id",
        "store-restrictions",
        "7777",
        ["9999"],
    )


def test_the_store_of_identify_counts_when_the_body_names_none(api):
    transaction_id = _opened(api, storeId="7777")
    body = transaction_body(transaction_id, lines=[offer_line(*STORE_SPECIAL)])
    del body["transactionDetails"]["posVendor"]

    response = api.validate(transaction_id, body)

    assert rules_of(response) == [("invalid-store-id", "store-restrictions")]


def test_a_first_order_offer_for_a_regular(api):
    transaction_id = _opened(api)

    response = _validate(api, transaction_id, [offer_line(*WELCOME_SHAKE)])

    entry = response.json()["details"]["ruleEvaluation"][0]
    assert (
        entry["code"],
        entry["ruleId"],
        entry["currentValue"],
        entry["targetValue"],
    ) == (
        "not-first-order",
        "first-order-only",
        12,
        0,
    )


def test_a_first_order_offer_for_a_new_member(api):
    transaction_id = _opened(api, ROBIN)

    response = _validate(
        api, transaction_id, [offer_line(*WELCOME_SHAKE)], loyalty_id=ROBIN
    )

    assert response.status_code == 200


def test_a_first_order_offer_after_a_first_claim(api):
    first = _opened(api, ROBIN)
    api.update(first, transaction_body(first, loyalty_id=ROBIN, status="CLAIMED"))
    transaction_id = _opened(api, ROBIN)

    response = _validate(
        api, transaction_id, [offer_line(*WELCOME_SHAKE)], loyalty_id=ROBIN
    )

    assert rules_of(response) == [("not-first-order", "first-order-only")]


def test_a_minimum_spend_below_it(api):
    transaction_id = _opened(api)
    lines = [line("1", "item", "4102", 3.50), offer_line(*NUGGETS)]

    response = _validate(api, transaction_id, lines)

    entry = response.json()["details"]["ruleEvaluation"][0]
    assert (
        entry["code"],
        entry["ruleId"],
        entry["currentValue"],
        entry["targetValue"],
    ) == (
        "below-minimum-spend",
        "min-spend",
        350,
        1000,
    )


def test_a_minimum_spend_reached(api):
    transaction_id = _opened(api)
    lines = [
        line("1", "combo", "4001", 8.49),
        line("2", "item", "4102", 1.51),
        offer_line(*NUGGETS),
    ]

    response = _validate(api, transaction_id, lines)

    assert response.status_code == 200


def test_several_failures_come_back_together(rbi_sandbox, api):
    market_time(rbi_sandbox, paris(2026, 11, 25))
    transaction_id = _opened(api, KIM, storeId="7777")
    lines = [
        line("1", "item", "4102", 3.50),
        reward_line(*FREE_DRINK, reference_id="2"),
        offer_line(*WEEKEND_WHOPPER, reference_id="3"),
        offer_line(*STORE_SPECIAL, reference_id="4"),
        offer_line(*NUGGETS, reference_id="5"),
        offer_line(*WELCOME_SHAKE, reference_id="6"),
    ]

    response = _validate(
        api,
        transaction_id,
        lines,
        loyalty_id=KIM,
        service_mode="CURBSIDE",
        storeId="7777",
    )

    assert rules_of(response) == [
        ("insufficient-point-balance", "point-balance"),
        ("invalid-day-of-the-week", "day-of-the-week"),
        ("invalid-store-id", "store-restrictions"),
        ("invalid-service-mode", "service-mode"),
        ("below-minimum-spend", "min-spend"),
        ("not-first-order", "first-order-only"),
    ]


def test_an_unknown_transaction_is_not_found(api):
    missing = "f4190848-169d-4c69-9f53-f916318c432b"

    response = api.validate(missing, transaction_body(missing))

    assert (response.status_code, response.json()) == (
        404,
        {
            "statusCode": 404,
            "code": "TransactionNotFoundError",
            "message": "Transaction not found",
            "details": {},
        },
    )


def test_an_unknown_store_is_store_not_found(api):
    transaction_id = _opened(api)

    response = api.validate(
        transaction_id, transaction_body(transaction_id, storeId="1234")
    )

    assert (response.status_code, response.json()["code"]) == (404, "StoreNotFound")


def test_a_voided_transaction_is_not_claimable(api):
    transaction_id = _opened(api)
    api.void(transaction_id)

    response = api.validate(transaction_id, transaction_body(transaction_id))

    assert (response.status_code, response.json()["code"]) == (
        400,
        "TransactionNotClaimable",
    )


def test_a_claimed_transaction_is_not_claimable(api):
    transaction_id = _opened(api)
    api.update(transaction_id, transaction_body(transaction_id, status="CLAIMED"))

    response = api.validate(transaction_id, transaction_body(transaction_id))

    assert response.json()["code"] == "TransactionNotClaimable"


def test_a_reward_at_a_store_without_loyalty_is_refused(api):
    transaction_id = _opened(api, storeId="8888")

    response = _validate(
        api, transaction_id, [reward_line(*FREE_DRINK)], storeId="8888"
    )

    assert (response.status_code, response.json()["code"]) == (
        400,
        "RedeemRewardError",
    )


def test_an_unknown_reward_is_reward_not_found(api):
    transaction_id = _opened(api)

    response = _validate(api, transaction_id, [reward_line("reward-gone", "9999")])

    assert (response.status_code, response.json()["code"]) == (
        404,
        "RewardNotFoundError",
    )


def test_an_offer_sent_as_a_reward_is_reward_not_found(api):
    transaction_id = _opened(api)

    response = _validate(
        api, transaction_id, [reward_line("offer-chicken-meal-299", "8001")]
    )

    assert response.json()["code"] == "RewardNotFoundError"


def test_a_personalised_offer_named_by_its_config_is_offer_not_found(api):
    transaction_id = _opened(api)

    response = _validate(
        api,
        transaction_id,
        [line("5", "offer", "8007", 2.0, incentiveId="config-whopper-2")],
    )

    assert (response.status_code, response.json()["code"]) == (
        404,
        "OfferNotFoundError",
    )


def test_an_incentive_line_without_ids_is_a_validation_error(api):
    transaction_id = _opened(api)

    response = _validate(api, transaction_id, [line("5", "offer", "8001", 2.99)])

    assert (response.status_code, response.json()["details"]) == (
        400,
        {"fields": ["transactionDetails.order[0].incentiveId"]},
    )


def test_bad_fields_are_listed(api):
    transaction_id = _opened(api)
    body = transaction_body(transaction_id, service_mode="DELIVERY")
    body["transactionDetails"]["order"][0]["quantity"] = 0
    body["transactionDetails"]["order"][1]["price"] = "free"
    body["transactionDetails"]["payments"][0]["amount"] = 8.49

    response = api.validate(transaction_id, body)

    assert (response.status_code, response.json()["details"]["fields"]) == (
        400,
        [
            "serviceMode",
            "transactionDetails.order[0].quantity",
            "transactionDetails.order[1].price",
            "transactionDetails.payments[0].amount",
        ],
    )


def test_a_body_for_another_transaction_is_refused(api):
    transaction_id = _opened(api)
    other = _opened(api)

    response = api.validate(transaction_id, transaction_body(other))

    assert response.json()["details"] == {"fields": ["transactionId"]}


def test_a_body_for_another_user_is_refused(api):
    transaction_id = _opened(api)

    response = api.validate(
        transaction_id, transaction_body(transaction_id, loyalty_id=KIM)
    )

    assert response.json()["details"] == {"fields": ["loyaltyId"]}


def test_product_types_take_every_spelling_rbi_documents(api):
    transaction_id = _opened(api)
    lines = [
        reward_line(*FREE_DRINK, productType="REWARD"),
        offer_line(*CHICKEN_MEAL, productType="offer"),
    ]

    response = _validate(api, transaction_id, lines)

    assert response.json()["pointsRedeemed"] == 250


@pytest.mark.parametrize("product_type", ["Offer", "COMBO", "modifier", ""])
def test_a_product_type_rbi_does_not_document_is_a_bad_field(api, product_type):
    transaction_id = _opened(api)
    lines = [offer_line(*CHICKEN_MEAL, productType=product_type)]

    response = _validate(api, transaction_id, lines)

    assert (response.status_code, response.json()) == (
        400,
        {
            "statusCode": 400,
            "code": "ValidationError",
            "message": "Invalid request body",
            "details": {"fields": ["transactionDetails.order[0].productType"]},
        },
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "Kiosk"}, "channel"),
        ({"serviceMode": "DELIVERY"}, "serviceMode"),
    ],
)
def test_other_enumerated_fields_are_checked(api, change, field):
    transaction_id = _opened(api)
    body = {**transaction_body(transaction_id), **change}

    response = api.validate(transaction_id, body)

    assert (response.status_code, response.json()["details"]) == (
        400,
        {"fields": [field]},
    )


def test_a_payment_type_rbi_does_not_document_is_a_bad_field(api):
    transaction_id = _opened(api)
    body = transaction_body(transaction_id, payments=[{"amount": 849, "type": "visa"}])

    response = api.validate(transaction_id, body)

    assert response.json()["details"] == {
        "fields": ["transactionDetails.payments[0].type"]
    }


def test_a_status_other_than_pending_or_claimed_is_not_claimable(api):
    transaction_id = _opened(api)

    response = api.validate(
        transaction_id, transaction_body(transaction_id, status="DONE")
    )

    assert (response.status_code, response.json()["code"]) == (
        400,
        "TransactionNotClaimable",
    )


def test_a_numeric_parent_reference_is_accepted(api):
    transaction_id = _opened(api)
    lines = meal_lines()
    lines[1]["parentReferenceId"] = 1

    assert _validate(api, transaction_id, lines).status_code == 200


def test_rules_error_code_follows_the_spelling_switch(rbi_sandbox, api):
    rbi_sandbox.faults(upper_snake_codes=True)
    transaction_id = _opened(api, KIM)

    response = _validate(
        api, transaction_id, [reward_line(*FREE_DRINK)], loyalty_id=KIM
    )

    assert (response.json()["code"], rules_of(response)) == (
        "RULES_ERROR",
        [("insufficient-point-balance", "point-balance")],
    )
