"""A typed client of a sandbox's control API, for tests, benchmarks and developers.

```python
sandbox = SandboxControl("http://127.0.0.1:8801")
sandbox.reset()
sandbox.faults(rules=[{"path": "/v1/orders", "action": "commit_then_drop", "times": 1}])
...
assert sandbox.order_count(order_id=order.uuid.hex) == 1
```

`RbiSandboxControl` adds the RBI emulator's own routes (one-time codes,
transaction state, balances, the PENDING sweeper); `control_client_create`
picks the right client for an emulator's name.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from requests import RequestException, Response, Session

DEFAULT_TIMEOUT_S = 5.0
KIOSK_SCOPES = (
    "customer.create,customer.read,customer.update,reward.read,reward.update,"
    "order.create,order.update"
)


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

    # --- Pongo control routes ----------------------------------------------------

    def set_points(self, customer: str, points: int) -> dict[str, Any]:
        path = f"/_sandbox/customers/{customer}/points"
        return dict(self._json("POST", path, json={"points": points})["data"])

    def update_reward(
        self,
        reward: str,
        *,
        is_active: bool | None = None,
        expires_at: str | None = None,
    ) -> dict[str, Any]:
        """Deactivate a catalogue reward, or give it an expiry (ISO 8601)."""
        payload: dict[str, Any] = {"expires_at": expires_at}
        if is_active is not None:
            payload["is_active"] = is_active
        return dict(
            self._json("PATCH", f"/_sandbox/rewards/{reward}", json=payload)["data"]
        )

    def authorize(
        self,
        *,
        merchant: str = "FR",
        redirect_uri: str = "http://127.0.0.1:8000/loyalty/pongo/callback",
        state: str = "sandbox-state",
        scope: str = KIOSK_SCOPES,
        client_id: str = "kiosk-sandbox",
    ) -> dict[str, str]:
        """What the OAuth form does without a browser: `{"code", "redirect_to"}`."""
        payload = {
            "client_id": client_id,
            "merchant": merchant,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": scope,
        }
        return dict(self._json("POST", "/_sandbox/oauth/authorize", json=payload))

    def orders(self, *, order_id: str | None = None) -> list[dict[str, Any]]:
        params = {"order_id": order_id} if order_id else {}
        return list(self._json("GET", "/_sandbox/orders", params=params)["data"])

    def order_count(self, *, order_id: str) -> int:
        """How many orders the sandbox stored with this `order_id` (any store)."""
        return len(self.orders(order_id=order_id))

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


class RbiSandboxControl(SandboxControl):
    """The RBI sandbox's control API: what the app and the back office would do."""

    def mint_code(
        self,
        loyalty_id: str,
        preselect: Sequence[Mapping[str, str]] = (),
        ttl_s: int = 300,
    ) -> dict[str, Any]:
        """A new one-time code, as the app shows it: `{"otp", "expiresAt"}`.

        `preselect` holds `{"incentiveId": …}` or `{"loyaltyEngineId": …}`
        entries, the rewards and offers the guest picked in the app.
        """
        payload = {
            "loyaltyId": loyalty_id,
            "preselect": [dict(entry) for entry in preselect],
            "ttl_s": ttl_s,
        }
        return self._json("POST", "/_sandbox/otp", json=payload, expected=201)

    def transaction(self, transaction_id: str) -> dict[str, Any]:
        """Status, basket, holds, burns, earn and history of one transaction."""
        return self._json("GET", f"/_sandbox/transactions/{transaction_id}")

    def user(self, loyalty_id: str) -> dict[str, Any]:
        """Balance, held and available points, and personalised offers of a user."""
        return self._json("GET", f"/_sandbox/users/{loyalty_id}")

    def set_points(self, loyalty_id: str, points: int) -> dict[str, Any]:
        """Set a user's balance; holds of open transactions stay as they are."""
        path = f"/_sandbox/users/{loyalty_id}/points"
        return self._json("POST", path, json={"points": points})

    def expire_pending(self, older_than_s: int | None = None) -> list[str]:
        """Run the PENDING sweeper now; the ids of the transactions it voided.

        `older_than_s` replaces the `pending_ttl_s` setting for this run.
        """
        payload = {} if older_than_s is None else {"pending_ttl_s": older_than_s}
        data = self._json("POST", "/_sandbox/transactions/expire", json=payload)
        return [str(identifier) for identifier in data["voided"]]


CONTROL_CLIENTS: dict[str, type[SandboxControl]] = {"rbi": RbiSandboxControl}


def control_client_create(
    emulator: str, base_url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S
) -> SandboxControl:
    """The control client that knows the routes of this emulator."""
    client_class = CONTROL_CLIENTS.get(emulator, SandboxControl)
    return client_class(base_url, timeout_s=timeout_s)
