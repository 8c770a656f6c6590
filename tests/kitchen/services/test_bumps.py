from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kiosk.models import ActorKind
from kiosk.services.orders import order_complete, order_refund
from kitchen.errors import KitchenError
from kitchen.models import BumpEvent, KitchenOrderState, TicketState
from kitchen.selectors import (
    all_day_counts,
    board_numbers,
    estimated_wait_seconds,
    station_open_tickets,
)
from kitchen.services.bumps import kitchen_order_mark_ready, ticket_bump, ticket_recall
from kitchen.services.lifecycle import kitchen_order_hand_over
from tests.kitchen.conftest import burger, cola, meal

pytestmark = pytest.mark.django_db


def _ticket(order, station):
    return order.kitchen_order.tickets.get(station=station)


def test_a_bump_sent_twice_counts_once(kitchen, paid_order, menu):
    order = paid_order(meal(menu))
    ticket = _ticket(order, kitchen.grill)

    ticket_bump(station=kitchen.grill, ticket_id=ticket.pk, bump_id="bump-0001")
    ticket_recall(station=kitchen.grill, bump_id="recall-0001")
    ticket_bump(station=kitchen.grill, ticket_id=ticket.pk, bump_id="bump-0001")

    ticket.refresh_from_db()
    # The repeated bump came after the recall: it must not bump the ticket again.
    assert ticket.state == TicketState.IN_PREPARATION
    assert BumpEvent.objects.filter(ticket=ticket).count() == 2


def test_the_order_is_ready_when_every_station_bumped_its_part(
    kitchen, paid_order, menu
):
    order = paid_order(burger(menu), cola(menu))
    grill, drinks = _ticket(order, kitchen.grill), _ticket(order, kitchen.drinks)

    ticket_bump(station=kitchen.grill, ticket_id=grill.pk, bump_id="bump-grill")
    order.kitchen_order.refresh_from_db()
    assert order.kitchen_order.state == KitchenOrderState.IN_PREPARATION
    assert board_numbers(store_id=menu.store.pk).preparing == [order.number]

    ticket_bump(station=kitchen.drinks, ticket_id=drinks.pk, bump_id="bump-drinks")

    order.kitchen_order.refresh_from_db()
    assert order.kitchen_order.state == KitchenOrderState.READY
    assert order.kitchen_order.ready_at is not None
    board = board_numbers(store_id=menu.store.pk)
    assert (board.preparing, board.ready, board.newest_ready) == (
        [],
        [order.number],
        order.number,
    )


def test_bumping_every_item_bumps_the_ticket(kitchen, paid_order, menu):
    order = paid_order(burger(menu), meal(menu))
    ticket = _ticket(order, kitchen.grill)
    first, second = ticket.items.all()

    ticket_bump(
        station=kitchen.grill, ticket_id=ticket.pk, item_id=first.pk, bump_id="item-1"
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PREPARATION
    assert all_day_counts(station_open_tickets(station=kitchen.grill)) == [
        ("Burger", 1)
    ]

    ticket_bump(
        station=kitchen.grill, ticket_id=ticket.pk, item_id=second.pk, bump_id="item-2"
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.READY
    assert station_open_tickets(station=kitchen.grill) == []


def test_all_day_counts_what_is_left_across_tickets(kitchen, paid_order, menu):
    paid_order(burger(menu, quantity=2))
    paid_order(meal(menu, quantity=3), cola(menu))

    tickets = station_open_tickets(station=kitchen.grill)
    assert all_day_counts(tickets) == [("Burger", 5)]
    assert all_day_counts(station_open_tickets(station=kitchen.drinks)) == [("Cola", 4)]


def test_recall_brings_back_the_last_bumped_ticket(kitchen, paid_order, menu):
    first = paid_order(burger(menu))
    second = paid_order(burger(menu))
    for index, order in enumerate([first, second]):
        ticket = _ticket(order, kitchen.grill)
        ticket_bump(
            station=kitchen.grill, ticket_id=ticket.pk, bump_id=f"bump-{index}x"
        )

    recalled = ticket_recall(station=kitchen.grill, bump_id="recall-1")

    assert recalled == _ticket(second, kitchen.grill)
    assert [
        t.kitchen_order.number for t in station_open_tickets(station=kitchen.grill)
    ] == [second.number]
    second.kitchen_order.refresh_from_db()
    assert (second.kitchen_order.state, second.kitchen_order.ready_at) == (
        KitchenOrderState.IN_PREPARATION,
        None,
    )
    assert recalled.items.filter(bumped_at__isnull=False).count() == 0


def test_nothing_to_recall_once_handed_over(kitchen, paid_order, menu):
    order = paid_order(burger(menu))
    ticket = _ticket(order, kitchen.grill)
    ticket_bump(station=kitchen.grill, ticket_id=ticket.pk, bump_id="bump-0001")
    order_complete(order=order, actor=ActorKind.STAFF)

    assert ticket_recall(station=kitchen.grill, bump_id="recall-0001") is None


def test_a_ticket_of_another_station_is_refused(kitchen, paid_order, menu):
    order = paid_order(burger(menu))
    ticket = _ticket(order, kitchen.grill)

    with pytest.raises(KitchenError):
        ticket_bump(station=kitchen.drinks, ticket_id=ticket.pk, bump_id="bump-0001")

    ticket.refresh_from_db()
    assert ticket.state == TicketState.NEW
    assert not BumpEvent.objects.exists()


def test_expo_ready_bumps_what_is_left(kitchen, paid_order, menu):
    order = paid_order(meal(menu))

    kitchen_order_mark_ready(kitchen_order=order.kitchen_order)

    order.kitchen_order.refresh_from_db()
    assert order.kitchen_order.state == KitchenOrderState.READY
    assert set(order.kitchen_order.tickets.values_list("state", flat=True)) == {
        TicketState.READY
    }


def test_handed_over_from_expo_completes_the_order(kitchen, paid_order, menu):
    order = paid_order(burger(menu))

    kitchen_order_hand_over(kitchen_order=order.kitchen_order)

    order.refresh_from_db()
    order.kitchen_order.refresh_from_db()
    assert (order.state, order.kitchen_order.state) == (
        "completed",
        KitchenOrderState.HANDED_OVER,
    )
    assert board_numbers(store_id=menu.store.pk).ready == []


def test_handed_over_at_the_counter_leaves_the_board(kitchen, paid_order, menu):
    order = paid_order(burger(menu))
    kitchen_order_mark_ready(kitchen_order=order.kitchen_order)

    order_complete(order=order, actor=ActorKind.STAFF)

    order.kitchen_order.refresh_from_db()
    assert order.kitchen_order.state == KitchenOrderState.HANDED_OVER
    assert order.kitchen_order.handed_over_at is not None
    assert board_numbers(store_id=menu.store.pk).ready == []


def test_a_refunded_order_is_void_and_leaves_the_screens(kitchen, paid_order, menu):
    order = paid_order(burger(menu), cola(menu))

    order_refund(order=order, actor=ActorKind.STAFF, reason="wrong order")

    order.kitchen_order.refresh_from_db()
    assert order.kitchen_order.state == KitchenOrderState.VOID
    assert set(order.kitchen_order.tickets.values_list("state", flat=True)) == {
        TicketState.VOID
    }
    assert station_open_tickets(station=kitchen.grill) == []
    board = board_numbers(store_id=menu.store.pk)
    assert (board.preparing, board.ready) == ([], [])
    with pytest.raises(KitchenError):
        kitchen_order_mark_ready(kitchen_order=order.kitchen_order)


def test_ready_numbers_leave_the_board_after_the_delay(
    kitchen, paid_order, menu, settings
):
    settings.KITCHEN_BOARD_READY_SECONDS = 60
    order = paid_order(burger(menu))
    kitchen_order_mark_ready(kitchen_order=order.kitchen_order)

    later = timezone.now() + timedelta(seconds=61)

    assert board_numbers(store_id=menu.store.pk, now=later).ready == []


def test_the_estimated_wait_follows_the_last_orders(kitchen, paid_order, menu):
    order = paid_order(burger(menu))
    kitchen_order = order.kitchen_order
    kitchen_order_mark_ready(kitchen_order=kitchen_order)
    kitchen_order.refresh_from_db()
    type(kitchen_order).objects.filter(pk=kitchen_order.pk).update(
        paid_at=kitchen_order.ready_at - timedelta(seconds=130)
    )

    assert (
        estimated_wait_seconds(store_id=menu.store.pk, station_ids=[kitchen.grill.pk])
        == 130
    )
    next_order = paid_order(cola(menu))
    next_order.refresh_from_db()
    assert next_order.estimated_wait_seconds == 130
