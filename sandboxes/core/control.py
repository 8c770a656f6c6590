"""A typed client of a sandbox's control API, for tests, benchmarks and developers.

```python
sandbox = SandboxControl("http://127.0.0.1:8801")
sandbox.reset()
sandbox.faults(rules=[{"path": "/v1/orders", "action": "commit_then_drop", "times": 1}])
...
assert sandbox.requests()[-1]["fault"] == "rule:commit_then_drop"
```

This client knows the control routes every sandbox shares (health, reset,
faults, request log, clock, webhook deliveries); each emulator's package
adds a subclass with its own routes in its `control` module, and
`sandboxes.control_client_create` picks the right one for an emulator's name.

`control_request` calls the plainer control endpoint of a virtual device
(`http.ControlServer`): `control_request(9180, "GET", "/receipts")`.
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

from requests import RequestException, Response, Session

DEFAULT_TIMEOUT_S = 5.0


class SandboxError(Exception):
    """The control API answered something unexpected, or not at all."""


class SandboxControl:
    def __init__(self, base_url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self._session = Session()
        # The sandbox is local: never send its traffic to a proxy of the environment.
        self._session.trust_env = False

    def close(self) -> None:
        self._session.close()

    # --- Shared control routes -------------------------------------------------

    def health(self) -> dict[str, Any]:
        return self._json("GET", "/_sandbox/health")

    def reset(self) -> None:
        """Seed data, faults, request log, clock and webhooks as at start-up."""
        self._call("POST", "/_sandbox/reset", expected=204)

    def faults(self, **knobs: Any) -> dict[str, Any]:
        """Replace the knobs; those not given go back to their start-up values."""
        return self._json("PUT", "/_sandbox/faults", json=knobs)

    def faults_read(self) -> dict[str, Any]:
        return self._json("GET", "/_sandbox/faults")

    def clear_faults(self) -> None:
        self._call("DELETE", "/_sandbox/faults", expected=204)

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        """API requests received after sequence number `since`, oldest first."""
        data = self._json("GET", "/_sandbox/requests", params={"since": since})
        return list(data["data"])

    def set_clock(self, offset_s: float) -> None:
        """Sandbox time becomes real time plus `offset_s` (not cumulative)."""
        self._json("PUT", "/_sandbox/clock", json={"offset_s": offset_s})

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "/_sandbox/webhook-deliveries")["data"])

    def wait_for_webhook_deliveries(
        self, count: int, *, timeout_s: float = 5.0
    ) -> list[dict[str, Any]]:
        """Poll until at least `count` attempts were made; raises on timeout."""
        deadline = time.monotonic() + timeout_s
        while True:
            deliveries = self.webhook_deliveries()
            if len(deliveries) >= count:
                return deliveries
            if time.monotonic() > deadline:
                raise SandboxError(
                    f"{len(deliveries)} webhook deliveries, expected {count}"
                )
            time.sleep(0.05)

    # --- Plumbing --------------------------------------------------------------------

    def _call(
        self, method: str, path: str, *, expected: int = 200, **kwargs: Any
    ) -> Response:
        try:
            response = self._session.request(
                method, self.base_url + path, timeout=self.timeout_s, **kwargs
            )
        except RequestException as error:
            raise SandboxError(f"{method} {path}: {error}") from error
        if response.status_code != expected:
            raise SandboxError(
                f"{method} {path}: {response.status_code} {response.text}"
            )
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        data = self._call(method, path, **kwargs).json()
        if not isinstance(data, dict):
            raise SandboxError(f"{method} {path}: not a JSON object")
        return data


class ControlError(Exception):
    """A virtual device's control endpoint did not answer, or refused the call."""


def control_request(
    port: int, method: str, path: str, body: dict[str, Any] | None = None
) -> Any:
    """Call a virtual device's control endpoint on 127.0.0.1; raises ControlError."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return json.loads(response.read())
    except OSError as err:
        raise ControlError(f"control endpoint on port {port}: {err}") from err
