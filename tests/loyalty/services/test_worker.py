from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from kiosk.models import ActorKind, PaymentChannel, Product
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import (
    order_confirm_payment,
    order_refund,
    order_reset,
    order_start,
)
from kiosk.services.selections import LineSelection
from loyalty.models import OrderLoyalty, OutboxMessage, OutboxStatus
from loyalty.services.identification import loyalty_identify_phone
from loyalty.services.outbox import outbox_retry
from loyalty.services.redemptions import loyalty_reward_use
from loyalty.services.worker import outbox_claim_batch, outbox_run_once

INES = "0622223333"  # 80 points, owns crw_0000000003 (5 € voucher PONGO-C3D4E5F6)


@pytest.fixture(autouse=True)
def _no_attempts_left_over():
    cache.clear()


def _cookies(order, quantity=3):
    cookie = Product.objects.get(store=order.store, sku="SKU-COOKIE")
    cart_line_add(
        order=order, selection=LineSelection(product_id=cookie.pk, quantity=quantity)
    )


def paid_order(order, *, member=INES, voucher=False):
    if member:
        loyalty_identify_phone(order=order, digits=member, country="FR")
    _cookies(order)
    if voucher:
        loyalty_reward_use(order=order, owned_reference="crw_0000000003")
    order.refresh_from_db()
    order_checkout(order=order, method="counter")
    order_confirm_payment(order=order, channel=PaymentChannel.COUNTER)
    order.refresh_from_db()
    return order


def test_paying_writes_exactly_one_posting_with_the_frozen_body(brasserie_order):
    order = paid_order(brasserie_order, voucher=True)

    message = OutboxMessage.objects.get()
    body = message.payload
    assert (message.operation, message.status, message.idempotency_key) == (
        "order_post",
        "pending",
        f"{order.uuid.hex}:order_post",
    )
    assert (
        body["order_id"],
        body["loyalty_store_slug"],
        body["amount"],
        body["status"],
    ) == (
        order.uuid.hex,
        "demo-paris-11",
        400,
        "paid",
    )
    assert body["customer"] == {"public_id": "cust_0000000004", "phone": "33622223333"}
    # The voucher is no line (a discount the kiosk applied with its coupon
    # code): it is marked used apart once the order is posted.
    assert body["lines"] == [
        {
            "external_id": "SKU-COOKIE",
            "name": "Cookie",
            "quantity": 3,
            "unit_amount": 300,
            "amount": 900,
        },
    ]
    assert body["kiosk_used_apart"] == ["crw_0000000003"]
    assert (body["reward_ids"], body["device_id"], body["channel"]) == (
        [],
        "brasserie-borne-1",
        "kiosk",
    )


def test_a_guest_order_is_not_posted(brasserie_order):
    paid_order(brasserie_order, member=None)

    assert not OutboxMessage.objects.exists()


def test_a_counter_order_is_posted_only_once_the_counter_confirms(brasserie_order):
    loyalty_identify_phone(order=brasserie_order, digits=INES, country="FR")
    _cookies(brasserie_order)
    order_checkout(order=brasserie_order, method="counter")
    assert not OutboxMessage.objects.exists()

    order_confirm_payment(order=brasserie_order, channel=PaymentChannel.COUNTER)

    assert OutboxMessage.objects.count() == 1


def test_the_worker_posts_the_order_and_records_the_points(
    brasserie_order, pongo_sandbox
):
    order = paid_order(brasserie_order)

    assert outbox_run_once() == 1

    loyalty = OrderLoyalty.objects.get()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("done", 1)
    assert (loyalty.points_earned, loyalty.balance_after, loyalty.member_phone) == (
        9,
        89,
        "",
    )
    assert pongo_sandbox.order_count(order_id=order.uuid.hex) == 1


def test_a_posting_lost_after_pongo_committed_it_is_not_posted_twice(
    brasserie_order, pongo_sandbox
):
    order = paid_order(brasserie_order)
    pongo_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/v1/orders",
                "action": "commit_then_drop",
                "times": 1,
            }
        ]
    )

    outbox_run_once()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox_run_once()

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.result["already_processed"]) == (
        "done",
        2,
        True,
    )
    assert pongo_sandbox.order_count(order_id=order.uuid.hex) == 1
    posts = [r for r in pongo_sandbox.requests() if r["path"] == "/v1/orders"]
    assert [(r["status"], r["headers"]["idempotency-key"]) for r in posts] == [
        (None, f"{order.uuid.hex}:order_post"),
        (202, f"{order.uuid.hex}:order_post"),
    ]


def test_pongo_down_keeps_the_posting_for_later_then_delivers_it(
    brasserie_order, pongo_sandbox
):
    order = paid_order(brasserie_order)
    pongo_sandbox.faults(down=True)

    outbox_run_once()

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.next_attempt_at <= timezone.now() + timedelta(seconds=4)
    assert "unreachable" in message.last_error
    pongo_sandbox.clear_faults()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox_run_once()
    assert OutboxMessage.objects.get().status == "done"
    assert pongo_sandbox.order_count(order_id=order.uuid.hex) == 1


def test_a_server_error_is_retried_and_a_refusal_is_not(brasserie_order, pongo_sandbox):
    paid_order(brasserie_order)
    pongo_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/v1/orders",
                "action": "status",
                "status": 503,
                "times": 1,
            }
        ]
    )
    outbox_run_once()
    assert OutboxMessage.objects.get().status == "pending"

    pongo_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/v1/orders",
                "action": "status",
                "status": 422,
                "times": 1,
            }
        ]
    )
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox_run_once()

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", 2)
    assert message.last_error.startswith("Pongo 422")


def test_a_message_whose_worker_died_is_taken_again_after_its_lease(
    brasserie_order, settings
):
    paid_order(brasserie_order)
    now = timezone.now()
    (claimed,) = outbox_claim_batch(now=now)
    assert claimed is not None
    assert outbox_claim_batch(now=now) == []

    later = now + timedelta(seconds=settings.LOYALTY_OUTBOX_LEASE_SECONDS + 1)

    assert outbox_claim_batch(now=later)[0].pk == claimed.pk


def test_after_a_day_of_silence_the_posting_is_left_to_staff(
    brasserie_order, pongo_sandbox
):
    paid_order(brasserie_order)
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(hours=25))
    pongo_sandbox.faults(down=True)

    outbox_run_once()

    message = OutboxMessage.objects.get()
    assert message.status == "failed"
    assert message.last_error.startswith("no answer for 24 h, reconcile")


def test_staff_can_retry_a_failed_posting(brasserie_order, pongo_sandbox):
    order = paid_order(brasserie_order)
    OutboxMessage.objects.update(
        status=OutboxStatus.FAILED, next_attempt_at=timezone.now() + timedelta(days=1)
    )

    outbox_retry(message=OutboxMessage.objects.get())
    outbox_run_once()

    assert OutboxMessage.objects.get().status == "done"
    assert pongo_sandbox.order_count(order_id=order.uuid.hex) == 1


def test_a_message_that_crashes_the_code_is_failed_not_retried_forever(brasserie_order):
    paid_order(brasserie_order)
    OutboxMessage.objects.update(payload={"not": "an order"})

    outbox_run_once()

    message = OutboxMessage.objects.get()
    assert message.status == "failed"
    assert message.lease_until is None


def test_a_reset_order_releases_its_rewards_locks(brasserie_order, pongo_sandbox):
    loyalty_identify_phone(order=brasserie_order, digits=INES, country="FR")
    _cookies(brasserie_order)
    loyalty_reward_use(order=brasserie_order, owned_reference="crw_0000000003")

    order_reset(order=brasserie_order, note="idle")
    outbox_run_once()

    message = OutboxMessage.objects.get()
    unlocks = [r for r in pongo_sandbox.requests() if r["method"] == "DELETE"]
    assert (message.operation, message.status) == ("reward_unlock", "done")
    assert [r["path"] for r in unlocks] == [
        "/v1/customers/cust_0000000004/rewards/crw_0000000003/lock"
    ]


def test_the_delivery_reports_an_unconnected_store(brasserie_order):
    from loyalty.models import PongoConnection

    paid_order(brasserie_order)
    PongoConnection.objects.update(access_token="")

    outbox_run_once()

    message = OutboxMessage.objects.get()
    assert (message.status, message.last_error) == (
        "failed",
        "the store is not connected to its programme any more",
    )


def points_now(order, member=INES) -> int:
    """The member's balance at Pongo, as the next order on the kiosk sees it."""
    later = order_start(kiosk=order.kiosk, language="fr")
    loyalty_identify_phone(order=later, digits=member, country="FR")
    return OrderLoyalty.objects.get(order=later).points_before


def test_a_refund_takes_back_the_points_the_order_earned(
    brasserie_order, pongo_sandbox
):
    order = paid_order(brasserie_order, voucher=True)
    outbox_run_once()
    assert OrderLoyalty.objects.get(order=order).balance_after == 84

    order_refund(order=order, actor=ActorKind.STAFF, reason="wrong order")
    assert outbox_run_once() == 1

    refund = OutboxMessage.objects.get(operation="order_refund")
    assert (refund.status, refund.idempotency_key) == (
        "done",
        f"{order.uuid.hex}:order_refund",
    )
    patched = [r for r in pongo_sandbox.requests() if r["method"] == "PATCH"]
    assert [(r["path"], r["body"]) for r in patched] == [
        (
            "/v1/customers/cust_0000000004/rewards/crw_0000000003/use",
            {"store_slug": "demo-paris-11", "order_id": order.uuid.hex},
        ),
        (
            f"/v1/orders/{order.uuid.hex}/status",
            {"loyalty_store_slug": "demo-paris-11", "status": "refunded"},
        ),
    ]
    assert pongo_sandbox.orders(order_id=order.uuid.hex)[0]["status"] == "refunded"
    assert points_now(order) == 80


def test_a_refund_waits_until_the_posting_has_reached_pongo(
    brasserie_order, pongo_sandbox
):
    order = paid_order(brasserie_order)
    pongo_sandbox.faults(down=True)
    outbox_run_once()
    order_refund(order=order, actor=ActorKind.POS)
    pongo_sandbox.clear_faults()

    # The refund comes due first: it must not reach Pongo before the order.
    OutboxMessage.objects.filter(operation="order_refund").update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    OutboxMessage.objects.filter(operation="order_post").update(
        next_attempt_at=timezone.now()
    )
    outbox_run_once()

    refund = OutboxMessage.objects.get(operation="order_refund")
    assert (refund.status, refund.last_error) == (
        "pending",
        "waiting for the order's posting to be delivered first",
    )
    assert OutboxMessage.objects.get(operation="order_post").status == "done"
    later = timezone.now() + timedelta(minutes=10)
    outbox_run_once(now=later)
    refund.refresh_from_db()
    assert refund.status == "done"
    assert pongo_sandbox.orders(order_id=order.uuid.hex)[0]["status"] == "refunded"
    assert points_now(order) == 80


def test_a_refund_waits_until_the_orders_voucher_is_marked_used(
    brasserie_order, pongo_sandbox
):
    order = paid_order(brasserie_order, voucher=True)
    pongo_sandbox.faults(
        rules=[
            {
                "method": "PATCH",
                "path": "/v1/customers/cust_0000000004/rewards/crw_0000000003/use",
                "action": "status",
                "status": 503,
                "times": 1,
            }
        ]
    )
    outbox_run_once()
    OutboxMessage.objects.filter(operation="reward_use").update(
        next_attempt_at=timezone.now() + timedelta(minutes=1)
    )
    order_refund(order=order, actor=ActorKind.STAFF)

    outbox_run_once()

    refund = OutboxMessage.objects.get(operation="order_refund")
    assert (refund.status, refund.last_error) == (
        "pending",
        "waiting for the order's rewards to be marked used first",
    )
    for minutes in (10, 20):
        outbox_run_once(now=timezone.now() + timedelta(minutes=minutes))
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"done"}
    owned = pongo_sandbox_owned(pongo_sandbox, "crw_0000000003")
    assert (owned["used"], points_now(order)) == (False, 80)


def pongo_sandbox_owned(pongo_sandbox, reference, customer="cust_0000000004"):
    import requests

    answer = requests.get(
        f"{pongo_sandbox.base_url}/v1/customers/{customer}/rewards",
        headers={"Authorization": "Bearer sandbox-fr-token"},
        timeout=5,
    )
    return next(item for item in answer.json()["data"] if item["id"] == reference)


def test_refunding_an_order_nobody_was_credited_for_sends_nothing(brasserie_order):
    guest = paid_order(brasserie_order, member=None)

    order_refund(order=guest, actor=ActorKind.STAFF)
    order_refund(order=guest, actor=ActorKind.STAFF)

    assert not OutboxMessage.objects.exists()


def test_a_refund_is_queued_once_however_often_it_is_recorded(brasserie_order):
    order = paid_order(brasserie_order)

    order_refund(order=order, actor=ActorKind.STAFF)
    order_refund(order=order, actor=ActorKind.POS)

    assert OutboxMessage.objects.filter(operation="order_refund").count() == 1


def test_a_refund_whose_posting_is_then_refused_sends_nothing(
    brasserie_order, pongo_sandbox
):
    order = paid_order(brasserie_order)
    order_refund(order=order, actor=ActorKind.STAFF)
    pongo_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/v1/orders",
                "action": "status",
                "status": 422,
                "times": 1,
            }
        ]
    )
    OutboxMessage.objects.filter(operation="order_post").update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )

    outbox_run_once()

    assert OutboxMessage.objects.get(operation="order_post").status == "failed"
    refund = OutboxMessage.objects.get(operation="order_refund")
    assert (refund.status, refund.result) == (
        "done",
        {"skipped": "the order was never posted"},
    )
    assert [r for r in pongo_sandbox.requests() if r["method"] == "PATCH"] == []


def test_a_posting_tried_many_times_waits_no_longer_than_the_cap(
    brasserie_order, pongo_sandbox, settings
):
    settings.LOYALTY_OUTBOX_BACKOFF_CAP_SECONDS = 3.0
    paid_order(brasserie_order)
    OutboxMessage.objects.update(attempts=20)
    pongo_sandbox.faults(down=True)

    before = timezone.now()
    outbox_run_once()

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("pending", 21)
    assert message.next_attempt_at <= before + timedelta(seconds=4)
