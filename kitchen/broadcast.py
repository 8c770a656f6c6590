"""Pushes to the kitchen's screens through their Channels groups.

Call these from `transaction.on_commit`: a screen must never show a state
that was rolled back. Each push is the screen's whole live fragment.
"""

from __future__ import annotations

import logging
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import QuerySet

from kiosk.models import Store
from kitchen.models import KitchenOrder, Station
from kitchen.rendering import board_fragment, expo_fragment, station_fragment

logger = logging.getLogger(__name__)


def station_group_name(*, station_id: int) -> str:
    return f"kitchen.station.{station_id}"


def expo_group_name(*, store_id: int) -> str:
    return f"kitchen.expo.{store_id}"


def board_group_name(*, store_id: int) -> str:
    return f"kitchen.board.{store_id}"


def _send(group: str, html: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, {"type": "kitchen.html", "html": html})


def _stations_push(stations: QuerySet[Station]) -> None:
    for station in stations.select_related("store", "printer"):
        _send(
            station_group_name(station_id=station.pk),
            station_fragment(station=station),
        )


def kitchen_screens_push(*, store_id: int, station_ids: list[int]) -> None:
    """Send the stations, the store's expo view and its board their new state."""
    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        return
    _stations_push(Station.objects.filter(pk__in=set(station_ids)))
    _send(expo_group_name(store_id=store_id), expo_fragment(store=store))
    _send(board_group_name(store_id=store_id), board_fragment(store=store))


def printer_stations_push(*, device_id: int) -> None:
    """The stations printing on this device show its new state (paper out…)."""
    _stations_push(Station.objects.filter(printer_id=device_id, is_active=True))


def kitchen_order_push_after_commit(kitchen_order: KitchenOrder) -> None:
    """Once committed, push the screens showing this order."""
    station_ids = list(kitchen_order.tickets.values_list("station_id", flat=True))
    transaction.on_commit(
        partial(
            kitchen_screens_push,
            store_id=kitchen_order.store_id,
            station_ids=station_ids,
        )
    )
