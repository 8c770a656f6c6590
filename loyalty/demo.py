"""The demo's loyalty: the sandboxes, the worker, and each demo store connected."""

from __future__ import annotations

import sys

from django.conf import settings

from kiosk.demo.supervisor import PortNeed, ProcessSpec
from kiosk.models import Store
from loyalty.programmes import programme_connector

# The demo stores and the programme each runs, against its local sandbox.
DEMO_PROGRAMMES = {"brasserie-demo": "pongo", "burger-demo": "rbi"}


def loyalty_demo_setup(*, stores: tuple[str, ...] = tuple(DEMO_PROGRAMMES)) -> None:
    """Connect these demo stores to their programme's local sandbox, as if their
    merchant had connected them (the brasserie: Pongo; the burger restaurant:
    RBI, store 9999, market FR)."""
    for slug in stores:
        store = Store.objects.filter(slug=slug).first()
        if store is not None:
            programme_connector(DEMO_PROGRAMMES[slug]).demo_connect(store=store)


def loyalty_demo_processes() -> list[ProcessSpec]:
    python = sys.executable
    return [
        ProcessSpec(
            name="pongo",
            command=[
                python,
                "manage.py",
                "sandbox",
                "pongo",
                "--port",
                str(settings.SANDBOX_PONGO_PORT),
                "--allow-http-webhooks",
            ],
            ports=[
                PortNeed(
                    settings.SANDBOX_PONGO_PORT,
                    "the Pongo sandbox",
                    "SANDBOX_PONGO_PORT",
                )
            ],
        ),
        ProcessSpec(
            name="rbi",
            command=[
                python,
                "manage.py",
                "sandbox",
                "rbi",
                "--port",
                str(settings.SANDBOX_RBI_PORT),
            ],
            ports=[
                PortNeed(
                    settings.SANDBOX_RBI_PORT, "the RBI sandbox", "SANDBOX_RBI_PORT"
                )
            ],
        ),
        ProcessSpec(name="loyalty", command=[python, "manage.py", "loyalty_worker"]),
    ]


def loyalty_demo_sandbox_env(environ: dict[str, str]) -> dict[str, str]:
    """The programmes' addresses at the sandboxes the demo starts, whatever their
    ports; an address set in `environ` (the operator's) is kept."""
    urls = {
        "PONGO_BASE_URL": f"http://127.0.0.1:{settings.SANDBOX_PONGO_PORT}",
        "RBI_BASE_URL": f"http://127.0.0.1:{settings.SANDBOX_RBI_PORT}",
    }
    return {name: url for name, url in urls.items() if name not in environ}


def loyalty_demo_instructions() -> list[str]:
    pongo = f"http://127.0.0.1:{settings.SANDBOX_PONGO_PORT}/_sandbox/"
    rbi = f"http://127.0.0.1:{settings.SANDBOX_RBI_PORT}/_sandbox/"
    return [
        "  Loyalty: the brasserie runs Pongo, the burger restaurant RBI (both local sandboxes).",
        f"    Pongo members and their pass QR codes: {pongo} (e.g. phone 06 12 34 56 78)",
        f"    RBI members and app codes: {rbi} (seed codes such as 222222 work once;",
        "    the page makes fresh codes for any member)",
    ]
