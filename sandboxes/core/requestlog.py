"""The log of API requests a sandbox received, read by tests through `/_sandbox/requests`.

Every request under the emulated API is logged when it arrives, with what the
sandbox did with it: the status it answered (none when it hung up or dropped
the connection), whether it was processed, and the fault that applied.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass

from sandboxes.core.clock import SandboxClock
from sandboxes.core.web import SandboxRequest

LOGGED_HEADERS = (
    "authorization",
    "content-type",
    "accept",
    "user-agent",
    "idempotency-key",
    "x-api-key",
    "x-region",
    "x-user-datetime",
    "x-request-id",
)
MAX_ENTRIES = 10_000


@dataclass
class LoggedRequest:
    seq: int
    time: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: object
    status: int | None = None
    processed: bool = False
    fault: str | None = None


class RequestLog:
    def __init__(self, clock: SandboxClock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: list[LoggedRequest] = []
        self._last_seq = 0

    def append(self, request: SandboxRequest) -> LoggedRequest:
        with self._lock:
            self._last_seq += 1
            entry = LoggedRequest(
                seq=self._last_seq,
                time=self._clock.isoformat(),
                method=request.method,
                path=request.path,
                query=dict(request.query),
                headers={
                    name: request.headers[name]
                    for name in LOGGED_HEADERS
                    if name in request.headers
                },
                body=request.logged_body(),
            )
            self._entries.append(entry)
            del self._entries[:-MAX_ENTRIES]
            return entry

    def finish(
        self,
        entry: LoggedRequest,
        *,
        status: int | None,
        processed: bool,
        fault: str | None,
    ) -> None:
        with self._lock:
            entry.status = status
            entry.processed = processed
            entry.fault = fault

    def since(self, seq: int) -> tuple[list[dict[str, object]], int]:
        """Entries after `seq`, and the last sequence number handed out."""
        with self._lock:
            entries = [asdict(entry) for entry in self._entries if entry.seq > seq]
            return entries, self._last_seq

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._last_seq = 0
