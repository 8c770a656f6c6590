"""Pushes of the hardware app, through Channels groups.

To a kiosk's agent (group `device.<kiosk id>`): "send your waiting jobs" and
"close, your token was rotated". To the kiosk's pages (group `kiosk.<id>`): a
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


def device_group_name(*, kiosk_id: int) -> str:
    return f"device.{kiosk_id}"


def _device_send(kiosk_id: int, message: dict[str, object]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(device_group_name(kiosk_id=kiosk_id), message)


def print_jobs_dispatch(*, kiosk_id: int) -> None:
    """Ask the kiosk's agent, if one is connected, to take its waiting jobs.

    With no agent connected nobody hears it: the jobs wait, and go out when
    an agent connects.
    """
    _device_send(kiosk_id, {"type": "device.send_jobs"})


def device_close_broadcast(*, kiosk_id: int) -> None:
    _device_send(
        kiosk_id, {"type": "device.close", "code": protocol.CLOSE_TOKEN_ROTATED}
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
