from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from hardware.models import PrintJob
from kiosk.models import KitchenNote, Order, OrderState, Payment
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_confirm_payment, order_start
from kiosk.services.selections import LineSelection
from tests.factories import ProductFactory


def submitted(menu) -> Order:
    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    return order_checkout(order=order, method="counter").order


@pytest.fixture
def paid_order(menu) -> Order:
    order = submitted(menu)
    return order_confirm_payment(order=order, channel="counter")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    "model",
    [
        "kiosk/store",
        "kiosk/kiosk",
        "kiosk/product",
        "kiosk/category",
        "kiosk/modifiergroup",
        "kiosk/comboslot",
        "kiosk/order",
        "kiosk/payment",
        "hardware/printjob",
    ],
)
def test_the_admin_changelists_open(admin_client, paid_order, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200


def test_the_admin_change_pages_open(admin_client, menu, paid_order):
    pages = [
        f"/admin/kiosk/store/{menu.store.pk}/change/",
        f"/admin/kiosk/kiosk/{menu.kiosk.pk}/change/",
        f"/admin/kiosk/product/{menu.combo.pk}/change/",
        f"/admin/kiosk/product/{menu.burger.pk}/change/",
        f"/admin/kiosk/category/{menu.mains.pk}/change/",
        f"/admin/kiosk/modifiergroup/{menu.cooking.pk}/change/",
        f"/admin/kiosk/comboslot/{menu.side_slot.pk}/change/",
        f"/admin/kiosk/order/{paid_order.pk}/change/",
        f"/admin/kiosk/payment/{Payment.objects.get().pk}/change/",
        f"/admin/hardware/printjob/{PrintJob.objects.get().pk}/change/",
    ]

    assert [admin_client.get(page).status_code for page in pages] == [200] * 10


def test_the_provisioning_link_action_gives_a_link_that_works(admin_client, menu):
    response = admin_client.post(
        "/admin/kiosk/kiosk/",
        {"action": "create_provisioning_link", "_selected_action": [menu.kiosk.pk]},
        follow=True,
    )

    [message] = messages_of(response)
    match = re.search(r'href="http://testserver(/provision/([^/"]+)/)"', message)
    assert match is not None
    browser = Client()
    browser.post(match[1])
    assert browser.get("/").status_code == 200
    menu.kiosk.refresh_from_db()
    assert menu.kiosk.device_generation == 1


def test_the_pos_token_action_gives_a_token_that_works(admin_client, menu):
    response = admin_client.post(
        "/admin/kiosk/store/",
        {"action": "create_pos_token", "_selected_action": [menu.store.pk]},
        follow=True,
    )

    [message] = messages_of(response)
    match = re.search(r"<code>(pos_[^<]+)</code>", message)
    assert match is not None
    pos = Client(headers={"Authorization": f"Bearer {unescape(match[1])}"})
    assert pos.get("/api/pos/v1/orders/").status_code == 200


def test_the_order_search_by_number_finds_exactly_that_order(admin_client, menu):
    orders = [submitted(menu) for _ in range(11)]

    response = admin_client.get("/admin/kiosk/order/", {"q": "1"})

    assert list(response.context["cl"].result_list) == [orders[0]]


def test_the_allergen_filter_lists_products_with_that_allergen(admin_client, menu):
    ProductFactory(store=menu.store, name_en="Milkshake", allergens=["milk"])

    gluten = admin_client.get("/admin/kiosk/product/", {"allergen": "gluten"})
    milk = admin_client.get("/admin/kiosk/product/", {"allergen": "milk"})

    assert [p.name for p in gluten.context["cl"].result_list] == ["Burger"]
    assert sorted(p.name for p in milk.context["cl"].result_list) == [
        "Burger",
        "Milkshake",
    ]


def test_the_cancel_action_cancels_only_unpaid_orders(admin_client, menu, paid_order):
    unpaid = submitted(menu)

    response = admin_client.post(
        "/admin/kiosk/order/",
        {"action": "cancel_unpaid", "_selected_action": [unpaid.pk, paid_order.pk]},
        follow=True,
    )

    unpaid.refresh_from_db()
    paid_order.refresh_from_db()
    assert (unpaid.state, paid_order.state) == (OrderState.CANCELLED, OrderState.PAID)
    assert messages_of(response) == [
        f"{paid_order}: This order is paid: it cannot be cancelled here."
    ]


def test_the_refund_action_refunds_only_paid_orders(admin_client, menu, paid_order):
    unpaid = submitted(menu)

    response = admin_client.post(
        "/admin/kiosk/order/",
        {"action": "refund_paid", "_selected_action": [unpaid.pk, paid_order.pk]},
        follow=True,
    )

    unpaid.refresh_from_db()
    paid_order.refresh_from_db()
    assert (unpaid.state, paid_order.state) == (
        OrderState.AWAITING_PAYMENT,
        OrderState.REFUNDED,
    )
    assert messages_of(response) == [
        f"{unpaid}: Only a paid order can be refunded.",
        "1 order recorded as refunded.",
    ]


def test_the_refund_action_needs_the_refund_permission(client, menu, paid_order):
    clerk = User.objects.create_user("clerk", password="clerk-password", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_order", "change_order"])
    )
    client.force_login(clerk)

    actions = client.get("/admin/kiosk/order/").context["action_form"]
    choices = [name for name, _label in actions.fields["action"].choices]

    assert "refund_paid" not in choices
    assert "mark_completed" in choices


def test_staff_write_a_kitchen_note_for_their_stores_categories(
    admin_client, menu, other
):
    form = {
        "store": menu.store.pk,
        "name_en": "No salt",
        "name_fr": "Sans sel",
        "position": 0,
        "is_active": "on",
    }

    refused = admin_client.post(
        "/admin/kiosk/kitchennote/add/",
        {**form, "categories": [other.product.category_id]},
    )
    added = admin_client.post(
        "/admin/kiosk/kitchennote/add/", {**form, "categories": [menu.mains.pk]}
    )

    assert refused.status_code == 200
    assert "Choose categories of the note" in unescape(refused.content.decode())
    assert added.status_code == 302
    note = KitchenNote.objects.get()
    assert list(note.categories.all()) == [menu.mains]
    assert admin_client.get("/admin/kiosk/kitchennote/").status_code == 200
