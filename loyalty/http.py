"""The one way out to loyalty programmes: explicit timeouts and a time budget.

Interactive steps (identify, show rewards, buy) run inside `loyalty_budget`;
every request made inside it shares what is left of the budget, so a slow
programme costs the customer at most that long before the kiosk carries on
without loyalty. Postings from the outbox worker use their own timeouts, and
run inside `loyalty_delivery`, which names the outbox message they deliver:
its key is the stable identity a programme may take as an idempotency key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import requests
from django.conf import settings

from loyalty.providers.base import ErrorCode, LoyaltyUnavailable

logger = logging.getLogger(__name__)

USER_AGENT = "open-kiosk/0.1"

_deadline: ContextVar[float | None] = ContextVar("loyalty_deadline", default=None)
_delivery_key: ContextVar[str] = ContextVar("loyalty_delivery_key", default="")
_delivery_resumed: ContextVar[bool] = ContextVar(
    "loyalty_delivery_resumed", default=False
)


@contextmanager
def loyalty_budget(seconds: float | None = None) -> Iterator[None]:
    """Limit every loyalty request inside the block to `seconds` in total."""
    budget = settings.LOYALTY_INTERACTIVE_BUDGET_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + budget
    outer = _deadline.get()
    token = _deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _deadline.reset(token)


@contextmanager
def loyalty_delivery(key: str, *, resumed: bool = False) -> Iterator[None]:
    """The requests inside the block deliver the outbox message with this key;
    `resumed`: an earlier worker may have sent it and stopped before writing
    the answer (its lease ran out)."""
    token = _delivery_key.set(key)
    resumed_token = _delivery_resumed.set(resumed)
    try:
        yield
    finally:
        _delivery_resumed.reset(resumed_token)
        _delivery_key.reset(token)


def delivery_resumed() -> bool:
    """Whether the message being delivered may already have been sent once,
    by a worker that stopped before its answer was written."""
    return _delivery_resumed.get()


def delivery_key() -> str:
    """The key of the outbox message being delivered, "" outside a delivery.

    The same on every retry of the message, and different for every message.
    """
    return _delivery_key.get()


def posting_timeout() -> tuple[float, float]:
    """Timeouts of the outbox worker's deliveries (no customer is waiting)."""
    return settings.LOYALTY_POST_CONNECT_TIMEOUT, settings.LOYALTY_POST_READ_TIMEOUT


def loyalty_session(*, headers: dict[str, str]) -> requests.Session:
    session = requests.Session()
    session.headers.update(
        {"User-Agent": USER_AGENT, "Accept": "application/json", **headers}
    )
    return session


def _timeout(explicit: tuple[float, float] | None) -> tuple[float, float]:
    connect, read = explicit or (
        settings.LOYALTY_HTTP_CONNECT_TIMEOUT,
        settings.LOYALTY_HTTP_READ_TIMEOUT,
    )
    deadline = _deadline.get()
    if deadline is None:
        return connect, read
    remaining = deadline - time.monotonic()
    if remaining <= 0.01:
        raise LoyaltyUnavailable(
            "the loyalty time budget is spent", code=ErrorCode.BUDGET
        )
    return min(connect, remaining), min(read, remaining)


def loyalty_request(
    session: requests.Session,
    method: str,
    url: str,
    *,
    timeout: tuple[float, float] | None = None,
    **kwargs: Any,
) -> requests.Response:
    """Send one request; network failures become LoyaltyUnavailable."""
    kwargs.setdefault("allow_redirects", False)
    started = time.monotonic()
    try:
        response = session.request(method, url, timeout=_timeout(timeout), **kwargs)
    except requests.Timeout as err:
        raise LoyaltyUnavailable(
            f"{method} {url}: timed out", code=ErrorCode.UNREACHABLE
        ) from err
    except requests.ConnectionError as err:
        raise LoyaltyUnavailable(
            f"{method} {url}: unreachable", code=ErrorCode.UNREACHABLE
        ) from err
    logger.debug(
        "loyalty request",
        extra={
            "method": method,
            "url": url,
            "status": response.status_code,
            "ms": round((time.monotonic() - started) * 1000, 1),
        },
    )
    return response
