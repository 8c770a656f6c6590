from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kiosk.models import OrderLine
from kiosk.services.checkout import order_checkout
from tests.kiosk.views.conftest import session_order

SWITCH = 'id="language-fr"'


def next_of(response) -> str:
    html: str = response.content.decode()
    start = html.index('name="next" value="') + len('name="next" value="')
    return html[start : html.index('"', start)]


@pytest.mark.parametrize(
    "address",
    ["/mode/", "/menu/", "/cart/", "/checkout/"],
)
def test_every_ordering_screen_has_the_language_switch(menu, ordering, address):
    response = ordering.get(address)

    assertContains(response, SWITCH)
    assert next_of(response) == address


def test_the_product_sheet_has_the_language_switch(menu, ordering):
    response = ordering.get(f"/product/{menu.burger.pk}/")

    assertContains(response, SWITCH)
    assert next_of(response) == f"/product/{menu.burger.pk}/"


def test_a_sheet_shown_after_an_error_comes_back_to_its_page(menu, ordering):
    response = ordering.post(f"/product/{menu.burger.pk}/add/", {"quantity": "1"})

    assert next_of(response) == f"/product/{menu.burger.pk}/"


def test_the_payment_and_confirmation_screens_have_the_language_switch(
    menu, with_fries
):
    order_checkout(order=session_order(with_fries), method="card")
    assertContains(with_fries.get("/pay/"), SWITCH)
    response = with_fries.get("/done/")

    assertContains(response, SWITCH)
    assert next_of(response) == "/done/"


def test_the_error_screen_has_the_language_switch(menu, kiosk_client):
    assertContains(kiosk_client.get("/nowhere/"), SWITCH, status_code=404)


def test_switching_keeps_the_customer_on_the_same_screen(menu, with_fries):
    response = with_fries.post("/language/", {"language": "fr", "next": "/cart/"})

    assertRedirects(response, "/cart/", fetch_redirect_response=False)
    page = with_fries.get("/cart/")
    assertContains(page, "Votre commande")
    assertContains(page, 'id="language-en"')
    assertNotContains(page, SWITCH)
    assert OrderLine.objects.count() == 1
