"""The kiosk's own GraphQL queries against the sandbox's schemas of RBI's APIs:
a field or type the schemas lack fails here, as it would in production."""

from __future__ import annotations

import pytest

from loyalty.providers.rbi.content import (
    ELIGIBLE_OFFERS,
    ELIGIBLE_REWARDS,
    VENDOR_KEYS,
    offers_query,
    rewards_query,
)
from sandboxes.rbi.graphql import MIDDLEWARE_SCHEMA, SANITY_SCHEMA, query_errors


@pytest.mark.parametrize("vendor", [*VENDOR_KEYS, "NCR", "Partner"])
def test_the_content_queries_are_valid_for_every_pos_vendor(vendor):
    assert query_errors(SANITY_SCHEMA, offers_query(vendor)) == []
    assert query_errors(SANITY_SCHEMA, rewards_query(vendor)) == []


@pytest.mark.parametrize("query", [ELIGIBLE_OFFERS, ELIGIBLE_REWARDS])
def test_the_eligibility_queries_are_valid(query):
    assert query_errors(MIDDLEWARE_SCHEMA, query) == []


def test_a_field_the_content_lacks_is_an_error():
    query = offers_query("partner").replace("offerPrice", "price", 1)

    assert query_errors(SANITY_SCHEMA, query) == [
        "Cannot query field 'price' on type 'SystemwideOffer'."
    ]


def test_an_argument_type_the_middleware_lacks_is_an_error():
    query = ELIGIBLE_OFFERS.replace("LoyaltyOffersInput", "LoyaltyOffersWhereInput")

    assert query_errors(MIDDLEWARE_SCHEMA, query)[0].startswith(
        "Unknown type 'LoyaltyOffersWhereInput'."
    )
