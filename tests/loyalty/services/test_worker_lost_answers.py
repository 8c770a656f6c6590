"""Every call the outbox sends to Pongo, committed by Pongo and its answer lost
(`commit_then_drop`): after the worker's retries, nothing is lost and nothing
counts twice in the sandbox's records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from kiosk.models import ActorKind
from kiosk.services.orders import order_refund
from loyalty.models import OutboxMessage, Redemption
from loyalty.services.identification import loyalty_identify_phone
from loyalty.services.redemptions import loyalty_redemption_remove, loyalty_reward_use
from loyalty.services.worker import outbox_run_once
from sandboxes.pongo.control import PongoSandboxControl
from tests.loyalty.services.test_worker import INES, paid_order
from tests.sandboxes.conftest import PongoApi

VOUCHER = "/v1/customers/cust_0000000004/rewards/crw_0000000003"
OTHER_ORDER = "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def _no_attempts_left_over():
    cache.clear()


@pytest.fixture
def api(pongo_sandbox: PongoSandboxControl) -> Iterator[PongoApi]:
    client = PongoApi(pongo_sandbox.base_url)
    yield client
    client.session.close()


def _lose_the_answer(pongo_sandbox, method: str, path: str) -> None:
    """Pongo processes and commits the next such call, then closes the connection."""
    pongo_sandbox.faults(
        rules=[
            {"method": method, "path": path, "action": "commit_then_drop", "times": 1}
        ]
    )


def _run_with_retries() -> None:
    """The worker's first run, then its retries once they are due."""
    outbox_run_once()
    for minutes in (10, 20, 30):
        outbox_run_once(now=timezone.now() + timedelta(minutes=minutes))


def _sent(pongo_sandbox, method: str, path: str) -> list[tuple[int | None, str]]:
    """Each such call Pongo received: its status (None: no answer) and its key."""
    return [
        (entry["status"], entry["headers"].get("idempotency-key", ""))
        for entry in pongo_sandbox.requests()
        if entry["method"] == method and entry["path"] == path
    ]


def _voucher(api: PongoApi) -> dict[str, Any]:
    owned = api.get("/v1/customers/cust_0000000004/rewards").json()["data"]
    return next(item for item in owned if item["id"] == "crw_0000000003")


def _all_done() -> bool:
    return set(OutboxMessage.objects.values_list("status", flat=True)) == {"done"}


def test_an_order_post_whose_answer_was_lost_is_recorded_and_credited_once(
    brasserie_order, pongo_sandbox, api
):
    order = paid_order(brasserie_order)
    _lose_the_answer(pongo_sandbox, "POST", "/v1/orders")

    _run_with_retries()

    key = f"{order.uuid.hex}:order_post"
    stored = pongo_sandbox.orders(order_id=order.uuid.hex)
    assert _sent(pongo_sandbox, "POST", "/v1/orders") == [(None, key), (202, key)]
    assert [(o["receipts"], o["points_earned"], o["is_credited"]) for o in stored] == [
        (2, 9, True)
    ]
    assert api.customer("cust_0000000004")["points"] == 80 + 9
    assert _all_done()


def test_a_refund_whose_answer_was_lost_takes_the_points_back_once(
    brasserie_order, pongo_sandbox, api
):
    order = paid_order(brasserie_order)
    outbox_run_once()
    assert api.customer("cust_0000000004")["points"] == 89
    path = f"/v1/orders/{order.uuid.hex}/status"
    _lose_the_answer(pongo_sandbox, "PATCH", path)
    order_refund(order=order, actor=ActorKind.STAFF, reason="wrong order")

    _run_with_retries()

    key = f"{order.uuid.hex}:order_refund"
    stored = pongo_sandbox.orders(order_id=order.uuid.hex)
    assert _sent(pongo_sandbox, "PATCH", path) == [(None, key), (200, key)]
    assert [(o["status"], o["is_credited"]) for o in stored] == [("refunded", False)]
    assert api.customer("cust_0000000004")["points"] == 80
    assert _all_done()


def test_a_release_whose_answer_was_lost_frees_the_reward_and_no_other_lock(
    brasserie_order, pongo_sandbox, api
):
    loyalty_identify_phone(order=brasserie_order, digits=INES, country="FR")
    loyalty_reward_use(order=brasserie_order, owned_reference="crw_0000000003")
    loyalty_redemption_remove(
        order=brasserie_order, redemption_id=Redemption.objects.get().pk
    )
    _lose_the_answer(pongo_sandbox, "DELETE", f"{VOUCHER}/lock")

    outbox_run_once()
    released = _voucher(api)["locked_order_id"]
    # Meanwhile another kiosk's order takes the reward: the resend must not free it.
    api.post(
        f"{VOUCHER}/lock", json={"order_id": OTHER_ORDER, "store_slug": "demo-paris-11"}
    ).raise_for_status()
    for minutes in (10, 20):
        outbox_run_once(now=timezone.now() + timedelta(minutes=minutes))

    key = OutboxMessage.objects.get(operation="reward_unlock").idempotency_key
    assert key.startswith(f"{brasserie_order.uuid.hex}:reward_unlock:crw_0000000003:")
    assert _sent(pongo_sandbox, "DELETE", f"{VOUCHER}/lock") == [
        (None, key),
        (409, key),
    ]
    assert (released, _voucher(api)["locked_order_id"]) == (None, OTHER_ORDER)
    assert _all_done()


def test_a_use_whose_answer_was_lost_leaves_the_voucher_used_once_by_this_order(
    brasserie_order, pongo_sandbox, api
):
    order = paid_order(brasserie_order, voucher=True)
    _lose_the_answer(pongo_sandbox, "PATCH", f"{VOUCHER}/use")

    _run_with_retries()

    key = f"{order.uuid.hex}:reward_use:crw_0000000003"
    voucher = _voucher(api)
    assert _sent(pongo_sandbox, "PATCH", f"{VOUCHER}/use") == [
        (None, key),
        (409, key),  # Pongo recognises no repeat: the worker reads the voucher back
    ]
    assert (voucher["used"], voucher["used_order_id"]) == (True, order.uuid.hex)
    assert [o["receipts"] for o in pongo_sandbox.orders(order_id=order.uuid.hex)] == [1]
    assert api.customer("cust_0000000004")["points"] == 80 + 4
    assert _all_done()
