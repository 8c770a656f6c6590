"""The Stripe sandbox's control client: play the customer, read what was stored.

```python
sandbox = StripeSandboxControl("http://127.0.0.1:8804")
sandbox.reset()
sandbox.reader_action("tmr_Kiosk1", "approve")
assert sandbox.payments()[0]["status"] == "requires_capture"
```
"""

from __future__ import annotations

from typing import Any

from sandboxes.core.control import SandboxControl


class StripeSandboxControl(SandboxControl):
    def reader_action(self, reader: str, action: str) -> dict[str, Any]:
        path = f"/_sandbox/terminal/{reader}/action"
        return self._json("POST", path, json={"action": action})

    # The Adyen control's name, so a test can play either terminal alike.
    terminal_action = reader_action

    def payments(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "/_sandbox/payments")["data"])

    def refunds(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "/_sandbox/refunds")["data"])

    def screen(self, reader: str) -> str:
        return self._call("GET", f"/_sandbox/terminal/{reader}/screen").text
