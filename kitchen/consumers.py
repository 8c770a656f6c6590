"""The kitchen screens' websocket: pushes to one station, an expo or a board."""

from __future__ import annotations

import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from kitchen.broadcast import board_group_name, expo_group_name, station_group_name
from kitchen.models import Screen, ScreenKind
from kitchen.rendering import screen_fragment
from kitchen.services.screens import screen_for_token

logger = logging.getLogger(__name__)

# Close code for a socket whose link is unknown (4000-4999: application).
CLOSE_UNKNOWN_SCREEN = 4404


def _group(screen: Screen) -> str:
    if screen.kind == ScreenKind.STATION and screen.station_id is not None:
        return station_group_name(station_id=screen.station_id)
    if screen.kind == ScreenKind.EXPO:
        return expo_group_name(store_id=screen.store_id)
    return board_group_name(store_id=screen.store_id)


class KitchenScreenConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """Joins the screen's group, then sends the screen its whole current state
    (a screen back from a lost connection catches up), and relays pushes."""

    group: str | None = None

    async def connect(self) -> None:
        token = self.scope["url_route"]["kwargs"]["token"]
        screen = await database_sync_to_async(screen_for_token)(token)
        if screen is None:
            logger.info("kitchen websocket refused: unknown screen link")
            await self.close(code=CLOSE_UNKNOWN_SCREEN)
            return
        self.group = _group(screen)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        html = await database_sync_to_async(screen_fragment)(screen=screen)
        await self.send(text_data=html)

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        # Screens act over HTTP; what they send here is ignored.
        return

    async def kitchen_html(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["html"])
