"""The worker takes the outbox a batch at a time; several workers share it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kiosk.services.orders import order_start
from loyalty.models import OutboxMessage, OutboxOperation, OutboxStatus
from loyalty.services import worker
from loyalty.services.worker import outbox_claim_batch, outbox_run_once
from tests.loyalty.services.test_worker import paid_order


def started(kiosk):
    order = order_start(kiosk=kiosk, language="fr")
    order.service_mode = "eat_in"
    order.save()
    return order


def pending(order, operation=OutboxOperation.REWARD_UNLOCK, subject="x"):
    return OutboxMessage.objects.create(
        order=order,
        programme="pongo",
        operation=operation,
        payload={},
        idempotency_key=f"{order.uuid.hex}:{operation}:{subject}",
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )


@pytest.fixture
def orders(brasserie):
    return [order_start(kiosk=brasserie, language="fr") for _ in range(5)]


def test_two_claims_never_take_the_same_message(orders, settings):
    settings.LOYALTY_OUTBOX_BATCH_SIZE = 3
    messages = {pending(order).pk for order in orders}

    first = {m.pk for m in outbox_claim_batch()}
    second = {m.pk for m in outbox_claim_batch()}

    assert (len(first), len(second)) == (3, 2)
    assert first | second == messages
    assert not outbox_claim_batch()
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {
        OutboxStatus.IN_FLIGHT
    }


def test_a_batch_takes_one_message_per_order(orders):
    first = pending(orders[0], subject="a")
    pending(orders[0], subject="b")
    other = pending(orders[1])

    assert [m.pk for m in outbox_claim_batch()] == [first.pk, other.pk]


def test_a_message_whose_lease_ended_is_claimed_again(orders, settings):
    message = pending(orders[0])
    assert [m.pk for m in outbox_claim_batch()] == [message.pk]

    later = timezone.now() + timedelta(
        seconds=settings.LOYALTY_OUTBOX_LEASE_SECONDS + 1
    )

    assert [m.pk for m in outbox_claim_batch(now=later)] == [message.pk]


def test_a_batch_delivers_each_posting_once(brasserie, pongo_sandbox, settings):
    settings.LOYALTY_OUTBOX_BATCH_SIZE = 10
    paid = [paid_order(started(brasserie)) for _ in range(3)]

    assert outbox_run_once() == 3

    assert (
        list(OutboxMessage.objects.values_list("status", "attempts"))
        == [("done", 1)] * 3
    )
    assert [pongo_sandbox.order_count(order_id=o.uuid.hex) for o in paid] == [1] * 3


def test_what_a_slow_programme_left_uncalled_goes_back_and_is_called_once(
    orders, monkeypatch
):
    # Each call seems to take 100 s: no second call of a batch fits in the
    # lease (30 s) with the time to write the first one's answer.
    clock = iter(range(0, 100_000, 100))
    monkeypatch.setattr(worker, "_clock", lambda: float(next(clock)))
    messages = [pending(order) for order in orders[:3]]

    assert outbox_run_once() == 3

    for message in messages:
        message.refresh_from_db()
        assert (message.attempts, message.lease_until) == (1, None)


def test_a_lease_too_short_for_two_calls_claims_one_message_at_a_time(orders, settings):
    settings.LOYALTY_POST_CONNECT_TIMEOUT, settings.LOYALTY_POST_READ_TIMEOUT = 1, 5
    settings.LOYALTY_OUTBOX_LEASE_SECONDS = 10.0  # one call takes up to 1 + 5 + 2 s
    for order in orders[:3]:
        pending(order)

    assert len(worker.outbox_claim_batch()) == 1
    settings.LOYALTY_OUTBOX_LEASE_SECONDS = 16.0
    assert len(worker.outbox_claim_batch()) == 2
