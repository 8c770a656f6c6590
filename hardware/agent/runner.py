"""The hardware agent: one per kiosk device, between its scanner and printer
and the web server.

It keeps a websocket to `/ws/device/` open (authenticated by the device token
in its first message), reconnecting with a growing delay when the server
restarts. Scans go up as they are read; print jobs come down as structured
receipts, which the agent renders for its printer and prints under the rules
of `hardware.printer.driver`. The printer's status is read between jobs and
reported when it changes, so the server knows when to send waiting jobs again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from hardware import protocol
from hardware.agent.websocket import (
    ConnectionClosed,
    WebSocket,
    WebSocketError,
    connect,
)
from hardware.printer.driver import (
    UNREACHABLE,
    JobOutcome,
    PrinterDriver,
    PrinterReport,
)
from hardware.printer.profiles import PrinterProfile
from hardware.printer.render import receipt_to_escpos
from hardware.printer.transport import (
    PrinterConnectionLost,
    PrinterTarget,
    PrinterUnreachable,
)
from hardware.receipt import ReceiptError, receipt_from_dict
from hardware.scanner.reader import ScannerConfig, ScannerReader, ScannerState

logger = logging.getLogger(__name__)

AGENT_VERSION = "1"
FIRST_RETRY_SECONDS = 0.5
LAST_RETRY_SECONDS = 10.0
# A refused token will not become right by itself: try again rarely.
REFUSED_RETRY_SECONDS = 30.0
WELCOME_TIMEOUT_SECONDS = 10.0
CLAIM_TIMEOUT_SECONDS = 5.0
# Codes scanned while the server is unreachable are worth sending only if the
# customer is still there (Odoo's IoT box drops scans older than 5 s).
SCAN_MAX_AGE_SECONDS = 5.0
# Scanners in continuous mode read the same code many times a second.
REPEAT_SCAN_SECONDS = 1.0
SCANS_PER_SECOND = 5


@dataclass(frozen=True)
class AgentConfig:
    server_url: str
    token: str
    profile: PrinterProfile
    scanner: ScannerConfig | None = None
    printer: PrinterTarget | None = None
    status_interval: float = 5.0
    heartbeat_interval: float = 30.0
    ping_interval: float = 15.0


@dataclass
class PrintTask:
    job: int
    data: bytes


@dataclass
class _ScanLimiter:
    """Drops repeats of the last code within a second, and floods."""

    last_code: str = ""
    last_code_at: float = -1e9
    recent: deque[float] = field(default_factory=deque)

    def allows(self, code: str, now: float) -> bool:
        if code == self.last_code and now - self.last_code_at < REPEAT_SCAN_SECONDS:
            self.last_code_at = now
            return False
        while self.recent and now - self.recent[0] >= 1.0:
            self.recent.popleft()
        if len(self.recent) >= SCANS_PER_SECOND:
            return False
        self.recent.append(now)
        self.last_code, self.last_code_at = code, now
        return True


class Agent:
    def __init__(self, config: AgentConfig) -> None:
        self.config = config
        self.driver = (
            PrinterDriver(config.printer, config.profile) if config.printer else None
        )
        self.websocket: WebSocket | None = None
        self.kiosk = ""
        self.scanner_state = (
            ScannerState.DISCONNECTED
            if config.scanner
            else ScannerState.NOT_CONFIGURED,
            "",
        )
        self.printer_report = PrinterReport(
            UNREACHABLE if config.printer else "not_configured",
            "not checked yet" if config.printer else "",
        )
        self.stopping = asyncio.Event()
        self._jobs: asyncio.Queue[PrintTask] = asyncio.Queue()
        self._known_jobs: set[int] = set()
        self._claims: dict[int, asyncio.Future[bool]] = {}
        self._unsent_results: list[str] = []
        self._waiting_scans: deque[tuple[float, str]] = deque(maxlen=10)
        self._limiter = _ScanLimiter()
        self._reader: ScannerReader | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # --- running ----------------------------------------------------------------

    async def run(self) -> None:
        """Run until `stop()`; device and network problems never end it."""
        self.loop = asyncio.get_running_loop()
        scanner_thread = self._start_scanner()
        printer_task = asyncio.create_task(self._printer_loop(), name="printer")
        try:
            await self._connection_loop()
        finally:
            printer_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await printer_task
            if self._reader is not None:
                self._reader.stop()
            if scanner_thread is not None:
                await asyncio.to_thread(scanner_thread.join, 2.0)
            if self.websocket is not None:
                await self.websocket.close()

    def stop(self) -> None:
        self.stopping.set()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _connection_loop(self) -> None:
        delay = FIRST_RETRY_SECONDS
        while not self.stopping.is_set():
            try:
                websocket = await connect(self.config.server_url)
            except (OSError, WebSocketError, TimeoutError) as err:
                logger.warning(
                    "server unreachable (%s); next try in %.1f s", err, delay
                )
            else:
                delay = await self._serve(websocket, delay)
            await self._sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, LAST_RETRY_SECONDS)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    async def _serve(self, websocket: WebSocket, delay: float) -> float:
        """One connection, from hello to close; returns the next retry delay."""
        try:
            await self._hello(websocket)
            delay = FIRST_RETRY_SECONDS
            await self._listen(websocket)
        except ConnectionClosed as err:
            reason = protocol.CLOSE_REASONS.get(err.code, err.reason or "closed")
            if err.code == protocol.CLOSE_TOKEN_REFUSED:
                logger.error("the server refused this agent: %s", reason)
                return REFUSED_RETRY_SECONDS
            logger.warning("connection to the server closed (%s: %s)", err.code, reason)
        except (WebSocketError, protocol.ProtocolError, TimeoutError) as err:
            logger.warning("connection to the server failed: %s", err)
        finally:
            self._disconnected()
            await websocket.close()
        return delay

    def _disconnected(self) -> None:
        self.websocket = None
        for future in self._claims.values():
            if not future.done():
                future.set_result(False)
        self._claims.clear()

    async def _hello(self, websocket: WebSocket) -> None:
        await websocket.send(
            protocol.message_encode(
                protocol.HELLO,
                token=self.config.token,
                agent=self._description(),
                **self._status_fields(),
            )
        )
        answer = protocol.message_decode(
            await asyncio.wait_for(websocket.receive(), WELCOME_TIMEOUT_SECONDS)
        )
        if answer["type"] != protocol.WELCOME:
            raise protocol.ProtocolError(f"expected welcome, got {answer['type']}")
        self.kiosk = protocol.text_field(answer, "kiosk")
        # A store's own device (a kitchen printer) has a name and no kiosk.
        device = (
            f"kiosk {self.kiosk}"
            if self.kiosk
            else protocol.text_field(answer, "device") or "an unnamed device"
        )
        self.websocket = websocket
        logger.info("connected to the server as the agent of %s", device)
        # The devices may have changed while the hello was on its way.
        await self._send_status()
        for message in self._unsent_results:
            await websocket.send(message)
        self._unsent_results.clear()
        await self._send_waiting_scans()

    def _description(self) -> dict[str, str]:
        return {
            "version": AGENT_VERSION,
            "hostname": socket.gethostname(),
            "scanner": self.config.scanner.port if self.config.scanner else "",
            "printer": self.config.printer.description if self.config.printer else "",
            "printer_profile": self.config.profile.name,
        }

    async def _listen(self, websocket: WebSocket) -> None:
        keepalive = asyncio.create_task(self._keepalive(websocket), name="keepalive")
        try:
            while not self.stopping.is_set():
                receiving = asyncio.ensure_future(websocket.receive())
                stopping = asyncio.ensure_future(self.stopping.wait())
                done, _pending = await asyncio.wait(
                    {receiving, stopping}, return_when=asyncio.FIRST_COMPLETED
                )
                stopping.cancel()
                if receiving not in done:
                    receiving.cancel()
                    return
                self._dispatch(protocol.message_decode(receiving.result()))
        finally:
            keepalive.cancel()

    async def _keepalive(self, websocket: WebSocket) -> None:
        """Pings, a heartbeat status, and a deadline for a server gone silent."""
        interval = self.config.ping_interval
        last_status = time.monotonic()
        while True:
            await asyncio.sleep(interval)
            if self.loop.time() - websocket.last_heard_at > 2 * interval + 5:
                logger.warning("the server stopped answering: reconnecting")
                await websocket.close(1001)
                return
            await websocket.ping()
            if time.monotonic() - last_status >= self.config.heartbeat_interval:
                last_status = time.monotonic()
                await self._send_status()

    # --- messages from the server -------------------------------------------------

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == protocol.PRINT_RECEIPT:
            self._queue_print(message)
        elif kind == protocol.JOB_CLAIM_ANSWER:
            future = self._claims.pop(protocol.job_field(message), None)
            if future is not None and not future.done():
                future.set_result(message.get("is_granted") is True)
        else:
            logger.debug("message ignored", extra={"type": kind})

    def _queue_print(self, message: dict[str, Any]) -> None:
        job = protocol.job_field(message)
        if self.driver is None:
            self._spawn(
                self._send_result(job, JobOutcome.NOT_PRINTED, "no printer configured")
            )
            return
        if job in self._known_jobs:
            return  # already waiting or printing here
        try:
            data = receipt_to_escpos(
                receipt_from_dict(message.get("receipt")), self.config.profile
            )
        except ReceiptError as err:
            logger.error("print job %s has an invalid receipt: %s", job, err)
            self._spawn(
                self._send_result(job, JobOutcome.FAILED, f"invalid receipt: {err}")
            )
            return
        self._known_jobs.add(job)
        self._jobs.put_nowait(PrintTask(job, data))

    # --- sending --------------------------------------------------------------------

    async def _send(self, message: str) -> bool:
        websocket = self.websocket
        if websocket is None:
            return False
        try:
            await websocket.send(message)
        except ConnectionClosed:
            return False
        return True

    def _status_fields(self) -> dict[str, Any]:
        scanner_state, scanner_detail = self.scanner_state
        return {
            "scanner": {"state": scanner_state.value, "detail": scanner_detail},
            "printer": {
                "state": self.printer_report.state,
                "detail": self.printer_report.detail,
            },
        }

    async def _send_status(self) -> None:
        await self._send(
            protocol.message_encode(protocol.STATUS, **self._status_fields())
        )

    async def _send_result(self, job: int, outcome: JobOutcome, reason: str) -> None:
        message = protocol.message_encode(
            protocol.JOB_RESULT,
            job=job,
            outcome=outcome.value,
            reason=reason[:200],
            printer=self.printer_report.state,
        )
        log = logger.info if outcome == JobOutcome.PRINTED else logger.warning
        log("print job %s: %s %s", job, outcome.value, reason)
        if not await self._send(message) and outcome != JobOutcome.NOT_PRINTED:
            # The server must learn what happened to a job it let us print.
            self._unsent_results.append(message)

    # --- scanner ----------------------------------------------------------------------

    def _start_scanner(self) -> threading.Thread | None:
        if self.config.scanner is None:
            return None
        self._reader = ScannerReader(
            self.config.scanner,
            on_scan=self._scan_from_thread,
            on_state=self._scanner_state_from_thread,
        )
        thread = threading.Thread(target=self._reader.run, name="scanner", daemon=True)
        thread.start()
        return thread

    # The reader runs in its own thread: hand over to the event loop.
    def _scan_from_thread(self, code: str) -> None:
        self.loop.call_soon_threadsafe(self._on_scan, code)

    def _scanner_state_from_thread(self, state: ScannerState, detail: str) -> None:
        self.loop.call_soon_threadsafe(self._on_scanner_state, state, detail)

    def _on_scan(self, code: str) -> None:
        now = time.monotonic()
        if not self._limiter.allows(code, now):
            logger.warning(
                "scan dropped: repeated or too many scans", extra={"length": len(code)}
            )
            return
        if self.websocket is None:
            logger.warning(
                "scan kept for %.0f s: the server is not connected",
                SCAN_MAX_AGE_SECONDS,
            )
            self._waiting_scans.append((now, code))
            return
        self._spawn(self._send(protocol.message_encode(protocol.SCAN, code=code)))

    async def _send_waiting_scans(self) -> None:
        now = time.monotonic()
        while self._waiting_scans:
            scanned_at, code = self._waiting_scans.popleft()
            if now - scanned_at <= SCAN_MAX_AGE_SECONDS:
                await self._send(protocol.message_encode(protocol.SCAN, code=code))
            else:
                logger.info("scan dropped: older than %.0f s", SCAN_MAX_AGE_SECONDS)

    def _on_scanner_state(self, state: ScannerState, detail: str) -> None:
        self.scanner_state = (state, detail)
        logger.info("scanner %s %s", state.value, detail)
        self._spawn(self._send_status())

    # --- printer ----------------------------------------------------------------------

    async def _set_printer(self, report: PrinterReport) -> None:
        if report != self.printer_report:
            previous, self.printer_report = self.printer_report, report
            level = logging.WARNING if report.is_blocking else logging.INFO
            logger.log(
                level, "printer %s → %s %s", previous.state, report.state, report.detail
            )
            await self._send_status()

    async def _printer_loop(self) -> None:
        if self.driver is None:
            return
        driver = self.driver
        await self._set_printer(await asyncio.to_thread(driver.report))
        while True:
            try:
                task = await asyncio.wait_for(
                    self._jobs.get(), self.config.status_interval
                )
            except TimeoutError:
                await self._set_printer(await asyncio.to_thread(driver.report))
                continue
            try:
                await self._print(driver, task)
            finally:
                self._known_jobs.discard(task.job)

    async def _print(self, driver: PrinterDriver, task: PrintTask) -> None:
        try:
            session = await asyncio.to_thread(driver.open)
        except PrinterUnreachable as err:
            await self._set_printer(PrinterReport(UNREACHABLE, str(err)))
            await self._send_result(task.job, JobOutcome.NOT_PRINTED, UNREACHABLE)
            return
        try:
            try:
                before = await asyncio.to_thread(session.status)
            except PrinterConnectionLost as err:
                await self._set_printer(PrinterReport(UNREACHABLE, str(err)))
                await self._send_result(task.job, JobOutcome.NOT_PRINTED, UNREACHABLE)
                return
            await self._set_printer(driver.report_of(before))
            if self.printer_report.is_blocking:
                await self._send_result(task.job, JobOutcome.NOT_PRINTED, before.value)
                return
            if not await self._claim(task.job):
                return
            result = await asyncio.to_thread(session.print, task.data)
            await self._set_printer(result.printer)
            await self._send_result(task.job, result.outcome, result.reason)
        finally:
            await asyncio.to_thread(session.close)

    async def _claim(self, job: int) -> bool:
        """Ask the server for the right to print `job` now; False when refused or unanswered."""
        future: asyncio.Future[bool] = self.loop.create_future()
        self._claims[job] = future
        if not await self._send(protocol.message_encode(protocol.JOB_CLAIM, job=job)):
            self._claims.pop(job, None)
            return False
        try:
            is_granted = await asyncio.wait_for(future, CLAIM_TIMEOUT_SECONDS)
        except TimeoutError:
            logger.warning("print job %s: no answer to the claim; left for later", job)
            return False
        finally:
            self._claims.pop(job, None)
        if not is_granted:
            logger.info(
                "print job %s: the server did not grant it (printed or expired)", job
            )
        return is_granted
