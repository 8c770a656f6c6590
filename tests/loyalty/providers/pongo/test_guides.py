"""What the client sends and reads, field by field, against Pongo's kiosk and
POS integration guides (the steps are the guides'; mocked with `responses`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import responses

from loyalty.providers.base import (
    Enrolment,
    IdentifierKind,
    Member,
    OrderPosting,
    OwnedReward,
    PostedLine,
    PostedLineKind,
    ProgrammeStore,
    RewardKind,
)
from loyalty.providers.pongo.client import PongoClient
from loyalty.providers.pongo.provider import PongoProvider, reward_from

BASE = "http://pongo.test"
ORDER = "5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a"
STORE = ProgrammeStore(
    reference="demo-paris-11",
    country="FR",
    currency="EUR",
    device_id="brasserie-borne-1",
    device_name="Borne 1",
)
LEA = {
    "public_id": "cust_0000000001",
    "phone": "33612345678",
    "first_name": "Léa",
    "points": 320,
    "has_pin": False,
}
LEA_MEMBER = Member(reference="cust_0000000001", first_name="Léa", points=320)
COFFEE = {
    "public_id": "rew_0000000001",
    "name": "Café offert",
    "type": "free_product",
    "points": 50,
    "value": None,
    "external_id": "SKU-ESPRESSO,SKU-CAFE-LONG,ZELTY-9912",
}
VOUCHER = {
    "public_id": "rew_0000000003",
    "name": "5 € de réduction",
    "type": "voucher_amount",
    "points": 100,
    "value": 500,
    "external_id": None,
}


@pytest.fixture
def provider() -> PongoProvider:
    return PongoProvider(client=PongoClient(token="t0k3n", base_url=BASE))


def _call(index: int) -> tuple[str, str, dict[str, list[str]], Any]:
    """Method, path, query and JSON body of the `index`th request sent."""
    request = responses.calls[index].request
    url = urlparse(request.url or "")
    body = json.loads(request.body) if request.body else None
    return request.method or "", url.path, parse_qs(url.query), body


# --- 1. Customers identify with their phone number or their Digital Pass -------------


@responses.activate
def test_a_phone_number_is_looked_up_international_without_plus(provider):
    responses.get(f"{BASE}/v1/customers/phone/33612345678", json={"data": LEA})

    found = provider.member_identify(
        identifier="33612345678", kind=IdentifierKind.PHONE, store=STORE
    )

    assert found is not None
    assert found.member == Member(
        reference="cust_0000000001",
        first_name="Léa",
        points=320,
        phone="33612345678",
        has_pin=False,
    )
    assert _call(0)[:2] == ("GET", "/v1/customers/phone/33612345678")


@responses.activate
def test_a_scanned_pass_is_the_customers_public_id(provider):
    responses.get(f"{BASE}/v1/customers/cust_0000000001", json={"data": LEA})

    found = provider.member_identify(
        identifier="cust_0000000001", kind=IdentifierKind.PASS, store=STORE
    )

    assert found is not None
    assert found.member.reference == "cust_0000000001"
    assert _call(0)[:2] == ("GET", "/v1/customers/cust_0000000001")


@responses.activate
def test_a_customer_named_by_its_id_as_in_the_pos_guide_is_read(provider):
    customer = {key: value for key, value in LEA.items() if key != "public_id"}
    responses.get(
        f"{BASE}/v1/customers/cust_0000000001",
        json={"data": {**customer, "id": "cust_0000000001"}},
    )

    found = provider.member_identify(
        identifier="cust_0000000001", kind=IdentifierKind.PASS, store=STORE
    )

    assert found is not None
    assert found.member.reference == "cust_0000000001"


# --- 2. Enrolment asks for the e-mail and SMS opt-ins, sent as has_optin -----------


@pytest.mark.parametrize(
    ("sms", "email", "has_optin"),
    [(True, True, True), (True, False, False), (False, False, False)],
)
@responses.activate
def test_enrolment_sends_the_phone_the_store_and_the_opt_ins(
    provider, sms, email, has_optin
):
    responses.post(f"{BASE}/v1/customers", status=201, json={"data": LEA})

    member = provider.member_enrol(
        enrolment=Enrolment(phone="33612345678", sms_optin=sms, email_optin=email),
        store=STORE,
    )

    assert (member.reference, member.is_new) == ("cust_0000000001", True)
    assert _call(0) == (
        "POST",
        "/v1/customers",
        {},
        {
            "phone": "33612345678",
            "reference_store_slug": "demo-paris-11",
            "has_optin_sms": sms,
            "has_optin_email": email,
            "has_optin": has_optin,
        },
    )


# --- 3. Points, the rewards to get, and apart the rewards already won ----------------


@responses.activate
def test_the_panel_reads_points_rewards_for_the_customer_here_and_rewards_won(
    provider,
):
    responses.get(
        f"{BASE}/v1/customers/cust_0000000001", json={"data": {**LEA, "points": 270}}
    )
    responses.get(f"{BASE}/v1/rewards", json={"data": [COFFEE, VOUCHER]})
    responses.get(
        f"{BASE}/v1/customers/cust_0000000001/rewards",
        json={
            "data": [
                {
                    "id": "crw_0000000009",
                    "reward": VOUCHER,
                    "coupon_code": "PONGO-7K2M9QXA",
                }
            ]
        },
    )

    panel = provider.panel(member=LEA_MEMBER, store=STORE)

    assert [_call(index)[:3] for index in range(3)] == [
        ("GET", "/v1/customers/cust_0000000001", {}),
        (
            "GET",
            "/v1/rewards",
            {"customer": ["cust_0000000001"], "store_slug": ["demo-paris-11"]},
        ),
        ("GET", "/v1/customers/cust_0000000001/rewards", {"used": ["false"]}),
    ]
    coffee, voucher = panel.rewards
    assert panel.member.points == 270
    assert (coffee.reference, coffee.kind, coffee.points, coffee.skus) == (
        "rew_0000000001",
        RewardKind.FREE_PRODUCT,
        50,
        ("SKU-ESPRESSO", "SKU-CAFE-LONG", "ZELTY-9912"),
    )
    assert (voucher.kind, voucher.value) == (RewardKind.VOUCHER_AMOUNT, 500)
    assert [(o.reference, o.coupon_code) for o in panel.owned] == [
        ("crw_0000000009", "PONGO-7K2M9QXA")
    ]


@responses.activate
def test_a_reward_of_a_type_the_kiosk_does_not_know_is_unsupported(provider):
    gift = {**VOUCHER, "public_id": "rew_0000000008", "type": "voucher_gift"}
    responses.get(f"{BASE}/v1/rewards", json={"data": [gift]})

    (reward,) = provider.catalogue(store=STORE)

    assert reward.kind == RewardKind.UNSUPPORTED


@responses.activate
def test_a_won_free_products_own_external_id_names_its_products(provider):
    responses.get(f"{BASE}/v1/customers/cust_0000000001", json={"data": LEA})
    responses.get(f"{BASE}/v1/rewards", json={"data": []})
    responses.get(
        f"{BASE}/v1/customers/cust_0000000001/rewards",
        json={
            "data": [
                {
                    "id": "crw_0000000001",
                    "reward": {**COFFEE, "external_id": None},
                    "external_id": "SKU-ESPRESSO, ZELTY-9912",
                    "coupon_code": None,
                }
            ]
        },
    )

    (owned,) = provider.panel(member=LEA_MEMBER, store=STORE).owned

    assert (owned.reward.skus, owned.coupon_code) == (
        ("SKU-ESPRESSO", "ZELTY-9912"),
        "",
    )


# --- 4. A reward is bought with points --------------------------------------------


@responses.activate
def test_buying_names_the_customer_and_the_store_and_reads_the_reward_won(provider):
    responses.get(f"{BASE}/v1/customers/cust_0000000001/rewards", json={"data": []})
    responses.post(
        f"{BASE}/v1/rewards/rew_0000000003/buy",
        status=201,
        json={
            "data": {
                "id": "crw_0000000010",
                "reward": VOUCHER,
                "coupon_code": "PONGO-ABCD1234",
            },
            "customer": {"public_id": "cust_0000000001", "points": 220},
        },
    )

    owned = provider.reward_buy(
        member=LEA_MEMBER, reward_reference="rew_0000000003", store=STORE, pin="1234"
    )

    assert _call(1) == (
        "POST",
        "/v1/rewards/rew_0000000003/buy",
        {},
        {
            "customer": "cust_0000000001",
            "store_slug": "demo-paris-11",
            "used": False,
            "pin": "1234",
        },
    )
    assert (owned.reference, owned.reward.reference, owned.coupon_code) == (
        "crw_0000000010",
        "rew_0000000003",
        "PONGO-ABCD1234",
    )


@responses.activate
def test_a_reward_put_on_the_order_is_locked_for_it(provider):
    path = "/v1/customers/cust_0000000001/rewards/crw_0000000001/lock"
    responses.post(f"{BASE}{path}", json={"data": {"id": "crw_0000000001"}})
    owned = OwnedReward(
        reference="crw_0000000001",
        reward=reward_from(COFFEE),
    )

    provider.reward_lock(
        member=LEA_MEMBER, owned=owned, order_reference=ORDER, store=STORE
    )

    assert _call(0) == (
        "POST",
        path,
        {},
        {"order_id": ORDER, "store_slug": "demo-paris-11", "duration_minutes": 15},
    )


# --- 6. The paid order, with the rewards used on its lines ---------------------------


def _posting() -> OrderPosting:
    """1 € paid: two cookies, an espresso for points, and a 5 € voucher."""
    return OrderPosting(
        order_reference=ORDER,
        store=STORE,
        created_at=datetime(2025, 5, 2, 10, 31, tzinfo=UTC),
        service_mode="eat_in",
        amount=100,
        tax_amount=9,
        lines=(
            PostedLine(sku="SKU-COOKIE", name="Cookie", quantity=2, unit_amount=300),
            PostedLine(
                sku="SKU-ESPRESSO",
                name="Espresso",
                quantity=1,
                unit_amount=0,
                reward_reference="rew_0000000001",
                owned_reference="crw_0000000001",
                kind=PostedLineKind.REWARD,
            ),
            PostedLine(
                sku="VOUCHER",
                name="5 € de réduction",
                quantity=1,
                unit_amount=-500,
                reward_reference="rew_0000000003",
                owned_reference="crw_0000000003",
                coupon_code="PONGO-C3D4E5F6",
            ),
        ),
        payment_method="card",
        member_reference="cust_0000000001",
        member_phone="33612345678",
        reward_references=("rew_0000000001", "rew_0000000003"),
    )


@responses.activate
def test_the_order_sent_has_the_fields_of_create_an_order(provider):
    responses.post(
        f"{BASE}/v1/orders",
        status=201,
        json={"data": {"id": "ord_1", "points_earned": 1, "customer": None}},
    )

    result = provider.posting_deliver(
        payload=provider.posting_payload(posting=_posting())
    )

    assert _call(0)[3] == {
        "order_id": ORDER,
        "partner_order_id": None,
        "channel": "kiosk",
        "delivery_mode": "on_site",
        "loyalty_store_slug": "demo-paris-11",
        "tablet_id": None,
        "amount": 100,
        "tax_amount": 9,
        "reward_ids": [],
        "status": "paid",
        "delivery_status": "pending",
        "created_at": "2025-05-02T10:31:00+00:00",
        "withdrawal_at": None,
        "comment": None,
        "lines": [
            {
                "external_id": "SKU-COOKIE",
                "name": "Cookie",
                "quantity": 2,
                "unit_amount": 300,
                "amount": 600,
            },
            {
                "external_id": "SKU-ESPRESSO",
                "name": "Espresso",
                "quantity": 1,
                "unit_amount": 0,
                "amount": 0,
                "reward_id": "rew_0000000001",
                "customer_reward_id": "crw_0000000001",
            },
        ],
        "customer": {"public_id": "cust_0000000001", "phone": "33612345678"},
        "payments": [{"method": "card", "amount": 100}],
        "device_id": "brasserie-borne-1",
        "device_name": "Borne 1",
    }
    assert (result.remote_reference, result.points_earned) == ("ord_1", 1)
    assert result.unused_owned_references == ("crw_0000000003",)


@pytest.mark.parametrize(
    "answer",
    [
        {"message": "This order has already been processed.", "id": "ord_1"},
        {"message": "This order has already been processed.", "data": {"id": "ord_1"}},
    ],
)
@responses.activate
def test_an_order_already_processed_is_202_with_its_id(provider, answer):
    responses.post(f"{BASE}/v1/orders", status=202, json=answer)

    result = provider.posting_deliver(
        payload=provider.posting_payload(posting=_posting())
    )

    assert (
        result.already_processed,
        result.remote_reference,
        result.points_earned,
    ) == (
        True,
        "ord_1",
        None,
    )


@responses.activate
def test_a_reward_no_line_could_carry_is_marked_used_for_the_order(provider):
    path = "/v1/customers/cust_0000000001/rewards/crw_0000000003/use"
    responses.patch(f"{BASE}{path}", json={"data": {"id": "crw_0000000003"}})
    posted = provider.posting_payload(posting=_posting())

    provider.use_deliver(
        payload=provider.use_payload(
            posting_payload=posted, owned_reference="crw_0000000003"
        )
    )

    assert _call(0) == (
        "PATCH",
        path,
        {},
        {"store_slug": "demo-paris-11", "order_id": ORDER},
    )
