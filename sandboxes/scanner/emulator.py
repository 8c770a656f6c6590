"""A serial barcode scanner made of a pseudo-terminal.

The agent opens the pty's slave side through a stable symlink, exactly like
`/dev/serial/by-id/…` on a kiosk; the simulator types codes into the master
side, one byte every 1.04 ms as a 9600-baud line would. Unplugging closes the
pty and removes the link; plugging in again makes a new pty (a new device
node) behind the same link.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import tty
from pathlib import Path
from typing import Any

from sandboxes.core.http import ControlServer

logger = logging.getLogger(__name__)

SUFFIXES = {"cr": "\r", "lf": "\n", "crlf": "\r\n", "none": ""}


def byte_seconds(baudrate: int) -> float:
    """The time one byte takes on an 8N1 line: 10 bits."""
    return 10 / baudrate if baudrate else 0.0


class VirtualScanner:
    def __init__(
        self,
        link: Path,
        *,
        suffix: str = "\r",
        prefix: str = "",
        baudrate: int = 9600,
    ) -> None:
        self.link = Path(link)
        self.suffix = suffix
        self.prefix = prefix
        self.baudrate = baudrate
        self._master: int | None = None
        self._slave: int | None = None
        self._lock = threading.Lock()
        self.codes_typed = 0

    @property
    def is_plugged(self) -> bool:
        return self._master is not None

    @property
    def device_path(self) -> str:
        return os.readlink(self.link) if self.link.is_symlink() else ""

    def plug(self) -> str:
        """A new pty behind the link; returns the new device node."""
        with self._lock:
            if self._master is not None:
                return self.device_path
            master, slave = os.openpty()
            # Raw, no echo: what is typed reaches the reader as it is, even
            # before the reader configured the line.
            tty.setraw(slave)
            self._master, self._slave = master, slave
            path = os.ttyname(slave)
            self.link.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.link.with_name(f".{self.link.name}.{os.getpid()}")
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            temporary.symlink_to(path)
            temporary.replace(self.link)
            logger.info("virtual scanner plugged in: %s → %s", self.link, path)
            return path

    def unplug(self) -> None:
        with self._lock:
            with contextlib.suppress(FileNotFoundError):
                self.link.unlink()
            for descriptor in (self._master, self._slave):
                if descriptor is not None:
                    with contextlib.suppress(OSError):
                        os.close(descriptor)
            self._master = self._slave = None
            logger.info("virtual scanner unplugged: %s", self.link)

    def write(self, data: bytes, *, is_paced: bool = True) -> float:
        """Send bytes down the line; returns when the last one was written
        (`time.time()`, seconds), for latency measurements."""
        with self._lock:
            if self._master is None:
                raise RuntimeError("the virtual scanner is unplugged")
            step = byte_seconds(self.baudrate) if is_paced else 0.0
            if not step:
                os.write(self._master, data)
                return time.time()
            started = time.perf_counter()
            for index in range(len(data)):
                delay = started + index * step - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                os.write(self._master, data[index : index + 1])
            return time.time()

    def type_code(self, code: str, *, suffix: str | None = None) -> float:
        """Scan `code`: prefix, code and suffix at the line's pace."""
        data = f"{self.prefix}{code}{self.suffix if suffix is None else suffix}"
        written_at = self.write(data.encode())
        self.codes_typed += 1
        return written_at

    # --- control endpoint -------------------------------------------------------------

    def control_routes(self) -> dict[tuple[str, str], Any]:
        return {
            ("GET", "/state"): lambda body: self.state(),
            ("POST", "/scan"): self._scan_request,
            ("POST", "/raw"): self._raw_request,
            ("POST", "/unplug"): self._unplug_request,
            ("POST", "/plug"): self._plug_request,
        }

    def state(self) -> dict[str, Any]:
        return {
            "link": str(self.link),
            "device": self.device_path,
            "is_plugged": self.is_plugged,
            "codes_typed": self.codes_typed,
            "baudrate": self.baudrate,
        }

    def _unplug_request(self, body: dict[str, Any]) -> dict[str, Any]:
        self.unplug()
        return self.state()

    def _plug_request(self, body: dict[str, Any]) -> dict[str, Any]:
        self.plug()
        return self.state()

    def _scan_request(self, body: dict[str, Any]) -> dict[str, Any]:
        code = body["code"]
        if not isinstance(code, str) or not code:
            raise ValueError("code must be non-empty text")
        suffix = body.get("suffix")
        if suffix is not None:
            suffix = SUFFIXES[suffix]
        return {"last_byte_at": self.type_code(code, suffix=suffix)}

    def _raw_request(self, body: dict[str, Any]) -> dict[str, Any]:
        data = bytes.fromhex(body["hex"])
        return {
            "last_byte_at": self.write(data, is_paced=bool(body.get("paced", True)))
        }

    def serve_control(self, port: int) -> ControlServer:
        server = ControlServer(port, self.control_routes())
        server.start()
        return server
