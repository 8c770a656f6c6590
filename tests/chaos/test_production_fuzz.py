"""The fuzz suite's hostile requests, over HTTP, to a web process running the
production settings (TLS behind a proxy, DEBUG off) on PostgreSQL and Redis.

The same draws as `tests/test_fuzz.py`, sent by an anonymous browser and by a
provisioned kiosk with an order under way, through the proxy's headers:
never a 500, and the anonymous ones change nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from hypothesis import given, settings

from tests.chaos.store import ProxiedSession, setup_store
from tests.processes import (
    PROXY_HEADERS,
    DaphneServer,
    free_port,
    production_env,
    scratch_postgres,
)
from tests.test_fuzz import FUZZ, requests_

pytestmark = pytest.mark.chaos

HTTP_FUZZ = settings(FUZZ, max_examples=200)


@dataclass
class Store:
    server: DaphneServer
    database_url: str
    kiosk: ProxiedSession

    def counts(self) -> tuple[int, ...]:
        with psycopg.connect(self.database_url) as db:
            row = db.execute(
                "SELECT (SELECT count(*) FROM kiosk_order),"
                " (SELECT count(*) FROM kiosk_payment),"
                " (SELECT count(*) FROM loyalty_outboxmessage)"
            ).fetchone()
        assert row is not None
        return tuple(row)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    directory: Path = tmp_path_factory.mktemp("production-fuzz")
    with scratch_postgres("kiosk_fuzz") as url:
        env = production_env(directory, database_url=url)
        tokens, _devices, product = setup_store(env, kiosks=1)
        server = DaphneServer(free_port(), env=env, directory=directory)
        server.start()
        try:
            server.wait_ready(server.is_serving, timeout=60, what="serving")
            kiosk = ProxiedSession()
            for verb in ("GET", "POST"):
                kiosk.request(verb, f"{server.base}/provision/{tokens[0]}/")
            kiosk.request("POST", f"{server.base}/start/")
            kiosk.request("POST", f"{server.base}/mode/", {"mode": "eat_in"})
            added = kiosk.request("POST", f"{server.base}/product/{product}/add/")
            assert added.status_code < 500
            yield Store(server, url, kiosk)
        finally:
            server.stop()


def _on_the_wire(value: str) -> bytes:
    """What HTTP/1.1 can carry of a header value: no line breaks, no leading space."""
    return value.replace("\r", " ").replace("\n", " ").lstrip().encode()


def _send(
    send: Callable[..., requests.Response],
    base: str,
    method: str,
    path: str,
    body: tuple[str, Any],
    extra: dict[str, str],
) -> requests.Response:
    kind, payload = body
    headers = {name: _on_the_wire(value) for name, value in extra.items()}
    url = base + path
    if kind == "form" and method == "GET":
        return send(method, url, params=payload, headers=headers)
    if kind == "form":
        return send(method, url, data=payload, headers=headers)
    if kind == "json":
        headers.setdefault("Content-Type", b"application/json")
        return send(method, url, data=payload.encode(), headers=headers)
    headers.setdefault("Content-Type", b"application/octet-stream")
    return send(method, url, data=payload, headers=headers)


def _anonymous(method: str, url: str, **kwargs: Any) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        headers = {**PROXY_HEADERS, **kwargs.pop("headers")}
        return session.request(
            method, url, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )


@HTTP_FUZZ
@given(request=requests_())
def test_anonymous_hostile_requests_get_a_4xx_and_change_nothing(store, request):
    method, path, body, extra = request
    before = store.counts()

    response = _send(_anonymous, store.server.base, method, path, body, dict(extra))

    assert response.status_code < 500, f"{method} {path} → {response.status_code}"
    assert store.counts() == before


@HTTP_FUZZ
@given(request=requests_())
def test_a_kiosk_never_gets_a_500(store, request):
    method, path, body, extra = request

    response = _send(
        store.kiosk.request, store.server.base, method, path, body, dict(extra)
    )

    assert response.status_code < 500, f"{method} {path} → {response.status_code}"
    assert "Traceback" not in response.text
    json.dumps(extra)  # the draw itself stays printable in a failure report
