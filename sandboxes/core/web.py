"""Requests, responses, errors and routing shared by every sandbox emulator.

Kept free of sockets and threads: the server turns bytes into a
`SandboxRequest`, an emulator turns that into a `SandboxResponse`, and
handlers refuse a request by raising `ApiError`, which also rolls back the
request's database transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Generic, TypeVar
from urllib.parse import parse_qsl

JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=utf-8"

HandlerT = TypeVar("HandlerT")


@dataclass(frozen=True)
class SandboxRequest:
    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]  # names in lower case
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def bearer_token(self) -> str | None:
        value = self.header("authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()

    def json(self) -> object:
        """The body as JSON; `None` for an empty body.

        Raises `ApiError` (422), as the API answers to any malformed input.
        """
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ApiError.invalid("body", "The body must be valid JSON.") from error

    def json_object(self) -> dict[str, object]:
        data = self.json()
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise ApiError.invalid("body", "The body must be a JSON object.")
        return data

    def form(self) -> dict[str, str]:
        """The body as an HTML form (`application/x-www-form-urlencoded`)."""
        text = self.body.decode("utf-8", errors="replace")
        return dict(parse_qsl(text, keep_blank_values=True))

    def is_form(self) -> bool:
        content_type = self.header("content-type") or ""
        return content_type.startswith("application/x-www-form-urlencoded")

    def logged_body(self) -> object:
        """What the request log shows: the JSON or form body, else nothing."""
        if self.is_form():
            return self.form()
        try:
            return json.loads(self.body) if self.body.strip() else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None


@dataclass
class SandboxResponse:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # A long poll: the real answer, computed once the request's transaction has
    # committed, so waiting (for a customer at a terminal) holds no lock.
    finish: Callable[[], SandboxResponse] | None = None
    # Close the connection instead of answering: the work is done, the answer lost.
    hang_up: bool = False


def json_response(
    payload: object, status: int = 200, headers: Mapping[str, str] | None = None
) -> SandboxResponse:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return SandboxResponse(status, body, JSON_TYPE, dict(headers or {}))


def html_response(html: str, status: int = 200) -> SandboxResponse:
    return SandboxResponse(status, html.encode(), HTML_TYPE)


def empty_response(status: int = 204) -> SandboxResponse:
    return SandboxResponse(status)


def redirect_response(location: str) -> SandboxResponse:
    return SandboxResponse(302, headers={"Location": location})


class ApiError(Exception):
    """A refusal, answered as JSON; the request's transaction is rolled back."""

    def __init__(
        self,
        status: int,
        payload: Mapping[str, object],
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(payload.get("message", status))
        self.status = status
        self.payload = dict(payload)
        self.headers = dict(headers or {})

    @classmethod
    def message(cls, status: int, message: str, **extra: object) -> ApiError:
        return cls(status, {"message": message, **extra})

    @classmethod
    def invalid(cls, field_name: str, message: str) -> ApiError:
        return cls.validation({field_name: [message]})

    @classmethod
    def validation(cls, errors: Mapping[str, list[str]]) -> ApiError:
        """422 with every field error; the message is the first one."""
        first = next(iter(errors.values()))[0]
        return cls(422, {"message": first, "errors": dict(errors)})

    def response(self) -> SandboxResponse:
        return json_response(self.payload, self.status, self.headers)


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


@dataclass(frozen=True)
class RouteMatch(Generic[HandlerT]):
    handler: HandlerT
    params: dict[str, str]


@dataclass(frozen=True)
class _Route(Generic[HandlerT]):
    method: str
    pattern: re.Pattern[str]
    handler: HandlerT


class Router(Generic[HandlerT]):
    """Paths like `/v1/orders/{order}`, tried in the order they were added."""

    def __init__(self) -> None:
        self._routes: list[_Route[HandlerT]] = []

    def add(self, method: str, template: str, handler: HandlerT) -> None:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        self._routes.append(_Route(method, re.compile(f"^{pattern}$"), handler))

    def match(self, method: str, path: str) -> RouteMatch[HandlerT]:
        """The first route for this method and path.

        Raises `ApiError`: 404 for an unknown path, 405 for a known path with
        another method.
        """
        path_exists = False
        for route in self._routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            if route.method == method:
                return RouteMatch(route.handler, found.groupdict())
            path_exists = True
        if path_exists:
            raise ApiError.message(
                405, f"The {method} method is not supported for this route."
            )
        raise ApiError.message(404, "Not Found.")
