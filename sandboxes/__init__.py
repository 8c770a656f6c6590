"""Stand-ins for the systems a store connects the kiosk to, for the demo,
development and tests. None of it ships with the product, and the product
imports none of it.

- `core`: what every HTTP sandbox is made of (server, control API, faults,
  request log, clock, database, webhooks); no system's names in it;
- `pongo`, `rbi`: the loyalty programmes' APIs, each on the core;
- `adyen`: Adyen's Terminal API (cloud and local) and Checkout refunds;
- `stripe`: Stripe Terminal's server-driven API (PaymentIntents, readers,
  refunds, signed webhooks);
- `printer`, `scanner`: the virtual receipt printer and barcode scanner the
  hardware agent drives, each with a JSON control endpoint made of the core's
  pieces (`core.http.ControlServer`).

Each API emulator is a real HTTP server in its own process, with its own SQLite
database, started by `manage.py sandbox <name>` (see `--help` for the fault
options). `EMULATORS` maps a name to the dotted path of the factory that
builds it, and `CONTROL_CLIENTS` to the client of its control API; both are
imported lazily, so starting one emulator never imports another.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandboxes.core.control import SandboxControl

EMULATORS: dict[str, str] = {
    "adyen": "sandboxes.adyen.emulator.adyen_emulator_create",
    "pongo": "sandboxes.pongo.emulator.pongo_emulator_create",
    "rbi": "sandboxes.rbi.emulator.rbi_emulator_create",
    "stripe": "sandboxes.stripe.emulator.stripe_emulator_create",
}
CONTROL_CLIENTS: dict[str, str] = {
    "adyen": "sandboxes.adyen.control.AdyenSandboxControl",
    "pongo": "sandboxes.pongo.control.PongoSandboxControl",
    "rbi": "sandboxes.rbi.control.RbiSandboxControl",
    "stripe": "sandboxes.stripe.control.StripeSandboxControl",
}


def control_client_create(
    emulator: str, base_url: str, *, timeout_s: float | None = None
) -> SandboxControl:
    """The control client that knows the routes of this emulator."""
    from sandboxes.core.control import DEFAULT_TIMEOUT_S, SandboxControl

    client_class: type[SandboxControl] = SandboxControl
    if emulator in CONTROL_CLIENTS:
        module, _dot, name = CONTROL_CLIENTS[emulator].rpartition(".")
        client_class = getattr(importlib.import_module(module), name)
    return client_class(base_url, timeout_s=timeout_s or DEFAULT_TIMEOUT_S)
