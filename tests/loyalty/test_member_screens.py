"""The member's panel at the kiosk: who it is, and which rewards can be had."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from kiosk.customer_session import ORDER_KEY
from kiosk.devices import device_cookie_value
from kiosk.models import Order
from loyalty.models import OrderLoyalty


@pytest.fixture
def lea(brasserie) -> Client:
    """Léa, identified at the brasserie's kiosk, eating in."""
    cache.clear()
    client = Client()
    client.cookies[settings.KIOSK_DEVICE_COOKIE] = device_cookie_value(brasserie)
    client.post("/start/")
    client.post("/mode/", {"mode": "eat_in"})
    client.post("/loyalty/phone/submit/", {"digits": "0612345678", "country": "FR"})
    return client


def test_not_you_goes_back_to_identification(lea):
    order = Order.objects.get(uuid=lea.session[ORDER_KEY])
    assert OrderLoyalty.objects.filter(order=order).exists()

    response = lea.post("/loyalty/forget/")

    assert response["Location"] == "/loyalty/"
    assert not OrderLoyalty.objects.filter(order=order).exists()
    assert 'id="identify-phone"' in lea.get("/loyalty/").content.decode()
