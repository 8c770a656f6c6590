"""The RBI provider over real HTTP to the RBI sandbox: the contract both keep."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from loyalty.providers.base import (
    IdentifierKind,
    LoyaltyRejected,
    OrderPosting,
    PostedLine,
    PostedLineKind,
    PostingResult,
    ProgrammeStore,
    RuleCode,
)
from loyalty.providers.rbi.client import Market, RbiClient
from loyalty.providers.rbi.content import content_key
from loyalty.providers.rbi.provider import RbiProvider, RbiStore
from sandboxes.rbi.control import RbiSandboxControl

ALEX = "00000000-0000-4000-8000-000000000001"
STORE = ProgrammeStore(
    reference="9999", country="FR", currency="EUR", device_id="2", device_name="K2"
)


@pytest.fixture
def provider(rbi_sandbox: RbiSandboxControl) -> RbiProvider:
    cache.clear()
    base = rbi_sandbox.base_url
    return RbiProvider(
        client=RbiClient(
            base_url=base,
            market=Market(
                api_key="rbi-sandbox-kiosk-key", country="fr", timezone="Europe/Paris"
            ),
        ),
        store=RbiStore(
            store_id="9999",
            vendor="partner",
            sanity_url=f"{base}/sanity/v1/graphql/dev_bk_fr/default",
            language="en",
        ),
    )


def identify(provider: RbiProvider, code: str, order_reference: str = ""):
    """Identify from a new order of the kiosk, unless one is named."""
    return provider.member_identify(
        identifier=code,
        kind=IdentifierKind.CODE,
        store=STORE,
        order_reference=order_reference or uuid.uuid4().hex,
    )


def posting(session: str, *lines: PostedLine, amount: int) -> OrderPosting:
    return OrderPosting(
        order_reference="0" * 32,
        store=STORE,
        created_at=datetime(2026, 11, 22, 12, tzinfo=UTC),
        service_mode="take_away",
        amount=amount,
        tax_amount=0,
        lines=lines,
        payment_method="card",
        member_reference=ALEX,
        session_reference=session,
        terminal="2",
        card_brand="mastercard",
    )


def whopper(reference: str = "1") -> PostedLine:
    return PostedLine(
        sku="BRG-WHOPPER",
        name="Whopper",
        quantity=1,
        unit_amount=690,
        plu="4101",
        kind=PostedLineKind.ITEM,
        reference_id=reference,
        tax_amount=63,
    )


def free_whopper_meal(reference: str = "2") -> PostedLine:
    return PostedLine(
        sku="BRG-MEAL-WHOPPER-M",
        name="Whopper Meal",
        quantity=1,
        unit_amount=0,
        plu="9004",
        kind=PostedLineKind.REWARD,
        reference_id=reference,
        reward_reference="reward-whopper-meal",
        engine_reference="eng-rwd-0004",
    )


def test_validate_forecasts_what_the_claim_then_gives(provider, rbi_sandbox):
    found = identify(provider, "111111")
    session = found.member.session_reference

    check = provider.basket_validate(posting=posting(session, whopper(), amount=690))
    result = provider.posting_deliver(
        payload=provider.posting_payload(
            posting=posting(session, whopper(), amount=690)
        )
    )

    assert (check.points_earned, check.balance_after, check.issues) == (69, 1269, ())
    assert (result.points_earned, result.balance) == (69, 1269)
    assert rbi_sandbox.user(ALEX)["points"] == 1269
    claimed = rbi_sandbox.transaction(session)
    assert claimed["basket"][0]["price"] == 6.9
    assert rbi_sandbox.requests()[-1]["body"]["transactionDetails"]["payments"] == [
        {"amount": 690, "type": "MASTERCARD"}
    ]


def test_a_rule_failure_names_the_incentive_and_what_is_missing(provider, rbi_sandbox):
    found = identify(provider, "111111")  # Alex: 1200 points, the meal costs 1500

    check = provider.basket_validate(
        posting=posting(
            found.member.session_reference,
            whopper(),
            free_whopper_meal(),
            amount=690,
        )
    )

    assert len(check.issues) == 1
    issue = check.issues[0]
    assert (issue.reward_reference, issue.code) == (
        "reward-whopper-meal",
        RuleCode.INSUFFICIENT_POINTS,
    )
    assert (issue.current, issue.target) == (1200, 1500)


def test_a_claim_sent_again_is_done_and_earns_once(provider, rbi_sandbox):
    found = identify(provider, "111111")
    session = found.member.session_reference
    payload = provider.posting_payload(posting=posting(session, whopper(), amount=690))

    first = provider.posting_deliver(payload=payload)
    again = provider.posting_deliver(payload=payload)

    assert (first.remote_reference, first.points_earned) == (session, 69)
    assert again == PostingResult(remote_reference=session, already_processed=True)
    assert rbi_sandbox.user(ALEX)["points"] == 1269


def test_upper_snake_error_codes_mean_the_same(provider, rbi_sandbox):
    rbi_sandbox.faults(upper_snake_codes=True)

    with pytest.raises(LoyaltyRejected) as refused:
        identify(provider, "999999")

    assert refused.value.code == "code_expired"
    assert (
        rbi_sandbox.requests()[-1]["status"],
        rbi_sandbox.requests()[-1]["path"],
    ) == (422, "/loyalty/identify")


def test_a_loyalty_id_identifies_when_the_market_allows_it(provider, rbi_sandbox):
    rbi_sandbox.faults(loyalty_id_identifier=True)
    assert identify(provider, ALEX).member.first_name == "Alex"

    rbi_sandbox.faults(loyalty_id_identifier=False)
    assert identify(provider, ALEX) is None


def test_content_survives_sanity_going_down(provider, rbi_sandbox):
    assert "reward-free-drink" in provider._content().rewards
    # Ten minutes later the fresh copy has expired; only the last good one is left.
    cache.delete(content_key(provider.library()))
    rbi_sandbox.faults(rules=[{"path": "/sanity/*", "action": "status", "status": 503}])

    library = provider._content()

    assert library.rewards["reward-free-drink"].points == 250
    assert library.offers["config-whopper-2"].is_personalised


def test_a_guest_sale_is_unclaimed_and_earns_nobody_points(provider, rbi_sandbox):
    guest = replace(posting("", whopper(), amount=690), member_reference="")

    result = provider.posting_deliver(payload=provider.posting_payload(posting=guest))

    remote = rbi_sandbox.transaction(result.remote_reference)
    assert (remote["status"], remote["isUnclaimed"], remote["loyaltyId"]) == (
        "CLAIMED",
        True,
        None,
    )
    assert rbi_sandbox.user(ALEX)["points"] == 1200


def test_an_unknown_loyalty_id_is_no_member(provider, rbi_sandbox):
    rbi_sandbox.faults(loyalty_id_identifier=True)

    found = identify(provider, "00000000-0000-4000-8000-0000000000ff")

    assert found is None
