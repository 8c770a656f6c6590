"""Fixtures of the view tests: a customer part-way through an order, and staff."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from kiosk.customer_session import ORDER_KEY
from kiosk.models import (
    Order,
)


def session_order(client: Client) -> Order:
    """The order the browser's session points at."""
    return Order.objects.get(uuid=client.session[ORDER_KEY])


@pytest.fixture
def ordering(menu, kiosk_client):
    """A customer who touched "start" and chose to eat in: the menu is showing."""
    kiosk_client.post("/start/")
    kiosk_client.post("/mode/", {"mode": "eat_in"})
    return kiosk_client


@pytest.fixture
def with_fries(menu, ordering):
    """The customer has one portion of fries (3.50) in the cart."""
    ordering.post(f"/product/{menu.fries.pk}/add/", {"quantity": "1"})
    return ordering


@pytest.fixture
def cashier(db) -> User:
    user = User.objects.create_user("cashier", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="confirm_counter_payment")
    )
    return user


@pytest.fixture
def cashier_client(cashier) -> Client:
    client = Client()
    client.force_login(cashier)
    return client
