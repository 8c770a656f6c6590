"""Phone numbers are kept only as long as a posting needs them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kiosk.models import ActorKind, PaymentChannel, Product
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_cancel, order_confirm_payment
from kiosk.services.selections import LineSelection
from loyalty.models import OrderLoyalty, OutboxMessage, OutboxStatus
from loyalty.services.identification import (
    ConsentWording,
    loyalty_identify_phone,
    loyalty_offline_keep,
)
from loyalty.services.retention import loyalty_personal_data_purge
from loyalty.services.worker import outbox_run_once
from tests.caching import caches_clear

INES = "0622223333"
WORDING = ConsentWording(sms="SMS?", email="E-mail?", language="en")


@pytest.fixture(autouse=True)
def _no_attempts_left_over(db):
    caches_clear()


def _with_cookies(order):
    cookie = Product.objects.get(store=order.store, sku="SKU-COOKIE")
    cart_line_add(order=order, selection=LineSelection(product_id=cookie.pk))
    order.refresh_from_db()
    return order


def _pay(order):
    order_checkout(order=order, method="counter")
    order_confirm_payment(order=order, channel=PaymentChannel.COUNTER)


def test_a_cancelled_order_forgets_the_phone(brasserie_order):
    loyalty_identify_phone(order=brasserie_order, digits=INES, country="FR")

    order_cancel(order=brasserie_order, actor=ActorKind.CUSTOMER)

    assert OrderLoyalty.objects.get().member_phone == ""


def test_a_delivered_posting_keeps_no_phone_in_its_payload(brasserie_order):
    loyalty_identify_phone(order=brasserie_order, digits=INES, country="FR")
    _pay(_with_cookies(brasserie_order))

    outbox_run_once()

    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.DONE
    assert message.payload["customer"] == {
        "public_id": "cust_0000000004",
        "phone": None,
    }
    assert OrderLoyalty.objects.get().member_phone == ""


def test_a_posting_given_up_forgets_the_phone(brasserie_order, pongo_sandbox):
    loyalty_offline_keep(
        order=brasserie_order,
        phone="33699887766",
        sms_optin=True,
        email_optin=True,
        wording=WORDING,
    )
    _pay(_with_cookies(brasserie_order))
    pongo_sandbox.faults(down=True)
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(hours=25))

    outbox_run_once()

    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.FAILED
    assert message.payload["customer"]["phone"] is None
    assert OrderLoyalty.objects.get().member_phone == ""


def test_the_purge_clears_what_outlived_the_retention_period(brasserie_order, settings):
    settings.LOYALTY_PHONE_RETENTION_DAYS = 7
    loyalty_offline_keep(
        order=brasserie_order,
        phone="33699887766",
        sms_optin=False,
        email_optin=False,
        wording=WORDING,
    )
    _pay(_with_cookies(brasserie_order))
    eight_days_ago = timezone.now() - timedelta(days=8)
    OrderLoyalty.objects.update(identified_at=eight_days_ago)
    OutboxMessage.objects.update(created_at=eight_days_ago)

    cleared = loyalty_personal_data_purge()

    assert cleared == 1
    assert OrderLoyalty.objects.get().member_phone == ""
    assert OutboxMessage.objects.get().payload["customer"]["phone"] is None


def test_the_purge_keeps_what_is_within_the_retention_period(brasserie_order):
    loyalty_offline_keep(
        order=brasserie_order,
        phone="33699887766",
        sms_optin=False,
        email_optin=False,
        wording=WORDING,
    )
    _pay(_with_cookies(brasserie_order))

    cleared = loyalty_personal_data_purge()

    assert cleared == 0
    assert OrderLoyalty.objects.get().member_phone == "33699887766"
    assert OutboxMessage.objects.get().payload["customer"]["phone"] == "33699887766"
