"""Fixtures of the kitchen's tests: the test menu's stations, and paid orders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from kiosk.models import ComboChoice, Order, PaymentChannel
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_confirm_payment, order_start
from kiosk.services.selections import LineSelection, SlotSelection
from kitchen.models import Station
from tests.factories import CategoryFactory


@dataclass
class Kitchen:
    grill: Station
    fryer: Station
    drinks: Station


@pytest.fixture
def kitchen(menu) -> Kitchen:
    """Burgers on the grill, sides at the fryer, the cola (moved to a drinks
    category) at the drinks station."""
    drinks_category = CategoryFactory(store=menu.store, name_en="Drinks", position=3)
    menu.cola.category = drinks_category
    menu.cola.save()
    grill = Station.objects.create(
        store=menu.store, name="Grill", target_seconds=300, position=0
    )
    grill.categories.add(menu.mains)
    fryer = Station.objects.create(store=menu.store, name="Fryer", position=1)
    fryer.categories.add(menu.fries.category)
    drinks = Station.objects.create(
        store=menu.store, name="Drinks", target_seconds=60, position=2
    )
    drinks.categories.add(drinks_category)
    return Kitchen(grill=grill, fryer=fryer, drinks=drinks)


def burger(menu, quantity: int = 1) -> LineSelection:
    return LineSelection(
        product_id=menu.burger.pk,
        quantity=quantity,
        option_ids={menu.cooking.pk: (menu.rare.pk,), menu.extras.pk: (menu.bacon.pk,)},
    )


def meal(menu, quantity: int = 1) -> LineSelection:
    def choice(slot, product) -> int:
        return ComboChoice.objects.get(slot=slot, product=product).pk

    return LineSelection(
        product_id=menu.combo.pk,
        quantity=quantity,
        slots={
            menu.main_slot.pk: SlotSelection(
                choice_id=choice(menu.main_slot, menu.burger),
                option_ids={menu.cooking.pk: (menu.well_done.pk,)},
            ),
            menu.side_slot.pk: SlotSelection(
                choice_id=choice(menu.side_slot, menu.fries)
            ),
            menu.drink_slot.pk: SlotSelection(
                choice_id=choice(menu.drink_slot, menu.cola)
            ),
        },
    )


def cola(menu, quantity: int = 1) -> LineSelection:
    return LineSelection(product_id=menu.cola.pk, quantity=quantity)


@pytest.fixture
def counter_order(menu) -> Callable[..., Order]:
    """An order of these selections, sent to be paid at the counter (not paid)."""

    def make(*selections: LineSelection) -> Order:
        order = order_start(kiosk=menu.kiosk, language="en")
        order.service_mode = "take_away"
        order.save()
        for selection in selections:
            cart_line_add(order=order, selection=selection)
        return order_checkout(order=order, method="counter").order

    return make


@pytest.fixture
def paid_order(counter_order) -> Callable[..., Order]:
    """An order of these selections, paid at the counter."""

    def make(*selections: LineSelection) -> Order:
        order = counter_order(*selections)
        return order_confirm_payment(order=order, channel=PaymentChannel.COUNTER)

    return make
