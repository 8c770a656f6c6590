"""Lost answers and cancels racing the card on a Stripe reader, through the
kiosk's payment services.

Every run ends with one charge at most per order, and no card charged for an
order left unpaid: a card captured always has its paid order, and a card
authorised while the kiosk cancelled is voided, never captured.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from kiosk.models import OrderState, Payment, PaymentStatus
from kiosk.services.payments import (
    payment_cancel_by_customer,
    payment_refresh,
    payments_recover,
)
from tests.kiosk.payments.stripe.conftest import READER, card_order
from tests.kiosk.payments.stripe.test_terminal import forget_ids

RUNS = 30


def answer_lost_after_approval(order, sandbox, chance: random.Random) -> None:
    if chance.random() < 0.5:
        sandbox.reader_action(READER, "drop_after_commit")
        sandbox.reader_action(READER, "approve")
    else:
        sandbox.reader_action(READER, "approve")
        sandbox.reader_action(READER, "drop_after_commit")
    if chance.random() < 0.5:
        forget_ids()  # the web process restarted: found again by metadata
    for _ in range(3):
        payment = payment_refresh(order=order)
        if payment.is_final:
            return


def cancel_racing_approval(order, sandbox, chance: random.Random) -> None:
    roll = chance.random()
    if roll < 0.4:
        sandbox.reader_action(READER, "card_after_abort")
    elif roll < 0.7:
        sandbox.reader_action(READER, "approve")  # authorised, not yet read
    payment_cancel_by_customer(order=order)
    sandbox.reader_action(READER, "normal")


def test_lost_answers_and_cancels_never_charge_twice_nor_lose_a_paid_order(
    stripe_kiosk, stripe_sandbox
):
    chance = random.Random(11)
    orders = []
    for run in range(RUNS):
        order = card_order(stripe_kiosk)
        scenario = answer_lost_after_approval if run % 2 else cancel_racing_approval
        scenario(order, stripe_sandbox, chance)
        orders.append(order)

    intents = stripe_sandbox.payments()
    charged = [i for i in intents if i["amount_received"] > 0]
    charges_per_attempt: dict[str, int] = {}
    for intent in charged:
        key = intent["attempt_key"]
        charges_per_attempt[key] = charges_per_attempt.get(key, 0) + 1
    approved = Payment.objects.filter(status=PaymentStatus.APPROVED)
    unpaid = [
        p for p in approved.select_related("order") if p.order.state != OrderState.PAID
    ]
    assert [k for k, n in charges_per_attempt.items() if n > 1] == []
    assert unpaid == []
    assert set(approved.values_list("reference", flat=True)) == {
        i["id"] for i in charged
    }
    assert Payment.objects.filter(status=PaymentStatus.PENDING).count() == 0
    assert Payment.objects.filter(status=PaymentStatus.UNKNOWN).count() == 0
    assert len(intents) == RUNS
    # Every lost answer ends paid; every cancel ends voided, whatever the card did.
    assert len(charged) == RUNS // 2
    assert approved.count() == RUNS // 2
    assert {i["status"] for i in intents if i["amount_received"] == 0} == {"canceled"}
    paid = [
        o for o in orders if o.__class__.objects.get(pk=o.pk).state == OrderState.PAID
    ]
    assert len(paid) == RUNS // 2


def test_the_worker_pays_an_approved_attempt_whose_screen_is_gone(
    stripe_kiosk, stripe_sandbox
):
    order = card_order(stripe_kiosk)
    stripe_sandbox.reader_action(READER, "approve")
    # The web process died: nobody polls, and nothing of it is remembered.
    forget_ids()
    Payment.objects.update(created_at=timezone.now() - timedelta(minutes=5))

    assert payments_recover() == 1

    order.refresh_from_db()
    assert order.state == OrderState.PAID
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.APPROVED
    assert payment.masked_pan == "**** 4242"
    [intent] = stripe_sandbox.payments()
    assert (intent["status"], intent["amount_received"]) == ("succeeded", order.total)


def test_the_worker_voids_a_payment_the_reader_dropped(stripe_kiosk, stripe_sandbox):
    order = card_order(stripe_kiosk)
    stripe_sandbox.reader_action(READER, "cancel")
    forget_ids()
    Payment.objects.update(created_at=timezone.now() - timedelta(minutes=5))

    assert payments_recover() == 1

    assert Payment.objects.get().status == PaymentStatus.CANCELLED
    order.refresh_from_db()
    assert order.state != OrderState.PAID
    assert [i["status"] for i in stripe_sandbox.payments()] == ["canceled"]
