"""The loyalty worker as a real process: killed mid-delivery, restarted."""

from __future__ import annotations

import signal

import pytest
from django.core.cache import cache

from kiosk.models import PaymentChannel, Product
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_confirm_payment
from kiosk.services.selections import LineSelection
from loyalty.models import OutboxMessage
from loyalty.services.identification import loyalty_identify_phone
from tests.processes import ChildProcess, child_env, manage_py, wait_until


def _worker(sandbox_url: str) -> ChildProcess:
    env = child_env(PONGO_BASE_URL=sandbox_url, LOYALTY_OUTBOX_LEASE_SECONDS="1")
    return manage_py("worker", "loyalty_worker", "--interval", "0.1", env=env)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_never_loses_nor_doubles_the_posting(
    brasserie, pongo_sandbox
):
    cache.clear()
    from kiosk.services.orders import order_start

    order = order_start(kiosk=brasserie, language="fr")
    order.service_mode = "eat_in"
    order.save()
    loyalty_identify_phone(order=order, digits="0612345678", country="FR")
    cookie = Product.objects.get(store=order.store, sku="SKU-COOKIE")
    cart_line_add(order=order, selection=LineSelection(product_id=cookie.pk))
    order_checkout(order=order, method="counter")
    # Pongo commits the order at once but answers only 5 s later.
    pongo_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/v1/orders",
                "action": "delay",
                "ms": 5000,
                "times": 1,
            }
        ]
    )
    order_confirm_payment(order=order, channel=PaymentChannel.COUNTER)

    first = _worker(pongo_sandbox.base_url)
    try:
        wait_until(
            lambda: pongo_sandbox.order_count(order_id=order.uuid.hex) == 1,
            what="the posting to reach Pongo",
        )
        assert OutboxMessage.objects.get().status == "in_flight"
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=5)
    finally:
        first.kill()

    second = _worker(pongo_sandbox.base_url)
    try:
        wait_until(
            lambda: OutboxMessage.objects.get().status == "done",
            what="the second worker",
        )
    finally:
        # SIGTERM: the worker finishes what it holds and exits cleanly.
        assert second.stop(timeout=10) == 0

    message = OutboxMessage.objects.get()
    assert pongo_sandbox.order_count(order_id=order.uuid.hex) == 1
    assert (message.attempts, message.result["already_processed"]) == (1, True)
