"""HTTP to Pongo: paths, headers, and Pongo's answers mapped to neutral errors.

Every path Pongo's docs leave unnamed is our choice (see the sandbox); they
all live in PATHS so real ones can be dropped in when Pongo confirms them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings

from loyalty.http import loyalty_request, loyalty_session
from loyalty.providers.base import ErrorCode, LoyaltyRejected, LoyaltyUnavailable

logger = logging.getLogger(__name__)

PATHS = {
    "form": "/v1/oauth/form",
    "token": "/v1/oauth/token",
    "me": "/v1/oauth/me",
    "stores": "/v1/stores",
    "customer_by_phone": "/v1/customers/phone/{phone}",
    "customer": "/v1/customers/{customer}",
    "customers": "/v1/customers",
    "rewards": "/v1/rewards",
    "buy": "/v1/rewards/{reward}/buy",
    "owned": "/v1/customers/{customer}/rewards",
    "lock": "/v1/customers/{customer}/rewards/{owned}/lock",
    "use": "/v1/customers/{customer}/rewards/{owned}/use",
    "orders": "/v1/orders",
    "order_status": "/v1/orders/{order}/status",
    "webhooks": "/v1/webhooks",
    "webhook": "/v1/webhooks/{webhook}",
}

SCOPES = "customer.create,customer.read,customer.update,reward.read,reward.update,order.create,order.update"


class MalformedAnswer(LoyaltyUnavailable):
    """Pongo answered something the contract does not allow."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=ErrorCode.MALFORMED)


class Unauthorized(LoyaltyRejected):
    """The token is missing, expired or revoked: the merchant must reconnect."""

    def __init__(self) -> None:
        super().__init__("Pongo refused the access token", code=ErrorCode.UNAUTHORIZED)


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


def path(name: str, **params: str) -> str:
    return PATHS[name].format(
        **{key: quote(value, safe="") for key, value in params.items()}
    )


def _json(response: requests.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except (ValueError, RecursionError) as err:
        raise MalformedAnswer(
            f"Pongo answered {response.status_code} with no JSON"
        ) from err


def _message(body: Any) -> str:
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, dict):
            for messages in errors.values():
                if isinstance(messages, list) and messages:
                    return str(messages[0])
        if isinstance(body.get("message"), str):
            return str(body["message"])
    return "no message"


def _raise_for(response: requests.Response, body: Any) -> None:
    status = response.status_code
    if status == 401:
        raise Unauthorized()
    if status == 429:
        retry_after = response.headers.get("Retry-After", "")
        raise LoyaltyUnavailable(
            "Pongo: too many requests",
            code=ErrorCode.BUSY,
            retry_after=float(retry_after) if retry_after.isdigit() else None,
        )
    if status >= 500:
        raise LoyaltyUnavailable(f"Pongo: server error {status}", code=ErrorCode.BUSY)
    code = body.get("code") if isinstance(body, dict) else None
    if status == 422 and not code:
        errors = body.get("errors") if isinstance(body, dict) else None
        field = next(iter(errors), "") if isinstance(errors, dict) else ""
        code = f"invalid_{field}" if field else "invalid"
    defaults = {403: "forbidden", 404: "not_found", 409: "conflict"}
    raise LoyaltyRejected(
        f"Pongo {status}: {_message(body)}",
        code=str(code or defaults.get(status, f"http_{status}")),
    )


class PongoClient:
    """One merchant's Pongo API, with its bearer token."""

    def __init__(self, *, token: str, base_url: str | None = None) -> None:
        self.base_url = (base_url or settings.PONGO_BASE_URL).rstrip("/")
        self.session = loyalty_session(headers={"Authorization": f"Bearer {token}"})

    def call(
        self,
        method: str,
        url_path: str,
        *,
        timeout: tuple[float, float] | None = None,
        idempotency_key: str = "",
        **kwargs: Any,
    ) -> Answer:
        """One request; 2xx comes back, everything else raises a neutral error.

        A change carries its `idempotency_key`, the same for every resend of it.
        """
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        response = loyalty_request(
            self.session,
            method,
            f"{self.base_url}{url_path}",
            timeout=timeout,
            headers=headers,
            **kwargs,
        )
        if response.status_code == 404 and method in {"GET", "HEAD"}:
            return Answer(404, None)
        if response.status_code >= 300:
            body = _json_or_none(response)
            logger.info(
                "pongo refused",
                extra={"path": url_path, "status": response.status_code},
            )
            _raise_for(response, body)
        return Answer(response.status_code, _json(response))


def _json_or_none(response: requests.Response) -> Any:
    try:
        return _json(response)
    except MalformedAnswer:
        return None


def data(answer: Answer) -> Any:
    """The resource in Pongo's envelope ({"data": …}), or a bare object."""
    body = answer.body
    if isinstance(body, dict) and "data" in body:
        return body["data"]
    return body


def text(obj: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise MalformedAnswer(f"Pongo: {key!r} should be a string")
    return value


def integer(obj: dict[str, Any], key: str, *, default: int | None = None) -> int:
    value = obj.get(key, default)
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedAnswer(f"Pongo: {key!r} should be an integer")
    return value


def mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedAnswer(f"Pongo: {what} should be an object")
    return value


def listing(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise MalformedAnswer(f"Pongo: {what} should be a list")
    return value
