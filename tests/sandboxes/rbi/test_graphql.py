"""The middleware's `/graphql`: `loyaltyOffersV2` and `loyaltyRewardsV2`."""

from __future__ import annotations

import pytest

from tests.sandboxes.rbi.conftest import (
    ALEX,
    KIM,
    OFFERS_V2_QUERY,
    REWARDS_V2_QUERY,
    ROBIN,
    SAM,
    UNKNOWN_USER,
    market_time,
    paris,
)


@pytest.fixture
def wednesday(rbi_sandbox):
    market_time(rbi_sandbox, paris(2026, 11, 25))


def _offers(api, loyalty_id=ALEX, **where):
    response = api.graphql(OFFERS_V2_QUERY, {"loyaltyId": loyalty_id, "where": where})
    assert response.status_code == 200, response.text
    return response.json()["data"]["loyaltyOffersV2"]


def _rewards(api, loyalty_id, **where):
    response = api.graphql(REWARDS_V2_QUERY, {"loyaltyId": loyalty_id, "where": where})
    assert response.status_code == 200, response.text
    return response.json()["data"]["loyaltyRewardsV2"]


def _errors(entry):
    return [(error["code"], error["ruleId"]) for error in entry["errors"] or []]


def test_offers_list_what_alex_may_have_with_fixable_errors(wednesday, api):
    offers = _offers(
        api, omitInvalids=False, storeId="9999", serviceMode="EAT_IN", subtotalAmount=0
    )

    assert [(offer["id"], offer["type"], _errors(offer)) for offer in offers] == [
        ("eng-ofr-0001", "GLOBAL", []),
        ("eng-ofr-0002", "GLOBAL", []),
        ("eng-ofr-0004", "GLOBAL", []),
        ("eng-ofr-0005", "GLOBAL", [("below-minimum-spend", "min-spend")]),
        ("eng-pof-0001", "PERSONALIZED", []),
        ("eng-pof-0002", "PERSONALIZED", []),
    ]


def test_an_offer_entry_joins_sanity_on_its_sanity_id(wednesday, api):
    offers = _offers(api)

    assert offers[0] == {
        "id": "eng-ofr-0001",
        "name": "Chicken Sandwich Meal 2.99",
        "sanityId": "offer-chicken-meal-299",
        "errors": None,
        "type": "GLOBAL",
    }


def test_a_personalised_offer_points_at_its_config_offer(wednesday, api):
    offers = _offers(api)

    assert offers[-1] == {
        "id": "eng-pof-0002",
        "name": "Your Whopper for 2.00",
        "sanityId": "config-whopper-2",
        "errors": None,
        "type": "PERSONALIZED",
    }


def test_omit_invalids_leaves_fixable_failures_out(wednesday, api):
    offers = _offers(api, omitInvalids=True)

    assert "eng-ofr-0005" not in [offer["id"] for offer in offers]


def test_a_spend_above_the_minimum_clears_the_error(wednesday, api):
    offers = _offers(api, omitInvalids=True, subtotalAmount=1000)

    assert "eng-ofr-0005" in [offer["id"] for offer in offers]


def test_a_service_mode_failure_is_fixable(wednesday, api):
    offers = _offers(api, serviceMode="DRIVE_THRU")

    special = next(offer for offer in offers if offer["id"] == "eng-ofr-0004")
    assert _errors(special) == [("invalid-service-mode", "service-mode")]


def test_another_store_leaves_the_store_offer_out(wednesday, api):
    offers = _offers(api, storeId="7777")

    assert "eng-ofr-0004" not in [offer["id"] for offer in offers]


def test_the_weekend_offer_is_listed_on_a_saturday(rbi_sandbox, api):
    market_time(rbi_sandbox, paris(2026, 11, 28))

    assert "eng-ofr-0003" in [offer["id"] for offer in _offers(api)]


def test_an_offer_past_its_dates_is_left_out(rbi_sandbox, api):
    market_time(rbi_sandbox, paris(2036, 1, 2))

    assert "eng-ofr-0002" not in [offer["id"] for offer in _offers(api)]


def test_the_first_order_offer_is_listed_for_a_new_member(wednesday, api):
    offers = _offers(api, ROBIN)

    assert [offer["id"] for offer in offers] == [
        "eng-ofr-0001",
        "eng-ofr-0002",
        "eng-ofr-0004",
        "eng-ofr-0005",
        "eng-ofr-0006",
    ]


def test_ids_scope_the_list(wednesday, api):
    offers = _offers(api, ids=["eng-ofr-0002", "eng-cfg-0001"])

    assert [offer["id"] for offer in offers] == [
        "eng-ofr-0002",
        "eng-pof-0001",
        "eng-pof-0002",
    ]


def test_a_guest_without_loyalty_id_sees_the_open_offer_only(wednesday, api):
    offers = _offers(api, None, omitInvalids=True, subtotalAmount=1000)

    assert [offer["id"] for offer in offers] == ["eng-ofr-0002"]


def test_a_guest_is_told_to_sign_in(wednesday, api):
    offers = _offers(api, None)

    assert _errors(offers[0]) == [("user-not-authenticated", "requires-authentication")]


def test_rewards_carry_the_points_kim_lacks(api):
    rewards = _rewards(api, KIM)

    assert [
        (
            reward["id"],
            [(e["currentValue"], e["targetValue"]) for e in reward["errors"]],
        )
        for reward in rewards
    ] == [
        ("eng-rwd-0001", [(240, 250)]),
        ("eng-rwd-0002", [(240, 400)]),
        ("eng-rwd-0003", [(240, 750)]),
        ("eng-rwd-0004", [(240, 1500)]),
        ("eng-rwd-0005", [(240, 2000)]),
    ]


def test_omit_invalids_leaves_nothing_for_sam(api):
    assert _rewards(api, SAM, omitInvalids=True) == []


def test_rewards_within_alex_s_balance(api):
    rewards = _rewards(api, ALEX, omitInvalids=True)

    assert rewards == [
        {
            "id": "eng-rwd-0001",
            "name": "Free Drink",
            "errors": None,
        },
        {
            "id": "eng-rwd-0002",
            "name": "Free Fries",
            "errors": None,
        },
        {
            "id": "eng-rwd-0003",
            "name": "Free Whopper",
            "errors": None,
        },
    ]


def test_held_points_are_not_available_to_the_list(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(
        ALEX, preselect=[{"incentiveId": "reward-free-whopper"}]
    )
    api.identified(code["otp"])

    rewards = _rewards(api, ALEX, omitInvalids=True)

    assert [reward["id"] for reward in rewards] == ["eng-rwd-0001", "eng-rwd-0002"]


def test_an_unknown_user_is_an_error_beside_null_data(api):
    response = api.graphql(OFFERS_V2_QUERY, {"loyaltyId": UNKNOWN_USER})

    answer = response.json()
    assert (response.status_code, answer["data"]) == (200, {"loyaltyOffersV2": None})
    assert [
        (error["message"], error["path"], error["extensions"])
        for error in answer["errors"]
    ] == [("User not found", ["loyaltyOffersV2"], {"code": "UserNotFoundError"})]


def test_inline_arguments_are_read_too(wednesday, api):
    query = f"""{{ loyaltyOffersV2(loyaltyId: "{ALEX}", where: {{omitInvalids: true, ids: ["eng-ofr-0001"]}}) {{ id }} }}"""

    response = api.graphql(query)

    assert [offer["id"] for offer in response.json()["data"]["loyaltyOffersV2"]] == [
        "eng-ofr-0001"
    ]


def test_both_lists_in_one_query_under_aliases(wednesday, api):
    query = """
    query Both($id: ID) {
      offers: loyaltyOffersV2(loyaltyId: $id, where: {omitInvalids: true}) { id }
      rewards: loyaltyRewardsV2(loyaltyId: $id, where: {omitInvalids: true}) { id }
    }
    """

    data = api.graphql(query, {"id": SAM}).json()["data"]

    assert (len(data["offers"]), data["rewards"]) == (3, [])


def test_a_root_field_the_schema_lacks_is_refused(api):
    response = api.graphql('query { loyaltyUser(id: "x") { points } }')

    assert (response.status_code, response.json()) == (
        400,
        {"errors": [{"message": "Cannot query field 'loyaltyUser' on type 'Query'."}]},
    )


def test_a_field_the_schema_lacks_is_refused(api):
    response = api.graphql(
        "query { loyaltyOffersV2(where: {omitInvalids: true}) { id points } }"
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "errors": [
                {"message": "Cannot query field 'points' on type 'LoyaltyOffer'."}
            ]
        },
    )


def test_a_variable_of_the_wrong_type_is_refused(api):
    response = api.graphql(
        "query Offers($where: LoyaltyOffersWhereInput) "
        "{ loyaltyOffersV2(where: $where) { id } }"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(
        "Unknown type 'LoyaltyOffersWhereInput'."
    )


def test_an_enumerated_argument_is_checked(api):
    response = api.graphql(
        OFFERS_V2_QUERY, {"loyaltyId": ALEX, "where": {"serviceMode": "DELIVERY"}}
    )

    assert response.status_code == 400


def test_the_sanity_singletons_are_not_served_here(api):
    response = api.graphql('{ RewardList(id: "reward-list-singleton") { _id } }')

    assert response.json() == {
        "errors": [{"message": "Cannot query field 'RewardList' on type 'Query'."}]
    }


def test_a_request_without_query_is_refused(api):
    response = api.request("POST", "/graphql", json={"variables": {}})

    assert (response.status_code, response.json()) == (
        400,
        {"errors": [{"message": "Must provide query string"}]},
    )


def test_a_query_that_does_not_parse_is_refused(api):
    response = api.graphql("query { loyaltyOffersV2(loyaltyId: ")

    assert response.status_code == 400
