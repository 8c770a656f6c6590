"""The Pongo sandbox's control client: balances, rewards, headless OAuth, orders.

```python
sandbox = PongoSandboxControl("http://127.0.0.1:8801")
sandbox.reset()
...
assert sandbox.order_count(order_id=order.uuid.hex) == 1
```
"""

from __future__ import annotations

from typing import Any

from sandboxes.core.control import SandboxControl

KIOSK_SCOPES = (
    "customer.create,customer.read,customer.update,reward.read,reward.update,"
    "order.create,order.update"
)


class PongoSandboxControl(SandboxControl):
    """The Pongo sandbox's own control routes, beside the shared ones."""

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
