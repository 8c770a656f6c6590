"""Webhook deliveries from a background thread, with a retry schedule.

An emulator hands over a message after its transaction commits; this thread
posts it, signed by the emulator's own scheme, and tries again after each
delay of the schedule when the receiver fails (non-2xx, connection error or
timeout). Due times are on the sandbox clock, so a test checks the whole
schedule by moving the clock instead of waiting half a minute.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import requests

from sandboxes.core.clock import SandboxClock, iso_format

logger = logging.getLogger(__name__)

DEFAULT_RETRY_SCHEDULE_S = (1.0, 5.0, 25.0)
DEFAULT_TIMEOUT_S = 5.0
MAX_LOGGED_DELIVERIES = 1000

# Signs one attempt: (raw body, secret, Unix timestamp) -> extra headers.
Signer = Callable[[bytes, str, int], Mapping[str, str]]


@dataclass(frozen=True)
class WebhookMessage:
    webhook_id: str
    event_id: str
    event: str
    url: str
    secret: str
    body: bytes


@dataclass(order=True)
class _Pending:
    due: float
    order: int
    generation: int
    attempt: int
    message: WebhookMessage


class WebhookDispatcher:
    def __init__(
        self,
        *,
        clock: SandboxClock,
        sign: Signer,
        retry_schedule_s: Sequence[float] = DEFAULT_RETRY_SCHEDULE_S,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._clock = clock
        self._sign = sign
        self.retry_schedule_s = tuple(retry_schedule_s)
        self._timeout_s = timeout_s
        self._condition = threading.Condition()
        self._queue: list[_Pending] = []
        self._deliveries: list[dict[str, object]] = []
        self._generation = 0
        self._order = itertools.count()
        self._is_stopping = False
        self._session = requests.Session()
        # Receivers are local: never route them through a proxy of the environment.
        self._session.trust_env = False
        self._thread = threading.Thread(
            target=self._run, name="sandbox-webhooks", daemon=True
        )
        clock.listener_add(self.wake)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._is_stopping = True
            self._condition.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=self._timeout_s + 1)

    def wake(self) -> None:
        with self._condition:
            self._condition.notify_all()

    def enqueue(self, message: WebhookMessage) -> None:
        with self._condition:
            self._push(message, attempt=1, due=self._clock.timestamp())

    def clear(self) -> None:
        """Forget pending retries and past deliveries (sandbox reset)."""
        with self._condition:
            self._generation += 1
            self._queue.clear()
            self._deliveries.clear()

    def deliveries(self) -> list[dict[str, object]]:
        with self._condition:
            return [dict(delivery) for delivery in self._deliveries]

    def _push(self, message: WebhookMessage, *, attempt: int, due: float) -> None:
        pending = _Pending(due, next(self._order), self._generation, attempt, message)
        heapq.heappush(self._queue, pending)
        self._condition.notify_all()

    def _run(self) -> None:
        while True:
            pending = self._next_due()
            if pending is None:
                return
            self._attempt(pending)

    def _next_due(self) -> _Pending | None:
        """Wait for the next due message; `None` once stopping."""
        with self._condition:
            while not self._is_stopping:
                if self._queue:
                    wait_s = self._queue[0].due - self._clock.timestamp()
                    if wait_s <= 0:
                        return heapq.heappop(self._queue)
                    # Bounded wait: the clock may move without a notification.
                    self._condition.wait(timeout=min(wait_s, 0.25))
                else:
                    self._condition.wait()
            return None

    def _attempt(self, pending: _Pending) -> None:
        message = pending.message
        timestamp = int(self._clock.timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "sandbox-webhooks",
            **self._sign(message.body, message.secret, timestamp),
        }
        status, error = self._post(message, headers)
        is_delivered = status is not None and 200 <= status < 300
        retry_in_s = None
        if not is_delivered and pending.attempt <= len(self.retry_schedule_s):
            retry_in_s = self.retry_schedule_s[pending.attempt - 1]
        with self._condition:
            if pending.generation != self._generation:
                return  # reset while the attempt was in flight
            self._record(pending, headers, timestamp, status, error, retry_in_s)
            if retry_in_s is not None:
                due = self._clock.timestamp() + retry_in_s
                self._push(message, attempt=pending.attempt + 1, due=due)

    def _post(
        self, message: WebhookMessage, headers: Mapping[str, str]
    ) -> tuple[int | None, str | None]:
        try:
            response = self._session.post(
                message.url,
                data=message.body,
                headers=dict(headers),
                timeout=self._timeout_s,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            logger.info("webhook delivery failed", extra={"url": message.url})
            return None, type(error).__name__
        return response.status_code, None

    def _record(
        self,
        pending: _Pending,
        headers: Mapping[str, str],
        timestamp: int,
        status: int | None,
        error: str | None,
        retry_in_s: float | None,
    ) -> None:
        message = pending.message
        self._deliveries.append(
            {
                "webhook_id": message.webhook_id,
                "event_id": message.event_id,
                "event": message.event,
                "url": message.url,
                "attempt": pending.attempt,
                "status": status,
                "error": error,
                "is_delivered": status is not None and 200 <= status < 300,
                "headers": {
                    name: value
                    for name, value in headers.items()
                    if name not in ("Content-Type", "User-Agent")
                },
                "timestamp": timestamp,
                "attempted_at": iso_format(self._clock.now()),
                "next_retry_in_s": retry_in_s,
                "body": message.body.decode(),
            }
        )
        del self._deliveries[:-MAX_LOGGED_DELIVERIES]
