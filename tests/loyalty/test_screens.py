"""The loyalty screens of the kiosk, through HTTP (test client, sandbox behind)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from kiosk.customer_session import ORDER_KEY
from kiosk.devices import device_cookie_value
from kiosk.models import Order, OrderLine, Product
from loyalty.models import ConsentEvent, OrderLoyalty, Redemption
from tests.caching import caches_clear


@pytest.fixture(autouse=True)
def _no_attempts_left_over(db):
    caches_clear()


@pytest.fixture
def kiosk_screen(brasserie) -> Client:
    client = Client()
    client.cookies[settings.KIOSK_DEVICE_COOKIE] = device_cookie_value(brasserie)
    return client


@pytest.fixture
def started(kiosk_screen):
    kiosk_screen.post("/start/")
    response = kiosk_screen.post("/mode/", {"mode": "eat_in"})
    assert response["Location"] == "/loyalty/"
    return kiosk_screen


def order_of(client) -> Order:
    return Order.objects.get(uuid=client.session[ORDER_KEY])


def type_phone(client, digits):
    """What the keypad posts: the whole number at once."""
    return client.post("/loyalty/phone/submit/", {"digits": digits, "country": "FR"})


def test_identification_comes_right_after_the_service_mode(started):
    response = started.get("/loyalty/")

    assert (
        b"Scan your loyalty card or app" in response.content
        or b"Scannez" in response.content
    )
    assert b'id="identify-phone"' in response.content
    assert b'id="identify-skip"' in response.content


def test_a_number_longer_than_fifteen_digits_is_refused(started):
    response = started.post(
        "/loyalty/phone/submit/", {"digits": "1" * 40, "country": "FR"}
    )

    assert response["Location"] == "/loyalty/phone/"
    assert not OrderLoyalty.objects.exists()


def test_an_unknown_country_falls_back_to_the_stores(started):
    response = started.post(
        "/loyalty/phone/submit/", {"digits": "0612345678", "country": "XX"}
    )

    assert response["Location"] == "/loyalty/rewards/"
    assert started.session["kiosk:phone_country"] == "FR"


def test_a_known_number_opens_the_rewards(started):
    response = type_phone(started, "0612345678")

    assert response["Location"] == "/loyalty/rewards/"
    panel = started.get("/loyalty/rewards/").content.decode()
    assert "Léa" in panel
    assert "320" in panel
    assert "33612345678" not in panel
    assert "0612345678" not in panel


def test_a_mistyped_number_says_so_and_keeps_the_customer_on_the_keypad(started):
    response = started.post(
        "/loyalty/phone/submit/", {"digits": "06123", "country": "FR"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/loyalty/phone/"
    assert (
        "This does not look like a phone number" in response.content.decode()
        or "numéro" in response.content.decode()
    )
    assert not OrderLoyalty.objects.exists()


def test_an_unknown_number_is_offered_to_join_with_nothing_ticked(started):
    response = started.post(
        "/loyalty/phone/submit/", {"digits": "0600000001", "country": "FR"}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/loyalty/join/"
    assert 'name="sms" value="yes">' in html
    assert 'name="email" value="yes">' in html
    assert "checked" not in html.split('class="join-form"')[1].split("</form>")[0]


def test_joining_records_the_answers_and_identifies(started):
    type_phone(started, "0600000001")

    response = started.post("/loyalty/join/", {"email": "yes"})

    assert response["Location"] == "/loyalty/rewards/"
    assert list(ConsentEvent.objects.values_list("channel", "is_granted")) == [
        ("sms", False),
        ("email", True),
    ]
    assert OrderLoyalty.objects.get().is_verified is True


def test_buying_and_adding_a_free_coffee_then_paying(started, pongo_sandbox):
    type_phone(started, "0612345678")

    response = started.post("/loyalty/owned/crw_0000000001/use/")
    assert response["Location"] == "/loyalty/owned/crw_0000000001/choose/"
    espresso = Product.objects.get(store=order_of(started).store, sku="SKU-ESPRESSO")
    sheet = started.get(
        f"/product/{espresso.pk}/?reward=crw_0000000001"
    ).content.decode()
    assert f'action="/loyalty/owned/crw_0000000001/add/{espresso.pk}/"' in sheet
    response = started.post(
        f"/loyalty/owned/crw_0000000001/add/{espresso.pk}/",
        {"quantity": "1", "reward": "crw_0000000001"},
    )

    assert response["Location"] == "/cart/"
    line = OrderLine.objects.get(parent=None)
    assert (line.unit_price, line.reward_reference) == (0, "rew_0000000001")
    cart = started.get("/cart/").content.decode()
    assert 'class="badge badge-reward"' in cart
    assert (
        f'action="/loyalty/redemptions/{Redemption.objects.get().pk}/remove/"' in cart
    )


def test_a_reward_line_cannot_change_quantity(started):
    type_phone(started, "0612345678")
    espresso = Product.objects.get(store=order_of(started).store, sku="SKU-ESPRESSO")
    started.post(f"/loyalty/owned/crw_0000000001/add/{espresso.pk}/", {"quantity": "1"})
    line = OrderLine.objects.get(parent=None)

    response = started.post("/cart/quantity/", {"line": line.pk, "quantity": "3"})

    assert response.status_code == 422
    line.refresh_from_db()
    assert line.quantity == 1


def test_a_scan_on_the_attract_screen_starts_the_order_and_identifies(kiosk_screen):
    response = kiosk_screen.post(
        "/scan/",
        {"code": "cust_0000000001", "screen": "attract"},
        HTTP_HX_REQUEST="true",
    )

    assert json.loads(response["HX-Location"])["path"] == "/mode/"
    loyalty = OrderLoyalty.objects.get()
    assert (loyalty.member_first_name, loyalty.order.state) == ("Léa", "draft")
    assert (
        kiosk_screen.post("/mode/", {"mode": "eat_in"})["Location"]
        == "/loyalty/rewards/"
    )


def test_a_scan_on_the_identification_step_identifies(started):
    response = started.post(
        "/scan/",
        {"code": "cust_0000000004", "screen": "identify"},
        HTTP_HX_REQUEST="true",
    )

    assert json.loads(response["HX-Location"])["path"] == "/loyalty/rewards/"
    assert OrderLoyalty.objects.get().member_first_name == "Inès"


@pytest.mark.parametrize("screen", ["menu", "cart", "payment", "", "product"])
def test_a_scan_elsewhere_is_ignored_silently(started, screen):
    response = started.post(
        "/scan/", {"code": "cust_0000000001", "screen": screen}, HTTP_HX_REQUEST="true"
    )

    assert (response.status_code, response.content) == (204, b"")
    assert not OrderLoyalty.objects.exists()


def test_a_garbage_scan_on_the_identification_step_says_it_is_not_recognised(started):
    response = started.post(
        "/scan/",
        {"code": "\x00\x01garbage", "screen": "identify"},
        HTTP_HX_REQUEST="true",
    )

    assert json.loads(response["HX-Location"])["path"] == "/menu/"
    menu = started.get("/menu/").content.decode()
    assert "We do not recognise this code" in menu or "reconnaissons" in menu
    assert not OrderLoyalty.objects.exists()


def test_a_store_without_loyalty_goes_straight_to_the_menu(kiosk_client):
    kiosk_client.post("/start/")

    response = kiosk_client.post("/mode/", {"mode": "eat_in"})

    assert response["Location"] == "/menu/"


def test_a_pass_scanned_on_the_attract_screen_is_greeted_by_first_name(kiosk_screen):
    kiosk_screen.post(
        "/scan/",
        {"code": "cust_0000000001", "screen": "attract"},
        HTTP_HX_REQUEST="true",
    )

    page = kiosk_screen.get("/mode/").content.decode()

    assert "Bonjour Léa !" in page or "Hello Léa!" in page


def test_every_reward_card_has_a_picture(started):
    type_phone(started, "0612345678")

    page = started.get("/loyalty/rewards/").content.decode()

    cards = page.count('class="reward-card')
    assert cards > 0
    assert page.count('class="reward-image') == cards
