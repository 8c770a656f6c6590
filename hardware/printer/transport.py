"""How the agent reaches its printer: raw TCP, a serial line, USB, or a file.

Each transport gives every operation its own deadline. python-escpos leaves
serial writes without one and network reads at 60 s, so
the agent talks to the device itself and uses python-escpos only to render.

A network printer is connected per job and closed after it: printers drop idle
connections and often accept only one at a time.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import serial

CONNECT_TIMEOUT_SECONDS = 3.0
WRITE_TIMEOUT_SECONDS = 15.0
# A real-time status reply comes back within a few milliseconds.
STATUS_TIMEOUT_SECONDS = 0.5


class PrinterUnreachable(Exception):
    """The printer cannot be opened or connected to at all."""


class PrinterConnectionLost(Exception):
    """The connection broke while talking to the printer."""


class PrinterConnection(Protocol):
    def write(self, data: bytes) -> None:
        """Send `data`; raises PrinterConnectionLost when it cannot all be sent."""

    def query(self, command: bytes) -> int | None:
        """Send a real-time status query and read its one-byte reply.

        Returns None when no reply came before the deadline. Stale bytes are
        flushed first. Raises PrinterConnectionLost when the connection broke.
        """

    def close(self) -> None: ...


class PrinterTarget(Protocol):
    @property
    def description(self) -> str: ...

    @property
    def has_status(self) -> bool: ...

    def connect(self) -> PrinterConnection:
        """Open the printer; raises PrinterUnreachable."""


# --- Network (raw TCP, port 9100) ---------------------------------------------


class _SocketConnection:
    def __init__(self, sock: socket.socket, status_timeout: float) -> None:
        self.sock = sock
        self.status_timeout = status_timeout

    def write(self, data: bytes) -> None:
        self.sock.settimeout(WRITE_TIMEOUT_SECONDS)
        try:
            self.sock.sendall(data)
        except OSError as err:
            raise PrinterConnectionLost(
                f"connection lost while sending: {err}"
            ) from err

    def _drain(self) -> None:
        self.sock.setblocking(False)
        try:
            while True:
                stale = self.sock.recv(64)
                if not stale:
                    raise PrinterConnectionLost("the printer closed the connection")
        except BlockingIOError:
            pass
        except OSError as err:
            raise PrinterConnectionLost(f"connection lost: {err}") from err

    def query(self, command: bytes) -> int | None:
        self._drain()
        self.sock.settimeout(self.status_timeout)
        try:
            self.sock.sendall(command)
            reply = self.sock.recv(1)
        except TimeoutError:
            return None
        except OSError as err:
            raise PrinterConnectionLost(f"connection lost: {err}") from err
        if not reply:
            raise PrinterConnectionLost("the printer closed the connection")
        return reply[0]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


@dataclass
class NetworkPrinter:
    host: str
    port: int = 9100
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS
    status_timeout: float = STATUS_TIMEOUT_SECONDS
    has_status: bool = True

    @property
    def description(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def connect(self) -> PrinterConnection:
        try:
            sock = socket.create_connection(
                (self.host, self.port), timeout=self.connect_timeout
            )
        except OSError as err:
            raise PrinterUnreachable(
                f"cannot connect to {self.description}: {err}"
            ) from err
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return _SocketConnection(sock, self.status_timeout)


# --- Serial -------------------------------------------------------------------


class _SerialConnection:
    def __init__(self, port: serial.Serial, baudrate: int) -> None:
        self.port = port
        self.baudrate = baudrate

    def write(self, data: bytes) -> None:
        try:
            self.port.write(data)
            self._wait_until_sent(len(data))
        except (serial.SerialException, OSError) as err:
            raise PrinterConnectionLost(f"serial write failed: {err}") from err

    def _wait_until_sent(self, size: int) -> None:
        """Wait for the bytes to leave, with a deadline: `flush()` has none,
        and a printer that stops reading would hold the agent forever."""
        deadline = time.monotonic() + WRITE_TIMEOUT_SECONDS + size * 10 / self.baudrate
        while self.port.out_waiting:
            if time.monotonic() > deadline:
                raise PrinterConnectionLost("the printer stopped reading")
            time.sleep(0.01)

    def query(self, command: bytes) -> int | None:
        try:
            self.port.reset_input_buffer()
            self.port.write(command)
            reply = self.port.read(1)
        except (serial.SerialException, OSError) as err:
            raise PrinterConnectionLost(f"serial line lost: {err}") from err
        return reply[0] if reply else None

    def close(self) -> None:
        with contextlib.suppress(serial.SerialException, OSError):
            self.port.close()


@dataclass
class SerialPrinter:
    path: str
    baudrate: int = 9600
    status_timeout: float = 0.3
    has_status: bool = True

    @property
    def description(self) -> str:
        return self.path

    def connect(self) -> PrinterConnection:
        try:
            port = serial.Serial(
                self.path,
                self.baudrate,
                timeout=self.status_timeout,
                write_timeout=WRITE_TIMEOUT_SECONDS,
                exclusive=True,
            )
        except (serial.SerialException, OSError, ValueError) as err:
            raise PrinterUnreachable(f"cannot open {self.path}: {err}") from err
        return _SerialConnection(port, self.baudrate)


# --- File (a spool file, or a device node without status such as /dev/usb/lp0)


class _FileConnection:
    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        try:
            self.stream.write(data)
            self.stream.flush()
        except OSError as err:
            raise PrinterConnectionLost(f"write failed: {err}") from err

    def query(self, command: bytes) -> int | None:
        return None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()


@dataclass
class FilePrinter:
    path: str
    has_status: bool = False

    @property
    def description(self) -> str:
        return f"file {self.path}"

    def connect(self) -> PrinterConnection:
        try:
            return _FileConnection(Path(self.path).open("ab", buffering=0))
        except OSError as err:
            raise PrinterUnreachable(f"cannot open {self.path}: {err}") from err


# --- USB ----------------------------------------------------------------------


class _UsbConnection:
    def __init__(self, printer: Any) -> None:
        self.printer = printer

    def write(self, data: bytes) -> None:
        try:
            self.printer.device.write(self.printer.out_ep, data, 15000)
        except Exception as err:  # pyusb raises USBError, which we cannot import
            raise PrinterConnectionLost(f"USB write failed: {err}") from err

    def query(self, command: bytes) -> int | None:
        try:
            self.printer.device.write(self.printer.out_ep, command, 1000)
            reply = self.printer.device.read(self.printer.in_ep, 16, 300)
        except Exception as err:  # a timeout, or a device that went away
            if "timed out" in str(err).lower():
                return None
            raise PrinterConnectionLost(f"USB read failed: {err}") from err
        return int(reply[0]) if len(reply) else None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.printer.close()


@dataclass
class UsbPrinter:
    vendor_id: int
    product_id: int
    has_status: bool = True

    @property
    def description(self) -> str:
        return f"usb:{self.vendor_id:04x}:{self.product_id:04x}"

    def connect(self) -> PrinterConnection:
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise PrinterUnreachable("USB printers need the pyusb package")
        printer = Usb(self.vendor_id, self.product_id)
        try:
            printer.open(raise_not_found=True)
        except Exception as err:  # "Errno 16 Resource busy": usblp or CUPS holds it
            raise PrinterUnreachable(f"cannot open {self.description}: {err}") from err
        return _UsbConnection(printer)


# --- Parsing the --printer option ---------------------------------------------


def _is_serial_device(path: str) -> bool:
    resolved = os.path.realpath(path)
    return resolved.startswith(("/dev/tty", "/dev/pts/")) or path.startswith(
        "/dev/serial/"
    )


def printer_target(value: str, *, baudrate: int = 9600) -> PrinterTarget:
    """The printer named by `value`.

    `tcp://host:9100`, `usb:VID:PID` (hexadecimal), `serial:/dev/…`,
    `file:/path`, or a bare path: a serial line when it is a terminal device
    (`/dev/tty…`, `/dev/serial/…`, a pty), a file otherwise.
    """
    if value.startswith("tcp://"):
        parts = urlsplit(value)
        if not parts.hostname:
            raise ValueError(f"no host in {value!r}")
        return NetworkPrinter(parts.hostname, parts.port or 9100)
    if value.startswith("usb:"):
        try:
            _scheme, vendor, product = value.split(":")
            return UsbPrinter(int(vendor, 16), int(product, 16))
        except ValueError as err:
            raise ValueError(
                f"expected usb:VID:PID in hexadecimal, not {value!r}"
            ) from err
    if value.startswith("serial:"):
        return SerialPrinter(value.removeprefix("serial:"), baudrate)
    if value.startswith("file:"):
        return FilePrinter(value.removeprefix("file:"))
    if _is_serial_device(value):
        return SerialPrinter(value, baudrate)
    return FilePrinter(value)
