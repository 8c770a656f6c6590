"""HTTP to RBI's loyalty middleware: headers, money at the edge, errors.

Every call carries the market's API key, its country (x-region) and the
device's local date-time with offset (x-user-datetime), plus a request id:
a posting frozen in the outbox gives its own, the same at every attempt, so
RBI's logs and ours name one posting by one id. GraphQL calls add the
x-ui-region header the kiosk listing guide asks for, and an answer with
`errors` is an error even when its status is 200.
"""

from __future__ import annotations

import logging
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import requests
from django.utils import timezone
from urllib3.exceptions import NewConnectionError

from loyalty.http import loyalty_request, loyalty_session
from loyalty.providers.base import ErrorCode, LoyaltyRejected, LoyaltyUnavailable
from loyalty.providers.rbi.rules import RULES_ERROR, normalised

logger = logging.getLogger(__name__)

PATHS = {
    "identify": "/loyalty/identify",
    "validate": "/loyalty/transaction/pos/validate/{transaction}",
    "update": "/loyalty/transaction/pos/{transaction}",
    "void": "/loyalty/transaction/pos/{transaction}/void",
    "unclaimed": "/loyalty/transaction/pos",
    "graphql": "/graphql",
}


class MalformedAnswer(LoyaltyUnavailable):
    def __init__(self, message: str) -> None:
        super().__init__(message, code=ErrorCode.MALFORMED)


@dataclass(frozen=True)
class RbiError:
    status: int
    code: str  # normalised
    body: dict[str, Any]


class RulesFailed(Exception):
    """A RulesError: the basket breaks rules; `evaluations` says which."""

    def __init__(self, evaluations: list[dict[str, Any]]) -> None:
        super().__init__("RBI rule evaluation failed")
        self.evaluations = evaluations


def price(cents: int) -> float:
    """RBI prices are decimal major units: 299 → 2.99 (a JSON number)."""
    return float(Decimal(cents) / 100)


def may_have_arrived(error: LoyaltyUnavailable) -> bool:
    """Whether a call that got no answer may still have reached RBI.

    A refused or timed-out connection, or a spent time budget, sent nothing;
    a read timeout or a connection dropped after the request went out may
    have been processed.
    """
    cause = error.__cause__
    if isinstance(cause, requests.ConnectTimeout):
        return False
    if isinstance(cause, requests.ReadTimeout):
        return True
    if isinstance(cause, requests.ConnectionError):
        reason = cause.args[0] if cause.args else None
        inner = getattr(reason, "reason", reason)
        return not isinstance(inner, NewConnectionError | ConnectionRefusedError)
    return False


@dataclass(frozen=True)
class Market:
    api_key: str
    country: str  # x-region
    timezone: str  # the store's, for x-user-datetime


class RbiClient:
    def __init__(self, *, base_url: str, market: Market) -> None:
        self.base_url = base_url.rstrip("/")
        self.market = market
        self.session = loyalty_session(
            headers={"x-api-key": market.api_key, "x-region": market.country.upper()}
        )

    def _local_now(self) -> str:
        now: datetime = timezone.now().astimezone(
            zoneinfo.ZoneInfo(self.market.timezone)
        )
        return now.isoformat(timespec="seconds")

    def call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any],
        timeout: tuple[float, float] | None = None,
        request_id: str = "",
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One call; 2xx bodies come back, rule failures raise RulesFailed."""
        request_id = request_id or uuid.uuid4().hex
        response = loyalty_request(
            self.session,
            method,
            f"{self.base_url}{path}",
            json=body,
            timeout=timeout,
            headers={
                "x-user-datetime": self._local_now(),
                "x-request-id": request_id,
                **(headers or {}),
            },
        )
        decoded = _json(response)
        if response.status_code < 300:
            if not isinstance(decoded, dict):
                raise MalformedAnswer(f"RBI {path}: the answer is not an object")
            return decoded
        self._raise(response, decoded, request_id)
        raise AssertionError("unreachable")

    def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The `data` of a middleware GraphQL query; its `errors` are errors."""
        answer = self.call(
            "POST",
            PATHS["graphql"],
            body={"query": query, "variables": variables},
            headers={"x-ui-region": self.market.country.upper()},
        )
        return graphql_data(answer, "RBI's GraphQL")

    def _raise(self, response: requests.Response, body: Any, request_id: str) -> None:
        status = response.status_code
        details = body if isinstance(body, dict) else {}
        code = normalised(str(details.get("code", "")))
        logger.info(
            "rbi refused",
            extra={"status": status, "code": code, "request_id": request_id},
        )
        if status == 429 or status >= 500:
            raise LoyaltyUnavailable(f"RBI answered {status}", code=ErrorCode.BUSY)
        if status == 401:
            raise LoyaltyRejected(
                "RBI refused the API key", code=ErrorCode.UNAUTHORIZED
            )
        if code == RULES_ERROR:
            evaluations = (details.get("details") or {}).get("ruleEvaluation")
            if isinstance(evaluations, list):
                raise RulesFailed([e for e in evaluations if isinstance(e, dict)])
        raise LoyaltyRejected(
            f"RBI {status} {details.get('code', '')}: {details.get('message', '')}",
            code=code or f"http_{status}",
        )


def graphql_data(answer: Any, source: str) -> dict[str, Any]:
    """`data` of a GraphQL answer: `errors` (even beside data) or no data raise."""
    if not isinstance(answer, dict):
        raise MalformedAnswer(f"{source}: the answer is not an object")
    errors = answer.get("errors")
    if errors:
        messages = "; ".join(
            str(error.get("message", error)) if isinstance(error, dict) else str(error)
            for error in (errors if isinstance(errors, list) else [errors])
        )
        logger.warning("graphql errors", extra={"source": source, "errors": messages})
        raise MalformedAnswer(f"{source} answered errors: {messages}"[:300])
    data = answer.get("data")
    if not isinstance(data, dict):
        raise MalformedAnswer(f"{source}: the answer has no data")
    return data


def _json(response: requests.Response) -> Any:
    if not response.content:
        return {}
    try:
        return response.json()
    except (ValueError, RecursionError) as err:
        if response.status_code >= 500:
            return {}
        raise MalformedAnswer(
            f"RBI answered {response.status_code} with no JSON"
        ) from err
