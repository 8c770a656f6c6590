from __future__ import annotations

import json

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from hardware.models import PrintJob
from kiosk.customer_session import ORDER_KEY
from kiosk.models import (
    OrderLine,
    OrderState,
    Payment,
    PaymentChannel,
    PaymentStatus,
)
from kiosk.services.cart import order_discount_add
from tests.kiosk.payments.test_terminals import use_card_only_terminal
from tests.kiosk.views.conftest import session_order


def pay_by_card(client) -> None:
    client.post("/checkout/submit/", {"method": "card"})


def simulate(client, outcome: str) -> None:
    client.post("/pay/simulate/", {"outcome": outcome})


def test_the_checkout_page_shows_the_total_and_both_ways_to_pay(menu, with_fries):
    response = with_fries.get("/checkout/")

    assertContains(response, '<dd id="order-total">€3.50</dd>', html=True)
    assertContains(response, 'id="pay-card"')
    assertContains(response, 'id="pay-counter"')


def test_paying_at_the_counter_shows_the_number_and_amount(menu, with_fries):
    response = with_fries.post("/checkout/submit/", {"method": "counter"})

    assertRedirects(response, "/done/", fetch_redirect_response=False)
    page = with_fries.get("/done/")
    assertContains(page, "Please pay at the counter. Your order number is")
    assertContains(page, "Amount to pay: €3.50")
    order = session_order(with_fries)
    assert (order.state, order.payment_method, order.number) == (
        OrderState.AWAITING_PAYMENT,
        "counter",
        1,
    )
    assert Payment.objects.count() == 0


def test_an_order_with_nothing_to_pay_is_confirmed_without_paying(menu, with_fries):
    order_discount_add(
        order=session_order(with_fries),
        name="5 € off",
        kind="amount",
        value=500,
        source="pongo",
    )
    checkout = with_fries.get("/checkout/")
    assertContains(checkout, "There is nothing to pay for this order.")
    assertContains(checkout, 'id="confirm-order"')
    assertNotContains(checkout, 'id="pay-card"')
    assertNotContains(checkout, 'id="pay-counter"')

    response = with_fries.post("/checkout/submit/", {"method": "nothing"})

    assertRedirects(response, "/done/", fetch_redirect_response=False)
    page = with_fries.get("/done/")
    assertContains(page, "Thank you! Your order number is")
    assertContains(page, "Nothing to pay: your order is confirmed.")
    order = session_order(with_fries)
    assert (order.state, order.payment_method, order.total) == ("paid", "nothing", 0)
    assert list(Payment.objects.values_list("channel", "amount")) == [("nothing", 0)]


def test_checkout_of_an_empty_cart_is_refused(menu, ordering):
    response = ordering.post("/checkout/submit/", {"method": "card"})

    assertContains(response, "Your order is empty.", status_code=422)
    assert session_order(ordering).state == OrderState.DRAFT
    assert Payment.objects.count() == 0


def test_checkout_without_a_service_mode_is_refused(menu, kiosk_client):
    kiosk_client.post("/start/")
    kiosk_client.post(f"/product/{menu.fries.pk}/add/", {"quantity": "1"})

    response = kiosk_client.post("/checkout/submit/", {"method": "card"})

    assertContains(response, "Choose whether you eat in or take away.", status_code=422)
    order = session_order(kiosk_client)
    assert (order.state, order.number) == (OrderState.DRAFT, None)
    assert Payment.objects.count() == 0


def test_checkout_with_a_tampered_method_is_refused(menu, with_fries):
    response = with_fries.post("/checkout/submit/", {"method": "free"})

    assertContains(response, "Choose how you would like to pay.", status_code=422)
    assert session_order(with_fries).state == OrderState.DRAFT
    assert Payment.objects.count() == 0


def test_checkout_of_a_stale_cart_names_what_was_taken_out(menu, with_fries):
    with_fries.post(f"/product/{menu.cola.pk}/add/", {"quantity": "2"})
    menu.fries.is_available = False
    menu.fries.save()

    response = with_fries.post("/checkout/submit/", {"method": "card"})

    assertContains(
        response,
        '<div class="notice notice-warning" role="alert" id="removed-items">'
        "<p>Sorry, these are no longer available and were taken out of your order:</p>"
        "<ul><li>Fries</li></ul></div>",
        status_code=409,
        html=True,
    )
    order = session_order(with_fries)
    assert (order.state, order.total, order.number) == (OrderState.DRAFT, 600, None)
    assert list(OrderLine.objects.values_list("name", flat=True)) == ["Cola"]
    assert Payment.objects.count() == 0


def test_a_double_post_of_checkout_creates_one_payment(menu, with_fries):
    first = with_fries.post("/checkout/submit/", {"method": "card"})
    second = with_fries.post("/checkout/submit/", {"method": "card"})

    assertRedirects(first, "/pay/", fetch_redirect_response=False)
    assertRedirects(second, "/pay/", fetch_redirect_response=False)
    assert Payment.objects.count() == 1
    assert session_order(with_fries).history.count() == 1


def test_the_checkout_page_of_a_submitted_order_shows_the_payment(menu, with_fries):
    pay_by_card(with_fries)

    assertRedirects(
        with_fries.get("/checkout/"), "/pay/", fetch_redirect_response=False
    )


def test_the_payment_page_polls_while_the_terminal_waits(menu, with_fries):
    pay_by_card(with_fries)

    response = with_fries.post("/pay/status/")

    assertContains(response, 'data-payment="pending"')
    assertContains(response, 'hx-post="/pay/status/" hx-trigger="every 1s"')
    assert b"<html" not in response.content


def test_a_declined_card_shows_the_choices_to_go_on(menu, with_fries):
    pay_by_card(with_fries)
    simulate(with_fries, "decline")

    response = with_fries.post("/pay/status/")

    assertContains(response, 'data-payment="declined"')
    assertContains(response, "Your card was declined.")
    assertContains(response, 'id="payment-retry"')
    assert session_order(with_fries).state == OrderState.AWAITING_PAYMENT


def test_a_declined_card_counts_down_before_going_back_to_the_order(menu, with_fries):
    pay_by_card(with_fries)
    simulate(with_fries, "decline")

    response = with_fries.post("/pay/status/")

    assertContains(response, 'data-auto-submit-after="5"')
    assertContains(
        response,
        '<p class="countdown" id="payment-back-countdown">'
        "Back to your order in <span data-countdown>5</span> seconds.</p>",
        html=True,
    )


def test_the_payment_page_of_a_draft_goes_back_to_the_menu(menu, with_fries):
    assertRedirects(with_fries.get("/pay/"), "/menu/", fetch_redirect_response=False)


def test_an_htmx_poll_of_a_paid_order_loads_the_confirmation(menu, with_fries):
    pay_by_card(with_fries)
    simulate(with_fries, "approve")

    response = with_fries.post("/pay/status/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert json.loads(response["HX-Location"]) == {
        "path": "/done/",
        "target": "#main",
        "select": "#main",
        "swap": "outerHTML",
    }
    assert session_order(with_fries).state == OrderState.PAID


def test_retry_after_a_decline_starts_a_new_attempt(menu, with_fries):
    pay_by_card(with_fries)
    simulate(with_fries, "decline")
    with_fries.post("/pay/status/")

    response = with_fries.post("/pay/retry/")

    assertRedirects(response, "/pay/", fetch_redirect_response=False)
    assert list(Payment.objects.order_by("id").values_list("status", flat=True)) == [
        PaymentStatus.DECLINED,
        PaymentStatus.PENDING,
    ]


def test_a_double_tap_on_retry_starts_one_attempt(menu, with_fries):
    pay_by_card(with_fries)
    simulate(with_fries, "decline")
    with_fries.post("/pay/status/")

    with_fries.post("/pay/retry/")
    with_fries.post("/pay/retry/")

    assert Payment.objects.count() == 2


def test_the_customer_cancels_the_payment_on_the_kiosk(menu, with_fries):
    pay_by_card(with_fries)

    response = with_fries.post("/pay/cancel/")

    assertRedirects(response, "/pay/", fetch_redirect_response=False)
    assert Payment.objects.get().status == PaymentStatus.CANCELLED
    assertContains(with_fries.get("/pay/"), "The payment was cancelled.")


def test_back_to_the_order_after_a_failed_payment(menu, with_fries):
    pay_by_card(with_fries)
    simulate(with_fries, "timeout")
    with_fries.post("/pay/status/")

    response = with_fries.post("/pay/back/")

    assertRedirects(response, "/checkout/", fetch_redirect_response=False)
    order = session_order(with_fries)
    assert (order.state, order.payment_method) == (OrderState.DRAFT, "")
    assert with_fries.get("/cart/").status_code == 200


def test_back_to_the_order_while_the_terminal_waits_is_refused(menu, with_fries):
    pay_by_card(with_fries)

    response = with_fries.post("/pay/back/", follow=True)

    assertRedirects(response, "/pay/")
    assertContains(
        response, "A card payment is in progress on the kiosk for this order."
    )
    assert session_order(with_fries).state == OrderState.AWAITING_PAYMENT


def test_paying_at_the_counter_after_a_declined_card(menu, with_fries):
    pay_by_card(with_fries)
    simulate(with_fries, "decline")
    with_fries.post("/pay/status/")

    response = with_fries.post("/pay/counter/", follow=True)

    assertRedirects(response, "/done/")
    assertContains(response, "Please pay at the counter. Your order number is")
    order = session_order(with_fries)
    assert (order.state, order.payment_method, order.number) == (
        OrderState.AWAITING_PAYMENT,
        "counter",
        1,
    )
    assert Payment.objects.count() == 1


def test_an_unresponsive_terminal_sends_the_customer_to_the_counter(
    menu, with_fries, settings
):
    pay_by_card(with_fries)
    simulate(with_fries, "unresponsive")
    settings.PAYMENT_TERMINAL_TIMEOUT_SECONDS = 0

    response = with_fries.post("/pay/status/")

    assertContains(response, 'data-payment="unknown"')
    assertContains(response, '<p class="order-number">1</p>', html=True)
    assert Payment.objects.get().status == PaymentStatus.UNKNOWN


def test_reset_after_an_unknown_payment_keeps_the_order_for_the_counter(
    menu, with_fries, settings
):
    pay_by_card(with_fries)
    simulate(with_fries, "unresponsive")
    settings.PAYMENT_TERMINAL_TIMEOUT_SECONDS = 0
    with_fries.post("/pay/status/")
    order = session_order(with_fries)

    with_fries.post("/reset/", {"reason": "payment unknown"})

    order.refresh_from_db()
    assert order.state == OrderState.AWAITING_PAYMENT
    assert ORDER_KEY not in with_fries.session


def test_reset_after_a_declined_card_cancels_the_order(menu, with_fries):
    pay_by_card(with_fries)
    simulate(with_fries, "decline")
    with_fries.post("/pay/status/")
    order = session_order(with_fries)

    with_fries.post("/reset/", {"reason": "idle"})

    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED


def test_an_unknown_simulated_outcome_is_not_found(menu, with_fries):
    pay_by_card(with_fries)

    response = with_fries.post("/pay/simulate/", {"outcome": "steal"})

    assert response.status_code == 404
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_the_payment_page_shows_the_simulator_keys(menu, with_fries):
    pay_by_card(with_fries)

    page = with_fries.get("/pay/")

    assertContains(page, 'id="simulate-approve"')
    assertContains(page, "Card approved")


def test_a_terminal_the_kiosk_cannot_play_shows_no_keys_and_refuses_them(
    menu, with_fries, monkeypatch, settings
):
    use_card_only_terminal(monkeypatch, settings)
    pay_by_card(with_fries)

    page = with_fries.get("/pay/")
    response = with_fries.post("/pay/simulate/", {"outcome": "approve"})

    assert page.status_code == 200
    assert b"simulate-" not in page.content
    assert response.status_code == 404
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_the_simulator_keys_answer_htmx_with_no_content(menu, with_fries):
    pay_by_card(with_fries)

    response = with_fries.post(
        "/pay/simulate/", {"outcome": "approve"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 204


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/checkout/submit/", "/checkout/"),
        ("/pay/status/", "/pay/"),
        ("/pay/retry/", "/pay/"),
        ("/pay/cancel/", "/pay/"),
    ],
)
def test_payment_actions_asked_with_get_do_nothing_but_go_to_their_page(
    menu, with_fries, path, page
):
    response = with_fries.get(path)

    assert (response.status_code, response["Location"]) == (302, page)
    assert session_order(with_fries).state == OrderState.DRAFT
    assert not Payment.objects.exists()


def test_the_confirmation_of_a_card_payment_shows_the_number(menu, with_fries):
    pay_by_card(with_fries)
    simulate(with_fries, "approve")
    with_fries.post("/pay/status/")

    page = with_fries.get("/done/")

    assertContains(page, "Thank you! Your order number is")
    assertContains(page, 'id="order-number" aria-label="1">1</p>')
    assert PrintJob.objects.count() == 1
    assert Payment.objects.get().channel == PaymentChannel.TERMINAL


def test_an_emulated_terminal_shows_its_screen_beside_the_amount(menu, with_fries):
    from kiosk.models import KioskTerminal

    KioskTerminal.objects.create(
        kiosk=menu.kiosk,
        vendor="simulator",
        options={"screen_url": "http://127.0.0.1:8803/_sandbox/terminal/T1/screen"},
    )
    pay_by_card(with_fries)

    page = with_fries.get("/pay/")

    assertContains(page, 'id="terminal-screen"')
    assertContains(page, 'src="http://127.0.0.1:8803/_sandbox/terminal/T1/screen"')
    assert b"simulate-approve" not in page.content
    assert "frame-src http://127.0.0.1:8803" in page["Content-Security-Policy"]


def test_a_screen_address_that_is_not_a_web_page_is_not_framed(menu, with_fries):
    from kiosk.models import KioskTerminal

    KioskTerminal.objects.create(
        kiosk=menu.kiosk, vendor="simulator", options={"screen_url": "javascript:1"}
    )
    pay_by_card(with_fries)

    page = with_fries.get("/pay/")

    assert b"terminal-screen" not in page.content
    assert "frame-src" not in page["Content-Security-Policy"]


def test_the_payment_screen_says_where_the_reader_is_and_how_far_it_got(
    menu, with_fries
):
    pay_by_card(with_fries)

    response = with_fries.get("/pay/")

    assertContains(response, "The card reader is just below the screen.")
    assertContains(response, 'class="payment-progress"')
    assertContains(
        response,
        '<li class="payment-progress-step is-current" aria-current="step">'
        '<span class="payment-progress-mark" aria-hidden="true"></span>'
        "Present your card</li>",
        html=True,
    )


def test_the_payment_screen_shows_the_kiosks_own_words_for_the_reader(menu, with_fries):
    kiosk = session_order(with_fries).kiosk
    kiosk.terminal_location_en = "The reader is on the shelf to your left."
    kiosk.save()
    pay_by_card(with_fries)

    response = with_fries.get("/pay/")

    assertContains(response, "The reader is on the shelf to your left.")
    assertNotContains(response, "just below the screen")
