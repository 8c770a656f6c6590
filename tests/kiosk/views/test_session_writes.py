"""Taps that change nothing in the customer's session leave its row alone."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kiosk.customer_session import SEEN_KEY, SEEN_RESOLUTION_SECONDS
from tests.kiosk.views.conftest import session_order


def session_writes(client, method: str, path: str, data=None, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data or {}, **headers)
    assert response.status_code < 400
    return sum(
        1
        for query in captured.captured_queries
        if "django_session" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    )


def seen_long_ago(client, seconds: float) -> None:
    session = client.session
    session[SEEN_KEY] -= seconds
    session.save()


def test_a_tap_right_after_another_does_not_write_the_session(menu, with_fries):
    assert session_writes(with_fries, "get", "/cart/") == 0
    assert session_writes(with_fries, "get", "/menu/", HTTP_HX_REQUEST="true") == 0


def test_a_tap_after_the_resolution_stores_when_the_customer_was_seen(menu, with_fries):
    seen_long_ago(with_fries, SEEN_RESOLUTION_SECONDS + 1)
    before = with_fries.session[SEEN_KEY]

    assert session_writes(with_fries, "get", "/cart/") == 1
    assert with_fries.session[SEEN_KEY] > before + SEEN_RESOLUTION_SECONDS


def test_the_payment_poll_never_writes_the_session(menu, with_fries):
    with_fries.post("/checkout/submit/", {"method": "card"})
    seen_long_ago(with_fries, SEEN_RESOLUTION_SECONDS + 1)

    writes = session_writes(with_fries, "post", "/pay/status/", HTTP_HX_REQUEST="true")

    assert writes == 0
    assert session_order(with_fries).is_paying_by_card


def test_the_poll_that_finds_the_order_paid_stores_when_the_customer_was_seen(
    menu, with_fries
):
    with_fries.post("/checkout/submit/", {"method": "card"})
    with_fries.post("/pay/simulate/", {"outcome": "approve"}, HTTP_HX_REQUEST="true")
    seen_long_ago(with_fries, 3600)
    before = with_fries.session[SEEN_KEY]

    response = with_fries.post("/pay/status/", HTTP_HX_REQUEST="true")

    assert "HX-Location" in response.headers
    assert with_fries.session[SEEN_KEY] > before + 3000
    assert with_fries.get("/done/").status_code == 200
