"""Orders paid by card on a kiosk terminal of its own (the simulator)."""

from __future__ import annotations

import pytest

from kiosk.models import KioskTerminal, Order
from kiosk.payments.simulator import SimulatedOutcome, SimulatedTerminal
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_start
from kiosk.services.payments import payment_refresh
from kiosk.services.selections import LineSelection


@pytest.fixture
def terminal(menu) -> KioskTerminal:
    terminal = KioskTerminal(kiosk=menu.kiosk, vendor="simulator", terminal_id="SIM-1")
    terminal.credentials = {"api_key": "very-secret-key"}
    terminal.save()
    return terminal


@pytest.fixture
def card_paid(menu, terminal) -> Order:
    """Fries (3.50) paid by card on the kiosk's simulated terminal."""
    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    order = order_checkout(order=order, method="card").order
    SimulatedTerminal().customer_action(
        attempt_key=order.payments.get().attempt_key, outcome=SimulatedOutcome.APPROVE
    )
    payment_refresh(order=order)
    order.refresh_from_db()
    return order
