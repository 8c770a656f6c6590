from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from hardware.models import PrintJob
from kiosk.models import (
    ActorKind,
    Order,
    OrderState,
    Payment,
    PaymentChannel,
    PaymentStatus,
)
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_confirm_payment, order_start
from kiosk.services.selections import LineSelection
from tests.factories import StoreFactory


def submitted(menu, method="counter") -> Order:
    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    return order_checkout(order=order, method=method).order


def action(order: Order, name: str) -> str:
    return f"/counter/{order.store.slug}/orders/{order.pk}/{name}/"


@pytest.fixture
def awaiting(menu) -> Order:
    return submitted(menu)


def test_an_anonymous_visitor_is_sent_to_log_in(menu):
    response = Client().get("/counter/burger-test/")

    assertRedirects(
        response,
        "/admin/login/?next=/counter/burger-test/",
        fetch_redirect_response=False,
    )


def test_an_anonymous_action_is_sent_to_log_in_and_changes_nothing(menu, awaiting):
    response = Client().post(action(awaiting, "paid"))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.AWAITING_PAYMENT
    assert Payment.objects.count() == 0


def test_staff_without_the_permission_are_refused(menu, awaiting):
    client = Client()
    client.force_login(User.objects.create_user("waiter", is_staff=True))

    page = client.get("/counter/burger-test/")
    paid = client.post(action(awaiting, "paid"))

    assert (page.status_code, paid.status_code) == (403, 403)
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.AWAITING_PAYMENT
    assert Payment.objects.count() == 0


def test_the_counter_index_opens_the_only_store(menu, cashier_client):
    assertRedirects(
        cashier_client.get("/counter/"),
        "/counter/burger-test/",
        fetch_redirect_response=False,
    )


def test_the_counter_index_lists_the_stores_when_there_are_several(
    menu, cashier_client
):
    StoreFactory(name="Another", slug="another")

    response = cashier_client.get("/counter/")

    assertContains(
        response, '<a href="/counter/burger-test/">Burger Test</a>', html=True
    )
    assertContains(response, '<a href="/counter/another/">Another</a>', html=True)


def test_the_counter_page_lists_unpaid_and_paid_orders(menu, cashier_client):
    unpaid = submitted(menu)
    paid = submitted(menu)
    order_confirm_payment(order=paid, channel=PaymentChannel.COUNTER)

    response = cashier_client.get("/counter/burger-test/")

    assertContains(response, f'id="counter-order-{unpaid.number}"')
    assertContains(response, f'id="counter-paid-order-{paid.number}"')
    assertContains(response, "Waiting for payment (1)")
    assertContains(response, "Paid, to hand over (1)")


def test_an_htmx_refresh_of_the_counter_gets_only_the_orders(menu, cashier_client):
    submitted(menu)

    response = cashier_client.get(
        "/counter/burger-test/", headers={"HX-Request": "true"}
    )

    assertContains(response, '<div id="orders"')
    assert b"<html" not in response.content


def test_the_counter_marks_an_order_paid(menu, cashier, cashier_client, awaiting):
    response = cashier_client.post(action(awaiting, "paid"), follow=True)

    assertRedirects(response, "/counter/burger-test/")
    assertContains(response, "#1 paid.")
    awaiting.refresh_from_db()
    payment = Payment.objects.get()
    assert awaiting.state == OrderState.PAID
    assert (payment.channel, payment.status, payment.amount, payment.user) == (
        PaymentChannel.COUNTER,
        PaymentStatus.APPROVED,
        350,
        cashier,
    )
    assert PrintJob.objects.count() == 1
    change = awaiting.history.get(to_state=OrderState.PAID)
    assert (change.actor, change.user) == (ActorKind.STAFF, cashier)


def test_marking_an_order_paid_twice_creates_one_payment(
    menu, cashier_client, awaiting
):
    cashier_client.post(action(awaiting, "paid"))
    cashier_client.post(action(awaiting, "paid"))

    assert Payment.objects.count() == 1
    assert PrintJob.objects.count() == 1


def test_the_counter_cancels_an_order(menu, cashier, cashier_client, awaiting):
    response = cashier_client.post(action(awaiting, "cancel"), follow=True)

    assertContains(response, "#1 cancelled.")
    awaiting.refresh_from_db()
    assert (awaiting.state, awaiting.cancel_reason) == (
        OrderState.CANCELLED,
        "cancelled at the counter",
    )
    change = awaiting.history.get(to_state=OrderState.CANCELLED)
    assert (change.actor, change.user) == (ActorKind.STAFF, cashier)


def test_the_counter_hands_over_a_paid_order(menu, cashier_client, awaiting):
    order_confirm_payment(order=awaiting, channel=PaymentChannel.COUNTER)

    response = cashier_client.post(action(awaiting, "complete"), follow=True)

    assertContains(response, "#1 handed over.")
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.COMPLETED


def test_the_counter_cannot_cancel_a_paid_order(menu, cashier_client, awaiting):
    order_confirm_payment(order=awaiting, channel=PaymentChannel.COUNTER)

    response = cashier_client.post(action(awaiting, "cancel"), follow=True)

    assertContains(response, "This order is paid: it cannot be cancelled here.")
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.PAID
    assert awaiting.history.filter(to_state=OrderState.CANCELLED).count() == 0


def test_the_counter_cannot_pay_an_order_during_a_card_payment(menu, cashier_client):
    order = submitted(menu, method="card")

    response = cashier_client.post(action(order, "paid"), follow=True)

    assertContains(
        response, "A card payment is in progress on the kiosk for this order."
    )
    order.refresh_from_db()
    assert order.state == OrderState.AWAITING_PAYMENT
    assert list(Payment.objects.values_list("channel", flat=True)) == [
        PaymentChannel.TERMINAL
    ]
    assert PrintJob.objects.count() == 0


def test_an_unknown_counter_action_is_not_found(menu, cashier_client, awaiting):
    response = cashier_client.post(action(awaiting, "refund"))

    assert response.status_code == 404
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.AWAITING_PAYMENT


def test_an_order_of_another_store_is_not_found(menu, cashier_client, awaiting):
    StoreFactory(name="Another", slug="another")

    response = cashier_client.post(f"/counter/another/orders/{awaiting.pk}/paid/")

    assert response.status_code == 404
    assert Payment.objects.count() == 0


def test_counter_actions_refuse_get(menu, cashier_client, awaiting):
    assert cashier_client.get(action(awaiting, "paid")).status_code == 405
    assert Payment.objects.count() == 0


def test_the_counter_shows_times_in_the_store_time_zone(
    menu, awaiting, cashier_client, settings
):
    settings.TIME_ZONE = "UTC"
    Order.objects.filter(pk=awaiting.pk).update(
        submitted_at=datetime(2026, 1, 15, 11, 5, tzinfo=UTC)
    )
    menu.store.timezone = "Europe/Paris"  # UTC+1 in winter
    menu.store.save()

    response = cashier_client.get("/counter/burger-test/")

    assertContains(response, "<td>12:05</td>", html=True)
