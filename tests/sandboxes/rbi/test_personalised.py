"""Personalised offer instances: own engine id, used once, back on void."""

from __future__ import annotations

from tests.sandboxes.rbi.conftest import (
    ALEX,
    OFFERS_V2_QUERY,
    meal_lines,
    offer_line,
    rules_of,
    transaction_body,
)

INSTANCE = (None, "eng-pof-0001", "8007", 2.00)


def _claim_instance(api, instance=INSTANCE):
    transaction_id = api.identified(ALEX)["transactionId"]
    body = transaction_body(
        transaction_id, lines=[*meal_lines(), offer_line(*instance)], status="CLAIMED"
    )
    response = api.update(transaction_id, body)
    return transaction_id, response


def test_a_claim_uses_the_instance_up(rbi_sandbox, api):
    transaction_id, response = _claim_instance(api)

    assert response.status_code == 200
    assert rbi_sandbox.user(ALEX)["offers"][0] == {
        "loyaltyEngineId": "eng-pof-0001",
        "incentiveId": "config-whopper-2",
        "usedBy": transaction_id,
    }


def test_a_used_instance_fails_max_redemption(api):
    _claim_instance(api)
    transaction_id = api.identified(ALEX)["transactionId"]

    response = api.validate(
        transaction_id,
        transaction_body(transaction_id, lines=[offer_line(*INSTANCE)]),
    )

    entry = response.json()["details"]["ruleEvaluation"][0]
    assert (
        entry["code"],
        entry["ruleId"],
        entry["incentiveId"],
        entry["loyaltyEngineId"],
    ) == (
        "exceeds-max-redemption",
        "max-redemption",
        "config-whopper-2",
        "eng-pof-0001",
    )


def test_the_other_instance_is_still_usable(api):
    _claim_instance(api)

    _, response = _claim_instance(api, (None, "eng-pof-0002", "8007", 2.00))

    assert response.status_code == 200


def test_void_of_the_claim_restores_the_instance(api):
    claimed, _ = _claim_instance(api)
    api.void(claimed)

    _, response = _claim_instance(api)

    assert response.status_code == 200


def test_a_pending_transaction_does_not_use_the_instance(api):
    transaction_id = api.identified(ALEX)["transactionId"]
    api.update(
        transaction_id, transaction_body(transaction_id, lines=[offer_line(*INSTANCE)])
    )

    _, response = _claim_instance(api)

    assert response.status_code == 200


def test_a_used_instance_cannot_be_claimed_by_a_second_pending_transaction(api):
    waiting = api.identified(ALEX)["transactionId"]
    _claim_instance(api)

    response = api.update(
        waiting,
        transaction_body(waiting, lines=[offer_line(*INSTANCE)], status="CLAIMED"),
    )

    assert rules_of(response) == [("exceeds-max-redemption", "max-redemption")]


def test_a_code_preselecting_a_used_instance_is_offer_not_found(rbi_sandbox, api):
    _claim_instance(api)

    response = api.identify("222222")

    assert (response.status_code, response.json()["code"]) == (
        404,
        "OfferNotFoundError",
    )


def test_a_used_instance_leaves_the_offer_list(api):
    _claim_instance(api)

    response = api.graphql(OFFERS_V2_QUERY, {"loyaltyId": ALEX})

    personalised = [
        entry["id"]
        for entry in response.json()["data"]["loyaltyOffersV2"]
        if entry["type"] == "PERSONALIZED"
    ]
    assert personalised == ["eng-pof-0002"]
