"""The Sanity route: `LoyaltyOffersUI`, `RewardList`, locale aliases, images."""

from __future__ import annotations

from tests.sandboxes.rbi.conftest import OFFERS_QUERY, REWARDS_QUERY

SYSTEMWIDE_IDS = [
    "offer-chicken-meal-299",
    "offer-open-fries",
    "offer-weekend-whopper",
    "offer-store-special",
    "offer-nuggets-min-spend",
    "offer-first-order",
]


def _data(response):
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_offers_are_in_display_order(api):
    offers = _data(api.sanity(OFFERS_QUERY))["LoyaltyOffersUI"]

    assert [
        offer["_id"] for offer in offers["sortedSystemwideOffers"]
    ] == SYSTEMWIDE_IDS


def test_config_offers_are_the_templates(api):
    offers = _data(api.sanity(OFFERS_QUERY))["LoyaltyOffersUI"]

    assert [
        (offer["_id"], offer["loyaltyEngineId"]) for offer in offers["liveConfigOffers"]
    ] == [("config-whopper-2", "eng-cfg-0001")]


def test_an_offer_carries_its_names_and_rules(api):
    offer = _data(api.sanity(OFFERS_QUERY))["LoyaltyOffersUI"][
        "sortedSystemwideOffers"
    ][1]

    assert offer["name"]["enRaw"] == [
        {
            "_type": "block",
            "_key": "block0",
            "style": "normal",
            "markDefs": [],
            "children": [
                {"_type": "span", "_key": "span0", "text": "Fries 1.00", "marks": []}
            ],
        }
    ]
    assert offer["rules"] == [
        {"__typename": "RequiresAuthentication", "requiresAuthentication": False},
        {
            "__typename": "LoyaltyBetweenDates",
            "startDate": "2025-01-01",
            "endDate": "2035-12-31",
        },
    ]


def test_an_offer_has_partner_and_ncr_plus(api):
    offer = _data(api.sanity(OFFERS_QUERY))["LoyaltyOffersUI"][
        "sortedSystemwideOffers"
    ][0]

    assert (offer["offerPrice"], offer["vendorConfigs"]) == (
        299,
        {
            "partner": {
                "__typename": "VendorConfig",
                "pluType": "constantPlu",
                "constantPlu": "8001",
            },
            "ncr": {
                "__typename": "VendorConfig",
                "pluType": "constantPlu",
                "constantPlu": "18001",
            },
        },
    )


def test_an_offers_benefit_is_a_catalogue_product(api):
    offer = _data(api.sanity(OFFERS_QUERY))["LoyaltyOffersUI"][
        "sortedSystemwideOffers"
    ][0]

    benefit = offer["incentives"][0]
    assert (
        benefit["__typename"],
        benefit["_id"],
        benefit["vendorConfigs"]["partner"]["constantPlu"],
    ) == (
        "Combo",
        "combo-chicken-sandwich-meal-m",
        "4002",
    )


def test_rewards_come_in_one_category(api):
    rewards = _data(api.sanity(REWARDS_QUERY))["RewardList"]

    category = rewards["rewardCategories"][0]
    assert (category["_id"], category["label"]["en"], category["label"]["fr"]) == (
        "reward-category-rewards",
        "Rewards",
        "Récompenses",
    )
    assert [
        (reward["_id"], reward["loyaltyEngineId"], reward["ruleSet"][0]["points"])
        for reward in category["rewards"]
    ] == [
        ("reward-free-drink", "eng-rwd-0001", 250),
        ("reward-free-fries", "eng-rwd-0002", 400),
        ("reward-free-whopper", "eng-rwd-0003", 750),
        ("reward-whopper-meal", "eng-rwd-0004", 1500),
        ("reward-merch-cap", "eng-rwd-0005", 2000),
    ]


def test_the_cap_has_no_partner_plu(api):
    rewards = _data(api.sanity(REWARDS_QUERY))["RewardList"]["rewardCategories"][0][
        "rewards"
    ]

    assert rewards[4]["vendorConfigs"] == {
        "partner": {
            "__typename": "VendorConfig",
            "pluType": "empty",
            "constantPlu": None,
        },
        "ncr": {
            "__typename": "VendorConfig",
            "pluType": "constantPlu",
            "constantPlu": "19005",
        },
    }


def test_reward_benefits_map_to_catalogue_plus(api):
    rewards = _data(api.sanity(REWARDS_QUERY))["RewardList"]["rewardCategories"][0][
        "rewards"
    ]

    assert [
        (
            reward["vendorConfigs"]["partner"]["constantPlu"],
            reward["incentives"][0]["__typename"],
            reward["incentives"][0]["vendorConfigs"]["partner"]["constantPlu"],
        )
        for reward in rewards
    ] == [
        ("9001", "Item", "4201"),
        ("9002", "Item", "4102"),
        ("9003", "Item", "4101"),
        ("9004", "Combo", "4001"),
        (None, "Item", "4901"),
    ]


def test_image_urls_point_at_the_sandbox(rbi_sandbox, api):
    rewards = _data(api.sanity(REWARDS_QUERY))["RewardList"]["rewardCategories"][0][
        "rewards"
    ]

    assert rewards[0]["image"]["en"]["asset"]["url"] == (
        f"{rbi_sandbox.base_url}/_sandbox/images/reward-free-drink.svg"
    )


def test_an_image_url_serves_an_svg(api):
    rewards = _data(api.sanity(REWARDS_QUERY))["RewardList"]["rewardCategories"][0][
        "rewards"
    ]

    response = api.session.get(rewards[0]["image"]["en"]["asset"]["url"], timeout=5)

    assert (response.status_code, response.headers["Content-Type"]) == (
        200,
        "image/svg+xml",
    )
    assert response.text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_a_locale_alias_answers_the_language_asked(api):
    query = """
    query Offers($id: ID!) {
      LoyaltyOffersUI(id: $id) { sortedSystemwideOffers { _id name { name: frRaw } } }
    }
    """

    offers = _data(api.sanity(query, {"id": "feature-loyalty-offers-ui-singleton"}))

    name = offers["LoyaltyOffersUI"]["sortedSystemwideOffers"][0]["name"]
    assert name["name"][0]["children"][0]["text"] == "Menu Chicken Sandwich à 2,99 €"


def test_a_plain_locale_alias_answers_a_string(api):
    query = '{ RewardList(id: "reward-list-singleton") { rewardCategories { label { text: fr } } } }'

    rewards = _data(api.sanity(query))["RewardList"]

    assert rewards["rewardCategories"][0]["label"]["text"] == "Récompenses"


def test_the_root_field_can_have_an_alias(api):
    query = '{ rewards: RewardList(id: "reward-list-singleton") { _id } }'

    assert _data(api.sanity(query))["rewards"]["_id"] == "reward-list-singleton"


def test_an_unknown_document_id_is_null(api):
    query = 'query { RewardList(id: "another-list") { _id } }'

    assert _data(api.sanity(query)) == {"RewardList": None}


def test_a_get_with_the_query_in_the_url(api):
    response = api.request(
        "GET",
        "/sanity/v1/graphql/dev_bk_fr/default",
        headers={},
        params={"query": '{ RewardList(id: "reward-list-singleton") { _id } }'},
    )

    assert _data(response) == {
        "RewardList": api.sanity(
            '{ RewardList(id: "reward-list-singleton") { _id } }'
        ).json()["data"]["RewardList"]
    }


def test_a_root_field_the_schema_lacks_is_refused(api):
    response = api.sanity("{ allSystemwideOffer { _id } }")

    assert (response.status_code, response.json()) == (
        400,
        {
            "errors": [
                {"message": "Cannot query field 'allSystemwideOffer' on type 'Query'."}
            ]
        },
    )


def test_a_locale_the_dataset_lacks_is_null(api):
    query = '{ RewardList(id: "reward-list-singleton") { rewardCategories { rewards { ... on Reward { description { deRaw } } } } } }'

    rewards = _data(api.sanity(query))["RewardList"]["rewardCategories"][0]["rewards"]

    assert rewards[0] == {"description": {"deRaw": None}}


def test_a_locale_sanity_does_not_have_is_refused(api):
    query = '{ RewardList(id: "reward-list-singleton") { rewardCategories { rewards { ... on Reward { description { xxRaw } } } } } }'

    response = api.sanity(query)

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(
        "Cannot query field 'xxRaw' on type 'LocaleBlockContent'."
    )


def test_a_fragment_on_a_type_the_schema_lacks_is_refused(api):
    query = '{ RewardList(id: "reward-list-singleton") { rewardCategories { rewards { ... on Gift { _id } } } } }'

    response = api.sanity(query)

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Unknown type 'Gift'.")


def test_the_middleware_lists_are_not_served_here(api):
    response = api.sanity("{ loyaltyRewardsV2 { id } }")

    assert response.status_code == 400


def test_an_unknown_dataset_is_not_found(api):
    response = api.sanity(OFFERS_QUERY, dataset="prod_bk_de")

    assert (response.status_code, response.json()) == (
        404,
        {"errors": [{"message": "Dataset not found: prod_bk_de"}]},
    )
