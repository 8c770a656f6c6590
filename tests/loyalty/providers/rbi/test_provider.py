"""The RBI client at our HTTP boundary (mocked with `responses`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import requests
import responses

from loyalty.providers.base import (
    Capability,
    IdentifierKind,
    LoyaltyRejected,
    LoyaltyUnavailable,
    Member,
    OrderPosting,
    PostedLine,
    PostedLineKind,
    PostingResult,
    ProgrammeStore,
    ReceiptText,
    RewardKind,
    RuleCode,
    RuleIssue,
)
from loyalty.providers.rbi.client import Market, RbiClient
from loyalty.providers.rbi.provider import RbiProvider, RbiStore, identifier_kind

BASE = "http://rbi.test"
SANITY = "http://sanity.test/v1/graphql/dev_bk_fr/default"
STORE = ProgrammeStore(
    reference="9999", country="FR", currency="EUR", device_id="2", device_name="Kiosk 2"
)
ALEX = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def provider(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "rbi-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()
    client = RbiClient(
        base_url=BASE,
        market=Market(api_key="k3y", country="fr", timezone="Europe/Paris"),
    )
    return RbiProvider(
        client=client,
        store=RbiStore(
            store_id="9999", vendor="partner", sanity_url=SANITY, language="en"
        ),
    )


def sanity_content():
    """A slice of the seed content: one reward and one system-wide offer."""
    responses.post(
        SANITY,
        json={
            "data": {
                "LoyaltyOffersUI": {
                    "sortedSystemwideOffers": [
                        {
                            "_id": "offer-chicken-meal-299",
                            "loyaltyEngineId": "eng-ofr-0001",
                            "name": {
                                "enRaw": [
                                    {
                                        "_type": "block",
                                        "children": [
                                            {"text": "Chicken Sandwich Meal 2.99"}
                                        ],
                                    }
                                ]
                            },
                            "offerPrice": 299,
                            "vendorConfigs": {
                                "partner": {
                                    "pluType": "Constant",
                                    "constantPlu": "8001",
                                }
                            },
                            "incentives": [
                                {
                                    "_id": "combo-4002",
                                    "vendorConfigs": {
                                        "partner": {
                                            "pluType": "Constant",
                                            "constantPlu": "4002",
                                        }
                                    },
                                }
                            ],
                        }
                    ],
                    "liveConfigOffers": [],
                }
            }
        },
    )
    responses.post(
        SANITY,
        json={
            "data": {
                "RewardList": {
                    "rewardCategories": [
                        {
                            "_id": "rewards",
                            "rewards": [
                                {
                                    "_id": "reward-free-drink",
                                    "loyaltyEngineId": "eng-rwd-0001",
                                    "name": {
                                        "en": "Free Drink",
                                        "fr": "Boisson offerte",
                                    },
                                    "vendorConfigs": {
                                        "partner": {
                                            "pluType": "Constant",
                                            "constantPlu": "9001",
                                        }
                                    },
                                    "ruleSet": [{"points": 250}],
                                    "incentives": [
                                        {
                                            "_id": "item-4201",
                                            "vendorConfigs": {
                                                "partner": {
                                                    "pluType": "Constant",
                                                    "constantPlu": "4201",
                                                }
                                            },
                                        }
                                    ],
                                }
                            ],
                        }
                    ]
                }
            }
        },
    )


def posting(**changes):
    values = {
        "order_reference": "5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a",
        "store": STORE,
        "created_at": datetime(2025, 5, 4, 13, 39, 47, tzinfo=UTC),
        "service_mode": "eat_in",
        "amount": 1148,
        "tax_amount": 76,
        "lines": (
            PostedLine(
                sku="BRG-MEAL",
                name="Whopper Meal M",
                quantity=1,
                unit_amount=849,
                plu="4001",
                kind=PostedLineKind.COMBO,
                reference_id="1",
                tax_amount=77,
            ),
            PostedLine(
                sku="BRG-W",
                name="Whopper",
                quantity=1,
                unit_amount=0,
                plu="4101",
                reference_id="2",
                parent_reference_id="1",
            ),
            PostedLine(
                sku="BRG-D",
                name="Free Drink",
                quantity=1,
                unit_amount=0,
                plu="9001",
                kind=PostedLineKind.REWARD,
                reference_id="4",
                reward_reference="reward-free-drink",
                engine_reference="eng-rwd-0001",
            ),
            PostedLine(
                sku="BRG-C",
                name="Your Whopper for 2.00",
                quantity=1,
                unit_amount=200,
                plu="8007",
                kind=PostedLineKind.OFFER,
                reference_id="5",
                reward_reference="config-whopper-2",
                engine_reference="eng-pof-0001",
                is_personalised=True,
                tax_amount=18,
            ),
        ),
        "payment_method": "card",
        "member_reference": ALEX,
        "session_reference": "f4190848-169d-4c69-9f53-f916318c432b",
        "terminal": "2",
        "card_brand": "VISA",
    }
    return OrderPosting(**{**values, **changes})


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("123456", "otp"),
        (" 123456\r", "otp"),
        (ALEX, "loyalty_id"),
        ("12345", None),
        ("1234567", None),
        ("cust_1", None),
        ("", None),
    ],
)
def test_scans_are_routed_by_their_shape(code, kind):
    assert identifier_kind(code) == kind


def test_it_is_a_session_programme_with_content_that_posts_guests(provider):
    assert provider.capabilities == frozenset(
        {Capability.SESSION, Capability.CONTENT, Capability.GUEST_POSTINGS}
    )
    assert provider.identifiers == frozenset({IdentifierKind.CODE, IdentifierKind.PASS})


@responses.activate
def test_identify_sends_the_headers_and_pos_vendor_and_reads_the_answer(provider):
    sanity_content()
    responses.post(
        f"{BASE}/loyalty/identify",
        json={
            "transactionId": "f4190848-169d-4c69-9f53-f916318c432b",
            "balances": [{"amount": 950, "currency": "points"}],
            "loyaltyUser": {"id": ALEX, "name": "Alex"},
            "order": [
                {
                    "referenceId": "01",
                    "productType": "REWARD",
                    "productId": "9001",
                    "incentiveId": "reward-free-drink",
                    "loyaltyEngineId": "eng-rwd-0001",
                }
            ],
        },
    )

    found = provider.member_identify(
        identifier="222222",
        kind=IdentifierKind.CODE,
        store=STORE,
        order_reference="abc123",
    )

    request = responses.calls[0].request
    assert (request.headers["x-api-key"], request.headers["x-region"]) == ("k3y", "FR")
    assert (
        datetime.fromisoformat(request.headers["x-user-datetime"]).utcoffset()
        is not None
    )
    assert json.loads(request.body or b"") == {
        "identifier": "222222",
        "posVendor": {
            "transactionId": "abc123",
            "storeId": "9999",
            "terminal": "2",
            "posType": "Partner",
            "supportingPos": "partner",
        },
    }
    assert (
        found.member.reference,
        found.member.first_name,
        found.member.points,
        found.member.session_reference,
    ) == (
        ALEX,
        "Alex",
        950,
        "f4190848-169d-4c69-9f53-f916318c432b",
    )
    assert [
        (r.reference, r.skus, r.line_code, r.points) for r in found.preselected
    ] == [("reward-free-drink", ("4201",), "9001", 250)]


@pytest.mark.parametrize(
    ("status", "code", "outcome"),
    [
        (404, "HashSetNotFoundError", "code_expired"),
        (422, "OrderSelectionStatusUnclaimable", "code_expired"),
        (422, "ORDER_SELECTION_STATUS_UNCLAIMABLE", "code_expired"),
        (422, "InvalidIdentifier", None),
        (400, "IdentificationFailed", None),
    ],
)
@responses.activate
def test_identify_errors(provider, status, code, outcome):
    responses.post(
        f"{BASE}/loyalty/identify",
        status=status,
        json={"statusCode": status, "code": code, "message": "x"},
    )

    if outcome is None:
        assert (
            provider.member_identify(
                identifier="000000", kind=IdentifierKind.CODE, store=STORE
            )
            is None
        )
    else:
        with pytest.raises(LoyaltyRejected) as raised:
            provider.member_identify(
                identifier="000000", kind=IdentifierKind.CODE, store=STORE
            )
        assert raised.value.code == outcome


@responses.activate
def test_a_phone_or_a_foreign_scan_never_reaches_rbi(provider):
    assert (
        provider.member_identify(
            identifier="0612345678", kind=IdentifierKind.PHONE, store=STORE
        )
        is None
    )
    assert (
        provider.member_identify(
            identifier="cust_0000000001", kind=IdentifierKind.PASS, store=STORE
        )
        is None
    )
    assert len(responses.calls) == 0


def test_a_guest_sale_is_unclaimed_without_member_or_transaction(provider):
    payload = provider.posting_payload(
        posting=posting(
            member_reference="",
            session_reference="",
            payment_method="cash",
            card_brand="",
        )
    )

    assert (payload["method"], payload["path"]) == ("POST", "/loyalty/transaction/pos")
    assert "loyaltyId" not in payload["body"]
    assert "transactionId" not in payload["body"]
    assert payload["body"]["transactionDetails"]["payments"] == [
        {"amount": 1148, "type": "CASH"}
    ]


def test_the_counter_hold_is_pending_with_no_payment(provider):
    payload = provider.hold_payload(posting=posting())

    assert (
        payload["body"]["status"],
        payload["body"]["transactionDetails"]["payments"],
    ) == ("PENDING", [])


@responses.activate
def test_validate_reports_rule_failures_as_issues(provider):
    responses.post(
        f"{BASE}/loyalty/transaction/pos/validate/f4190848-169d-4c69-9f53-f916318c432b",
        status=400,
        json={
            "statusCode": 400,
            "code": "RulesError",
            "details": {
                "ruleEvaluation": [
                    {
                        "code": "insufficient-point-balance",
                        "ruleId": "point-balance",
                        "currentValue": 240,
                        "targetValue": 250,
                        "incentiveId": "reward-free-drink",
                    },
                    {
                        "code": "invalid-store-id",
                        "ruleId": "store-restrictions",
                        "currentValue": "7777",
                        "targetValue": ["9999"],
                        "incentiveId": "offer-store-special",
                    },
                ]
            },
        },
    )

    check = provider.basket_validate(posting=posting())

    assert check.issues == (
        RuleIssue("reward-free-drink", RuleCode.INSUFFICIENT_POINTS, 240.0, 250.0),
        RuleIssue("offer-store-special", RuleCode.NOT_IN_THIS_STORE, None, None),
    )


@responses.activate
def test_validate_gives_the_projected_figures(provider):
    responses.post(
        f"{BASE}/loyalty/transaction/pos/validate/f4190848-169d-4c69-9f53-f916318c432b",
        json={
            "loyaltyId": ALEX,
            "points": 964,
            "pointsEarned": 14,
            "pointsRedeemed": 250,
            "transactionId": "t",
        },
    )

    check = provider.basket_validate(posting=posting())

    assert (
        check.issues,
        check.balance_after,
        check.points_earned,
        check.points_redeemed,
    ) == ((), 964, 14, 250)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (500, LoyaltyUnavailable),
        (503, LoyaltyUnavailable),
        (429, LoyaltyUnavailable),
        (401, LoyaltyRejected),
    ],
)
@responses.activate
def test_claim_failures_map_to_the_neutral_errors(provider, status, error):
    payload = provider.posting_payload(posting=posting())
    responses.put(
        f"{BASE}{payload['path']}", status=status, json={"statusCode": status}
    )

    with pytest.raises(error):
        provider.posting_deliver(payload=payload)


@responses.activate
def test_a_rule_failure_at_claim_time_is_a_refusal(provider):
    payload = provider.posting_payload(posting=posting())
    responses.put(
        f"{BASE}{payload['path']}",
        status=400,
        json={
            "code": "RulesError",
            "details": {
                "ruleEvaluation": [
                    {"ruleId": "point-balance", "incentiveId": "reward-free-drink"}
                ]
            },
        },
    )

    with pytest.raises(LoyaltyRejected) as raised:
        provider.posting_deliver(payload=payload)

    assert raised.value.code == "rules"


@responses.activate
def test_voiding_a_gone_transaction_is_done(provider):
    payload = provider.void_payload(posting=posting())
    responses.put(
        f"{BASE}{payload['path']}",
        status=404,
        json={"code": "TransactionNotFoundError"},
    )

    provider.void_deliver(payload=payload)

    assert payload["path"].endswith("/void")


@responses.activate
def test_nonsense_from_rbi_is_unavailable_not_a_crash(provider):
    responses.post(f"{BASE}/loyalty/identify", body="<html>oops</html>", status=200)

    with pytest.raises(LoyaltyUnavailable):
        provider.member_identify(
            identifier="123456", kind=IdentifierKind.CODE, store=STORE
        )


@responses.activate
def test_validate_sends_the_claims_body(provider):
    responses.post(
        f"{BASE}/loyalty/transaction/pos/validate/f4190848-169d-4c69-9f53-f916318c432b",
        json={
            "points": 1,
            "pointsEarned": 1,
            "pointsRedeemed": 0,
            "transactionId": "t",
        },
    )

    provider.basket_validate(posting=posting())

    claim = provider.posting_payload(posting=posting())["body"]
    assert json.loads(responses.calls[0].request.body or b"") == claim


@responses.activate
def test_before_the_customer_chose_how_to_pay_validate_is_pending(provider):
    responses.post(
        f"{BASE}/loyalty/transaction/pos/validate/f4190848-169d-4c69-9f53-f916318c432b",
        json={
            "points": 1,
            "pointsEarned": 1,
            "pointsRedeemed": 0,
            "transactionId": "t",
        },
    )

    provider.basket_validate(posting=posting(payment_method="", card_brand=""))

    sent = json.loads(responses.calls[0].request.body or b"")
    assert (sent["status"], sent["transactionDetails"]["payments"]) == ("PENDING", [])


@responses.activate
def test_every_attempt_of_a_posting_carries_its_one_request_id(provider):
    payload = provider.posting_payload(posting=posting())
    responses.put(f"{BASE}{payload['path']}", status=503, json={})
    responses.put(
        f"{BASE}{payload['path']}",
        json={"points": 1, "pointsEarned": 1, "transactionId": "t"},
    )

    with pytest.raises(LoyaltyUnavailable):
        provider.posting_deliver(payload=payload)
    provider.posting_deliver(payload=payload)

    sent = {call.request.headers["x-request-id"] for call in responses.calls}
    assert sent == {payload["request_id"]}


@responses.activate
def test_a_claim_rbi_already_took_is_done(provider):
    payload = provider.posting_payload(posting=posting())
    responses.put(
        f"{BASE}{payload['path']}",
        status=409,
        json={"statusCode": 409, "code": "TransactionAlreadyClaimed"},
    )

    result = provider.posting_deliver(payload=payload)

    assert result == PostingResult(
        remote_reference="f4190848-169d-4c69-9f53-f916318c432b",
        already_processed=True,
    )


def guest_payload(provider):
    return provider.posting_payload(
        posting=posting(member_reference="", session_reference="")
    )


@responses.activate
def test_a_guest_sale_brings_rbis_text_for_the_receipt(provider):
    responses.post(
        f"{BASE}/loyalty/transaction/pos",
        json={
            "presentation": {
                "footer": "receipt footer",
                "header": "receipt header",
                "marketing": "receipt marketing promo",
                "identifier": "Transaction ID: t-1",
            },
            "transactionId": "t-1",
        },
    )

    result = provider.posting_deliver(payload=guest_payload(provider))

    assert result == PostingResult(
        remote_reference="t-1",
        receipt=ReceiptText(
            header="receipt header",
            lines=("receipt marketing promo", "Transaction ID: t-1"),
            footer="receipt footer",
        ),
    )


@responses.activate
def test_a_guest_sale_whose_answer_was_lost_is_unconfirmed(provider):
    responses.post(
        f"{BASE}/loyalty/transaction/pos",
        body=requests.ConnectionError("Connection aborted: remote end closed"),
    )

    with pytest.raises(LoyaltyUnavailable) as raised:
        provider.posting_deliver(payload=guest_payload(provider))

    assert raised.value.code == "unconfirmed"


@responses.activate
def test_a_guest_sale_that_could_not_connect_is_tried_again_later(provider):
    responses.post(
        f"{BASE}/loyalty/transaction/pos", body=requests.ConnectTimeout("no route")
    )

    with pytest.raises(LoyaltyUnavailable) as raised:
        provider.posting_deliver(payload=guest_payload(provider))

    assert raised.value.code == "unreachable"


def eligibility(*, offers, rewards=()):
    responses.post(f"{BASE}/graphql", json={"data": {"loyaltyOffersV2": offers}})
    responses.post(
        f"{BASE}/graphql", json={"data": {"loyaltyRewardsV2": list(rewards)}}
    )


MEMBER = Member(reference=ALEX, first_name="Alex", points=1200)
PERSONALISED = {
    "id": "eng-pof-0001",
    "name": "Your Whopper",
    "type": "PERSONALIZED",
    "sanityId": "offer-chicken-meal-299",
    "errors": None,
}


@responses.activate
def test_graphql_calls_name_the_market_in_x_ui_region(provider):
    sanity_content()
    eligibility(offers=[])

    provider.panel(member=MEMBER, store=STORE)

    assert [call.request.headers["x-ui-region"] for call in responses.calls] == [
        "FR"
    ] * 4


@responses.activate
def test_the_offers_document_of_the_store_is_asked(provider):
    from dataclasses import replace

    provider.store = replace(provider.store, offers_document="loyalty-offers-de")
    sanity_content()

    provider.catalogue(store=STORE)

    asked = json.loads(responses.calls[0].request.body or b"")
    assert asked["variables"] == {"id": "loyalty-offers-de"}


@responses.activate
def test_graphql_errors_with_status_200_make_the_panel_unavailable(provider):
    sanity_content()
    responses.post(
        f"{BASE}/graphql",
        json={"data": None, "errors": [{"message": "Cannot query field 'x'"}]},
    )

    with pytest.raises(LoyaltyUnavailable) as raised:
        provider.panel(member=MEMBER, store=STORE)

    assert raised.value.code == "malformed"
    assert "Cannot query field 'x'" in raised.value.message


@responses.activate
def test_an_ncr_store_shows_no_personalised_offer(provider):
    from dataclasses import replace

    provider.store = replace(provider.store, vendor="NCR")
    sanity_content()
    eligibility(offers=[PERSONALISED])

    panel = provider.panel(member=MEMBER, store=STORE)

    assert panel.rewards == ()


@responses.activate
def test_a_personalised_offer_picked_in_the_app_is_unsupported_at_an_ncr_store(
    provider,
):
    from dataclasses import replace

    provider.store = replace(provider.store, vendor="ncr")
    sanity_content()
    responses.post(
        f"{BASE}/loyalty/identify",
        json={
            "transactionId": "t-1",
            "balances": [{"amount": 1200, "currency": "points"}],
            "loyaltyUser": {"id": ALEX, "name": "Alex"},
            "order": [
                {
                    "referenceId": "01",
                    "productType": "OFFER",
                    "productId": "18001",
                    "incentiveId": "offer-chicken-meal-299",
                    "loyaltyEngineId": "eng-pof-0001",
                }
            ],
        },
    )

    found = provider.member_identify(
        identifier="222222", kind=IdentifierKind.CODE, store=STORE
    )

    assert [(r.reference, r.kind) for r in found.preselected] == [
        ("offer-chicken-meal-299", RewardKind.UNSUPPORTED)
    ]


@responses.activate
def test_an_identification_lost_twice_hands_the_outbox_its_search_and_void(provider):
    from loyalty.providers.base import SessionUnconfirmed

    for _ in range(2):
        responses.post(
            f"{BASE}/loyalty/identify",
            body=requests.ConnectionError("Connection aborted: remote end closed"),
        )

    with pytest.raises(SessionUnconfirmed) as raised:
        provider.member_identify(
            identifier="222222",
            kind=IdentifierKind.CODE,
            store=STORE,
            order_reference="abc123",
        )

    payload = raised.value.void_payload
    assert raised.value.code == "unconfirmed"
    assert payload["identify"] == json.loads(responses.calls[0].request.body or b"")
    assert payload["body"]["transactionDetails"] == {
        "currency": "EUR",
        "order": [],
        "payments": [],
        "posVendor": {
            "posType": "Partner",
            "storeId": "9999",
            "terminal": "2",
            "transactionId": "abc123",
        },
    }
    assert len({call.request.headers["x-request-id"] for call in responses.calls}) == 1
