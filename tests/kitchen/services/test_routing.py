from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import transaction

from hardware.models import PrintJob
from hardware.services.devices import store_device_ensure
from kiosk.models import KitchenNote, PaymentChannel
from kiosk.services.orders import order_confirm_payment
from kiosk.services.selections import LineSelection
from kitchen.models import KitchenOrder, KitchenOrderState, Station, TicketState
from tests.kitchen.conftest import burger, cola, meal

pytestmark = pytest.mark.django_db


def _items(order, station):
    ticket = order.kitchen_order.tickets.get(station=station)
    return [
        (item.group, item.quantity, item.name, item.modifiers)
        for item in ticket.items.all()
    ]


def test_each_station_gets_only_its_items(kitchen, paid_order, menu):
    order = paid_order(burger(menu, quantity=2), cola(menu))

    assert _items(order, kitchen.grill) == [("", 2, "Burger", ["Rare", "Bacon"])]
    assert _items(order, kitchen.drinks) == [("", 1, "Cola", [])]
    assert not order.kitchen_order.tickets.filter(station=kitchen.fryer).exists()


def test_combo_items_are_routed_apart_and_grouped_under_the_combo(
    kitchen, paid_order, menu
):
    order = paid_order(meal(menu, quantity=2))

    assert _items(order, kitchen.grill) == [("Burger meal", 2, "Burger", ["Well done"])]
    assert _items(order, kitchen.fryer) == [("Burger meal", 2, "Fries", [])]
    assert _items(order, kitchen.drinks) == [("Burger meal", 2, "Cola", [])]


def test_a_category_may_go_to_several_stations(kitchen, paid_order, menu):
    expo_grill = Station.objects.create(store=menu.store, name="Second grill")
    expo_grill.categories.add(menu.mains)

    order = paid_order(burger(menu))

    assert _items(order, expo_grill) == [("", 1, "Burger", ["Rare", "Bacon"])]
    assert _items(order, kitchen.grill) == [("", 1, "Burger", ["Rare", "Bacon"])]


def test_items_no_station_takes_go_to_the_catch_all_station(kitchen, paid_order, menu):
    kitchen.drinks.categories.clear()
    kitchen.drinks.takes_unrouted = True
    kitchen.drinks.save()

    order = paid_order(cola(menu))

    assert _items(order, kitchen.drinks) == [("", 1, "Cola", [])]


def test_a_counter_order_reaches_the_kitchen_only_once_paid(
    kitchen, counter_order, menu
):
    order = counter_order(burger(menu))
    assert not KitchenOrder.objects.exists()

    order_confirm_payment(order=order, channel=PaymentChannel.COUNTER)
    order_confirm_payment(order=order, channel=PaymentChannel.COUNTER)

    kitchen_order = KitchenOrder.objects.get()
    assert (kitchen_order.number, kitchen_order.state, kitchen_order.service_mode) == (
        order.number,
        KitchenOrderState.IN_PREPARATION,
        "take_away",
    )
    assert list(kitchen_order.tickets.values_list("station__name", "state")) == [
        ("Grill", TicketState.NEW)
    ]


def test_a_store_without_stations_has_no_kitchen(menu, paid_order):
    order = paid_order(burger(menu))

    assert not KitchenOrder.objects.exists()
    order.refresh_from_db()
    assert order.estimated_wait_seconds is None


def test_the_estimated_wait_is_the_longest_target_before_any_order_is_ready(
    kitchen, paid_order, menu
):
    order = paid_order(burger(menu), cola(menu))

    order.refresh_from_db()
    assert order.estimated_wait_seconds == 300


def test_a_failed_payment_transaction_leaves_no_ticket(kitchen, counter_order, menu):
    order = counter_order(burger(menu))

    def pay_then_fail() -> None:
        with transaction.atomic():
            order_confirm_payment(order=order, channel=PaymentChannel.COUNTER)
            raise RuntimeError("the commit fails")

    with pytest.raises(RuntimeError):
        pay_then_fail()

    assert not KitchenOrder.objects.exists()


def _noted(selection: LineSelection, *notes: KitchenNote) -> LineSelection:
    return replace(selection, note_ids=tuple(note.pk for note in notes))


def test_the_customers_notes_reach_the_station_and_its_ticket(
    kitchen, paid_order, menu
):
    salt = KitchenNote.objects.create(store=menu.store, name_en="No salt")
    cut = KitchenNote.objects.create(store=menu.store, name_en="Cut in half")
    printer = store_device_ensure(store=menu.store, name="Kitchen printer")
    Station.objects.filter(pk=kitchen.grill.pk).update(printer=printer)

    order = paid_order(_noted(burger(menu), salt, cut), cola(menu))

    [item] = order.kitchen_order.tickets.get(station=kitchen.grill).items.all()
    assert item.note == "No salt · Cut in half"
    [drink] = order.kitchen_order.tickets.get(station=kitchen.drinks).items.all()
    assert drink.note == ""
    ticket = PrintJob.objects.get(kind="document").document
    assert ticket is not None
    assert "No salt · Cut in half" in [line["name"] for line in ticket["lines"]]


def test_a_meals_notes_go_with_each_of_its_parts(kitchen, paid_order, menu):
    salt = KitchenNote.objects.create(store=menu.store, name_en="No salt")

    order = paid_order(_noted(meal(menu), salt))

    notes = {
        ticket.station.name: [item.note for item in ticket.items.all()]
        for ticket in order.kitchen_order.tickets.all()
    }
    assert notes == {"Grill": ["No salt"], "Fryer": ["No salt"], "Drinks": ["No salt"]}
