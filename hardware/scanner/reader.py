"""Reading a serial barcode scanner, and opening it again after an unplug.

The port is opened exclusively (a second process would silently steal bytes)
through its stable name (`/dev/serial/by-id/…`), which udev points at whatever
device node the scanner gets on replug. When the device vanishes, pyserial
raises; the reader reports "disconnected" and tries again with a growing
delay. It runs in a thread of its own.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import serial

from hardware.scanner.framing import ScanFramer, ScanFraming

logger = logging.getLogger(__name__)

READ_TIMEOUT_SECONDS = 0.05
FIRST_RETRY_SECONDS = 0.5
LAST_RETRY_SECONDS = 5.0
# udev may not have given the agent access yet right after a hot-plug.
PERMISSION_GRACE_SECONDS = 3.0


class ScannerState(StrEnum):
    NOT_CONFIGURED = "not_configured"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    ERROR = "error"


@dataclass(frozen=True)
class ScannerConfig:
    port: str  # a device path or a pyserial URL (loop://, socket://…)
    baudrate: int = 9600
    framing: ScanFraming = field(default_factory=ScanFraming)


class ScannerReader:
    def __init__(
        self,
        config: ScannerConfig,
        *,
        on_scan: Callable[[str], None],
        on_state: Callable[[ScannerState, str], None],
    ) -> None:
        self.config = config
        self.on_scan = on_scan
        self.on_state = on_state
        self.stopping = threading.Event()
        self._state: tuple[ScannerState, str] | None = None
        self._permission_denied_since: float | None = None

    def _report(self, state: ScannerState, detail: str = "") -> None:
        if self._state != (state, detail):
            self._state = (state, detail)
            self.on_state(state, detail)

    def _open(self) -> serial.SerialBase:
        port = serial.serial_for_url(
            self.config.port,
            baudrate=self.config.baudrate,
            timeout=READ_TIMEOUT_SECONDS,
            exclusive=True,
            do_not_open=True,
        )
        port.open()
        return port

    def run(self) -> None:
        """Read until `stopping` is set; never raises for a device problem."""
        delay = FIRST_RETRY_SECONDS
        while not self.stopping.is_set():
            try:
                port = self._open()
            except (serial.SerialException, OSError, ValueError) as err:
                self._report_open_failure(err)
                self.stopping.wait(delay)
                delay = min(delay * 2, LAST_RETRY_SECONDS)
                continue
            delay = FIRST_RETRY_SECONDS
            self._permission_denied_since = None
            try:
                self._read(port)
            except (serial.SerialException, OSError) as err:
                logger.warning(
                    "scanner lost: %s", err, extra={"port": self.config.port}
                )
                self._report(ScannerState.DISCONNECTED, str(err))
            finally:
                with contextlib.suppress(serial.SerialException, OSError):
                    port.close()

    def _report_open_failure(self, err: Exception) -> None:
        permission_denied = isinstance(
            err, PermissionError
        ) or "ermission denied" in str(err)
        now = time.monotonic()
        if permission_denied:
            since = self._permission_denied_since or now
            self._permission_denied_since = since
            if now - since >= PERMISSION_GRACE_SECONDS:
                self._report(
                    ScannerState.ERROR,
                    f"{err} (the agent's user needs the dialout group)",
                )
                return
        elif "lock" in str(err).lower():
            self._report(ScannerState.ERROR, f"{err} (another process holds the port)")
            return
        self._report(ScannerState.DISCONNECTED, str(err))

    def _read(self, port: serial.SerialBase) -> None:
        # Bytes left over from before the scanner was ours are nobody's scan.
        port.reset_input_buffer()
        framer = ScanFramer(self.config.framing)
        self._report(ScannerState.CONNECTED, self.config.port)
        logger.info("scanner connected", extra={"port": self.config.port})
        while not self.stopping.is_set():
            # One byte (or the timeout), then whatever else has arrived: a
            # code is framed the moment its terminator is read.
            data = port.read(1)
            waiting = port.in_waiting if data else 0
            if waiting:
                data += port.read(waiting)
            now = time.monotonic()
            frames = framer.feed(data, now) if data else framer.flush(now)
            for frame in frames:
                if frame.is_accepted:
                    self.on_scan(frame.code)
                else:
                    logger.warning(
                        "scan rejected: %s",
                        frame.error,
                        extra={"port": self.config.port},
                    )

    def stop(self) -> None:
        self.stopping.set()
