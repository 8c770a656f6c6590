"""Pushes to the pages shown on a kiosk, through its Channels group.

Call these from `transaction.on_commit`: a page must never show a state that
was rolled back.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
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
    orders_status_broadcast(order_ids=[order_id])


def orders_status_broadcast(*, order_ids: list[int]) -> None:
    """`order_status_broadcast` for several orders: one query, one trip to the
    channel layer (the loyalty worker's batch of postings)."""
    layer = get_channel_layer()
    orders = Order.objects.select_related("store").filter(
        pk__in=order_ids, kiosk__isnull=False
    )
    messages: list[tuple[str, str]] = []
    for order in orders:
        with translation.override(order.language):
            html = render_to_string(
                "kiosk/partials/_order_status.html", {"order": order, "is_push": True}
            )
        assert order.kiosk_id is not None  # filtered above
        messages.append((kiosk_group_name(kiosk_id=order.kiosk_id), html))
        logger.info(
            "order status pushed", extra={"order": order.uuid.hex, "state": order.state}
        )
    if layer is not None and messages:
        async_to_sync(_group_send_all)(layer, messages)


async def _group_send_all(
    layer: BaseChannelLayer, messages: list[tuple[str, str]]
) -> None:
    for group, html in messages:
        await layer.group_send(group, {"type": "kiosk.html", "html": html})
