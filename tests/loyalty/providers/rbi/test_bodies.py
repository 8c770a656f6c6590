"""The bodies the kiosk sends RBI, field by field against the seed's examples
(RBI's personalised-offers page: identify, validate, claim, void, unclaimed)
and its pay-at-counter page (hold)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from loyalty.providers.base import (
    OrderPosting,
    PostedLine,
    PostedLineKind,
    ProgrammeStore,
)
from loyalty.providers.rbi import bodies
from loyalty.providers.rbi.bodies import RbiStore
from loyalty.providers.rbi.client import Market, RbiClient
from loyalty.providers.rbi.provider import RbiProvider

ALEX = "00000000-0000-4000-8000-000000000001"
ORDER = "5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a"
SESSION = "f4190848-169d-4c69-9f53-f916318c432b"
PLACE = ProgrammeStore(
    reference="9999", country="FR", currency="EUR", device_id="2", device_name="K2"
)
STORE = RbiStore(
    store_id="9999",
    vendor="partner",
    sanity_url="http://sanity.test/v1/graphql/dev_bk_fr/default",
    language="en",
    operator="300",
    matching_id="SMG-42",
)


def provider_for(store: RbiStore = STORE) -> RbiProvider:
    client = RbiClient(
        base_url="http://rbi.test",
        market=Market(api_key="k", country="FR", timezone="Europe/Paris"),
    )
    return RbiProvider(client=client, store=store)


# The seed's validate and claim example, in our catalogue.
MEAL = PostedLine(
    sku="BRG-MEAL",
    name="Whopper Meal M",
    quantity=1,
    unit_amount=849,
    plu="4001",
    kind=PostedLineKind.COMBO,
    reference_id="1",
    tax_amount=77,
)
WHOPPER = PostedLine(
    sku="BRG-W",
    name="Whopper",
    quantity=1,
    unit_amount=0,
    plu="4101",
    reference_id="2",
    parent_reference_id="1",
)
FRIES = replace(WHOPPER, sku="BRG-F", name="Fries M", plu="4102", reference_id="3")
FREE_DRINK = PostedLine(
    sku="BRG-D",
    name="Free Drink",
    quantity=1,
    unit_amount=0,
    plu="9001",
    kind=PostedLineKind.REWARD,
    reference_id="4",
    reward_reference="reward-free-drink",
    engine_reference="eng-rwd-0001",
)
CHICKEN_OFFER = PostedLine(
    sku="BRG-C",
    name="Chicken Sandwich Meal 2.99",
    quantity=1,
    unit_amount=299,
    plu="8001",
    kind=PostedLineKind.OFFER,
    reference_id="5",
    reward_reference="offer-chicken-meal-299",
    engine_reference="eng-ofr-0001",
    tax_amount=27,
)
MY_WHOPPER = PostedLine(
    sku="BRG-W2",
    name="Your Whopper for 2.00",
    quantity=1,
    unit_amount=200,
    plu="8007",
    kind=PostedLineKind.OFFER,
    reference_id="6",
    reward_reference="config-whopper-2",
    engine_reference="eng-pof-0001",
    is_personalised=True,
    tax_amount=18,
)


def posting(**changes) -> OrderPosting:
    values = {
        "order_reference": ORDER,
        "store": PLACE,
        "created_at": datetime(2025, 5, 4, 13, 39, 47, tzinfo=UTC),
        "service_mode": "eat_in",
        "amount": 1348,
        "tax_amount": 122,
        "lines": (MEAL, WHOPPER, FRIES, FREE_DRINK, CHICKEN_OFFER, MY_WHOPPER),
        "payment_method": "card",
        "member_reference": ALEX,
        "session_reference": SESSION,
        "terminal": "2",
        "card_brand": "VISA",
    }
    return OrderPosting(**{**values, **changes})


SEED_LINES = [
    {
        "name": "Whopper Meal M",
        "price": 8.49,
        "productId": "4001",
        "productType": "combo",
        "quantity": 1,
        "referenceId": "1",
        "tax": 0.77,
    },
    {
        "name": "Whopper",
        "parentReferenceId": "1",
        "price": 0.0,
        "productId": "4101",
        "productType": "item",
        "quantity": 1,
        "referenceId": "2",
        "tax": 0.0,
    },
    {
        "name": "Fries M",
        "parentReferenceId": "1",
        "price": 0.0,
        "productId": "4102",
        "productType": "item",
        "quantity": 1,
        "referenceId": "3",
        "tax": 0.0,
    },
    {
        "incentiveId": "reward-free-drink",
        "name": "Free Drink",
        "price": 0.0,
        "productId": "9001",
        "productType": "REWARD",
        "quantity": 1,
        "referenceId": "4",
        "tax": 0.0,
    },
    {
        "incentiveId": "offer-chicken-meal-299",
        "loyaltyEngineId": "eng-ofr-0001",
        "name": "Chicken Sandwich Meal 2.99",
        "price": 2.99,
        "productId": "8001",
        "productType": "OFFER",
        "quantity": 1,
        "referenceId": "5",
        "tax": 0.27,
    },
    {
        "loyaltyEngineId": "eng-pof-0001",
        "name": "Your Whopper for 2.00",
        "price": 2.0,
        "productId": "8007",
        "productType": "OFFER",
        "quantity": 1,
        "referenceId": "6",
        "tax": 0.18,
    },
]
SEED_POS_VENDOR = {
    "matchingId": "SMG-42",
    "operator": "300",
    "posType": "Partner",
    "storeId": "9999",
    "supportingPos": "partner",
    "terminal": "2",
    "transactionId": ORDER,
}
SEED_POS_VENDOR_WITHOUT_SUPPORTING = {
    key: value for key, value in SEED_POS_VENDOR.items() if key != "supportingPos"
}


def test_identify_is_the_seeds_identifier_and_pos_vendor():
    assert bodies.identify_body(STORE, "123456", ORDER, "2") == {
        "identifier": "123456",
        "posVendor": SEED_POS_VENDOR,
    }


def test_operator_and_matching_id_are_sent_only_when_configured():
    plain = replace(STORE, operator="", matching_id="")

    assert bodies.identify_body(plain, "123456", ORDER, "2")["posVendor"] == {
        "posType": "Partner",
        "storeId": "9999",
        "supportingPos": "partner",
        "terminal": "2",
        "transactionId": ORDER,
    }


def test_the_supporting_pos_keeps_the_spelling_it_was_given():
    store = replace(STORE, vendor="NCR")

    assert bodies.pos_vendor(store, ORDER, "2")["supportingPos"] == "NCR"


def test_the_claim_is_the_seeds_body_field_by_field():
    payload = provider_for().posting_payload(posting=posting())

    assert (payload["method"], payload["path"], payload["transaction"]) == (
        "PUT",
        f"/loyalty/transaction/pos/{SESSION}",
        SESSION,
    )
    assert payload["body"] == {
        "channel": "Restaurant",
        "created": "2025-05-04T13:39:47Z",
        "loyaltyId": ALEX,
        "serviceMode": "EAT_IN",
        "status": "CLAIMED",
        "transactionDetails": {
            "currency": "EUR",
            "order": SEED_LINES,
            "payments": [{"amount": 1348, "type": "VISA"}],
            "posVendor": SEED_POS_VENDOR,
        },
        "transactionId": SESSION,
    }


def test_the_hold_is_the_claim_pending_without_payments():
    payload = provider_for().hold_payload(posting=posting(payment_method="cash"))

    claim = provider_for().posting_payload(posting=posting())["body"]
    assert payload["path"] == f"/loyalty/transaction/pos/{SESSION}"
    assert payload["body"] == {
        **claim,
        "status": "PENDING",
        "transactionDetails": {**claim["transactionDetails"], "payments": []},
    }


def test_a_void_names_no_member_nor_transaction_in_its_body():
    payload = provider_for().void_payload(posting=posting())

    assert payload["path"] == f"/loyalty/transaction/pos/{SESSION}/void"
    assert payload["body"] == {
        "channel": "Restaurant",
        "created": "2025-05-04T13:39:47Z",
        "serviceMode": "EAT_IN",
        "status": "PENDING",
        "transactionDetails": {
            "currency": "EUR",
            "order": SEED_LINES,
            "payments": [],
            "posVendor": SEED_POS_VENDOR_WITHOUT_SUPPORTING,
        },
    }


def test_a_refund_voids_the_claimed_transaction_as_it_was_claimed():
    payload = provider_for().refund_payload(posting=posting())

    assert (payload["transaction"], payload["body"]["status"]) == (SESSION, "CLAIMED")
    assert payload["body"]["transactionDetails"]["payments"] == [
        {"amount": 1348, "type": "VISA"}
    ]
    assert "loyaltyId" not in payload["body"]


def test_a_guest_sale_is_the_seeds_unclaimed_body():
    guest = posting(
        member_reference="",
        session_reference="",
        payment_method="cash",
        card_brand="",
        lines=(MEAL, WHOPPER, FRIES),
        amount=849,
    )

    payload = provider_for().posting_payload(posting=guest)

    assert (payload["method"], payload["path"]) == ("POST", "/loyalty/transaction/pos")
    assert payload["body"] == {
        "channel": "Restaurant",
        "created": "2025-05-04T13:39:47Z",
        "serviceMode": "EAT_IN",
        "status": "CLAIMED",
        "transactionDetails": {
            "currency": "EUR",
            "order": SEED_LINES[:3],
            "payments": [{"amount": 849, "type": "CASH"}],
            "posVendor": SEED_POS_VENDOR_WITHOUT_SUPPORTING,
        },
    }


@pytest.mark.parametrize(
    ("method", "brand", "claimed"),
    [
        ("card", "VISA", ("CLAIMED", [{"amount": 1348, "type": "VISA"}])),
        ("card", "mastercard", ("CLAIMED", [{"amount": 1348, "type": "MASTERCARD"}])),
        ("card", "maestro", ("CLAIMED", [{"amount": 1348, "type": "CREDIT"}])),
        ("card", "", ("CLAIMED", [{"amount": 1348, "type": "CREDIT"}])),
        ("cash", "", ("CLAIMED", [{"amount": 1348, "type": "CASH"}])),
        ("", "", ("PENDING", [])),
    ],
)
def test_the_status_and_payment_follow_the_payment_chosen(method, brand, claimed):
    assert bodies.payments(posting(payment_method=method, card_brand=brand)) == claimed


def test_an_ncr_store_sends_no_engine_ids():
    ncr = provider_for(replace(STORE, vendor="ncr"))

    lines = ncr.posting_payload(posting=posting())["body"]["transactionDetails"][
        "order"
    ]

    assert [line.get("loyaltyEngineId") for line in lines] == [None] * 6
    assert lines[4]["incentiveId"] == "offer-chicken-meal-299"


def test_each_posting_has_one_request_id_of_its_own():
    provider = provider_for()

    claims = {provider.posting_payload(posting=posting())["request_id"] for _ in "ab"}
    others = {
        provider.hold_payload(posting=posting())["request_id"],
        provider.void_payload(posting=posting())["request_id"],
        provider.refund_payload(posting=posting())["request_id"],
    }

    assert len(claims) == 1
    assert len(others) == 3
    assert claims.isdisjoint(others)
