from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from hardware.models import PrintJob
from kiosk.models import (
    ActorKind,
    Order,
    OrderState,
    OrderStateChange,
    Payment,
    PaymentChannel,
    Store,
)
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_confirm_payment, order_start
from kiosk.services.provisioning import store_pos_token_rotate
from kiosk.services.selections import LineSelection


def submitted(kiosk, product) -> Order:
    order = order_start(kiosk=kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=product.pk))
    return order_checkout(order=order, method="counter").order


@pytest.fixture
def token(menu) -> str:
    return store_pos_token_rotate(store=menu.store)


@pytest.fixture
def pos(token) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def awaiting(menu) -> Order:
    return submitted(menu.kiosk, menu.fries)


def post_json(client: Client, path: str, data: object):
    return client.post(path, json.dumps(data), content_type="application/json")


def url(order: Order, name: str) -> str:
    return f"/api/pos/v1/orders/{order.uuid.hex}/{name}/"


def test_a_request_without_a_token_is_unauthorized(menu, awaiting):
    response = post_json(Client(), url(awaiting, "paid"), {"amount": 350})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="pos"'
    assert response.json() == {
        "error": {
            "code": "unauthorized",
            "message": "A valid store POS token is required.",
        }
    }
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    "header", ["Bearer pos_wrong", "Basic cG9zOnBvcw==", "pos_wrong", "Bearer "]
)
def test_a_request_with_a_wrong_token_is_unauthorized(menu, awaiting, token, header):
    client = Client(headers={"Authorization": header})

    response = post_json(client, url(awaiting, "paid"), {"amount": 350})

    assert response.status_code == 401
    assert Payment.objects.count() == 0


def test_the_token_alone_without_bearer_is_unauthorized(menu, awaiting, token):
    client = Client(headers={"Authorization": token})

    assert client.get("/api/pos/v1/orders/").status_code == 401


def test_a_previous_token_is_unauthorized_after_rotation(menu, awaiting, token):
    store_pos_token_rotate(store=menu.store)
    client = Client(headers={"Authorization": f"Bearer {token}"})

    assert client.get("/api/pos/v1/orders/").status_code == 401


def test_a_token_of_another_store_does_not_find_this_stores_order(menu, awaiting):
    other_store = Store.objects.create(name="Other", slug="other")
    other_token = store_pos_token_rotate(store=other_store)
    client = Client(headers={"Authorization": f"Bearer {other_token}"})

    response = post_json(client, url(awaiting, "paid"), {"amount": 350})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.AWAITING_PAYMENT
    assert Payment.objects.count() == 0


def test_the_pos_marks_an_order_paid(menu, pos, awaiting):
    response = post_json(
        pos, url(awaiting, "paid"), {"amount": 350, "reference": "TILL-7"}
    )

    assert response.status_code == 200
    body = response.json()["order"]
    assert (body["id"], body["number"], body["state"], body["total"]) == (
        awaiting.uuid.hex,
        1,
        "paid",
        350,
    )
    assert body["lines"] == [
        {
            "id": awaiting.lines.get().pk,
            "parent": None,
            "kind": "item",
            "sku": "FRIES",
            "plu": "4102",
            "name": "Fries",
            "quantity": 1,
            "unit_price": 350,
            "total": 350,
        }
    ]
    payment = Payment.objects.get()
    assert (payment.channel, payment.amount, payment.reference) == (
        PaymentChannel.POS,
        350,
        "TILL-7",
    )
    assert PrintJob.objects.count() == 1
    assert awaiting.history.get(to_state=OrderState.PAID).actor == ActorKind.POS


def test_repeating_paid_is_idempotent(menu, pos, awaiting):
    post_json(pos, url(awaiting, "paid"), {"amount": 350})

    response = post_json(pos, url(awaiting, "paid"), {"amount": 350})

    assert response.status_code == 200
    assert response.json()["order"]["state"] == "paid"
    assert Payment.objects.count() == 1
    assert PrintJob.objects.count() == 1
    assert OrderStateChange.objects.filter(to_state=OrderState.PAID).count() == 1


def test_an_amount_that_does_not_match_the_total_is_refused(menu, pos, awaiting):
    response = post_json(pos, url(awaiting, "paid"), {"amount": 300})

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "amount_mismatch",
            "message": "The amount 300 does not match the order total 350.",
        }
    }
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.AWAITING_PAYMENT
    assert Payment.objects.count() == 0
    assert PrintJob.objects.count() == 0
    assert awaiting.history.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"amount": "350"},
        {"amount": 3.5},
        {"amount": True},
        {"amount": 350, "reference": 7},
    ],
)
def test_paid_without_a_valid_amount_is_refused(menu, pos, awaiting, body):
    response = post_json(pos, url(awaiting, "paid"), body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("body", ["{not json", "[350]", '"paid"', "\xff"])
def test_a_body_that_is_not_a_json_object_is_a_bad_request(menu, pos, awaiting, body):
    response = pos.post(url(awaiting, "paid"), body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert Payment.objects.count() == 0


def test_an_order_id_that_is_not_a_uuid_is_not_found(menu, pos, awaiting):
    response = post_json(pos, "/api/pos/v1/orders/1/paid/", {"amount": 350})

    assert response.status_code == 404
    assert Payment.objects.count() == 0


def test_an_unknown_action_is_not_found(menu, pos, awaiting):
    response = post_json(pos, url(awaiting, "discount"), {"amount": 350})

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Unknown action 'discount'."


def test_the_pos_cancels_an_unpaid_order(menu, pos, awaiting):
    response = post_json(pos, url(awaiting, "cancel"), {"reason": "walked out"})

    assert response.status_code == 200
    awaiting.refresh_from_db()
    assert (awaiting.state, awaiting.cancel_reason) == (
        OrderState.CANCELLED,
        "walked out",
    )
    assert awaiting.history.get(to_state=OrderState.CANCELLED).actor == ActorKind.POS


def test_cancelling_a_paid_order_is_a_conflict(menu, pos, awaiting):
    order_confirm_payment(order=awaiting, channel=PaymentChannel.POS, amount=350)

    response = post_json(pos, url(awaiting, "cancel"), {})

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "conflict",
            "message": "This order is paid: it cannot be cancelled here.",
        }
    }
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.PAID


def test_a_reason_that_is_not_text_is_refused(menu, pos, awaiting):
    response = post_json(pos, url(awaiting, "cancel"), {"reason": ["x"]})

    assert response.status_code == 422
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.AWAITING_PAYMENT


def test_the_pos_hands_over_a_paid_order(menu, pos, awaiting):
    order_confirm_payment(order=awaiting, channel=PaymentChannel.POS, amount=350)

    response = pos.post(url(awaiting, "complete"), "", content_type="application/json")

    assert response.status_code == 200
    assert response.json()["order"]["state"] == "completed"


def test_the_pos_records_a_refund(menu, pos, awaiting):
    order_confirm_payment(order=awaiting, channel=PaymentChannel.POS, amount=350)

    response = post_json(pos, url(awaiting, "refund"), {"reason": "wrong order"})

    assert response.status_code == 200
    assert response.json()["order"]["state"] == "refunded"
    change = awaiting.history.get(to_state=OrderState.REFUNDED)
    assert (change.actor, change.note) == (ActorKind.POS, "wrong order")


def test_refunding_an_unpaid_order_is_a_conflict(menu, pos, awaiting):
    response = post_json(pos, url(awaiting, "refund"), {})

    assert response.status_code == 409
    assert response.json()["error"]["message"] == "Only a paid order can be refunded."
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.AWAITING_PAYMENT


def test_handing_over_an_unpaid_order_is_a_conflict(menu, pos, awaiting):
    response = post_json(pos, url(awaiting, "complete"), {})

    assert response.status_code == 409
    awaiting.refresh_from_db()
    assert awaiting.state == OrderState.AWAITING_PAYMENT


def test_the_pos_api_needs_no_csrf_token(menu, token, awaiting):
    client = Client(
        enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"}
    )

    response = post_json(client, url(awaiting, "paid"), {"amount": 350})

    assert response.status_code == 200


def test_the_list_gives_todays_orders_of_the_store(menu, other_kiosk_order, pos):
    first = submitted(menu.kiosk, menu.fries)
    second = submitted(menu.kiosk, menu.cola)
    yesterday = submitted(menu.kiosk, menu.cola)
    assert yesterday.business_date is not None
    Order.objects.filter(pk=yesterday.pk).update(
        business_date=yesterday.business_date - timedelta(days=1)
    )

    response = pos.get("/api/pos/v1/orders/")

    assert response.status_code == 200
    assert [order["id"] for order in response.json()["orders"]] == [
        first.uuid.hex,
        second.uuid.hex,
    ]


def test_the_list_is_filtered_by_state(menu, pos):
    unpaid = submitted(menu.kiosk, menu.fries)
    paid = submitted(menu.kiosk, menu.cola)
    order_confirm_payment(order=paid, channel=PaymentChannel.COUNTER)

    awaiting = pos.get("/api/pos/v1/orders/", {"state": "awaiting_payment"})
    done = pos.get("/api/pos/v1/orders/", {"state": "paid"})

    assert [o["id"] for o in awaiting.json()["orders"]] == [unpaid.uuid.hex]
    assert [o["id"] for o in done.json()["orders"]] == [paid.uuid.hex]


def test_the_list_is_filtered_by_number(menu, pos):
    submitted(menu.kiosk, menu.fries)
    second = submitted(menu.kiosk, menu.cola)

    response = pos.get("/api/pos/v1/orders/", {"number": "2"})

    assert [o["id"] for o in response.json()["orders"]] == [second.uuid.hex]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"state": "lost"}, "Unknown state 'lost'."),
        ({"number": "-1"}, "number must be a positive integer."),
        ({"number": "1 OR 1=1"}, "number must be a positive integer."),
    ],
)
def test_a_malformed_filter_is_a_bad_request(menu, pos, query, message):
    response = pos.get("/api/pos/v1/orders/", query)

    assert response.status_code == 400
    assert response.json()["error"]["message"] == message


def test_the_list_refuses_post_and_actions_refuse_get(menu, pos, awaiting):
    assert pos.post("/api/pos/v1/orders/").status_code == 405
    assert pos.get(url(awaiting, "paid")).status_code == 405


@pytest.fixture
def other_kiosk_order(menu) -> Order:
    """An order of today in another store: never listed for this store's token."""
    from tests.factories import KioskFactory, ProductFactory, StoreFactory

    store = StoreFactory(slug="elsewhere")
    product = ProductFactory(store=store)
    return submitted(KioskFactory(store=store), product)


def test_a_pos_refund_sends_the_card_payment_back_to_the_card(menu, pos):
    from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
    from kiosk.services.payments import payment_refresh

    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    order = order_checkout(order=order, method="card").order
    SimulatedTerminal().customer_action(
        attempt_key=order.payments.get().attempt_key, outcome=SimulatedOutcome.APPROVE
    )
    payment_refresh(order=order)

    response = post_json(pos, url(order, "refund"), {})

    assert response.status_code == 200
    assert response.json()["order"]["state"] == "refunded"
    assert response.json()["card_refunds"] == [
        {"amount": 350, "status": "succeeded", "message": ""}
    ]


def test_a_pos_refund_of_an_order_paid_at_the_till_has_no_card_refund(
    menu, pos, awaiting
):
    order_confirm_payment(order=awaiting, channel=PaymentChannel.POS, amount=350)

    response = post_json(pos, url(awaiting, "refund"), {})

    assert response.json()["card_refunds"] == []
