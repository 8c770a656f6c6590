"""The device websocket (`/ws/device/`): where hardware agents connect (a
kiosk's, or that of a printer of the store's own, such as a kitchen printer).

Agents are not browsers: this route is outside the Origin validator of the
page websockets, and a connection that carries an Origin (so a browser page
somewhere) is refused. The agent's first message carries its device token;
anything else, or nothing within a few seconds, closes the connection.

The consumer relays: scans to the kiosk's pages, print jobs to the agent,
reports to the services. It holds no business logic. A store's own device
has no kiosk: it prints, and its scans go nowhere.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from hardware import protocol
from hardware.broadcast import (
    device_group_name,
    kiosk_device_group_name,
    scan_fragment,
)
from hardware.models import Device
from hardware.services.devices import (
    AgentReport,
    device_connect,
    device_disconnect,
    device_for_token,
    device_status_update,
)
from hardware.services.print_jobs import (
    HOLD_RECHECK_SECONDS,
    print_job_claim,
    print_job_messages,
    print_job_record_result,
    print_jobs_held,
)
from kiosk.broadcast import kiosk_group_name

logger = logging.getLogger(__name__)


def _origin(scope: dict[str, Any]) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"origin":
            return bytes(value).decode("latin-1")
    return None


def _report(message: dict[str, Any]) -> AgentReport:
    scanner = message.get("scanner") or {}
    printer = message.get("printer") or {}
    if not isinstance(scanner, dict) or not isinstance(printer, dict):
        raise protocol.ProtocolError("scanner and printer must be objects")
    try:
        return AgentReport(
            scanner_state=protocol.text_field(scanner, "state"),
            scanner_detail=protocol.text_field(scanner, "detail"),
            printer_state=protocol.text_field(printer, "state"),
            printer_detail=protocol.text_field(printer, "detail"),
        )
    except ValueError as err:
        raise protocol.ProtocolError(str(err)) from err


def _is_code(code: str) -> bool:
    return 0 < len(code) <= protocol.MAX_CODE_CHARACTERS and code.isprintable()


class DeviceConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    device_id: int | None = None
    kiosk_id: int | None = None
    label = "not identified yet"
    groups: tuple[str, ...] = ()
    _held_recheck: asyncio.TimerHandle | None = None

    async def connect(self) -> None:
        origin = _origin(self.scope)
        if origin is not None:
            logger.warning(
                "device websocket refused: a browser page (Origin %s) tried to connect",
                origin,
            )
            await self.close(code=protocol.CLOSE_BROWSER_ORIGIN)
            return
        await self.accept()
        self._scans: deque[float] = deque()
        self._dropped_scans = 0
        self._hello_deadline = asyncio.get_running_loop().call_later(
            settings.HARDWARE_AGENT_HELLO_SECONDS, self._hello_expired
        )

    def _hello_expired(self) -> None:
        if self.device_id is None:
            logger.warning("device websocket closed: no device token sent in time")
            asyncio.ensure_future(self.close(code=protocol.CLOSE_TOKEN_REFUSED))

    async def disconnect(self, code: int) -> None:
        for timer in (getattr(self, "_hello_deadline", None), self._held_recheck):
            if timer is not None:
                timer.cancel()
        for group in self.groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.device_id is not None:
            await database_sync_to_async(device_disconnect)(
                device_id=self.device_id, channel_name=self.channel_name
            )
            logger.info(
                "hardware agent of %s disconnected (code %s)",
                self.label,
                code,
                extra=self._log_extra(),
            )

    def _log_extra(self) -> dict[str, int | None]:
        return {"kiosk": self.kiosk_id, "device": self.device_id}

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        try:
            message = protocol.message_decode(text_data)
            if self.device_id is None:
                await self._hello(message)
            else:
                await self._dispatch(message)
        except protocol.ProtocolError as err:
            logger.warning(
                "device websocket closed: %s (%s)",
                err,
                self.label,
                extra=self._log_extra(),
            )
            await self.close(code=protocol.CLOSE_BAD_MESSAGE)

    # --- authentication -------------------------------------------------------------

    async def _hello(self, message: dict[str, Any]) -> None:
        if message["type"] != protocol.HELLO:
            raise protocol.ProtocolError("the first message must be hello")
        self._hello_deadline.cancel()
        token = protocol.text_field(message, "token")
        device = await database_sync_to_async(device_for_token)(token)
        if device is None:
            client = self.scope.get("client") or ["an unknown address"]
            logger.warning(
                "device websocket refused: wrong device token from %s", client[0]
            )
            await self.close(code=protocol.CLOSE_TOKEN_REFUSED)
            return
        report = _report(message)
        agent = message.get("agent") or {}
        if not isinstance(agent, dict):
            raise protocol.ProtocolError("agent must be an object")
        await self._join(device)
        await database_sync_to_async(device_connect)(
            device=device,
            channel_name=self.channel_name,
            agent={key: str(value) for key, value in agent.items()},
            report=report,
        )
        await self.send(
            text_data=protocol.message_encode(
                protocol.WELCOME,
                kiosk=device.kiosk.code if device.kiosk is not None else "",
                device=str(device),
            )
        )
        logger.info(
            "hardware agent of %s connected: scanner %s, printer %s",
            self.label,
            report.scanner_state,
            report.printer_state,
            extra=self._log_extra(),
        )
        await self._send_jobs()

    async def _join(self, device: Device) -> None:
        self.device_id, self.kiosk_id = device.pk, device.kiosk_id
        self.label = (
            f"kiosk {device.kiosk.code}"
            if device.kiosk is not None
            else f"device {device.pk} ({device.name})"
        )
        own = device_group_name(device_id=device.pk)
        self.groups = (own,)
        if device.kiosk_id is not None:
            # A kiosk's receipts are sent for its kiosk, whichever its device.
            self.groups += (kiosk_device_group_name(kiosk_id=device.kiosk_id),)
        # One agent per device: an older connection with the same token goes.
        await self.channel_layer.group_send(
            own, {"type": "device.replaced", "channel": self.channel_name}
        )
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)

    # --- messages from the agent -------------------------------------------------------

    async def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == protocol.SCAN:
            await self._scan(protocol.text_field(message, "code", limit=10_000))
        elif kind == protocol.STATUS:
            is_recovered = await database_sync_to_async(device_status_update)(
                device_id=self.device_id, report=_report(message)
            )
            if is_recovered:
                await self._send_jobs()
        elif kind == protocol.JOB_CLAIM:
            job = protocol.job_field(message)
            is_granted = await database_sync_to_async(print_job_claim)(
                job_id=job, kiosk_id=self.kiosk_id, device_id=self.device_id
            )
            await self.send(
                text_data=protocol.message_encode(
                    protocol.JOB_CLAIM_ANSWER, job=job, is_granted=is_granted
                )
            )
        elif kind == protocol.JOB_RESULT:
            await database_sync_to_async(print_job_record_result)(
                job_id=protocol.job_field(message),
                kiosk_id=self.kiosk_id,
                device_id=self.device_id,
                outcome=protocol.text_field(message, "outcome"),
                reason=protocol.text_field(message, "reason"),
            )
        else:
            raise protocol.ProtocolError(f"unknown message type {kind!r}")

    def _allows_scan(self) -> bool:
        now = time.monotonic()
        while self._scans and now - self._scans[0] >= 1.0:
            self._scans.popleft()
        if len(self._scans) >= settings.HARDWARE_SCANS_PER_SECOND:
            self._dropped_scans += 1
            if self._dropped_scans == 1 or self._dropped_scans % 100 == 0:
                logger.warning(
                    "scans dropped: more than %d a second (%d so far, %s)",
                    settings.HARDWARE_SCANS_PER_SECOND,
                    self._dropped_scans,
                    self.label,
                    extra=self._log_extra(),
                )
            return False
        self._scans.append(now)
        return True

    async def _scan(self, code: str) -> None:
        if not _is_code(code):
            logger.warning(
                "scan refused: not a printable code of 1 to %d characters (%s)",
                protocol.MAX_CODE_CHARACTERS,
                self.label,
                extra=self._log_extra(),
            )
            return
        if not self._allows_scan():
            return
        if self.kiosk_id is None:
            logger.warning(
                "scan dropped: %s belongs to no kiosk",
                self.label,
                extra=self._log_extra(),
            )
            return
        await self.channel_layer.group_send(
            kiosk_group_name(kiosk_id=self.kiosk_id),
            {"type": "kiosk.html", "html": scan_fragment(code)},
        )

    # --- group messages ------------------------------------------------------------------

    async def _send_jobs(self) -> None:
        messages = await database_sync_to_async(print_job_messages)(
            kiosk_id=self.kiosk_id, device_id=self.device_id
        )
        for message in messages:
            await self.send(text_data=message)
        if await database_sync_to_async(print_jobs_held)(kiosk_id=self.kiosk_id):
            self._recheck_held()

    def _recheck_held(self) -> None:
        """A receipt waits for the loyalty programme's text: look again soon."""
        if self._held_recheck is not None:
            return

        def again() -> None:
            self._held_recheck = None
            asyncio.ensure_future(self._send_jobs())

        self._held_recheck = asyncio.get_running_loop().call_later(
            HOLD_RECHECK_SECONDS, again
        )

    async def device_send_jobs(self, event: dict[str, Any]) -> None:
        await self._send_jobs()

    async def device_replaced(self, event: dict[str, Any]) -> None:
        if event["channel"] != self.channel_name:
            logger.warning(
                "hardware agent of %s replaced by a newer connection",
                self.label,
                extra=self._log_extra(),
            )
            await self.close(code=protocol.CLOSE_REPLACED)

    async def device_close(self, event: dict[str, Any]) -> None:
        logger.warning(
            "hardware agent of %s disconnected: its token was rotated",
            self.label,
            extra=self._log_extra(),
        )
        await self.close(code=event["code"])
