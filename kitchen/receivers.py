"""The kitchen's answers to the kiosk's order signals (`kiosk.signals`) and
to the hardware's (`hardware.signals`).

The order signals run inside the kiosk's transaction: the kitchen's rows are
written with the order's change. A printer's new state comes after its
commit, and goes to the screens of the stations printing on it. Business
logic stays in `kitchen.services`.
"""

from __future__ import annotations

from typing import Any

from hardware.signals import printer_state_changed
from kiosk.models import Order
from kiosk.signals import order_handed_over, order_paid, order_voided
from kitchen.broadcast import printer_stations_push
from kitchen.services.lifecycle import kitchen_order_handed_over, kitchen_order_void
from kitchen.services.routing import kitchen_order_create


def _on_paid(sender: object, *, order: Order, **kwargs: Any) -> None:
    kitchen_order_create(order=order)


def _on_voided(sender: object, *, order: Order, **kwargs: Any) -> None:
    kitchen_order_void(order=order)


def _on_handed_over(sender: object, *, order: Order, **kwargs: Any) -> None:
    kitchen_order_handed_over(order=order)


def _on_printer_state(sender: object, *, device_id: int, **kwargs: Any) -> None:
    printer_stations_push(device_id=device_id)


def connect() -> None:
    order_paid.connect(_on_paid, dispatch_uid="kitchen.order_paid")
    order_voided.connect(_on_voided, dispatch_uid="kitchen.order_voided")
    order_handed_over.connect(_on_handed_over, dispatch_uid="kitchen.order_handed_over")
    printer_state_changed.connect(
        _on_printer_state, dispatch_uid="kitchen.printer_state_changed"
    )
