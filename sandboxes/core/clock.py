"""The sandbox clock: real time plus an offset that tests can move.

Lock expiry, token expiry, authorisation codes, rate limits, webhook
timestamps and retries all read this clock, so a test jumps fifteen minutes
ahead with one control call instead of sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SandboxClock:
    def __init__(self) -> None:
        self._offset_s = 0.0
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    @property
    def offset_s(self) -> float:
        with self._lock:
            return self._offset_s

    def offset_set(self, offset_s: float) -> None:
        """Move the clock to real time plus `offset_s` (not cumulative)."""
        with self._lock:
            self._offset_s = offset_s
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    def listener_add(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every change, so waiting threads look again."""
        with self._lock:
            self._listeners.append(listener)

    def now(self) -> datetime:
        return datetime.now(tz=UTC) + timedelta(seconds=self.offset_s)

    def timestamp(self) -> float:
        return self.now().timestamp()

    def isoformat(self) -> str:
        return iso_format(self.now())


def iso_format(moment: datetime) -> str:
    """ISO 8601 to the second with the offset, as every sandbox date is written."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def iso_parse(text: str) -> datetime:
    """Parse a date written by `iso_format` (or any aware ISO 8601 datetime)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("datetime without offset")
    return moment
