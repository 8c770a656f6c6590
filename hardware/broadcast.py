"""Pushes of the hardware app, through Channels groups.

To a device's agent (group `device.<device id>`, and for a kiosk's device
also `device.kiosk.<kiosk id>`, so a kiosk's receipts need no lookup): "send
your waiting jobs" and "close, your token was rotated". To the kiosk's pages (group `kiosk.<id>`): a
scanned code, and the state of an order's receipt. Call them from
`transaction.on_commit`: an agent must never print a job that was rolled back.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.template.loader import render_to_string
from django.utils import translation

from hardware import protocol
from kiosk.broadcast import kiosk_send_html
from kiosk.models import Order

logger = logging.getLogger(__name__)

SCAN_TEMPLATE = "hardware/partials/_scan_event.html"
RECEIPT_STATUS_TEMPLATE = "hardware/partials/_receipt_status.html"


def device_group_name(*, device_id: int) -> str:
    return f"device.{device_id}"


def kiosk_device_group_name(*, kiosk_id: int) -> str:
    return f"device.kiosk.{kiosk_id}"


def _group_send(group: str, message: dict[str, object]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, message)


def print_jobs_dispatch(
    *, kiosk_id: int | None = None, device_id: int | None = None
) -> None:
    """Ask the agent of the device (or of the kiosk's device), if one is
    connected, to take its waiting jobs.

    With no agent connected nobody hears it: the jobs wait, and go out when
    an agent connects.
    """
    message: dict[str, object] = {"type": "device.send_jobs"}
    if device_id is not None:
        _group_send(device_group_name(device_id=device_id), message)
    elif kiosk_id is not None:
        _group_send(kiosk_device_group_name(kiosk_id=kiosk_id), message)


def device_close_broadcast(*, device_id: int) -> None:
    _group_send(
        device_group_name(device_id=device_id),
        {"type": "device.close", "code": protocol.CLOSE_TOKEN_ROTATED},
    )


def scan_fragment(code: str) -> str:
    """The element that makes the page post the code to the scan view (base.html)."""
    return render_to_string(SCAN_TEMPLATE, {"code": code})


def scan_broadcast(*, kiosk_id: int, code: str) -> None:
    kiosk_send_html(kiosk_id=kiosk_id, html=scan_fragment(code))


def receipt_status_broadcast(*, order_id: int) -> None:
    """Show what became of the order's receipt on its kiosk's confirmation screen."""
    from hardware.selectors import receipt_status_for_order

    order = Order.objects.filter(pk=order_id).first()
    if order is None or order.kiosk_id is None:
        return
    status = receipt_status_for_order(order)
    with translation.override(order.language):
        html = render_to_string(
            RECEIPT_STATUS_TEMPLATE, {"status": status, "is_push": True}
        )
    kiosk_send_html(kiosk_id=order.kiosk_id, html=html)
