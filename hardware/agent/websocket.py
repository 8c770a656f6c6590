"""A small websocket client (RFC 6455) on asyncio streams, for the agent.

The agent needs little: text messages both ways, pings to notice a dead
server, and the close code the server gives when it refuses the agent. That
fits in one module with every deadline in our hands, rather than a new
dependency on each kiosk device.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
import ssl
import struct
from urllib.parse import urlsplit

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE_BYTES = 1 << 20
HANDSHAKE_LIMIT_BYTES = 16 * 1024

OPCODE_CONTINUATION = 0x0
OPCODE_TEXT = 0x1
OPCODE_BINARY = 0x2
OPCODE_CLOSE = 0x8
OPCODE_PING = 0x9
OPCODE_PONG = 0xA


class WebSocketError(Exception):
    pass


class HandshakeRefused(WebSocketError):
    """The server answered the upgrade request with something other than 101."""

    def __init__(self, status: int) -> None:
        super().__init__(f"the server refused the websocket (HTTP {status})")
        self.status = status


class ConnectionClosed(WebSocketError):
    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(f"connection closed ({code}{': ' + reason if reason else ''})")
        self.code = code
        self.reason = reason


def _mask(payload: bytes, key: bytes) -> bytes:
    if not payload:
        return payload
    repeated = (key * (len(payload) // 4 + 1))[: len(payload)]
    masked = int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")
    return masked.to_bytes(len(payload), "big")


def _frame(opcode: int, payload: bytes) -> bytes:
    """A final, masked frame (clients must mask)."""
    key = os.urandom(4)
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    return header + key + _mask(payload, key)


class WebSocket:
    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.reader = reader
        self.writer = writer
        self._send_lock = asyncio.Lock()
        self.is_closed = False
        # When the server was last heard from: pongs count, so a silent dead
        # server can be told from a quiet live one.
        self.last_heard_at = asyncio.get_running_loop().time()

    async def _send_frame(self, opcode: int, payload: bytes) -> None:
        if self.is_closed:
            raise ConnectionClosed(1006, "already closed")
        async with self._send_lock:
            try:
                self.writer.write(_frame(opcode, payload))
                await self.writer.drain()
            except (ConnectionError, OSError) as err:
                self.is_closed = True
                raise ConnectionClosed(1006, str(err)) from err

    async def send(self, text: str) -> None:
        await self._send_frame(OPCODE_TEXT, text.encode())

    async def ping(self) -> None:
        await self._send_frame(OPCODE_PING, b"")

    async def _read_frame(self) -> tuple[bool, int, bytes]:
        try:
            first, second = await self.reader.readexactly(2)
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await self.reader.readexactly(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
            if length > MAX_MESSAGE_BYTES:
                raise WebSocketError("message too large")
            key = await self.reader.readexactly(4) if second & 0x80 else b""
            payload = await self.reader.readexactly(length)
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as err:
            self.is_closed = True
            raise ConnectionClosed(1006, "connection lost") from err
        if key:
            payload = _mask(payload, key)
        self.last_heard_at = asyncio.get_running_loop().time()
        return bool(first & 0x80), first & 0x0F, payload

    async def receive(self) -> str:
        """The next text message; answers pings and closes on its way."""
        parts: list[bytes] = []
        while True:
            is_final, opcode, payload = await self._read_frame()
            if opcode == OPCODE_PING:
                await self._send_frame(OPCODE_PONG, payload)
                continue
            if opcode == OPCODE_PONG:
                continue
            if opcode == OPCODE_CLOSE:
                await self._closed_by_server(payload)
            if opcode in (OPCODE_TEXT, OPCODE_BINARY, OPCODE_CONTINUATION):
                parts.append(payload)
                if sum(len(part) for part in parts) > MAX_MESSAGE_BYTES:
                    raise WebSocketError("message too large")
                if is_final:
                    return b"".join(parts).decode("utf-8", errors="replace")

    async def _closed_by_server(self, payload: bytes) -> None:
        code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
        reason = payload[2:].decode("utf-8", errors="replace")
        with contextlib.suppress(ConnectionClosed):
            await self._send_frame(OPCODE_CLOSE, payload[:2])
        await self._shutdown()
        raise ConnectionClosed(code, reason)

    async def close(self, code: int = 1000) -> None:
        if not self.is_closed:
            with contextlib.suppress(ConnectionClosed):
                await self._send_frame(OPCODE_CLOSE, struct.pack("!H", code))
        await self._shutdown()

    async def _shutdown(self) -> None:
        self.is_closed = True
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()


async def _read_response_head(
    reader: asyncio.StreamReader,
) -> tuple[int, dict[str, str]]:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as err:
        raise WebSocketError("no valid HTTP answer to the upgrade") from err
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ", 2)[1])
    except (IndexError, ValueError) as err:
        raise WebSocketError(f"invalid status line: {lines[0]!r}") from err
    headers = {}
    for line in lines[1:]:
        name, _sep, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def connect(
    url: str, *, timeout: float = 5.0, headers: dict[str, str] | None = None
) -> WebSocket:
    """Open a websocket to `url` (ws:// or wss://); raises OSError or WebSocketError.

    The agent sends no Origin: it is no browser, and the server refuses
    device connections that carry one.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise WebSocketError(f"not a websocket URL: {url!r}")
    is_secure = parts.scheme == "wss"
    port = parts.port or (443 if is_secure else 80)
    context = ssl.create_default_context() if is_secure else None
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(
            parts.hostname, port, ssl=context, limit=HANDSHAKE_LIMIT_BYTES
        ),
        timeout,
    )
    key = base64.b64encode(os.urandom(16)).decode()
    host = parts.netloc.rpartition("@")[2]
    request = (
        f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Upgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n"
        "User-Agent: open-kiosk-hardware-agent\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        + "\r\n"
    )
    try:
        writer.write(request.encode())
        await writer.drain()
        status, answer = await asyncio.wait_for(_read_response_head(reader), timeout)
        if status != 101:
            raise HandshakeRefused(status)
        expected = base64.b64encode(
            hashlib.sha1(key.encode() + _GUID).digest()
        ).decode()
        if answer.get("sec-websocket-accept") != expected:
            raise WebSocketError("the server's handshake answer does not match")
    except BaseException:
        writer.close()
        raise
    return WebSocket(reader, writer)
