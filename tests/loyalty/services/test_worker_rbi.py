"""The outbox against RBI when RBI commits a call and its answer is lost.

For every kind of RBI posting (claim, guest sale, hold, void, refund void)
the sandbox commits the first attempt and drops the connection; after the
worker's retries the sandbox's records hold each effect exactly once, and
nothing is lost. RBI promises no idempotency, and the sandbox gives none:
a second claim or void is refused, a second guest sale is a second sale.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from kiosk.models import ActorKind, PaymentChannel, Product
from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_confirm_payment, order_refund, order_reset
from kiosk.services.payments import payment_refresh
from kiosk.services.selections import LineSelection
from loyalty.models import OrderLoyalty, OutboxMessage, OutboxStatus
from loyalty.providers.base import IdentifierKind
from loyalty.services.identification import loyalty_identify
from loyalty.services.outbox import outbox_retry
from loyalty.services.worker import outbox_run_once
from sandboxes.rbi.control import RbiSandboxControl

ALEX = "00000000-0000-4000-8000-000000000001"


@pytest.fixture(autouse=True)
def _no_attempts_left_over():
    cache.clear()


def identify(order, code="222222"):  # Alex, with the Free Drink (250 points) picked
    loyalty_identify(order=order, identifier=code, kind=IdentifierKind.CODE)
    return OrderLoyalty.objects.get(order=order).session_reference


def add_fries(order):
    fries = Product.objects.get(store=order.store, sku="BRG-FRIES-M")
    cart_line_add(order=order, selection=LineSelection(product_id=fries.pk))


def pay_by_card(order):
    order_checkout(order=order, method="card")
    order.refresh_from_db()
    attempt = order.payments.order_by("id").last()
    SimulatedTerminal().customer_action(
        attempt_key=attempt.attempt_key, outcome=SimulatedOutcome.APPROVE
    )
    payment_refresh(order=order)
    order.refresh_from_db()


def drop_once(sandbox: RbiSandboxControl, method: str, path: str) -> None:
    """RBI commits the next such call, then the connection drops."""
    sandbox.faults(
        rules=[
            {"method": method, "path": path, "action": "commit_then_drop", "times": 1}
        ]
    )


def deliver_until_settled(rounds: int = 4) -> None:
    """The worker's retries, without waiting for their back-off."""
    for _ in range(rounds):
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING).update(
            next_attempt_at=timezone.now()
        )
        outbox_run_once()


def movements(sandbox: RbiSandboxControl) -> list[tuple[str, int]]:
    return [(m["kind"], m["points"]) for m in sandbox.user(ALEX)["pointMovements"]]


def test_a_claim_committed_then_lost_is_done_once(burger_order, rbi_sandbox):
    session = identify(burger_order)
    add_fries(burger_order)
    pay_by_card(burger_order)
    drop_once(rbi_sandbox, "PUT", f"/loyalty/transaction/pos/{session}")

    deliver_until_settled()

    claim = OutboxMessage.objects.get(operation="order_post")
    assert (claim.status, claim.attempts, claim.result["already_processed"]) == (
        "done",
        2,
        True,
    )
    assert [
        t["status"] for t in rbi_sandbox.transactions_of(burger_order.uuid.hex)
    ] == ["CLAIMED"]
    assert movements(rbi_sandbox) == [("burn", -250), ("earn", 52)]
    assert not OutboxMessage.objects.filter(operation="session_void").exists()


def test_a_guest_sale_committed_then_lost_is_not_sent_twice(burger_order, rbi_sandbox):
    add_fries(burger_order)
    pay_by_card(burger_order)
    drop_once(rbi_sandbox, "POST", "/loyalty/transaction/pos")

    deliver_until_settled()

    sale = OutboxMessage.objects.get(operation="order_post")
    assert (sale.status, sale.attempts, sale.result) == (
        "failed",
        1,
        {"unconfirmed": True},
    )
    assert sale.last_error.startswith("unconfirmed, not sent again: RBI may have")
    recorded = rbi_sandbox.transactions_of(burger_order.uuid.hex)
    assert [(t["status"], t["isUnclaimed"]) for t in recorded] == [("CLAIMED", True)]


def test_a_guest_sale_whose_worker_stopped_is_not_sent_again(burger_order, rbi_sandbox):
    """A worker took it and stopped (killed) before writing the answer: it may
    have sent it. Taken again after the lease, it is left to staff."""
    add_fries(burger_order)
    pay_by_card(burger_order)
    OutboxMessage.objects.filter(operation="order_post").update(
        status=OutboxStatus.IN_FLIGHT, lease_until=timezone.now() - timedelta(seconds=1)
    )

    outbox_run_once()

    sale = OutboxMessage.objects.get(operation="order_post")
    assert (sale.status, sale.result) == ("failed", {"unconfirmed": True})
    assert "stopped before its answer was written" in sale.last_error
    assert rbi_sandbox.transactions_of(burger_order.uuid.hex) == []


def test_a_claim_whose_worker_stopped_is_sent_again_and_done_once(
    burger_order, rbi_sandbox
):
    identify(burger_order)
    add_fries(burger_order)
    pay_by_card(burger_order)
    OutboxMessage.objects.filter(operation="order_post").update(
        status=OutboxStatus.IN_FLIGHT, lease_until=timezone.now() - timedelta(seconds=1)
    )

    deliver_until_settled()

    assert OutboxMessage.objects.get(operation="order_post").status == "done"
    assert [
        t["status"] for t in rbi_sandbox.transactions_of(burger_order.uuid.hex)
    ] == ["CLAIMED"]


def test_staff_sending_an_unconfirmed_guest_sale_again_see_a_possible_duplicate(
    burger_order, rbi_sandbox
):
    add_fries(burger_order)
    pay_by_card(burger_order)
    drop_once(rbi_sandbox, "POST", "/loyalty/transaction/pos")
    outbox_run_once()

    outbox_retry(message=OutboxMessage.objects.get(operation="order_post"))
    outbox_run_once()

    sale = OutboxMessage.objects.get(operation="order_post")
    assert (sale.status, sale.result["possible_duplicate"]) == ("done", True)
    assert len(rbi_sandbox.transactions_of(burger_order.uuid.hex)) == 2


def test_a_hold_committed_then_lost_holds_once(burger_order, rbi_sandbox):
    session = identify(burger_order)
    add_fries(burger_order)
    drop_once(rbi_sandbox, "PUT", f"/loyalty/transaction/pos/{session}")
    order_checkout(order=burger_order, method="counter")

    deliver_until_settled()

    hold = OutboxMessage.objects.get(operation="session_hold")
    assert (hold.status, hold.attempts) == ("done", 2)
    transaction = rbi_sandbox.transaction(session)
    assert (transaction["status"], transaction["heldPoints"]) == ("PENDING", 250)
    assert rbi_sandbox.user(ALEX)["availablePoints"] == 950
    order_confirm_payment(order=burger_order, channel=PaymentChannel.COUNTER)
    deliver_until_settled()
    assert rbi_sandbox.transaction(session)["status"] == "CLAIMED"
    assert movements(rbi_sandbox) == [("burn", -250), ("earn", 52)]


def test_a_void_committed_then_lost_gives_the_points_back_once(
    burger_order, rbi_sandbox
):
    session = identify(burger_order)
    drop_once(rbi_sandbox, "PUT", f"/loyalty/transaction/pos/{session}/void")
    order_reset(order=burger_order, note="idle")

    deliver_until_settled()

    void = OutboxMessage.objects.get(operation="session_void")
    assert (void.status, void.attempts) == ("done", 2)
    assert [
        t["status"] for t in rbi_sandbox.transactions_of(burger_order.uuid.hex)
    ] == ["VOID"]
    user = rbi_sandbox.user(ALEX)
    assert (user["points"], user["heldPoints"], user["pointMovements"]) == (1200, 0, [])


def test_a_refund_void_committed_then_lost_reverses_the_claim_once(
    burger_order, rbi_sandbox
):
    session = identify(burger_order)
    add_fries(burger_order)
    pay_by_card(burger_order)
    outbox_run_once()
    drop_once(rbi_sandbox, "PUT", f"/loyalty/transaction/pos/{session}/void")
    order_refund(order=burger_order, actor=ActorKind.STAFF, reason="cold fries")

    deliver_until_settled()

    refund = OutboxMessage.objects.get(operation="order_refund")
    assert (refund.status, refund.attempts) == ("done", 2)
    assert rbi_sandbox.transaction(session)["status"] == "VOID"
    assert movements(rbi_sandbox) == [
        ("burn", -250),
        ("earn", 52),
        ("void_burn", 250),
        ("void_earn", -52),
    ]
    assert rbi_sandbox.user(ALEX)["points"] == 1200


def test_a_guest_sale_brings_rbis_receipt_text_to_its_message(
    burger_order, rbi_sandbox
):
    add_fries(burger_order)
    pay_by_card(burger_order)

    outbox_run_once()

    sale = OutboxMessage.objects.get(operation="order_post")
    remote = sale.result["remote"]
    assert sale.result["receipt"] == {
        "header": "Burger King France",
        "lines": [
            "Earn points on this order: scan it in the BK app",
            f"Transaction ID: {remote}",
        ],
        "footer": "Thank you for your visit",
    }
