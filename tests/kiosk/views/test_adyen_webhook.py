"""`POST /payments/adyen/webhook/`: the Adyen sandbox's own REFUND notifications,
passed to the kiosk, settle the refund the acquirer had only `received`."""

from __future__ import annotations

import pytest

from kiosk.models import (
    ActorKind,
    CardRefund,
    KioskTerminal,
    OrderState,
    RefundStatusChoice,
)
from kiosk.payments.base import RefundNotice, RefundStatus
from kiosk.services.payments import payment_refresh
from kiosk.services.refunds import card_refund_notified, order_refund_to_card
from sandboxes.adyen.emulator import API_KEY, MERCHANT_ACCOUNT
from sandboxes.adyen.notifications import HMAC_KEY
from tests.kiosk.payments.adyen.conftest import POIID
from tests.kiosk.payments.stripe.conftest import card_order
from tests.processes import wait_until

URL = "/payments/adyen/webhook/"
# Nothing listens there: the sandbox keeps each delivery it tried.
RECEIVER = "http://127.0.0.1:9/payments/adyen/webhook/"


@pytest.fixture
def adyen_kiosk(menu, adyen_sandbox):
    adyen_sandbox.webhook(RECEIVER)
    terminal = KioskTerminal.objects.create(
        kiosk=menu.kiosk,
        vendor="adyen",
        terminal_id=POIID,
        endpoint=adyen_sandbox.base_url,
        options={"merchant_account": MERCHANT_ACCOUNT, "timeout_seconds": "2"},
    )
    terminal.credentials = {"api_key": API_KEY, "webhook_secret": HMAC_KEY}
    terminal.save()
    return menu


@pytest.fixture
def refunded(adyen_kiosk, adyen_sandbox):
    """An order paid on the Adyen terminal, then refunded: its refund `received`."""
    order = card_order(adyen_kiosk)
    adyen_sandbox.terminal_action(POIID, "approve")
    payment_refresh(order=order)
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    [refund] = order_refund_to_card(order=order, actor=ActorKind.STAFF)
    assert refund.status == RefundStatusChoice.PENDING
    return refund


def delivery(sandbox) -> bytes:
    found = wait_until(
        lambda: [d for d in sandbox.webhook_deliveries() if d["event"] == "REFUND"],
        timeout=5,
        what="a REFUND delivery",
    )
    return str(found[0]["body"]).encode()


def post(client, body: bytes):
    return client.post(URL, data=body, content_type="application/json")


def test_the_refund_notification_settles_the_refund_once(
    client, refunded, adyen_sandbox
):
    body = delivery(adyen_sandbox)

    first = post(client, body)
    replay = post(client, body)

    assert (first.status_code, first.content) == (200, b"accepted")
    assert replay.status_code == 200
    refunded.refresh_from_db()
    assert refunded.status == RefundStatusChoice.SUCCEEDED
    assert refunded.reference == adyen_sandbox.refunds()[0]["psp_reference"]
    assert refunded.finished_at is not None


def test_a_refused_refund_is_left_for_the_counter(client, adyen_kiosk, adyen_sandbox):
    adyen_sandbox.refund_outcome(refuse="Refund not allowed")
    order = card_order(adyen_kiosk)
    adyen_sandbox.terminal_action(POIID, "approve")
    payment_refresh(order=order)
    [refund] = order_refund_to_card(order=order, actor=ActorKind.STAFF)

    assert post(client, delivery(adyen_sandbox)).status_code == 200

    refund.refresh_from_db()
    assert (refund.status, refund.message) == (
        RefundStatusChoice.FAILED,
        "Refund not allowed",
    )


def test_a_forged_notification_is_refused_and_changes_nothing(
    client, refunded, adyen_sandbox
):
    body = delivery(adyen_sandbox).replace(b'"success": "true"', b'"success": "false"')

    response = post(client, body)

    assert response.status_code == 400
    refunded.refresh_from_db()
    assert refunded.status == RefundStatusChoice.PENDING


def test_a_notification_before_the_refunds_answer_is_recorded_finds_it_by_payment(
    refunded,
):
    # The answer `received` (and its reference) not recorded yet.
    CardRefund.objects.filter(pk=refunded.pk).update(reference="")

    settled = card_refund_notified(
        notice=RefundNotice(
            reference="SBXR-new",
            payment_reference=refunded.payment.reference,
            amount=refunded.amount,
            status=RefundStatus.SUCCEEDED,
        ),
        vendor="adyen",
    )

    assert settled is not None
    assert settled.pk == refunded.pk
    assert (settled.status, settled.reference) == (
        RefundStatusChoice.SUCCEEDED,
        "SBXR-new",
    )


def test_a_notification_about_another_amount_or_vendor_settles_nothing(refunded):
    notice = RefundNotice(
        reference="SBXR-other",
        payment_reference=refunded.payment.reference,
        amount=refunded.amount + 1,
        status=RefundStatus.SUCCEEDED,
    )

    assert card_refund_notified(notice=notice, vendor="adyen") is None
    assert card_refund_notified(notice=notice, vendor="stripe") is None
    refunded.refresh_from_db()
    assert refunded.status == RefundStatusChoice.PENDING
