"""The RBI screens of the kiosk, through HTTP (test client, RBI sandbox behind)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from kiosk.customer_session import ORDER_KEY
from kiosk.devices import device_cookie_value
from kiosk.models import Order, Product
from loyalty.models import OrderLoyalty, Redemption
from sandboxes.rbi.control import RbiSandboxControl


@pytest.fixture
def started(burger) -> Client:
    client = Client()
    client.cookies[settings.KIOSK_DEVICE_COOKIE] = device_cookie_value(burger)
    client.post("/start/")
    response = client.post("/mode/", {"mode": "eat_in"})
    assert response["Location"] == "/loyalty/"
    return client


def order_of(client: Client) -> Order:
    return Order.objects.get(uuid=client.session[ORDER_KEY])


def test_the_identification_step_offers_the_app_code(started):
    page = started.get("/loyalty/").content

    assert b"Scan the QR code of your app" in page
    assert b'id="identify-code"' in page
    assert b'id="identify-phone"' not in page


@pytest.mark.parametrize("typed", ["12345", "12a456", "", "1234567"])
def test_a_code_that_is_not_six_digits_is_refused_before_asking_rbi(
    started, rbi_sandbox: RbiSandboxControl, typed
):
    response = started.post("/loyalty/code/submit/", {"code": typed}, follow=True)

    assert b"Type the 6 digits of the code shown in your app." in response.content
    assert not [r for r in rbi_sandbox.requests() if r["path"] == "/loyalty/identify"]


def test_an_expired_code_asks_for_a_fresh_one(started):
    response = started.post("/loyalty/code/submit/", {"code": "999999"}, follow=True)

    assert b"This code has expired or was already used" in response.content
    assert not OrderLoyalty.objects.exists()


def test_a_typed_code_identifies_and_shows_the_picks_on_the_panel(started):
    response = started.post("/loyalty/code/submit/", {"code": "222222"})
    assert response["Location"] == "/loyalty/rewards/"

    page = started.get("/loyalty/rewards/").content.decode()

    assert "Hello Alex!" in page
    assert 'id="incentive-eng-pof-0001"' in page
    assert page.count("On your order") == 2


def test_a_scan_on_the_identify_screen_identifies(started, burger):
    response = started.post("/scan/", {"code": "111111", "screen": "identify"})

    assert response.status_code in {200, 204, 302}
    assert OrderLoyalty.objects.get(order=order_of(started)).member_first_name == "Alex"


def test_paying_past_a_refusal_takes_the_refused_reward_out(started):
    started.post("/loyalty/code/submit/", {"code": "555555"})  # Kim, 240 points
    order = order_of(started)
    nuggets = Product.objects.get(store=order.store, sku="BRG-NUGGETS-6")
    started.post(f"/product/{nuggets.pk}/add/", {"quantity": 1})
    fries = Product.objects.get(store=order.store, sku="BRG-FRIES-M")
    chosen = started.post(
        "/loyalty/incentives/add/",
        {"reference": "reward-free-fries", "engine": "eng-rwd-0002"},
    )
    assert chosen["Location"].startswith(f"/product/{fries.pk}/")  # dips, maybe
    started.post(
        f"/loyalty/owned/reward-free-fries/add/{fries.pk}/",
        {"reward": "reward-free-fries", "quantity": 1},
    )
    assert Redemption.objects.get(order=order).issue_rule == "insufficient_points"

    refused = started.post("/checkout/submit/", {"method": "card"})
    assert refused.status_code == 409
    assert b"You need 160 more points for this." in refused.content

    paid = started.post("/checkout/submit/", {"method": "card", "confirmed": "yes"})

    assert paid.status_code == 302
    assert not Redemption.objects.filter(order=order).exists()
    order.refresh_from_db()
    assert order.state == "awaiting_payment"
    assert [line.sku for line in order.lines.filter(parent=None)] == ["BRG-NUGGETS-6"]


def test_a_scan_that_is_no_app_code_says_so_in_rbi_words(started, rbi_sandbox):
    response = started.post(
        "/scan/", {"code": "3017620422003", "screen": "identify"}, follow=True
    )

    assert b"Scan the QR code of your app again." in response.content
    assert b"phone number" not in response.content
    assert not rbi_sandbox.requests()
