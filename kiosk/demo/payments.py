"""The demo's card terminals: each demo store pays on its terminal's emulator.

The brasserie's kiosks pay on an Adyen terminal (the Adyen sandbox, cloud
communications), the burger restaurant's on a Stripe reader when the Stripe
sandbox is there; the payment screen frames the emulated terminal's own
screen, where the demo's customer presents, declines or cancels the card.
"""

from __future__ import annotations

import sys

from django.conf import settings

from kiosk.demo.supervisor import PortNeed, ProcessSpec
from kiosk.models import Kiosk, KioskTerminal, TerminalVendor

# The demo sandbox's API key (the Adyen sandbox checks it as Adyen would).
ADYEN_SANDBOX_API_KEY = "kiosk-sandbox-api-key"
ADYEN_SANDBOX_MERCHANT_ACCOUNT = "KioskSandboxPOS"
ADYEN_DEMO_STORE = "brasserie-demo"


def _adyen_base() -> str:
    return f"http://127.0.0.1:{settings.SANDBOX_ADYEN_PORT}"


def payments_demo_setup(*, adyen_base: str | None = None) -> None:
    """Give each demo kiosk its terminal on the local emulator (idempotent).

    `adyen_base` is the Adyen sandbox's address when it is not the demo's port.
    """
    base = adyen_base or _adyen_base()
    for index, kiosk in enumerate(
        Kiosk.objects.filter(store__slug=ADYEN_DEMO_STORE).order_by("pk")
    ):
        poiid = f"V400m-80000{index + 1:04d}"
        terminal, _ = KioskTerminal.objects.update_or_create(
            kiosk=kiosk,
            defaults={
                "vendor": TerminalVendor.ADYEN,
                "terminal_id": poiid,
                "endpoint": base,
                "options": {
                    "communication": "cloud",
                    "merchant_account": ADYEN_SANDBOX_MERCHANT_ACCOUNT,
                    "screen_url": f"{base}/_sandbox/terminal/{poiid}/screen",
                },
                "is_active": True,
            },
        )
        terminal.credentials = {"api_key": ADYEN_SANDBOX_API_KEY}
        terminal.save()


def payments_demo_processes() -> list[ProcessSpec]:
    python = sys.executable
    return [
        ProcessSpec(
            name="adyen",
            command=[
                python,
                "manage.py",
                "sandbox",
                "adyen",
                "--port",
                str(settings.SANDBOX_ADYEN_PORT),
            ],
            ports=[
                PortNeed(
                    settings.SANDBOX_ADYEN_PORT,
                    "the Adyen sandbox",
                    "SANDBOX_ADYEN_PORT",
                )
            ],
        ),
    ]


def payments_demo_instructions() -> list[str]:
    return [
        "  Card payments: the brasserie pays on an emulated Adyen terminal, shown on the",
        "    payment screen (present the card, decline or cancel there); the burger",
        "    restaurant on the simulated terminal, its keys on the payment screen.",
        f"    Adyen sandbox: {_adyen_base()}/_sandbox/",
    ]
