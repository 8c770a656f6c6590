"""The member's panel at the kiosk: who it is, and which rewards can be had."""

from __future__ import annotations

import re

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


@pytest.fixture
def short_of_points(burger) -> Client:
    """A member of the burger restaurant's RBI programme, 10 points short of a
    free drink."""
    cache.clear()
    client = Client()
    client.cookies[settings.KIOSK_DEVICE_COOKIE] = device_cookie_value(burger)
    client.post("/start/")
    client.post("/mode/", {"mode": "eat_in"})
    client.post("/loyalty/code/submit/", {"code": "555555"})
    return client


def _card(panel: str, name: str) -> str:
    """The reward card of the panel that shows `name`."""
    cards: list[str] = re.findall(
        r'<li class="reward-card[^"]*".*?</li>', panel, re.DOTALL
    )
    return next(card for card in cards if f">{name}<" in card)


def test_a_reward_the_member_cannot_afford_has_its_add_disabled_with_the_reason(
    short_of_points,
):
    panel = short_of_points.get("/loyalty/rewards/").content.decode()

    drink = _card(panel, "Free Drink")
    assert drink.startswith('<li class="reward-card is-disabled"')
    reason = re.search(
        r'<span class="reward-reason" id="([^"]+)">([^<]*)</span>', drink
    )
    assert reason is not None
    assert reason.group(2) == "You need 10 more points"
    button = re.search(r"<button [^>]*>", drink)
    assert button is not None
    assert f'disabled aria-describedby="{reason.group(1)}"' in button.group(0)
    # An offer the member can have keeps its button active.
    offer = _card(panel, "Chicken Sandwich Meal 2.99")
    button = re.search(r"<button [^>]*>", offer)
    assert button is not None
    assert " disabled" not in button.group(0)
    assert offer.startswith('<li class="reward-card"')
