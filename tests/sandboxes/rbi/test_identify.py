"""`POST /loyalty/identify`: seed codes, loyalty IDs, e-mails, PLUs and errors."""

from __future__ import annotations

import pytest

from tests.sandboxes.rbi.conftest import (
    ALEX,
    KIM,
    SAM,
    UNKNOWN_USER,
    available_points,
    pos_vendor,
)


def test_code_111111_identifies_alex_with_1200_points(api):
    data = api.identified("111111")

    assert (data["balances"], data["loyaltyUser"], data["order"]) == (
        [{"amount": 1200, "currency": "points"}],
        {"id": ALEX, "name": "Alex", "created": "2021-08-10T12:18:39.180Z"},
        [],
    )


def test_code_222222_holds_the_free_drink_and_lists_the_personalised_offer(api):
    data = api.identified("222222")

    assert data["balances"] == [{"amount": 950, "currency": "points"}]
    assert data["order"] == [
        {
            "referenceId": "01",
            "productType": "REWARD",
            "productId": "9001",
            "quantity": 1,
            "price": 0,
            "incentiveId": "reward-free-drink",
            "loyaltyEngineId": "eng-rwd-0001",
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


def test_code_333333_identifies_sam_with_no_points(api):
    data = api.identified("333333")

    assert (data["loyaltyUser"]["id"], data["balances"][0]["amount"]) == (SAM, 0)


def test_code_444444_lists_the_system_wide_offer_without_holding(api):
    data = api.identified("444444")

    assert data["balances"] == [{"amount": 1200, "currency": "points"}]
    assert data["order"] == [
        {
            "referenceId": "01",
            "productType": "OFFER",
            "productId": "8001",
            "quantity": 1,
            "incentiveId": "offer-chicken-meal-299",
            "loyaltyEngineId": "eng-ofr-0001",
        }
    ]


def test_code_555555_identifies_kim_with_240_points(api):
    data = api.identified("555555")

    assert (data["loyaltyUser"]["id"], data["balances"][0]["amount"]) == (KIM, 240)


def test_code_999999_was_already_used(api):
    response = api.identify("999999")

    assert (response.status_code, response.json()) == (
        422,
        {
            "statusCode": 422,
            "code": "OrderSelectionStatusUnclaimable",
            "message": "Code has already been used",
            "details": {},
        },
    )


def test_code_000000_is_not_found(api):
    response = api.identify("000000")

    assert (response.status_code, response.json()["code"]) == (
        404,
        "HashSetNotFoundError",
    )


def test_a_seed_code_is_single_use(api):
    api.identified("111111")

    response = api.identify("111111")

    assert (response.status_code, response.json()["code"]) == (
        422,
        "OrderSelectionStatusUnclaimable",
    )


def test_reset_makes_seed_codes_unused_again(rbi_sandbox, api):
    api.identified("111111")

    rbi_sandbox.reset()

    assert api.identify("111111").status_code == 200


def test_identify_opens_a_pending_transaction_holding_the_preselected_reward(
    rbi_sandbox, api
):
    transaction_id = api.identified("222222")["transactionId"]

    state = rbi_sandbox.transaction(transaction_id)
    assert (state["status"], state["loyaltyId"], state["storeId"]) == (
        "PENDING",
        ALEX,
        "9999",
    )
    assert state["holds"] == [
        {
            "incentiveId": "reward-free-drink",
            "loyaltyEngineId": "eng-rwd-0001",
            "points": 250,
        }
    ]


def test_the_held_points_are_not_available_elsewhere(rbi_sandbox, api):
    api.identified("222222")

    assert available_points(rbi_sandbox, ALEX) == 950


def test_each_identify_opens_a_new_transaction(api):
    first = api.identified(ALEX)["transactionId"]

    assert api.identified(ALEX)["transactionId"] != first


def test_a_loyalty_id_identifies_its_user_without_preselection(api):
    data = api.identified(ALEX)

    assert (data["loyaltyUser"]["name"], data["balances"], data["order"]) == (
        "Alex",
        [{"amount": 1200, "currency": "points"}],
        [],
    )


def test_a_loyalty_id_can_be_scanned_again(api):
    api.identified(KIM)

    assert api.identify(KIM).status_code == 200


def test_an_unknown_loyalty_id_is_user_not_found(api):
    response = api.identify(UNKNOWN_USER)

    assert (response.status_code, response.json()["code"]) == (404, "UserNotFoundError")


def test_loyalty_ids_are_refused_when_the_market_disallows_them(rbi_sandbox, api):
    rbi_sandbox.faults(loyalty_id_identifier=False)

    response = api.identify(ALEX)

    assert (response.status_code, response.json()["code"]) == (
        400,
        "IdentificationFailed",
    )


def test_an_email_is_refused_while_email_identification_is_off(api):
    response = api.identify("alex@bk-sandbox.example")

    assert (response.status_code, response.json()["code"]) == (
        422,
        "IdentifierTypeDisabled",
    )


def test_an_email_identifies_when_the_switch_is_on(rbi_sandbox, api):
    rbi_sandbox.faults(email_identifier=True)

    data = api.identified("alex@bk-sandbox.example")

    assert data["loyaltyUser"] == {
        "id": ALEX,
        "name": "Alex",
        "created": "2021-08-10T12:18:39.180Z",
        "email": "alex@bk-sandbox.example",
    }


@pytest.mark.parametrize("identifier", ["12345", "1234567", "ABCDEF", "card:42"])
def test_something_else_is_an_invalid_identifier(api, identifier):
    response = api.identify(identifier)

    assert (response.status_code, response.json()["code"]) == (
        422,
        "InvalidIdentifier",
    )


def test_a_missing_identifier_is_a_validation_error(api):
    response = api.request(
        "POST", "/loyalty/identify", json={"posVendor": pos_vendor()}
    )

    assert (response.status_code, response.json()["details"]) == (
        400,
        {"fields": ["identifier"]},
    )


def test_a_missing_store_is_a_validation_error(api):
    response = api.request(
        "POST",
        "/loyalty/identify",
        json={"identifier": "111111", "posVendor": {"posType": "Partner"}},
    )

    assert response.json()["details"] == {"fields": ["posVendor.storeId"]}


def test_an_unknown_store_is_store_not_found(api):
    response = api.identify("111111", storeId="1234")

    assert (response.status_code, response.json()["code"]) == (404, "StoreNotFound")


def test_a_refused_identify_keeps_the_code(api):
    api.identify("111111", storeId="1234")

    assert api.identify("111111").status_code == 200


def test_a_numeric_store_id_is_accepted(api):
    assert api.identify("111111", storeId=9999).status_code == 200


def test_ncr_gets_its_own_plus(api):
    data = api.identified("222222", supportingPos="ncr")

    assert [item["productId"] for item in data["order"]] == ["19001", "18007"]


def test_the_pos_type_picks_the_plus_without_a_supporting_pos(api):
    data = api.identified("222222", posType="NCR", supportingPos=None)

    assert [item["productId"] for item in data["order"]] == ["19001", "18007"]


def test_an_unknown_vendor_falls_back_to_partner_plus(api):
    data = api.identified("222222", supportingPos="winrest")

    assert [item["productId"] for item in data["order"]] == ["9001", "8007"]


def test_a_preselected_reward_beyond_the_balance_is_refused(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(KIM, preselect=[{"incentiveId": "reward-free-drink"}])

    response = api.identify(code["otp"])

    assert (response.status_code, response.json()["code"]) == (
        400,
        "TransactionInsufficientPoints",
    )
    assert response.json()["details"] == {"currentValue": 240, "targetValue": 250}


def test_a_preselected_reward_that_does_not_exist_is_reward_not_found(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(
        ALEX, preselect=[{"incentiveId": "reward-gone", "productType": "reward"}]
    )

    response = api.identify(code["otp"])

    assert (response.status_code, response.json()["code"]) == (
        404,
        "RewardNotFoundError",
    )


def test_a_preselected_offer_that_does_not_exist_is_offer_not_found(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(ALEX, preselect=[{"loyaltyEngineId": "eng-pof-9999"}])

    response = api.identify(code["otp"])

    assert (response.status_code, response.json()["code"]) == (
        404,
        "OfferNotFoundError",
    )


def test_another_users_personalised_offer_is_offer_not_found(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(SAM, preselect=[{"loyaltyEngineId": "eng-pof-0001"}])

    response = api.identify(code["otp"])

    assert response.json()["code"] == "OfferNotFoundError"


def test_codes_are_written_in_upper_snake_case_with_the_switch(rbi_sandbox, api):
    rbi_sandbox.faults(upper_snake_codes=True)

    response = api.identify("000000")

    assert response.json() == {
        "statusCode": 404,
        "code": "HASH_SET_NOT_FOUND_ERROR",
        "message": "Code not found",
        "details": {},
    }


def test_identify_again_from_the_same_order_answers_its_transaction(rbi_sandbox, api):
    first = api.identified("222222", transactionId="order-1")

    again = api.identified("222222", transactionId="order-1")

    assert again == first
    assert rbi_sandbox.user(ALEX)["availablePoints"] == 950


def test_another_order_cannot_take_a_used_code(api):
    api.identified("222222", transactionId="order-1")

    response = api.identify("222222", transactionId="order-2")

    assert (response.status_code, response.json()["code"]) == (
        422,
        "OrderSelectionStatusUnclaimable",
    )


def test_a_voided_transaction_is_not_answered_again(api):
    first = api.identified("222222", transactionId="order-1")
    api.void(first["transactionId"])

    response = api.identify("222222", transactionId="order-1")

    assert response.status_code == 422
