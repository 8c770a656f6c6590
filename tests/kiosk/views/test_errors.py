"""Every address a kiosk can show answers GET with a kiosk page, and every error
page served to a kiosk keeps its way back to the start."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern

from kiosk.urls import kiosk_patterns
from kiosk.views import customer

# Values for the addresses' parameters: none of them needs to exist.
SAMPLE_KWARGS = {
    "category_id": 1,
    "product_id": 1,
    "reward": "rew_1",
    "owned": "crw_1",
    "redemption_id": 1,
    "line_id": 1,
}
# Not a screen: the attract screen's stylesheet of brand colours.
RESOURCES = {"brand-stylesheet"}


def _address(pattern: URLPattern, menu) -> str:
    kwargs = {name: SAMPLE_KWARGS[name] for name in pattern.pattern.converters}
    if "product_id" in kwargs:
        kwargs["product_id"] = menu.fries.pk
    if "category_id" in kwargs:
        kwargs["category_id"] = menu.mains.pk
    route = str(pattern.pattern)
    for name, value in kwargs.items():
        route = route.replace(f"<int:{name}>", str(value))
        route = route.replace(f"<str:{name}>", str(value))
    return "/" + route


def _is_kiosk_page(content: str) -> bool:
    return '<main id="main"' in content and "data-idle=" in content


def _post_only(pattern: URLPattern) -> bool:
    return pattern.name not in {
        "attract",
        "service-mode",
        "menu",
        "menu-category",
        "product",
        "cart",
        "checkout",
        "payment",
        "confirmation",
        "confirmation-loyalty",
        "loyalty-identify",
        "loyalty-phone",
        "loyalty-code",
        "loyalty-join",
        "loyalty-panel",
        "loyalty-buy",
        "loyalty-choose",
        "cart-line-edit",
    }


SCREEN_PATTERNS = [p for p in kiosk_patterns if p.name not in RESOURCES]


@pytest.mark.parametrize(
    "pattern", SCREEN_PATTERNS, ids=[str(p.name) for p in SCREEN_PATTERNS]
)
def test_every_address_of_the_kiosk_shows_a_kiosk_page_on_get(
    menu, with_fries, pattern
):
    address = _address(pattern, menu)

    response = with_fries.get(address, follow=True)

    assert [status for _url, status in response.redirect_chain] == [302] * len(
        response.redirect_chain
    )
    assert response.status_code == 200
    assert _is_kiosk_page(response.content.decode())
    if _post_only(pattern):
        assert response.redirect_chain, f"{address} answered GET itself"


@pytest.mark.parametrize(
    ("address", "page"),
    [
        ("/product/{fries}/add/", "/product/{fries}/"),
        ("/product/{fries}/preview/", "/product/{fries}/"),
        ("/cart/quantity/", "/cart/"),
        ("/cart/remove/", "/cart/"),
        ("/checkout/submit/", "/checkout/"),
        ("/pay/status/", "/pay/"),
        ("/loyalty/phone/submit/", "/loyalty/phone/"),
        ("/start/", "/"),
        ("/reset/", "/"),
    ],
)
def test_an_action_asked_with_get_goes_to_its_page(menu, with_fries, address, page):
    response = with_fries.get(address.format(fries=menu.fries.pk))

    assert (response.status_code, response["Location"]) == (
        302,
        page.format(fries=menu.fries.pk),
    )


def test_a_form_error_gets_the_address_of_its_page_in_the_history(menu, ordering):
    response = ordering.post(
        f"/product/{menu.burger.pk}/add/",
        {"quantity": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_BOOSTED="true",
    )

    assert response.status_code == 422
    assert response["HX-Push-Url"] == f"/product/{menu.burger.pk}/"


def test_a_page_rendered_by_a_page_of_its_own_keeps_its_address(menu, kiosk_client):
    kiosk_client.post("/start/")

    response = kiosk_client.post(
        "/mode/", {"mode": "nowhere"}, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true"
    )

    assert response["HX-Push-Url"] == "/mode/"


def _has_the_way_back(content: str) -> bool:
    return (
        'action="/reset/"' in content
        and 'data-auto-submit-after="30"' in content
        and 'id="error-start-over"' in content
        and "This screen goes back to the start in" in content
    )


def test_an_address_that_does_not_exist_shows_the_kiosk_error_screen(menu, with_fries):
    response = with_fries.get("/nowhere/")

    assert response.status_code == 404
    content = response.content.decode()
    assert _is_kiosk_page(content)
    assert _has_the_way_back(content)
    assert 'id="error-back"' in content  # the customer's order is still there


def test_a_method_an_address_refuses_shows_the_kiosk_error_screen(menu, with_fries):
    response = with_fries.put("/start/")

    assert response.status_code == 405
    assert _has_the_way_back(response.content.decode())


def test_a_server_error_shows_the_kiosk_error_screen(menu, with_fries, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr(customer, "cart_view", broken)
    with_fries.raise_request_exception = False

    response = with_fries.get("/cart/")

    assert response.status_code == 500
    assert _has_the_way_back(response.content.decode())


def test_a_csrf_failure_shows_the_kiosk_error_screen(menu, kiosk_client):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = kiosk_client.cookies

    response = strict.post("/start/")

    assert response.status_code == 403
    content = response.content.decode()
    assert _has_the_way_back(content)
    assert 'name="csrfmiddlewaretoken"' in content  # "Start over" goes through
    assert 'id="error-back"' not in content  # no order to go back to


def test_the_error_screen_speaks_the_store_language(menu, kiosk_client):
    menu.store.default_language = "fr"
    menu.store.save()

    response = kiosk_client.get("/nowhere/")

    assert "Cet écran revient à l’accueil dans" in response.content.decode()


@pytest.mark.django_db
def test_a_browser_that_is_no_kiosk_gets_the_plain_error_page():
    response = Client().get("/nowhere/")

    assert response.status_code == 404
    assert 'action="/reset/"' not in response.content.decode()


def test_staff_addresses_keep_the_plain_error_page(menu, kiosk_client):
    response = kiosk_client.get("/counter/nowhere/else/")

    assert response.status_code == 404
    assert 'action="/reset/"' not in response.content.decode()
