"""The HTTP server every sandbox emulator runs in, with the shared control API.

A `LoopbackServer` (`http`) parses each request, asks the fault injector what to
do with it, logs it, and hands it to the emulator inside one database
transaction. Paths under `/_sandbox/` are the control API: never faulted,
never logged, no authentication; which is why `manage.py sandbox` listens on
loopback addresses only. A housekeeping thread gives the emulator its
periodic work (expiries) in a transaction of its own.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from sandboxes.core.clock import SandboxClock
from sandboxes.core.database import SandboxDatabase
from sandboxes.core.faults import (
    FaultAction,
    FaultInjector,
    FaultKnobs,
    FaultPlan,
    KnobError,
    Setting,
)
from sandboxes.core.http import LoopbackServer, RequestHandler
from sandboxes.core.requestlog import LoggedRequest, RequestLog
from sandboxes.core.web import (
    ApiError,
    Router,
    SandboxRequest,
    SandboxResponse,
    empty_response,
    json_response,
)
from sandboxes.core.webhooks import (
    DEFAULT_RETRY_SCHEDULE_S,
    WebhookDispatcher,
)

logger = logging.getLogger(__name__)

CONTROL_PREFIX = "/_sandbox"
HOUSEKEEPING_INTERVAL_S = 1.0

ResultT = TypeVar("ResultT")


@dataclass
class RequestContext:
    """What a handler may use while its transaction is open."""

    connection: sqlite3.Connection
    clock: SandboxClock
    faults: FaultInjector
    webhooks: WebhookDispatcher
    callbacks: list[Callable[[], None]] = field(default_factory=list)

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the transaction has committed (never on rollback)."""
        self.callbacks.append(callback)

    def switch(self, name: str) -> bool:
        return self.faults.switch(name)

    def setting(self, name: str) -> int | str:
        return self.faults.setting(name)


ControlHandler = Callable[
    [SandboxRequest, RequestContext, dict[str, str]], SandboxResponse
]


def control_dispatch(
    router: Router[ControlHandler], request: SandboxRequest, context: RequestContext
) -> SandboxResponse | None:
    """A `/_sandbox/…` route of the emulator, or None when it has no such route."""
    try:
        match = router.match(request.method, request.path)
    except ApiError as error:
        if error.status == 404:
            return None
        raise
    return match.handler(request, context, match.params)


class Emulator(Protocol):
    """One external system's API, as the generic server drives it."""

    name: str
    schema_version: int
    # Behaviour switches of this emulator and their defaults.
    switches: Mapping[str, bool]
    # Tunable values that are not on or off (seconds, choices), with defaults.
    settings: Mapping[str, Setting]

    def reset(self, context: RequestContext) -> None:
        """Replace the schema and load the seed data."""

    def handle_api(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse:
        """Serve one API request; raise `ApiError` to refuse and roll back."""

    def handle_control(
        self, request: SandboxRequest, context: RequestContext
    ) -> SandboxResponse | None:
        """Serve the emulator's own `/_sandbox/…` routes; `None` when not one."""

    def housekeeping(self, context: RequestContext) -> None:
        """Periodic work, such as expiring what was left open too long.

        Runs in its own transaction about every second, and whenever the
        sandbox clock moves.
        """

    def error_response(
        self, status: int, retry_after: int | None, knobs: FaultKnobs
    ) -> SandboxResponse:
        """The API's own error body for a status chosen by a fault.

        `knobs` are the current ones: switches may change the body's spelling.
        """

    def client_key(self, request: SandboxRequest) -> str:
        """Who a request counts against for rate limiting (its token)."""

    def sign_webhook(
        self, body: bytes, secret: str, timestamp: int
    ) -> Mapping[str, str]:
        """Headers that sign one webhook delivery attempt."""


class SandboxServer(LoopbackServer):
    def __init__(
        self,
        address: tuple[str, int],
        *,
        emulator: Emulator,
        database: SandboxDatabase,
        knobs: FaultKnobs,
        retry_schedule_s: Sequence[float] = DEFAULT_RETRY_SCHEDULE_S,
    ) -> None:
        self.emulator = emulator
        self.database = database
        self.clock = SandboxClock()
        self.faults = FaultInjector(knobs, self.clock)
        self.request_log = RequestLog(self.clock)
        self.webhooks = WebhookDispatcher(
            clock=self.clock,
            sign=emulator.sign_webhook,
            retry_schedule_s=retry_schedule_s,
        )
        self.stopping = threading.Event()
        self.replays: dict[tuple[str, ...], SandboxResponse] = {}
        self.control = ControlApi(self)
        self._housekeeping_thread: threading.Thread | None = None
        self._housekeeping_wake = threading.Event()
        # Moving the clock may make something due at once: look again then.
        self.clock.listener_add(self._housekeeping_wake.set)
        super().__init__(address, SandboxRequestHandler)

    def data_prepare(self, *, reset: bool) -> None:
        """Seed the database when asked, when new, or when its schema is old."""
        if reset or self.database.schema_version() != self.emulator.schema_version:
            self.transaction_run(self.emulator.reset)

    def start(self) -> None:
        self.webhooks.start()
        self._housekeeping_thread = threading.Thread(
            target=self._housekeeping_run, name="sandbox-housekeeping", daemon=True
        )
        self._housekeeping_thread.start()
        self.serve_in_thread("sandbox-server")

    def stop(self) -> None:
        """Wake hanging handlers, stop serving, then close the database."""
        self.stopping.set()
        self._housekeeping_wake.set()
        self.serving_stop()
        self.webhooks.stop()
        if self._housekeeping_thread is not None:
            self._housekeeping_thread.join()
        self.database.close()

    def _housekeeping_run(self) -> None:
        while not self.stopping.is_set():
            self._housekeeping_wake.wait(HOUSEKEEPING_INTERVAL_S)
            self._housekeeping_wake.clear()
            if self.stopping.is_set():
                return
            try:
                self.transaction_run(self.emulator.housekeeping)
            except Exception:
                # A failed round must not end the thread: the next one may pass.
                logger.exception("sandbox housekeeping failed")

    def state_reset(self) -> None:
        """Seed data, knobs, request log, clock, webhooks: all as at start-up."""
        self.webhooks.clear()
        self.clock.offset_set(0)
        self.transaction_run(self.emulator.reset)
        self.faults.clear()
        self.request_log.clear()
        self.replays.clear()

    def transaction_run(self, work: Callable[[RequestContext], ResultT]) -> ResultT:
        """Run `work` in one transaction; its commit callbacks run after the commit."""
        with self.database.transaction() as connection:
            context = RequestContext(connection, self.clock, self.faults, self.webhooks)
            result = work(context)
        for callback in context.callbacks:
            callback()
        return result

    def api_process(self, request: SandboxRequest) -> tuple[SandboxResponse, bool]:
        """The emulator's response, and whether it is a replay of an earlier one."""

        def work(context: RequestContext) -> tuple[SandboxResponse, bool]:
            key = self._replay_key(request)
            if key is not None and key in self.replays:
                return self.replays[key], True
            response = self.emulator.handle_api(request, context)
            if key is not None:
                self.replays[key] = response
            return response, False

        return self._answer(lambda: self.transaction_run(work), replayable=request)

    def control_process(self, request: SandboxRequest) -> SandboxResponse:
        """Shared control routes first, then the emulator's own (in a transaction)."""

        def work(context: RequestContext) -> SandboxResponse:
            response = self.emulator.handle_control(request, context)
            if response is None:
                raise ApiError.message(404, "Not Found.")
            return response

        def serve() -> tuple[SandboxResponse, bool]:
            try:
                return self.control.handle(request), False
            except ApiError as error:
                if error.status != 404:
                    raise
            return self.transaction_run(work), False

        response, _ = self._answer(serve)
        return response

    def _answer(
        self,
        serve: Callable[[], tuple[SandboxResponse, bool]],
        replayable: SandboxRequest | None = None,
    ) -> tuple[SandboxResponse, bool]:
        try:
            return serve()
        except ApiError as error:
            response = error.response()
            key = self._replay_key(replayable) if replayable else None
            if key is not None:
                self.replays[key] = response
            return response, False
        except Exception:
            logger.exception("sandbox handler failed")
            return self.emulator.error_response(500, None, self.faults.knobs()), False

    def _replay_key(self, request: SandboxRequest) -> tuple[str, ...] | None:
        """Requests replayed by `Idempotency-Key`, only when the switch is on."""
        idempotency_key = request.header("idempotency-key")
        if not idempotency_key or request.method in ("GET", "HEAD"):
            return None
        if not self.faults.is_on("honor_idempotency_key"):
            return None
        client = self.emulator.client_key(request)
        return (client, request.method, request.path, idempotency_key)


class SandboxRequestHandler(RequestHandler):
    server: SandboxServer

    def serve(self, request: SandboxRequest) -> None:
        if request.path == CONTROL_PREFIX or request.path.startswith(
            CONTROL_PREFIX + "/"
        ):
            self.response_send(self.server.control_process(request), request)
            return
        self._api_serve(request)

    def _api_serve(self, request: SandboxRequest) -> None:
        server = self.server
        entry = server.request_log.append(request)
        plan = server.faults.plan(
            method=request.method,
            path=request.path,
            client_key=server.emulator.client_key(request),
        )
        if plan.action in (FaultAction.DROP, FaultAction.DOWN):
            self._hang_up(entry, plan, processed=False)
            return
        if plan.action is FaultAction.TIMEOUT:
            # Accepted, never answered; closed after hang_s, or at shutdown.
            server.stopping.wait(plan.hang_s or None)
            self._hang_up(entry, plan, processed=False)
            return
        response, is_replay = self._api_response(request, plan)
        if response.finish is not None:
            response = response.finish()
        if plan.action is FaultAction.COMMIT_THEN_DROP or response.hang_up:
            self._hang_up(entry, plan, processed=not is_replay)
            return
        if plan.delay_s > 0:
            server.stopping.wait(plan.delay_s)
        fault = plan.reason or ("idempotent_replay" if is_replay else None)
        processed = plan.is_processed and not is_replay
        server.request_log.finish(
            entry, status=response.status, processed=processed, fault=fault
        )
        self.response_send(response, request)

    def _api_response(
        self, request: SandboxRequest, plan: FaultPlan
    ) -> tuple[SandboxResponse, bool]:
        """The response to send, and whether it replays an earlier one."""
        server = self.server
        if plan.action is FaultAction.ANSWER:
            assert plan.status is not None
            return json_response(plan.body, status=plan.status), False
        if not plan.is_processed:
            assert plan.status is not None
            knobs = server.faults.knobs()
            return server.emulator.error_response(
                plan.status, plan.retry_after, knobs
            ), False
        response, is_replay = server.api_process(request)
        if plan.action is FaultAction.COMMIT_THEN_STATUS:
            assert plan.status is not None
            response = server.emulator.error_response(
                plan.status, plan.retry_after, server.faults.knobs()
            )
        return response, is_replay

    def _hang_up(
        self, entry: LoggedRequest, plan: FaultPlan, *, processed: bool
    ) -> None:
        """Close the connection without a response: the client sees it drop."""
        self.server.request_log.finish(
            entry, status=None, processed=processed, fault=plan.reason
        )
        self.close_connection = True


class ControlApi:
    """The routes under `/_sandbox/` that every emulator shares."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.router: Router[Callable[[SandboxRequest], SandboxResponse]] = Router()
        routes = {
            ("GET", "/health"): self.health,
            ("POST", "/reset"): self.reset,
            ("GET", "/faults"): self.faults_read,
            ("PUT", "/faults"): self.faults_replace,
            ("DELETE", "/faults"): self.faults_clear,
            ("GET", "/requests"): self.requests,
            ("GET", "/clock"): self.clock_read,
            ("PUT", "/clock"): self.clock_set,
            ("GET", "/webhook-deliveries"): self.webhook_deliveries,
        }
        for (method, path), handler in routes.items():
            self.router.add(method, CONTROL_PREFIX + path, handler)

    def handle(self, request: SandboxRequest) -> SandboxResponse:
        """Raises `ApiError` 404 for routes that are not shared ones."""
        return self.router.match(request.method, request.path).handler(request)

    def health(self, request: SandboxRequest) -> SandboxResponse:
        server = self.server
        return json_response(
            {
                "status": "ok",
                "emulator": server.emulator.name,
                "faults": server.faults.knobs().to_json(),
                "clock": server.clock.isoformat(),
                "clock_offset_s": server.clock.offset_s,
            }
        )

    def reset(self, request: SandboxRequest) -> SandboxResponse:
        self.server.state_reset()
        return empty_response()

    def faults_read(self, request: SandboxRequest) -> SandboxResponse:
        return json_response(self.server.faults.knobs().to_json())

    def faults_replace(self, request: SandboxRequest) -> SandboxResponse:
        faults = self.server.faults
        try:
            knobs = faults.parse(request.json_object())
        except KnobError as error:
            raise ApiError(
                422, {"message": "Invalid knobs.", "errors": error.errors}
            ) from error
        faults.replace(knobs)
        return json_response(knobs.to_json())

    def faults_clear(self, request: SandboxRequest) -> SandboxResponse:
        self.server.faults.clear()
        return empty_response()

    def requests(self, request: SandboxRequest) -> SandboxResponse:
        since = request.query.get("since", "0")
        if not since.isdigit():
            raise ApiError.invalid(
                "since", "The since field must be a sequence number."
            )
        entries, last_seq = self.server.request_log.since(int(since))
        return json_response({"data": entries, "last_seq": last_seq})

    def clock_read(self, request: SandboxRequest) -> SandboxResponse:
        clock = self.server.clock
        return json_response({"offset_s": clock.offset_s, "now": clock.isoformat()})

    def clock_set(self, request: SandboxRequest) -> SandboxResponse:
        offset = request.json_object().get("offset_s")
        if isinstance(offset, bool) or not isinstance(offset, int | float):
            raise ApiError.invalid(
                "offset_s", "The offset_s field must be a number of seconds."
            )
        self.server.clock.offset_set(float(offset))
        return self.clock_read(request)

    def webhook_deliveries(self, request: SandboxRequest) -> SandboxResponse:
        return json_response({"data": self.server.webhooks.deliveries()})
