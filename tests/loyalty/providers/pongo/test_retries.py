"""Every change sent to Pongo carries one key, the same on every resend, and a
resend that Pongo refuses because the first attempt went through is read back
(mocked with `responses`; the outbox tests run the same against the sandbox)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import responses

from loyalty.http import loyalty_delivery
from loyalty.providers.base import (
    LoyaltyRejected,
    LoyaltyUnavailable,
    Member,
    OwnedReward,
    ProgrammeStore,
    Reward,
    RewardKind,
)
from loyalty.providers.pongo.client import PongoClient
from loyalty.providers.pongo.provider import PongoProvider

BASE = "http://pongo.test"
ORDER = "5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a"
OTHER_ORDER = "0123456789abcdef0123456789abcdef"
STORE = ProgrammeStore(
    reference="demo-paris-11",
    country="FR",
    currency="EUR",
    device_id="k1",
    device_name="K1",
)
INES = Member(reference="cust_0000000004", first_name="Inès", points=80)
VOUCHER = OwnedReward(
    reference="crw_0000000003",
    reward=Reward(
        reference="rew_0000000003",
        name="5 € de réduction",
        kind=RewardKind.VOUCHER_AMOUNT,
        points=100,
        value=500,
    ),
    coupon_code="PONGO-C3D4E5F6",
)
OWNED_PATH = f"{BASE}/v1/customers/cust_0000000004/rewards"
LOCK_PATH = f"{OWNED_PATH}/crw_0000000003/lock"
USE_PATH = f"{OWNED_PATH}/crw_0000000003/use"
USE_PAYLOAD = {
    "customer": "cust_0000000004",
    "owned": "crw_0000000003",
    "order_id": ORDER,
    "store_slug": "demo-paris-11",
}


@pytest.fixture
def provider():
    return PongoProvider(client=PongoClient(token="t0k3n", base_url=BASE))


def _sent_key(index: int = 0) -> str | None:
    return responses.calls[index].request.headers.get("Idempotency-Key")


def _sent_body(index: int = 0):
    return json.loads(responses.calls[index].request.body or b"")


def _sent_query(index: int) -> dict[str, list[str]]:
    return parse_qs(urlparse(responses.calls[index].request.url or "").query)


def _owned_answer(**fields):
    owned = {
        "id": "crw_0000000003",
        "reward_id": "rew_0000000003",
        "coupon_code": "PONGO-C3D4E5F6",
        "used": False,
        "used_order_id": None,
        "locked_until": None,
        "locked_order_id": None,
    }
    return {"data": [{**owned, **fields}]}


# --- One key per change, the outbox message's --------------------------------------


@responses.activate
def test_a_posting_carries_the_key_of_its_outbox_message_on_every_resend(provider):
    responses.post(f"{BASE}/v1/orders", body=requests.ConnectionError())
    responses.post(
        f"{BASE}/v1/orders",
        status=202,
        json={"message": "This order has already been processed.", "id": "ord_1"},
    )

    with loyalty_delivery(f"{ORDER}:order_post"):
        with pytest.raises(LoyaltyUnavailable):
            provider.posting_deliver(payload={"order_id": ORDER})
        provider.posting_deliver(payload={"order_id": ORDER})

    assert [_sent_key(0), _sent_key(1)] == [f"{ORDER}:order_post"] * 2


@responses.activate
def test_a_refund_carries_the_key_of_its_outbox_message(provider):
    responses.patch(f"{BASE}/v1/orders/{ORDER}/status", json={"data": {}})

    with loyalty_delivery(f"{ORDER}:order_refund"):
        provider.refund_deliver(
            payload={"order_id": ORDER, "loyalty_store_slug": "demo-paris-11"},
            remote_reference="ord_1",
        )

    assert _sent_key() == f"{ORDER}:order_refund"
    assert _sent_body() == {"loyalty_store_slug": "demo-paris-11", "status": "refunded"}


@responses.activate
def test_an_unlock_carries_its_message_key_and_names_its_order(provider):
    responses.delete(LOCK_PATH, status=204)

    with loyalty_delivery(f"{ORDER}:reward_unlock:crw_0000000003:1a2b3c4d"):
        provider.unlock_deliver(payload=USE_PAYLOAD)

    assert _sent_key() == f"{ORDER}:reward_unlock:crw_0000000003:1a2b3c4d"
    assert _sent_body() == {"order_id": ORDER, "store_slug": "demo-paris-11"}


@responses.activate
def test_a_use_carries_the_key_of_its_outbox_message(provider):
    responses.patch(USE_PATH, json={"data": {"id": "crw_0000000003", "used": True}})

    with loyalty_delivery(f"{ORDER}:reward_use:crw_0000000003"):
        provider.use_deliver(payload=USE_PAYLOAD)

    assert _sent_key() == f"{ORDER}:reward_use:crw_0000000003"
    assert _sent_body() == {"store_slug": "demo-paris-11", "order_id": ORDER}


@responses.activate
def test_outside_the_worker_a_change_is_keyed_by_what_it_is(provider):
    responses.patch(USE_PATH, json={"data": {"id": "crw_0000000003", "used": True}})

    provider.use_deliver(payload=USE_PAYLOAD)

    assert _sent_key() == f"{ORDER}:reward_use:crw_0000000003"


@responses.activate
def test_a_lock_is_keyed_by_its_order_and_reward_and_a_new_lock_by_a_new_key(
    provider,
):
    responses.post(LOCK_PATH, json={"data": {"id": "crw_0000000003"}})

    for _ in range(2):
        provider.reward_lock(
            member=INES, owned=VOUCHER, order_reference=ORDER, store=STORE
        )

    first, second = _sent_key(0), _sent_key(1)
    assert first.startswith(f"{ORDER}:reward_lock:crw_0000000003:")
    assert second.startswith(f"{ORDER}:reward_lock:crw_0000000003:")
    assert first != second
    assert _sent_body() == {
        "order_id": ORDER,
        "store_slug": "demo-paris-11",
        "duration_minutes": 15,
    }


# --- A resend refused because the first attempt went through -----------------------


@responses.activate
def test_a_use_refused_as_used_by_this_order_is_done(provider):
    responses.patch(
        USE_PATH,
        status=409,
        json={"message": "This reward has already been used.", "code": "reward_used"},
    )
    responses.get(OWNED_PATH, json=_owned_answer(used=True, used_order_id=ORDER))

    provider.use_deliver(payload=USE_PAYLOAD)

    assert _sent_query(1) == {"used": ["true"]}


@responses.activate
def test_a_use_refused_as_used_without_the_order_named_is_done(provider):
    responses.patch(USE_PATH, status=409, json={"code": "reward_used"})
    responses.get(OWNED_PATH, json=_owned_answer(used=True, used_order_id=None))

    provider.use_deliver(payload=USE_PAYLOAD)

    assert len(responses.calls) == 2


@responses.activate
def test_a_reward_used_by_another_order_is_left_to_staff(provider):
    responses.patch(USE_PATH, status=409, json={"code": "reward_used"})
    responses.get(OWNED_PATH, json=_owned_answer(used=True, used_order_id=OTHER_ORDER))

    with pytest.raises(LoyaltyRejected) as raised:
        provider.use_deliver(payload=USE_PAYLOAD)

    assert raised.value.message == (
        f"Pongo: this reward was used by another order ({OTHER_ORDER})"
    )


@responses.activate
def test_a_use_whose_read_back_gets_no_answer_is_tried_again_later(provider):
    responses.patch(USE_PATH, status=409, json={"code": "reward_used"})
    responses.get(OWNED_PATH, body=requests.ReadTimeout())

    with pytest.raises(LoyaltyUnavailable):
        provider.use_deliver(payload=USE_PAYLOAD)


@pytest.mark.parametrize(
    ("status", "code"),
    [(404, None), (409, "reward_used"), (409, "reward_locked")],
)
@responses.activate
def test_an_unlock_with_no_lock_of_this_order_left_is_done(provider, status, code):
    responses.delete(LOCK_PATH, status=status, json={"message": "x", "code": code})

    provider.unlock_deliver(payload=USE_PAYLOAD)

    assert len(responses.calls) == 1


@responses.activate
def test_a_lock_refused_as_locked_by_this_order_is_locked(provider):
    responses.post(LOCK_PATH, status=409, json={"code": "reward_locked"})
    responses.get(OWNED_PATH, json=_owned_answer(locked_order_id=ORDER))

    provider.reward_lock(member=INES, owned=VOUCHER, order_reference=ORDER, store=STORE)

    assert _sent_query(1) == {"used": ["false"]}


@responses.activate
def test_a_lock_without_answer_that_went_through_is_locked(provider):
    responses.post(LOCK_PATH, body=requests.ReadTimeout())
    responses.get(OWNED_PATH, json=_owned_answer(locked_order_id=ORDER))

    provider.reward_lock(member=INES, owned=VOUCHER, order_reference=ORDER, store=STORE)

    assert len(responses.calls) == 2


@responses.activate
def test_a_reward_locked_by_another_order_stays_refused(provider):
    responses.post(LOCK_PATH, status=409, json={"code": "reward_locked"})
    responses.get(OWNED_PATH, json=_owned_answer(locked_order_id=OTHER_ORDER))

    with pytest.raises(LoyaltyRejected) as raised:
        provider.reward_lock(
            member=INES, owned=VOUCHER, order_reference=ORDER, store=STORE
        )

    assert raised.value.code == "reward_locked"


@responses.activate
def test_a_lock_without_answer_that_did_not_go_through_is_unavailable(provider):
    responses.post(LOCK_PATH, body=requests.ReadTimeout())
    responses.get(OWNED_PATH, json=_owned_answer())

    with pytest.raises(LoyaltyUnavailable):
        provider.reward_lock(
            member=INES, owned=VOUCHER, order_reference=ORDER, store=STORE
        )
