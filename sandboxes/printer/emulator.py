"""An ESC/POS receipt printer on raw TCP (port 9100) and, optionally, a pty.

It decodes what it receives into receipts (text with the code page applied,
QR codes, cuts), answers real-time status queries with the bytes real
printers give for its current fault (Epson, Citizen and Bixolon manuals), and
misbehaves on command the ways real printers and networks do: no reply, slow
replies, a connection dropped in the middle of a job or when idle,
connections refused, or accepted and never read.

Like a real printer that cannot print, it keeps nothing of a job received
while its paper is out, its cover open or it is offline.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import struct
import threading
import time
import tty
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from hardware.printer.decoder import (
    DecodedReceipt,
    EscposDecoder,
    StatusQuery,
)
from hardware.printer.profiles import DEFAULT_PROFILE, code_page_numbers
from sandboxes.core.http import ControlServer

logger = logging.getLogger(__name__)


class PrinterFault(StrEnum):
    NONE = "none"
    NEAR_END = "near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"


class TransportFault(StrEnum):
    NONE = "none"
    NO_REPLY = "no_reply"
    SLOW_REPLY = "slow_reply"
    DROP_MID_JOB = "drop_mid_job"
    DROP_IDLE = "drop_idle"
    REFUSE = "refuse"
    BLACKHOLE = "blackhole"


# (DLE EOT 1, 2, 3, 4, GS r 1) per fault, drawer closed. None: a query
# that waits behind blocked print data and never gets an answer.
STATUS_BYTES: dict[PrinterFault, tuple[int, int, int, int, int | None]] = {
    PrinterFault.NONE: (0x12, 0x12, 0x12, 0x12, 0x00),
    PrinterFault.NEAR_END: (0x12, 0x12, 0x12, 0x1E, 0x03),
    PrinterFault.PAPER_OUT: (0x1A, 0x32, 0x12, 0x7E, 0x0F),
    PrinterFault.COVER_OPEN: (0x1A, 0x16, 0x12, 0x12, None),
    PrinterFault.OFFLINE: (0x1A, 0x12, 0x12, 0x12, None),
}

PRINTING_FAULTS = {PrinterFault.NONE, PrinterFault.NEAR_END}
INIT = b"\x1b@"


def status_reply(fault: PrinterFault, query: StatusQuery) -> bytes:
    """The byte a printer with `fault` answers to `query`; b"" for none."""
    eot1, eot2, eot3, eot4, paper = STATUS_BYTES[fault]
    if query.kind == "gs_r":
        return bytes([paper]) if paper is not None and query.number in (1, 49) else b""
    replies = {1: eot1, 2: eot2, 3: eot3, 4: eot4}
    reply = replies.get(query.number)
    return bytes([reply]) if reply is not None else b""


@dataclass
class StoredReceipt:
    index: int
    text: str
    qr_codes: list[str]
    code_pages: list[str]
    is_cut: bool
    lines: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, index: int, receipt: DecodedReceipt) -> StoredReceipt:
        return cls(
            index=index,
            text=receipt.text,
            qr_codes=receipt.qr_codes,
            code_pages=receipt.code_pages,
            is_cut=receipt.is_cut,
            lines=[asdict(line) for line in receipt.lines],
        )


class _Dropped(Exception):
    """The simulator drops this connection on purpose."""


class VirtualPrinter:
    def __init__(
        self,
        *,
        port: int = 9100,
        host: str = "127.0.0.1",
        profile: str = DEFAULT_PROFILE,
    ) -> None:
        self.host = host
        self.port = port
        self.code_pages = code_page_numbers(profile)
        self.fault = PrinterFault.NONE
        self.transport_fault = TransportFault.NONE
        self.slow_reply_seconds = 1.0
        self.drop_idle_seconds = 2.0
        self.receipts: list[StoredReceipt] = []
        self.discarded_jobs = 0
        self.dropped_connections = 0
        self.connections = 0
        self.status_queries = 0
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()
        self._held: list[socket.socket] = []
        self._pty_master: int | None = None
        self._pty_slave: int | None = None

    # --- faults and receipts -------------------------------------------------------------

    def set_faults(
        self,
        *,
        fault: str | None = None,
        transport: str | None = None,
        slow_reply_ms: int | None = None,
        drop_idle_after_s: float | None = None,
    ) -> None:
        with self._lock:
            if fault is not None:
                self.fault = PrinterFault(fault)
            if slow_reply_ms is not None:
                self.slow_reply_seconds = slow_reply_ms / 1000
            if drop_idle_after_s is not None:
                self.drop_idle_seconds = drop_idle_after_s
            previous = self.transport_fault
            if transport is not None:
                self.transport_fault = TransportFault(transport)
        logger.info("virtual printer faults: %s, %s", self.fault, self.transport_fault)
        if previous != self.transport_fault:
            if self.transport_fault == TransportFault.REFUSE:
                self._close_listener()
            elif previous == TransportFault.REFUSE:
                self._open_listener()
            if previous == TransportFault.BLACKHOLE:
                self._release_held()

    def _store(self, receipt: DecodedReceipt) -> None:
        with self._lock:
            if self.fault not in PRINTING_FAULTS:
                self.discarded_jobs += 1
                logger.warning(
                    "virtual printer: job received while %s: nothing printed",
                    self.fault,
                )
                return
            stored = StoredReceipt.of(len(self.receipts) + 1, receipt)
            self.receipts.append(stored)
        logger.info("virtual printer: receipt %d printed", stored.index)

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "port": self.port,
                "fault": self.fault.value,
                "transport_fault": self.transport_fault.value,
                "receipts": len(self.receipts),
                "discarded_jobs": self.discarded_jobs,
                "dropped_connections": self.dropped_connections,
                "connections": self.connections,
                "status_queries": self.status_queries,
            }

    def clear(self) -> None:
        with self._lock:
            self.receipts.clear()
            self.discarded_jobs = 0

    # --- one stream of bytes (a TCP connection, or the pty) -----------------------------

    def _answer(self, query: StatusQuery) -> bytes:
        with self._lock:
            self.status_queries += 1
            fault, transport = self.fault, self.transport_fault
            delay = self.slow_reply_seconds
        if transport == TransportFault.NO_REPLY:
            return b""
        if transport == TransportFault.SLOW_REPLY:
            time.sleep(delay)
        return status_reply(fault, query)

    def _feed(self, decoder: EscposDecoder, data: bytes) -> bytes:
        """Decode `data`; returns the status replies to send back."""
        if self.transport_fault == TransportFault.DROP_MID_JOB and INIT in data:
            decoder.feed(data[: len(data) // 2])
            raise _Dropped
        replies = []
        for event in decoder.feed(data):
            if isinstance(event, StatusQuery):
                replies.append(self._answer(event))
            else:
                self._store(event)
        return b"".join(replies)

    # --- TCP ------------------------------------------------------------------------------

    def _open_listener(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(8)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(
            target=self._accept_loop,
            args=(listener,),
            name="printer-accept",
            daemon=True,
        ).start()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                connection, _address = listener.accept()
            except OSError:
                return  # the listener was closed: "refuse", or stopping
            with self._lock:
                self.connections += 1
            threading.Thread(
                target=self._serve_connection, args=(connection,), daemon=True
            ).start()

    def _serve_connection(self, connection: socket.socket) -> None:
        if self.transport_fault == TransportFault.BLACKHOLE:
            self._held.append(connection)  # accepted, never read
            return
        decoder = EscposDecoder(self.code_pages)
        try:
            while not self._stopping.is_set():
                timeout = (
                    self.drop_idle_seconds
                    if self.transport_fault == TransportFault.DROP_IDLE
                    else 1.0
                )
                connection.settimeout(timeout)
                try:
                    data = connection.recv(65536)
                except TimeoutError:
                    if self.transport_fault == TransportFault.DROP_IDLE:
                        raise _Dropped from None
                    continue
                if not data:
                    break
                replies = self._feed(decoder, data)
                if replies:
                    connection.sendall(replies)
            finished = decoder.finish()
            if finished is not None:
                self._store(finished)
        except _Dropped:
            with self._lock:
                self.dropped_connections += 1
            logger.warning("virtual printer: connection dropped on purpose")
            # An abrupt reset, as a printer losing power would leave it.
            connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
        except OSError as err:
            logger.info("virtual printer: connection ended: %s", err)
        finally:
            connection.close()

    def _release_held(self) -> None:
        for connection in self._held:
            with contextlib.suppress(OSError):
                connection.close()
        self._held.clear()

    # --- pty (a serial printer) ---------------------------------------------------------------

    def open_pty(self, link: Path) -> str:
        """A serial line behind `link` (like /dev/serial/by-id/…); returns the device."""
        master, slave = os.openpty()
        tty.setraw(slave)
        self._pty_master, self._pty_slave = master, slave
        path = os.ttyname(slave)
        link.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        link.symlink_to(path)
        threading.Thread(
            target=self._serve_pty, args=(master,), name="printer-pty", daemon=True
        ).start()
        return path

    def _serve_pty(self, master: int) -> None:
        """A serial line never closes: a receipt without a cut ends after a silence."""
        decoder = EscposDecoder(self.code_pages)
        while not self._stopping.is_set():
            readable, _w, _x = select.select([master], [], [], 0.5)
            if not readable:
                finished = decoder.finish()
                if finished is not None:
                    self._store(finished)
                continue
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            try:
                replies = self._feed(decoder, data)
            except _Dropped:
                decoder = EscposDecoder(self.code_pages)
                continue
            if replies:
                os.write(master, replies)

    # --- life ------------------------------------------------------------------------------------

    def control_routes(self) -> dict[tuple[str, str], Any]:
        return {
            ("GET", "/state"): lambda body: self.state(),
            ("GET", "/receipts"): lambda body: [asdict(r) for r in self._receipts()],
            ("DELETE", "/receipts"): self._clear_request,
            ("POST", "/faults"): self._faults_request,
        }

    def _clear_request(self, body: dict[str, Any]) -> dict[str, Any]:
        self.clear()
        return self.state()

    def _receipts(self) -> list[StoredReceipt]:
        with self._lock:
            return list(self.receipts)

    def _faults_request(self, body: dict[str, Any]) -> dict[str, Any]:
        self.set_faults(
            fault=body.get("fault"),
            transport=body.get("transport"),
            slow_reply_ms=body.get("slow_reply_ms"),
            drop_idle_after_s=body.get("drop_idle_after_s"),
        )
        return self.state()

    def start(self) -> None:
        self._open_listener()
        logger.info("virtual printer listening on %s:%d", self.host, self.port)

    def serve_control(self, port: int) -> ControlServer:
        server = ControlServer(port, self.control_routes())
        server.start()
        return server

    def stop(self) -> None:
        self._stopping.set()
        self._close_listener()
        self._release_held()
        for descriptor in (self._pty_master, self._pty_slave):
            if descriptor is not None:
                with contextlib.suppress(OSError):
                    os.close(descriptor)
