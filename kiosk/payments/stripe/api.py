"""Calls to Stripe through the official library, with the contract's errors.

One `StripeClient` per terminal, pointed at the configured endpoint (an
emulator, a proxy) when there is one, with explicit connect and read
timeouts and no retries of its own: the kiosk polls, and every write carries
an idempotency key derived from the attempt, so asking again is always safe.
What cannot be read is `TerminalUnavailable` (the outcome is unknown); what
Stripe refuses is `StripeRefusal`, a `TerminalRejected` with Stripe's code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import stripe

from kiosk.payments.base import (
    TerminalConfig,
    TerminalRejected,
    TerminalUnavailable,
)

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 10.0
MAX_READ_TIMEOUT_S = 60.0

Json = dict[str, Any]
T = TypeVar("T")


class StripeRefusal(TerminalRejected):
    """Stripe refused the request; `code` is Stripe's error code ("" if none)."""

    def __init__(self, message: str, *, code: str = "", decline_code: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.decline_code = decline_code


def read_timeout_s(config: TerminalConfig) -> float:
    try:
        value = float(config.options.get("timeout_seconds", READ_TIMEOUT_S))
    except ValueError:
        return READ_TIMEOUT_S
    return value if 0 < value <= MAX_READ_TIMEOUT_S else READ_TIMEOUT_S


def client_create(config: TerminalConfig) -> stripe.StripeClient:
    endpoint = config.endpoint.rstrip("/")
    return stripe.StripeClient(
        config.credentials.get("secret_key", ""),
        base_addresses={"api": endpoint} if endpoint else None,
        max_network_retries=0,
        http_client=stripe.RequestsClient(
            timeout=(CONNECT_TIMEOUT_S, read_timeout_s(config))
        ),
    )


def as_json(obj: object) -> Json:
    """A library object as plain dicts and lists (vendor JSON, read in this package)."""
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        result = to_dict(recursive=True)
        if isinstance(result, dict):
            return result
    return obj if isinstance(obj, dict) else {}


def call(work: Callable[[], T]) -> T:
    """Run one library call, turning its errors into the contract's."""
    try:
        return work()
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as err:
        raise TerminalUnavailable(
            f"Stripe did not answer: {err.user_message or err}"
        ) from err
    except (stripe.AuthenticationError, stripe.PermissionError) as err:
        raise StripeRefusal("Stripe refused the terminal's secret key") from err
    except stripe.StripeError as err:
        if (err.http_status or 500) >= 500 or err.http_status == 409:
            # 409: the same key is in flight elsewhere; asking again will tell.
            raise TerminalUnavailable("Stripe could not take the request now") from err
        error = err.error
        code = str(getattr(error, "code", None) or err.code or "")
        decline = str(getattr(error, "decline_code", None) or "")
        raise StripeRefusal(
            str(getattr(error, "message", None) or err.user_message or code),
            code=code,
            decline_code=decline,
        ) from err
