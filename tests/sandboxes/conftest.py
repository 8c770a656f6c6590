"""Talking to the Pongo sandbox over real HTTP: the emulator the core is tested through."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from sandboxes.pongo.control import PongoSandboxControl

FR_TOKEN = "sandbox-fr-token"
CH_TOKEN = "sandbox-ch-token"
READONLY_TOKEN = "sandbox-fr-readonly-token"


class PongoApi:
    """Calls the sandbox's Pongo API with a token (the FR merchant's by default)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.trust_env = False

    def request(
        self, method: str, path: str, *, token: str | None = FR_TOKEN, **kwargs: Any
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        kwargs.setdefault("timeout", 5)
        return self.session.request(
            method, self.base_url + path, headers=headers, **kwargs
        )

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def customer(self, public_id: str) -> dict[str, Any]:
        data: dict[str, Any] = self.get(f"/v1/customers/{public_id}").json()["data"]
        return data


@pytest.fixture
def api(pongo_sandbox: PongoSandboxControl) -> Iterator[PongoApi]:
    client = PongoApi(pongo_sandbox.base_url)
    yield client
    client.session.close()


def order_payload(**overrides: Any) -> dict[str, Any]:
    """A paid kiosk order of 13.50 € for Léa at Paris 11, without rewards."""
    payload: dict[str, Any] = {
        "order_id": "5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a",
        "partner_order_id": None,
        "channel": "kiosk",
        "delivery_mode": "on_site",
        "loyalty_store_slug": "demo-paris-11",
        "tablet_id": None,
        "amount": 1350,
        "tax_amount": 123,
        "reward_ids": [],
        "status": "paid",
        "delivery_status": "pending",
        "created_at": "2025-05-02T12:31:00+02:00",
        "withdrawal_at": None,
        "comment": None,
        "lines": [
            {
                "external_id": "SKU-MENU-CLASSIC",
                "name": "Menu Classic",
                "quantity": 1,
                "unit_amount": 1250,
                "amount": 1250,
            },
            {
                "external_id": "SKU-ESPRESSO",
                "name": "Espresso",
                "quantity": 1,
                "unit_amount": 100,
                "amount": 100,
            },
        ],
        "customer": {
            "public_id": "cust_0000000001",
            "phone": "33612345678",
            "has_optin": True,
        },
        "payments": [{"method": "card", "amount": 1350}],
        "device_id": "kiosk-02",
        "device_name": "Borne 2",
    }
    payload.update(overrides)
    return payload


@dataclass
class ReceivedWebhook:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """A local HTTP endpoint that records what it receives."""

    url: str
    status: int = 200
    received: list[ReceivedWebhook] = field(default_factory=list)


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            receiver.received.append(ReceivedWebhook(dict(self.headers.items()), body))
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/pongo/webhooks"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()
