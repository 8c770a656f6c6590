"""Fixtures of the service tests: a second store, and orders in given states."""

from __future__ import annotations

import pytest

from kiosk.models import (
    Order,
)
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.selections import LineSelection


@pytest.fixture
def fries_order(menu, draft_order):
    """A draft order (eat in) with one portion of fries: 3.50."""
    cart_line_add(order=draft_order, selection=LineSelection(product_id=menu.fries.pk))
    draft_order.refresh_from_db()
    return draft_order


@pytest.fixture
def counter_order(fries_order) -> Order:
    """Fries, submitted to be paid at the counter."""
    return order_checkout(order=fries_order, method="counter").order


@pytest.fixture
def card_order(fries_order) -> Order:
    """Fries, submitted to be paid by card: its terminal attempt is pending."""
    return order_checkout(order=fries_order, method="card").order
