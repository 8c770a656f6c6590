from __future__ import annotations

from datetime import UTC, datetime, time

from django.utils import translation

from kiosk.models import ComboChoice, Kiosk, Order, Store
from kiosk.selectors import (
    awaiting_counter_orders,
    cart_view,
    menu_for_store,
    order_for_kiosk,
    paid_orders_to_hand_over,
)
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_cancel, order_confirm_payment, order_start
from kiosk.services.selections import LineSelection, SlotSelection
from tests.factories import CategoryFactory, ProductFactory

NOON = datetime(2025, 3, 10, 11, 0, tzinfo=UTC)  # 12:00 in Paris


def menu_names(menu, now=NOON) -> list[tuple[str, list[str]]]:
    return [
        (entry.category.name, [product.name for product in entry.products])
        for entry in menu_for_store(store=menu.store, now=now)
    ]


def meal_selection(menu, quantity) -> LineSelection:
    def choice(slot, product):
        return ComboChoice.objects.get(slot=slot, product=product).pk

    return LineSelection(
        product_id=menu.combo.pk,
        quantity=quantity,
        slots={
            menu.main_slot.pk: SlotSelection(
                choice_id=choice(menu.main_slot, menu.burger),
                option_ids={menu.cooking.pk: (menu.rare.pk,)},
            ),
            menu.side_slot.pk: SlotSelection(
                choice_id=choice(menu.side_slot, menu.fries)
            ),
            menu.drink_slot.pk: SlotSelection(
                choice_id=choice(menu.drink_slot, menu.cola)
            ),
        },
    )


def counter_order(menu, kiosk=None) -> Order:
    order = order_start(kiosk=kiosk or menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    return order_checkout(order=order, method="counter").order


def test_the_menu_lists_open_categories_in_position_order(menu):
    assert menu_names(menu) == [
        ("Meals", ["Burger meal"]),
        ("Burgers", ["Burger"]),
        ("Sides", ["Fries", "Large fries", "Cola"]),
    ]


def test_the_menu_keeps_sold_out_products_and_drops_hidden_ones(menu):
    menu.fries.is_available = False
    menu.fries.save()
    menu.large_fries.is_active = False
    menu.large_fries.save()

    assert menu_names(menu)[2] == ("Sides", ["Fries", "Cola"])


def test_the_menu_drops_a_category_outside_its_window_in_store_time(menu):
    menu.mains.available_from = time(11, 30)
    menu.mains.available_until = time(14, 0)
    menu.mains.save()

    at_eleven_utc = menu_names(menu, now=NOON)  # 12:00 in Paris
    at_ten_utc = menu_names(menu, now=datetime(2025, 3, 10, 10, 0, tzinfo=UTC))

    assert [name for name, _products in at_eleven_utc] == ["Meals", "Burgers", "Sides"]
    assert [name for name, _products in at_ten_utc] == ["Meals", "Sides"]


def test_the_menu_drops_hidden_and_empty_categories(menu):
    menu.mains.is_active = False
    menu.mains.save()
    CategoryFactory(store=menu.store, name_en="Desserts", position=3)

    assert [name for name, _products in menu_names(menu)] == ["Meals", "Sides"]


def test_the_menu_shows_products_in_position_order(menu):
    ProductFactory(
        store=menu.store,
        category=menu.mains,
        tax_rate=menu.food,
        name_en="Veggie burger",
        position=0,
    )
    menu.burger.position = 1
    menu.burger.save()

    assert menu_names(menu)[1] == ("Burgers", ["Veggie burger", "Burger"])


def test_the_menu_of_a_store_shows_only_its_products(menu):
    ProductFactory(name_en="Pizza")

    names = [product for _name, products in menu_names(menu) for product in products]

    assert names == ["Burger meal", "Burger", "Fries", "Large fries", "Cola"]


def test_the_menu_uses_the_active_language(menu):
    with translation.override("fr"):
        names = menu_names(menu)

    assert names[0] == ("Menus", ["Menu burger"])


def test_order_for_kiosk_finds_the_order_of_the_session(menu, draft_order):
    assert order_for_kiosk(kiosk=menu.kiosk, order_uuid=str(draft_order.uuid)) == (
        draft_order
    )


def test_order_for_kiosk_ignores_an_order_of_another_kiosk(menu, draft_order):
    elsewhere = Kiosk.objects.create(store=menu.store, name="K2", code="k2")

    assert order_for_kiosk(kiosk=elsewhere, order_uuid=str(draft_order.uuid)) is None


def test_order_for_kiosk_ignores_a_cancelled_order(menu, draft_order):
    order_cancel(order=draft_order, actor="customer")

    assert order_for_kiosk(kiosk=menu.kiosk, order_uuid=str(draft_order.uuid)) is None


def test_order_for_kiosk_ignores_a_malformed_id(menu, draft_order):
    assert order_for_kiosk(kiosk=menu.kiosk, order_uuid="not-a-uuid") is None


def test_order_for_kiosk_without_an_id_is_none(menu, draft_order):
    assert order_for_kiosk(kiosk=menu.kiosk, order_uuid=None) is None


def test_cart_view_counts_items_and_totals(menu, draft_order):
    cart_line_add(
        order=draft_order,
        selection=LineSelection(product_id=menu.fries.pk, quantity=2),
    )
    cart_line_add(order=draft_order, selection=meal_selection(menu, quantity=3))
    draft_order.refresh_from_db()

    cart = cart_view(draft_order)

    assert (cart.item_count, cart.is_empty) == (5, False)
    assert (cart.totals.total, cart.totals.tax_total) == (4450, 405)


def test_cart_view_of_an_empty_order_is_empty(menu, draft_order):
    cart = cart_view(draft_order)

    assert (cart.item_count, cart.is_empty, cart.totals.total, cart.totals.taxes) == (
        0,
        True,
        0,
        [],
    )


def test_a_line_tree_counts_the_units_of_each_line(menu, draft_order):
    cart_line_add(order=draft_order, selection=meal_selection(menu, quantity=3))

    tree = cart_view(draft_order).trees[0]

    assert [(line.name, units) for line, units in tree.walk()] == [
        ("Burger meal", 3),
        ("Burger", 3),
        ("Rare", 3),
        ("Fries", 3),
        ("Cola", 3),
    ]


def test_awaiting_counter_orders_lists_the_stores_unpaid_orders_in_order(menu):
    first = counter_order(menu)
    second = counter_order(menu)
    order_start(kiosk=menu.kiosk, language="en")  # a draft: not listed
    paid = counter_order(menu)
    order_confirm_payment(order=paid, channel="counter")

    assert list(awaiting_counter_orders(store=menu.store)) == [first, second]


def test_awaiting_counter_orders_leaves_out_other_stores(menu):
    counter_order(menu)
    other_store = Store.objects.create(name="Other", slug="other")

    assert list(awaiting_counter_orders(store=other_store)) == []


def test_paid_orders_to_hand_over_lists_paid_orders_only(menu):
    counter_order(menu)
    paid = counter_order(menu)
    order_confirm_payment(order=paid, channel="counter")

    assert list(paid_orders_to_hand_over(store=menu.store)) == [paid]
