"""The live check against the Pongo sandbox: the calls the kiosk depends on,
each answer's fields against the assumptions, and nothing left behind."""

from __future__ import annotations

import pytest

from loyalty.providers.base import UNCONFIRMED, CheckResult, ProgrammeStore
from loyalty.providers.pongo.assumptions import ASSUMPTIONS
from loyalty.providers.pongo.client import PongoClient
from loyalty.providers.pongo.provider import PongoProvider

STORE = ProgrammeStore(
    reference="demo-paris-11",
    country="FR",
    currency="EUR",
    device_id="loyalty-check",
    device_name="Loyalty check",
)
CUSTOMER_FIELDS = [
    "customer.id",
    "customer.points",
    "customer.first_name",
    "customer.phone",
    "customer.has_pin",
]
REWARD_FIELDS = [
    "rewards.path",
    "rewards.id",
    "rewards.name",
    "rewards.type",
    "rewards.points",
    "rewards.external_id",
    "rewards.voucher_types",
]
EVERY_CHECK = [
    ("GET /v1/oauth/me", "me.path"),
    ("GET /v1/oauth/me", "me.merchant"),
    ("GET /v1/stores", "stores.path"),
    ("GET /v1/stores", "stores.slug"),
    ("GET /v1/stores", "stores.contains_store"),
    ("GET /v1/customers/phone/{phone}", "customer.by_phone.path"),
    *[("GET /v1/customers/phone/{phone}", key) for key in CUSTOMER_FIELDS],
    ("GET /v1/customers/{customer}", "customer.by_id.path"),
    *[("GET /v1/customers/{customer}", key) for key in CUSTOMER_FIELDS],
    *[("GET /v1/rewards?store_slug={store}", key) for key in REWARD_FIELDS],
    *[
        ("GET /v1/rewards?customer={customer}&store_slug={store}", key)
        for key in REWARD_FIELDS
    ],
    ("GET /v1/customers/{customer}/rewards?used=false", "owned.path"),
    ("GET /v1/customers/{customer}/rewards?used=false", "owned.id"),
    ("GET /v1/customers/{customer}/rewards?used=false", "owned.reward"),
    ("GET /v1/customers/{customer}/rewards?used=false", "owned.coupon_code"),
    ("GET /v1/customers/{customer}/rewards?used=false", "owned.state"),
]


@pytest.fixture
def provider(pongo_sandbox) -> PongoProvider:
    client = PongoClient(token="sandbox-fr-token", base_url=pongo_sandbox.base_url)
    return PongoProvider(client=client)


def _failed(results: tuple[CheckResult, ...]) -> list[tuple[str, str, str]]:
    return [(r.call, r.assumption, r.detail) for r in results if not r.is_ok]


def test_every_assumption_has_one_key_and_a_source():
    keys = [assumption.key for assumption in ASSUMPTIONS]

    assert len(keys) == len(set(keys))
    assert all(a.statement and a.source for a in ASSUMPTIONS)
    assert {a.source for a in ASSUMPTIONS if not a.source.startswith("https://")} == {
        UNCONFIRMED,
        "Pongo, Build a Kiosk integration "
        "(https://hey-pongo.readme.io/reference/build-a-kiosk-integration)",
        "Pongo, Build Point of Sale integration "
        "(https://hey-pongo.readme.io/reference/build-point-of-sale-integration)",
    }


def test_the_provider_lists_the_assumptions_of_its_folder(provider):
    assert provider.assumptions == ASSUMPTIONS


@pytest.mark.parametrize("identifier", ["33612345678", "06 12 34 56 78"])
def test_against_the_sandbox_with_a_test_phone_every_check_passes(provider, identifier):
    results = provider.live_check(store=STORE, test_identifier=identifier)

    assert [(r.call, r.assumption) for r in results] == EVERY_CHECK
    assert _failed(results) == []


def test_every_check_names_an_assumption_of_the_provider(provider):
    results = provider.live_check(store=STORE, test_identifier="cust_0000000004")

    known = {assumption.key for assumption in provider.assumptions}
    assert {r.assumption for r in results} <= known
    assert _failed(results) == []


def test_a_scanned_pass_is_looked_up_by_id_then_by_its_phone(provider, pongo_sandbox):
    provider.live_check(store=STORE, test_identifier="cust_0000000001")

    customers = [
        r["path"]
        for r in pongo_sandbox.requests()
        if r["path"].startswith("/v1/customers/")
    ]
    assert customers == [
        "/v1/customers/cust_0000000001",
        "/v1/customers/phone/33612345678",
        "/v1/customers/cust_0000000001/rewards",
    ]


def test_the_check_spends_nothing_and_creates_nothing(provider, pongo_sandbox):
    before = pongo_sandbox.health()

    provider.live_check(store=STORE, test_identifier="33622223333")

    requests = pongo_sandbox.requests()
    assert {r["method"] for r in requests} == {"GET"}
    assert all(r["status"] == 200 for r in requests)
    assert pongo_sandbox.orders() == []
    assert pongo_sandbox.health()["faults"] == before["faults"]


def test_without_a_test_member_only_the_calls_that_need_none_are_made(provider):
    results = provider.live_check(store=STORE)

    assert {r.call for r in results} == {
        "GET /v1/oauth/me",
        "GET /v1/stores",
        "GET /v1/rewards?store_slug={store}",
    }
    assert _failed(results) == []


def test_an_unknown_test_phone_fails_its_lookup(provider):
    results = provider.live_check(store=STORE, test_identifier="33600000001")

    assert _failed(results) == [
        ("GET /v1/customers/phone/{phone}", "customer.by_phone.path", "404: not found")
    ]


def test_a_store_mapped_to_another_merchants_store_fails(provider):
    elsewhere = ProgrammeStore(
        reference="demo-geneve",
        country="CH",
        currency="CHF",
        device_id="x",
        device_name="x",
    )

    results = provider.live_check(store=elsewhere)

    assert _failed(results)[0] == (
        "GET /v1/stores",
        "stores.contains_store",
        "the store is mapped to 'demo-geneve', which is not among the merchant's "
        "stores ['demo-lyon-2', 'demo-paris-11']",
    )


@pytest.mark.parametrize(
    ("body", "assumption", "detail"),
    [
        (
            {"data": {"public_id": "cust_0000000001", "points": "320"}},
            "customer.points",
            "`points` is '320', not an integer",
        ),
        (
            {"data": {"id": 17, "points": 320}},
            "customer.id",
            "`public_id` is None, not text starting with 'cust_'",
        ),
        (
            {"data": {"public_id": "cust_0000000001", "points": 1, "phone": "+336"}},
            "customer.phone",
            "`phone` is '+336', not digits",
        ),
    ],
)
def test_a_customer_answer_of_another_shape_fails_on_the_field(
    provider, pongo_sandbox, body, assumption, detail
):
    pongo_sandbox.faults(
        rules=[{"path": "/v1/customers/phone/*", "action": "answer", "body": body}]
    )

    results = provider.live_check(store=STORE, test_identifier="33612345678")

    assert ("GET /v1/customers/phone/{phone}", assumption, detail) in _failed(results)


def test_a_list_where_an_object_was_expected_fails_the_call(provider, pongo_sandbox):
    pongo_sandbox.faults(
        rules=[{"path": "/v1/oauth/me", "action": "answer", "body": {"data": []}}]
    )

    results = provider.live_check(store=STORE)

    assert _failed(results) == [
        ("GET /v1/oauth/me", "me.path", "the answer is [], not an object")
    ]


def test_a_reward_of_another_shape_names_the_item(provider, pongo_sandbox):
    rewards = [
        {
            "public_id": "rew_1",
            "name": "A",
            "type": "free_product",
            "points": 5,
            "external_id": "SKU-1",
        },
        {"public_id": "rew_2", "name": "B", "type": "discount", "points": 5},
    ]
    pongo_sandbox.faults(
        rules=[{"path": "/v1/rewards", "action": "answer", "body": {"data": rewards}}]
    )

    results = provider.live_check(store=STORE)

    assert _failed(results) == [
        (
            "GET /v1/rewards?store_slug={store}",
            "rewards.type",
            "item 1: `type` is 'discount', not free_product nor voucher_*",
        )
    ]


def test_pongo_down_is_reported_not_raised(provider, pongo_sandbox):
    pongo_sandbox.faults(down=True)

    results = provider.live_check(store=STORE, test_identifier="33612345678")

    assert [(r.call, r.assumption, r.is_ok) for r in results] == [
        ("GET /v1/oauth/me", "me.path", False),
        ("GET /v1/stores", "stores.path", False),
        ("GET /v1/customers/phone/{phone}", "customer.by_phone.path", False),
        ("GET /v1/rewards?store_slug={store}", "rewards.path", False),
    ]
    assert results[0].detail.endswith(": unreachable")


def test_a_refused_token_is_reported(pongo_sandbox):
    client = PongoClient(token="revoked", base_url=pongo_sandbox.base_url)

    results = PongoProvider(client=client).live_check(store=STORE)

    assert results[0] == CheckResult(
        call="GET /v1/oauth/me",
        assumption="me.path",
        is_ok=False,
        detail="Pongo refused the access token",
    )
