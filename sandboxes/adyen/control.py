"""The Adyen sandbox's control client: play the customer, read what was stored.

```python
sandbox = AdyenSandboxControl("http://127.0.0.1:8803")
sandbox.reset()
sandbox.terminal_action("S1F2-000158123456789", "approve")
assert len(sandbox.payments()) == 1
```
"""

from __future__ import annotations

from typing import Any

from sandboxes.core.control import SandboxControl


class AdyenSandboxControl(SandboxControl):
    def terminal_action(self, poiid: str, action: str) -> dict[str, Any]:
        path = f"/_sandbox/terminal/{poiid}/action"
        return self._json("POST", path, json={"action": action})

    def payments(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "/_sandbox/payments")["data"])

    def refunds(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "/_sandbox/refunds")["data"])

    def webhook(self, url: str) -> dict[str, Any]:
        """Send the standard webhooks (REFUND notifications) to `url` from now on."""
        return self._json("POST", "/_sandbox/webhook", json={"url": url})

    def refund_outcome(self, *, refuse: str = "") -> dict[str, Any]:
        """The refunds to come are refused with `refuse` as the reason, or succeed."""
        return self._json("POST", "/_sandbox/refunds/outcome", json={"refuse": refuse})

    def screen(self, poiid: str) -> str:
        return self._call("GET", f"/_sandbox/terminal/{poiid}/screen").text
