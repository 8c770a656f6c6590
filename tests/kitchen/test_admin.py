from __future__ import annotations

import re

import pytest
from django.test import Client

from kitchen.models import Screen, Station
from kitchen.services.screens import screen_for_token
from tests.factories import CategoryFactory, StoreFactory

pytestmark = pytest.mark.django_db


def test_a_station_takes_only_its_store_categories(admin_client: Client, menu):
    elsewhere = CategoryFactory(store=StoreFactory())

    response = admin_client.post(
        "/admin/kitchen/station/add/",
        {
            "store": menu.store.pk,
            "name": "Grill",
            "categories": [menu.mains.pk, elsewhere.pk],
            "target_seconds": 300,
            "position": 0,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "Choose categories of the station&#x27;s own store." in response.text
    assert not Station.objects.exists()


def test_a_station_screen_needs_a_station_of_its_store(admin_client: Client, menu):
    other = Station.objects.create(store=StoreFactory(), name="Grill")

    response = admin_client.post(
        "/admin/kitchen/screen/add/",
        {"store": menu.store.pk, "kind": "station", "station": other.pk, "name": "X"},
    )

    assert response.status_code == 200
    assert "This station belongs to another store." in response.text
    assert not Screen.objects.exists()


def test_a_new_link_opens_the_screen_and_the_old_one_stops(admin_client: Client, menu):
    screen = Screen.objects.create(store=menu.store, kind="board", name="Board")

    def new_link() -> str:
        response = admin_client.post(
            "/admin/kitchen/screen/",
            {"action": "new_link", "_selected_action": [screen.pk]},
            follow=True,
        )
        [token] = re.findall(r"/kitchen/screen/(ks_[\w-]+)/", response.text)
        return str(token)

    first = new_link()
    second = new_link()

    assert screen_for_token(first) is None
    assert screen_for_token(second) == screen
