"""The hot requests of an order run a bounded number of SQL queries.

A query added to one of them (a lookup in a loop, a relation not fetched
with its rows) fails here before it slows every kiosk of a busy store.
"""

from __future__ import annotations

import pytest

from tests.kiosk.views.test_customer import burger_form


@pytest.fixture
def paying(menu, with_fries):
    with_fries.post("/checkout/submit/", {"method": "card"})
    return with_fries


def test_the_menu_partial(menu, with_fries, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES["menu"]):
        with_fries.get(f"/menu/{menu.mains.pk}/", HTTP_HX_REQUEST="true")


def test_the_product_sheet(menu, with_fries, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES["sheet"]):
        with_fries.get(f"/product/{menu.burger.pk}/")


def test_the_sheet_preview(menu, with_fries, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES["preview"]):
        with_fries.post(
            f"/product/{menu.burger.pk}/preview/",
            burger_form(menu),
            HTTP_HX_REQUEST="true",
        )


def test_adding_to_the_order(menu, with_fries, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES["add"]):
        with_fries.post(f"/product/{menu.burger.pk}/add/", burger_form(menu))


def test_the_cart(menu, with_fries, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES["cart"]):
        with_fries.get("/cart/")


def test_the_checkout(menu, with_fries, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES["checkout"]):
        with_fries.get("/checkout/")


def test_the_payment_poll(menu, paying, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES["poll"]):
        paying.post("/pay/status/", HTTP_HX_REQUEST="true")


# Measured on this menu (SQLite): the device cookie's kiosk, the session, the
# order, then what the page shows.
QUERIES = {
    "menu": 7,
    # The sheet and its preview each read the kitchen notes offered once.
    "sheet": 12,
    "preview": 10,
    "add": 27,
    "cart": 10,
    "checkout": 10,
    "poll": 9,
}
