from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.test import Client

from kitchen.models import BumpEvent, KitchenOrderState, Screen, TicketState
from kitchen.services.screens import screen_token_rotate
from tests.kitchen.conftest import burger, cola

pytestmark = pytest.mark.django_db


def _token(store, kind, station=None) -> str:
    screen = Screen.objects.create(store=store, kind=kind, station=station, name=kind)
    return screen_token_rotate(screen=screen)


def test_a_station_screen_shows_its_items_only(
    client: Client, kitchen, paid_order, menu
):
    order = paid_order(burger(menu), cola(menu))
    token = _token(menu.store, "station", kitchen.drinks)

    response = client.get(f"/kitchen/screen/{token}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="ticket-{order.number}"' in body
    assert "Cola" in body
    assert "Burger" not in body


def test_an_unknown_link_is_not_found(client: Client, kitchen):
    assert client.get("/kitchen/screen/ks_nothing/").status_code == 404


def test_a_bump_posted_twice_counts_once(client: Client, kitchen, paid_order, menu):
    order = paid_order(burger(menu))
    ticket = order.kitchen_order.tickets.get()
    token = _token(menu.store, "station", kitchen.grill)
    form = {"action": "ticket", "ticket": ticket.pk, "bump_id": "tap-12345678"}

    first = client.post(f"/kitchen/screen/{token}/bump/", form)
    second = client.post(f"/kitchen/screen/{token}/bump/", form)

    assert (first.status_code, second.status_code) == (200, 200)
    assert f'id="ticket-{order.number}"' not in first.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.READY
    assert BumpEvent.objects.count() == 1


@pytest.mark.parametrize(
    "form",
    [
        {"action": "ticket", "bump_id": "tap-12345678"},
        {"action": "item", "ticket": 1, "bump_id": "tap-12345678"},
        {"action": "explode", "ticket": 1, "bump_id": "tap-12345678"},
        {"action": "ticket", "ticket": 1, "bump_id": "<script>"},
        {"action": "ticket", "ticket": "x", "bump_id": "tap-12345678"},
    ],
)
def test_a_malformed_bump_is_refused_with_a_clear_error(
    client: Client, kitchen, menu, form
):
    token = _token(menu.store, "station", kitchen.grill)

    response = client.post(f"/kitchen/screen/{token}/bump/", form)

    assert response.status_code == 400
    assert not BumpEvent.objects.exists()


def test_a_ticket_of_another_station_is_refused(
    client: Client, kitchen, paid_order, menu
):
    order = paid_order(burger(menu))
    ticket = order.kitchen_order.tickets.get()
    token = _token(menu.store, "station", kitchen.drinks)

    response = client.post(
        f"/kitchen/screen/{token}/bump/",
        {"action": "ticket", "ticket": ticket.pk, "bump_id": "tap-12345678"},
    )

    assert response.status_code == 409
    assert unquote(response["X-Kitchen-Message"]) == (
        "This ticket is not on this station."
    )


def test_a_refusal_in_french_reaches_the_screen(
    client: Client, kitchen, paid_order, menu
):
    order = paid_order(burger(menu))
    ticket = order.kitchen_order.tickets.get()
    token = _token(menu.store, "station", kitchen.drinks)

    response = client.post(
        f"/kitchen/screen/{token}/bump/",
        {"action": "ticket", "ticket": ticket.pk, "bump_id": "tap-12345678"},
        headers={"accept-language": "fr"},
    )

    assert response.status_code == 409
    assert unquote(response["X-Kitchen-Message"]) == "Ce bon n’est pas sur ce poste."


def test_expo_marks_ready_then_hands_over(client: Client, kitchen, paid_order, menu):
    order = paid_order(burger(menu), cola(menu))
    token = _token(menu.store, "expo")
    base = f"/kitchen/screen/{token}/orders/{order.kitchen_order.pk}"

    page = client.get(f"/kitchen/screen/{token}/").content.decode()
    assert f'id="expo-order-{order.number}"' in page
    assert 'data-target="300" data-warn="150"' in page
    assert "Grill: New" in page

    assert client.post(f"{base}/ready/").status_code == 200
    order.kitchen_order.refresh_from_db()
    assert order.kitchen_order.state == KitchenOrderState.READY

    assert client.post(f"{base}/handed-over/").status_code == 200
    order.refresh_from_db()
    assert order.state == "completed"
    assert client.post(f"{base}/explode/").status_code == 404


def test_an_expo_action_on_a_station_link_is_not_found(
    client: Client, kitchen, paid_order, menu
):
    order = paid_order(burger(menu))
    token = _token(menu.store, "station", kitchen.grill)

    response = client.post(
        f"/kitchen/screen/{token}/orders/{order.kitchen_order.pk}/ready/"
    )

    assert response.status_code == 404


def test_the_board_shows_numbers_being_prepared(
    client: Client, kitchen, paid_order, menu
):
    order = paid_order(burger(menu))
    token = _token(menu.store, "board")

    fragment = client.get(f"/kitchen/screen/{token}/?fragment=1").content.decode()

    assert fragment.strip().startswith('<div id="kitchen-live" class="board"')
    assert f"<li>{order.number}</li>" in fragment


def test_the_preparation_report_lists_products_and_hours(
    admin_client: Client, kitchen, paid_order, menu
):
    order = paid_order(burger(menu))
    ticket = order.kitchen_order.tickets.get()
    token = _token(menu.store, "station", kitchen.grill)
    Client().post(
        f"/kitchen/screen/{token}/bump/",
        {"action": "ticket", "ticket": ticket.pk, "bump_id": "tap-12345678"},
    )

    response = admin_client.get(
        f"/admin/kitchen/station/preparation-times/?store={menu.store.pk}&days=1"
    )

    assert response.status_code == 200
    per_product = response.context["per_product"]
    assert [(row.label, row.count) for row in per_product] == [("Burger", 1)]
    assert len(response.context["per_hour"]) == 1
