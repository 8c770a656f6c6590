"""Pushes to the pages shown on a kiosk, through its Channels group.

Call these from `transaction.on_commit`: a page must never show a state that
was rolled back.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.template.loader import render_to_string
from django.utils import translation

from kiosk.models import Order

logger = logging.getLogger(__name__)


def kiosk_group_name(*, kiosk_id: int) -> str:
    return f"kiosk.{kiosk_id}"


def kiosk_send_html(*, kiosk_id: int, html: str) -> None:
    """Send an HTML fragment to every page of the kiosk; htmx swaps it by id."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(
        kiosk_group_name(kiosk_id=kiosk_id), {"type": "kiosk.html", "html": html}
    )


def order_status_broadcast(*, order_id: int) -> None:
    """Show the order's new state on its kiosk's confirmation screen, if still there."""
    order = Order.objects.select_related("store").filter(pk=order_id).first()
    if order is None or order.kiosk_id is None:
        return
    with translation.override(order.language):
        html = render_to_string(
            "kiosk/partials/_order_status.html", {"order": order, "is_push": True}
        )
    kiosk_send_html(kiosk_id=order.kiosk_id, html=html)
    logger.info(
        "order status pushed", extra={"order": order.uuid.hex, "state": order.state}
    )
