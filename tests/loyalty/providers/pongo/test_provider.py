"""The Pongo client at our HTTP boundary (mocked with `responses`)."""

from __future__ import annotations

import json

import pytest
import requests
import responses

from loyalty.providers.base import (
    IdentifierKind,
    LoyaltyRejected,
    LoyaltyUnavailable,
    ProgrammeStore,
)
from loyalty.providers.pongo.client import MalformedAnswer, PongoClient
from loyalty.providers.pongo.provider import PongoProvider

BASE = "http://pongo.test"
STORE = ProgrammeStore(
    reference="demo-paris-11",
    country="FR",
    currency="EUR",
    device_id="k1",
    device_name="K1",
)
CUSTOMER = {
    "public_id": "cust_0000000001",
    "first_name": "Léa",
    "points": 320,
    "phone": "33612345678",
    "has_pin": False,
}


@pytest.fixture
def provider():
    return PongoProvider(client=PongoClient(token="t0k3n", base_url=BASE))


def identify(provider, phone="33612345678"):
    found = provider.member_identify(
        identifier=phone, kind=IdentifierKind.PHONE, store=STORE
    )
    return found.member if found else None


@responses.activate
def test_it_sends_the_bearer_token_and_reads_the_envelope(provider):
    responses.get(f"{BASE}/v1/customers/phone/33612345678", json={"data": CUSTOMER})

    member = identify(provider)

    assert (member.reference, member.first_name, member.points) == (
        "cust_0000000001",
        "Léa",
        320,
    )
    assert responses.calls[0].request.headers["Authorization"] == "Bearer t0k3n"
    assert responses.calls[0].request.headers["User-Agent"].startswith("open-kiosk/")


@responses.activate
def test_it_accepts_a_bare_object(provider):
    responses.get(f"{BASE}/v1/customers/phone/33612345678", json=CUSTOMER)

    assert identify(provider).points == 320


@responses.activate
def test_an_unknown_phone_is_no_member_not_an_error(provider):
    responses.get(
        f"{BASE}/v1/customers/phone/33600000001",
        status=404,
        json={"message": "Customer not found."},
    )

    assert identify(provider, "33600000001") is None


@pytest.mark.parametrize(
    ("status", "body", "error", "code"),
    [
        (401, {"message": "Unauthenticated."}, LoyaltyRejected, "unauthorized"),
        (403, {"message": "Invalid scope(s) provided."}, LoyaltyRejected, "forbidden"),
        (
            409,
            {"message": "x", "code": "insufficient_points"},
            LoyaltyRejected,
            "insufficient_points",
        ),
        (
            422,
            {"message": "x", "errors": {"phone": ["bad"]}},
            LoyaltyRejected,
            "invalid_phone",
        ),
        (429, {"message": "Too Many Attempts."}, LoyaltyUnavailable, "busy"),
        (500, {"message": "Server Error"}, LoyaltyUnavailable, "busy"),
        (503, None, LoyaltyUnavailable, "busy"),
    ],
)
@responses.activate
def test_pongo_answers_map_to_the_neutral_errors(provider, status, body, error, code):
    responses.post(f"{BASE}/v1/customers", status=status, json=body)

    with pytest.raises(error) as raised:
        provider.client.call("POST", "/v1/customers", json={})

    assert raised.value.code == code


@responses.activate
def test_retry_after_is_kept_on_a_429(provider):
    responses.get(
        f"{BASE}/v1/rewards", status=429, json={}, headers={"Retry-After": "7"}
    )

    with pytest.raises(LoyaltyUnavailable) as raised:
        provider.client.call("GET", "/v1/rewards")

    assert raised.value.retry_after == 7.0


@pytest.mark.parametrize(
    "failure",
    [requests.ConnectTimeout(), requests.ReadTimeout(), requests.ConnectionError()],
)
@responses.activate
def test_network_failures_are_unavailable(provider, failure):
    responses.get(f"{BASE}/v1/customers/phone/33612345678", body=failure)

    with pytest.raises(LoyaltyUnavailable):
        identify(provider)


@pytest.mark.parametrize(
    "body",
    [
        "<html>maintenance</html>",
        '{"data": []}',
        '{"data": {"first_name": "Léa"}}',
        '{"data": {"public_id": "cust_1", "points": "many"}}',
    ],
)
@responses.activate
def test_nonsense_from_pongo_is_a_clear_unavailable(provider, body):
    responses.get(
        f"{BASE}/v1/customers/phone/33612345678",
        body=body,
        content_type="application/json",
    )

    with pytest.raises(MalformedAnswer) as raised:
        identify(provider)

    assert raised.value.code == "malformed"


@responses.activate
def test_a_pass_that_is_not_a_customer_id_is_not_even_asked(provider):
    assert (
        provider.member_identify(
            identifier="3017620422003", kind=IdentifierKind.PASS, store=STORE
        )
        is None
    )
    assert len(responses.calls) == 0


@responses.activate
def test_enrolling_a_phone_taken_meanwhile_returns_that_member(provider):
    responses.post(
        f"{BASE}/v1/customers",
        status=422,
        json={
            "message": "taken",
            "errors": {"phone": ["The phone has already been taken."]},
        },
    )
    responses.get(f"{BASE}/v1/customers/phone/33612345678", json={"data": CUSTOMER})
    from loyalty.providers.base import Enrolment

    member = provider.member_enrol(
        enrolment=Enrolment(phone="33612345678", sms_optin=False, email_optin=False),
        store=STORE,
    )

    assert (member.reference, member.is_new) == ("cust_0000000001", False)


@responses.activate
def test_a_duplicate_posting_is_done_not_an_error(provider):
    responses.post(
        f"{BASE}/v1/orders",
        status=202,
        json={
            "message": "This order has already been processed.",
            "id": "ord_1",
            "order_id": "abc",
        },
    )

    result = provider.posting_deliver(payload={"order_id": "abc"})

    assert (result.already_processed, result.remote_reference) == (True, "ord_1")


VOUCHER_POSTING = {
    "order_id": "abc",
    "lines": [{"external_id": "SKU-COOKIE", "amount": 900}],
    "kiosk_used_apart": ["crw_0000000003"],
}


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (201, {"data": {"id": "ord_2", "points_earned": 4, "customer": None}}),
        (
            201,
            {
                "data": {"id": "ord_2", "points_earned": 4, "customer": None},
                "warnings": [{"line": 0, "message": "reward not owned"}],
            },
        ),
        (202, {"message": "This order has already been processed.", "id": "ord_2"}),
    ],
)
@responses.activate
def test_a_voucher_is_marked_used_apart_whatever_pongo_answers(
    provider, status, answer
):
    responses.post(f"{BASE}/v1/orders", status=status, json=answer)

    result = provider.posting_deliver(payload=VOUCHER_POSTING)

    assert (result.remote_reference, result.unused_owned_references) == (
        "ord_2",
        ("crw_0000000003",),
    )


@responses.activate
def test_rewards_used_apart_are_not_sent_to_pongo(provider):
    responses.post(f"{BASE}/v1/orders", status=202, json={"id": "ord_2"})

    provider.posting_deliver(payload=VOUCHER_POSTING)

    assert json.loads(responses.calls[0].request.body or b"") == {
        "order_id": "abc",
        "lines": [{"external_id": "SKU-COOKIE", "amount": 900}],
    }


@responses.activate
def test_a_free_product_on_its_line_is_not_marked_used_apart(provider):
    responses.post(
        f"{BASE}/v1/orders",
        status=201,
        json={
            "data": {"id": "ord_3", "points_earned": 6, "customer": None},
            "warnings": [{"line": 1, "message": "reward not owned or already used"}],
        },
    )
    payload = {
        "lines": [
            {"external_id": "A"},
            {"external_id": "B", "reward_id": "rew_9", "customer_reward_id": "crw_9"},
        ],
        "kiosk_used_apart": [],
    }

    result = provider.posting_deliver(payload=payload)

    assert (result.points_earned, result.balance, result.unused_owned_references) == (
        6,
        None,
        (),
    )
