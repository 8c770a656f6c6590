"""The page websocket: pushes to the pages shown on one kiosk."""

from __future__ import annotations

import logging
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from kiosk.broadcast import kiosk_group_name
from kiosk.devices import kiosk_id_from_device_cookie
from kiosk.models import Kiosk

logger = logging.getLogger(__name__)

# Close code for a socket that no provisioned kiosk owns (4000-4999: application).
CLOSE_UNPROVISIONED = 4403


class KioskConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """Joins the group of the kiosk named by the browser's device cookie and
    relays what is sent to it. It holds no business logic."""

    group: str | None = None

    async def connect(self) -> None:
        cookies: dict[str, str] = self.scope.get("cookies", {})
        ids = kiosk_id_from_device_cookie(cookies.get(settings.KIOSK_DEVICE_COOKIE))
        if ids is None or not await self._is_active(*ids):
            logger.info("page websocket refused: no provisioned kiosk")
            await self.close(code=CLOSE_UNPROVISIONED)
            return
        self.group = kiosk_group_name(kiosk_id=ids[0])
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def _is_active(self, kiosk_id: int, generation: int) -> bool:
        return await Kiosk.objects.filter(
            pk=kiosk_id, device_generation=generation, is_active=True
        ).aexists()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        # Pages only listen; anything they send is ignored.
        return

    async def kiosk_html(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["html"])
