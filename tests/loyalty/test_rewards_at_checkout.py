"""Paying an order that carries the member's rewards, through the kiosk's screens."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from kiosk.customer_session import ORDER_KEY
from kiosk.devices import device_cookie_value
from kiosk.models import Order, Payment, Product
from loyalty.models import OutboxMessage

INES = "0622223333"  # owns crw_0000000003, a 5 € voucher


@pytest.fixture
def member(brasserie) -> Client:
    """Inès, identified at the brasserie's kiosk, eating in."""
    cache.clear()
    client = Client()
    client.cookies[settings.KIOSK_DEVICE_COOKIE] = device_cookie_value(brasserie)
    client.post("/start/")
    client.post("/mode/", {"mode": "eat_in"})
    client.post("/loyalty/phone/submit/", {"digits": INES, "country": "FR"})
    return client


def order_of(client: Client) -> Order:
    return Order.objects.get(uuid=client.session[ORDER_KEY])


def add_cookies(client: Client, quantity: int) -> None:
    cookie = Product.objects.get(store__slug="brasserie-demo", sku="SKU-COOKIE")
    client.post(f"/product/{cookie.pk}/add/", {"quantity": str(quantity)})


def test_a_voucher_covering_the_order_confirms_it_without_paying(member):
    add_cookies(member, 1)  # 3 €
    member.post("/loyalty/owned/crw_0000000003/use/")
    assert order_of(member).total == 0
    assert "nothing-to-pay" in member.get("/checkout/").content.decode()

    response = member.post("/checkout/submit/", {"method": "nothing"})

    assert response["Location"] == "/done/"
    order = order_of(member)
    assert (order.state, order.payment_method) == ("paid", "nothing")
    assert list(Payment.objects.values_list("channel", "amount")) == [("nothing", 0)]
    assert OutboxMessage.objects.filter(order=order, operation="order_post").exists()


def test_paying_at_the_counter_keeps_the_voucher_and_the_checkout_says_so(member):
    add_cookies(member, 3)  # 9 €
    member.post("/loyalty/owned/crw_0000000003/use/")
    checkout = member.get("/checkout/").content.decode()
    # The brasserie's kiosk speaks French first.
    assert (
        "Votre bon de réduction s’applique que vous payiez ici ou au comptoir."
        in checkout
    )
    assert "pay-counter-form" not in checkout

    member.post("/checkout/submit/", {"method": "counter"})

    order = order_of(member)
    assert (order.state, order.total) == ("awaiting_payment", 400)
    assert list(order.discounts.values_list("code", "amount")) == [
        ("PONGO-C3D4E5F6", 500)
    ]
